"""What every exported file says about itself, and which faces its DOCX text is set in (issue 20).

* 「公文字体」, an app setting kept in the database (key :data:`FONT_SET_KEY`): ``"gb2312"`` — the faces of
  GB/T 9704 practice (方正小标宋简体, 仿宋_GB2312, 楷体_GB2312, 黑体; the default) — or ``"windows"`` — the
  faces every Windows PC ships (宋体, 仿宋, 楷体, 黑体), for offices without the GB2312 fonts. The settings
  page offers :func:`font_set_choices` and shows :func:`installed_font_report`.
* :class:`DocInfo` — the document properties of one export (title = the form's Chinese name, subject =
  case number / organization / period, author = the organization, the font set). While a registered
  kind runs, the registry makes it the *current* one (:func:`export_info`); the DOCX and XLSX engines
  read it with :func:`current_info` when they save, and the registry finishes the written file with it.

Cheap to import (no docx, openpyxl or Qt); imports app.core, app.services.app_settings and db only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from app.core.fonts import BODY_FONT, HEADING_FONT, KAI_FONT, SONG_FONT, TITLE_FONT, windows_font_dirs
from app.core.version import APP_NAME, __version__

# --- the 「公文字体」 setting -------------------------------------------------------------------------

FONT_SET_KEY = "docx_font_set"
FONT_SET_GB2312 = "gb2312"
FONT_SET_WINDOWS = "windows"
DEFAULT_FONT_SET = FONT_SET_GB2312
FONT_SET_LABEL = "公文字体"

FONT_SETS: dict[str, str] = {
    FONT_SET_GB2312: "GB2312 公文字体（方正小标宋简体、仿宋_GB2312、楷体_GB2312、黑体）",
    FONT_SET_WINDOWS: "Windows 自带字体（宋体、仿宋、楷体、黑体）",
}

#: With the Windows set, these faces are written as the one Windows ships instead.
WINDOWS_FACES: dict[str, str] = {
    TITLE_FONT: SONG_FONT,  # 方正小标宋简体 → 宋体
    "方正小标宋_GBK": SONG_FONT,
    "华文中宋": SONG_FONT,
    BODY_FONT: "仿宋",  # 仿宋_GB2312 → 仿宋
    "方正仿宋_GBK": "仿宋",
    "华文仿宋": "仿宋",
    KAI_FONT: "楷体",  # 楷体_GB2312 → 楷体
    "方正楷体_GBK": "楷体",
    "华文楷体": "楷体",
    "方正黑体_GBK": HEADING_FONT,
}

#: The faces the report lists, with what each is used for.
NAMED_FONTS: tuple[tuple[str, str], ...] = (
    (TITLE_FONT, "标题（GB2312 公文字体）"),
    (BODY_FONT, "正文（GB2312 公文字体）"),
    (KAI_FONT, "二级标题（GB2312 公文字体）"),
    (HEADING_FONT, "一级标题、附件标识"),
    (SONG_FONT, "页码；标题（Windows 自带字体）"),
    ("仿宋", "正文（Windows 自带字体）"),
    ("楷体", "二级标题（Windows 自带字体）"),
)

#: Font files that carry each face on Windows (checked when the registry cannot be read).
_WINDOWS_FILES: dict[str, tuple[str, ...]] = {
    TITLE_FONT: ("FZXBSJW.TTF", "FZXBSJW--GB1-0.ttf", "方正小标宋简体.ttf", "方正小标宋简体.TTF"),
    BODY_FONT: ("FS_GB2312.ttf", "仿宋_GB2312.ttf", "仿宋_GB2312.TTF", "SIMFANG_GB2312.TTF"),
    KAI_FONT: ("KT_GB2312.ttf", "楷体_GB2312.ttf", "楷体_GB2312.TTF", "SIMKAI_GB2312.TTF"),
    HEADING_FONT: ("simhei.ttf",),
    SONG_FONT: ("simsun.ttc",),
    "仿宋": ("simfang.ttf",),
    "楷体": ("simkai.ttf",),
}

#: English family names fontconfig / the Windows registry may list instead of the Chinese one.
_ENGLISH_NAMES: dict[str, tuple[str, ...]] = {
    TITLE_FONT: ("FZXiaoBiaoSong-B05S",),
    BODY_FONT: ("FangSong_GB2312",),
    KAI_FONT: ("KaiTi_GB2312",),
    HEADING_FONT: ("SimHei",),
    SONG_FONT: ("SimSun",),
    "仿宋": ("FangSong",),
    "楷体": ("KaiTi",),
}


def font_set_choices() -> list[tuple[str, str]]:
    """``[(key, label), …]`` for the 「公文字体」 choice on the settings page, the default first."""
    return list(FONT_SETS.items())


def normalize_font_set(value: Any) -> str:
    return value if value in FONT_SETS else DEFAULT_FONT_SET


def get_font_set(session) -> str:
    """The stored 「公文字体」 choice (``"gb2312"`` when never set or unreadable)."""
    from app.services.app_settings import get_setting

    return normalize_font_set(get_setting(session, FONT_SET_KEY, DEFAULT_FONT_SET))


def set_font_set(session, value: str) -> None:
    """Store the 「公文字体」 choice (the caller commits); ``ValueError`` for an unknown key."""
    from app.services.app_settings import set_setting

    if value not in FONT_SETS:
        raise ValueError(f"未知的公文字体：{value}")
    set_setting(session, FONT_SET_KEY, value)


def map_font(name: str, font_set: str) -> str:
    """The face ``name`` is written as under ``font_set``."""
    return WINDOWS_FACES.get(name, name) if font_set == FONT_SET_WINDOWS else name


# --- which of the named faces this PC has ------------------------------------------------------------


@dataclass(frozen=True)
class FontStatus:
    name: str
    use: str
    installed: bool
    where: str  # a file path, 'fontconfig', or '' when missing


def _windows_registry_fonts() -> dict[str, str]:
    """Font display name → file, from HKLM and HKCU (Windows only; {} elsewhere)."""
    if sys.platform != "win32":
        return {}
    try:
        import winreg
    except ImportError:  # pragma: no cover
        return {}
    found: dict[str, str] = {}
    key_path = r"SOFTWARE\Microsoft\Windows NT\CurrentVersion\Fonts"
    for hive in (winreg.HKEY_LOCAL_MACHINE, winreg.HKEY_CURRENT_USER):
        try:
            with winreg.OpenKey(hive, key_path) as key:
                i = 0
                while True:
                    try:
                        name, value, _type = winreg.EnumValue(key, i)
                    except OSError:
                        break
                    found[str(name)] = str(value)
                    i += 1
        except OSError:
            continue
    return found


def _fontconfig_families() -> list[str]:
    """Every family name fontconfig knows (each entry may list several, comma-separated)."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return []
    try:
        out = subprocess.run(
            [fc_list, ":", "family"], capture_output=True, text=True, timeout=3, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names: list[str] = []
    for line in out.splitlines():
        names += [n.strip().replace("\\-", "-") for n in line.split(",") if n.strip()]
    return names


def installed_font_report() -> list[FontStatus]:
    """Which of the faces the documents name this PC has: the Windows font registry and font folders
    (%WINDIR%\\Fonts and the per-user folder), else fontconfig. Takes well under a second."""
    registry = _windows_registry_fonts()
    dirs = windows_font_dirs()
    families = {f.casefold() for f in _fontconfig_families()} if not dirs else set()
    report: list[FontStatus] = []
    for name, use in NAMED_FONTS:
        aliases = (name, *_ENGLISH_NAMES.get(name, ()))
        where = ""
        for display, file in registry.items():
            label = display.split(" (")[0]
            if any(a.casefold() in (p.strip().casefold() for p in label.split("&")) for a in aliases):
                where = file if os.path.isabs(file) else str(Path(dirs[0] if dirs else ".") / file)
                break
        if not where:
            for d in dirs:
                hit = next((d / f for f in _WINDOWS_FILES.get(name, ()) if (d / f).is_file()), None)
                if hit is not None:
                    where = str(hit)
                    break
        if not where and any(a.casefold() in families for a in aliases):
            where = "fontconfig"
        report.append(FontStatus(name, use, bool(where), where))
    return report


def suggested_font_set(report: list[FontStatus] | None = None) -> str:
    """``"gb2312"`` when this PC has all three GB2312 faces, else ``"windows"``."""
    have = {s.name for s in (report if report is not None else installed_font_report()) if s.installed}
    return FONT_SET_GB2312 if {TITLE_FONT, BODY_FONT, KAI_FONT} <= have else FONT_SET_WINDOWS


# --- the properties of one export ------------------------------------------------------------------


def app_signature() -> str:
    """「调解工作台 0.1.0」: the application / last-modified-by of every exported file."""
    return f"{APP_NAME} {__version__}"


@dataclass
class DocInfo:
    """Document properties of one export. ``extra`` is the kind's own additions (``subject``, ``author``,
    ``description``), read when the file is saved, so a kind may fill it while it runs."""

    title: str
    subject: str = ""
    author: str = ""
    description: str = ""
    font_set: str = DEFAULT_FONT_SET
    language: str = "zh-CN"
    when: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    extra: dict[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return str(self.extra.get(name) or getattr(self, name) or "")

    @property
    def creator(self) -> str:
        """The author (the organization), else the application."""
        return self.value("author") or app_signature()

    @property
    def company(self) -> str:
        return self.value("author")


_current: ContextVar[DocInfo | None] = ContextVar("export_doc_info", default=None)


def current_info() -> DocInfo | None:
    """The :class:`DocInfo` of the export running in this thread, if any."""
    return _current.get()


@contextlib.contextmanager
def export_info(info: DocInfo) -> Iterator[DocInfo]:
    token = _current.set(info)
    try:
        yield info
    finally:
        _current.reset(token)


def current_font_set() -> str:
    info = _current.get()
    return info.font_set if info is not None else DEFAULT_FONT_SET


def _period(params: Mapping[str, Any]) -> str:
    year, quarter, month = params.get("year"), params.get("quarter"), params.get("month")
    if year not in (None, ""):
        if month not in (None, ""):
            return f"{year}年{month}月"
        if quarter not in (None, ""):
            return f"{year}年第{quarter}季度"
        return f"{year}年"
    start, end = params.get("date_from"), params.get("date_to")
    if start or end:
        return f"{start or ''}至{end or ''}"
    as_of = params.get("as_of") or params.get("date")
    return f"截至{as_of}" if as_of else ""


def _lookup_names(session, params: Mapping[str, Any]) -> tuple[str, str]:
    """(case number, organization name) the parameters point at, looked up lightly."""
    from sqlalchemy import select

    from db.models import Case, Organization

    case_no = org_name = ""
    case = str(params.get("case") or "").strip()
    if case:
        which = Case.id == int(case) if case.isdigit() else Case.case_no == case
        row = session.execute(select(Case.case_no, Case.organization_id).where(which).limit(1)).first()
        case_no = (row.case_no if row is not None else None) or case
        if row is not None and row.organization_id is not None:
            org_name = session.scalar(select(Organization.name).where(Organization.id == row.organization_id)) or ""
    org = str(params.get("org") or "").strip()
    if org and not org_name:
        if org.isdigit():
            org_name = session.scalar(select(Organization.name).where(Organization.id == int(org))) or ""
        org_name = org_name or org
    return case_no, org_name


def info_for_export(title: str, description: str, params: Mapping[str, Any], session_factory: Any,
                    extra: dict[str, str] | None = None) -> DocInfo:
    """The :class:`DocInfo` of an export of the form called ``title`` with these parameters: the font
    set from the database, subject and author from the parameters (a kind may refine them in ``extra``)."""
    font_set, case_no, org_name = DEFAULT_FONT_SET, "", ""
    if session_factory is not None:
        try:
            with session_factory() as session:
                font_set = get_font_set(session)
                case_no, org_name = _lookup_names(session, params)
        except Exception:  # noqa: BLE001 — properties never stop an export; the kind reports real errors
            pass
    author = next((str(params[k]) for k in ("unit", "issuer", "signer") if params.get(k)), "") or org_name
    subject = "　".join(p for p in dict.fromkeys((case_no, org_name or author, _period(params), str(params.get("region") or ""))) if p)
    return DocInfo(title=title, subject=subject, author=author, description=description,
                   font_set=font_set, extra=extra if extra is not None else {})
