"""CJK font discovery and document font names, without Qt.

Two roles are looked up:

* ``"sans"``  — a 黑体-like face (charts, 黑体 headings);
* ``"serif"`` — a 宋体/仿宋-like face (document body when rendered by LibreOffice).

Order of preference: the office PC's Windows fonts (SimHei, SimSun, FangSong, Microsoft YaHei), then
a system Noto CJK / WenQuanYi install on Linux (known paths first, ``fc-list`` only if none is
found), then the OFL fonts bundled with the ``pylopdf_fonts_zh_cn`` package (Noto Sans SC and
Noto Serif SC), which are always there.

This module must stay cheap to import: no matplotlib, docx, openpyxl or Qt here.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

# --- document font names (what goes into w:rFonts / cell fonts) -------------------------------

TITLE_FONT = "方正小标宋简体"
TITLE_FONT_FALLBACKS: tuple[str, ...] = ("方正小标宋_GBK", "华文中宋", "STZhongsong", "宋体", "SimSun")
BODY_FONT = "仿宋_GB2312"
BODY_FONT_FALLBACKS: tuple[str, ...] = ("仿宋", "FangSong", "华文仿宋", "STFangsong")
HEADING_FONT = "黑体"
HEADING_FONT_FALLBACKS: tuple[str, ...] = ("SimHei",)
KAI_FONT = "楷体_GB2312"
KAI_FONT_FALLBACKS: tuple[str, ...] = ("楷体", "KaiTi", "华文楷体", "STKaiti")
SONG_FONT = "宋体"
SONG_FONT_FALLBACKS: tuple[str, ...] = ("SimSun", "NSimSun")
LATIN_FONT = "Times New Roman"

#: Families the private fonts.conf maps to the bundled Noto fonts (serif-like / sans-like).
SERIF_ALIASES: tuple[str, ...] = (
    TITLE_FONT,
    *TITLE_FONT_FALLBACKS[:1],
    BODY_FONT,
    *BODY_FONT_FALLBACKS,
    SONG_FONT,
    *SONG_FONT_FALLBACKS,
    KAI_FONT,
    *KAI_FONT_FALLBACKS,
)
SANS_ALIASES: tuple[str, ...] = (
    HEADING_FONT,
    *HEADING_FONT_FALLBACKS,
    "微软雅黑",
    "Microsoft YaHei",
    "等线",
    "DengXian",
)

ROLES = ("sans", "serif")

# --- where to look -----------------------------------------------------------------------------

_WINDOWS_FILES: dict[str, tuple[str, ...]] = {
    "sans": ("simhei.ttf", "msyh.ttc", "msyh.ttf", "Deng.ttf"),
    "serif": ("simsun.ttc", "simfang.ttf", "simsun.ttf", "simkai.ttf"),
}

_LINUX_FILES: dict[str, tuple[str, ...]] = {
    "sans": (
        "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # Debian/Ubuntu fonts-noto-cjk
        "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",  # Arch
        "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",  # Fedora
        "/usr/share/fonts/google-noto-sans-cjk-fonts/NotoSansCJK-Regular.ttc",  # Fedora ≥ 39
        "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
        "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
        "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc",
        "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    ),
    "serif": (
        "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/google-noto-serif-cjk-fonts/NotoSerifCJK-Regular.ttc",
        "/usr/share/fonts/truetype/arphic/uming.ttc",
    ),
}

# fc-list family keywords per role, best first (only used when no known path exists)
_FC_KEYWORDS: dict[str, tuple[str, ...]] = {
    "sans": (
        "Noto Sans CJK SC",
        "Noto Sans SC",
        "Source Han Sans SC",
        "WenQuanYi Micro Hei",
        "WenQuanYi Zen Hei",
    ),
    "serif": ("Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "AR PL UMing"),
}


def windows_font_dirs() -> list[Path]:
    """Font folders of a Windows PC: %WINDIR%\\Fonts, C:\\Windows\\Fonts and the per-user folder."""
    if sys.platform != "win32":
        return []
    dirs: list[Path] = []
    windir = os.environ.get("WINDIR") or os.environ.get("SystemRoot")
    if windir:
        dirs.append(Path(windir) / "Fonts")
    dirs.append(Path("C:/Windows/Fonts"))
    local = os.environ.get("LOCALAPPDATA")
    if local:  # fonts installed "for this user only" (Windows 10 1809+), e.g. 方正小标宋
        dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    seen: set[str] = set()
    unique = []
    for d in dirs:
        key = os.path.normcase(str(d))
        if key not in seen:
            seen.add(key)
            unique.append(d)
    return unique


def bundled_font_files() -> dict[str, Path]:
    """The OFL Noto Sans SC / Noto Serif SC files shipped by ``pylopdf_fonts_zh_cn`` (always present)."""
    import pylopdf_fonts_zh_cn as bundled  # tiny module: two path functions

    return {"sans": Path(bundled.sans_path()), "serif": Path(bundled.serif_path())}


def bundled_font_dir() -> Path:
    return bundled_font_files()["sans"].parent


def _first_existing(candidates) -> Path | None:
    for c in candidates:
        p = Path(c)
        try:
            if p.is_file():
                return p
        except OSError:
            continue
    return None


def _fc_list_lookup(role: str) -> Path | None:
    """Ask fontconfig (2 s at most) for a CJK font of this role."""
    fc_list = shutil.which("fc-list")
    if not fc_list:
        return None
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family", "file"],
            capture_output=True,
            text=True,
            timeout=2,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    entries: list[tuple[str, str]] = []
    for line in out.splitlines():
        path, _, family = line.partition(":")
        entries.append((path.strip(), family.strip()))
    for keyword in _FC_KEYWORDS[role]:
        for path, family in entries:
            if keyword.lower() in family.lower() and Path(path).is_file():
                return Path(path)
    return None


def _find_role(role: str, *, use_fc_list: bool = True) -> tuple[Path, str]:
    """Best file for a role and where it came from ('windows', 'system', 'bundled')."""
    for d in windows_font_dirs():
        found = _first_existing(d / name for name in _WINDOWS_FILES[role])
        if found:
            return found, "windows"
    if sys.platform.startswith("linux") or sys.platform == "darwin":
        found = _first_existing(_LINUX_FILES[role])
        if found is None and use_fc_list:
            found = _fc_list_lookup(role)
        if found:
            return found, "system"
    return bundled_font_files()[role], "bundled"


@lru_cache(maxsize=1)
def _cached_font_files() -> tuple[tuple[str, Path, str], ...]:
    return tuple((role, *_find_role(role)) for role in ROLES)


def cjk_font_files() -> dict[str, Path]:
    """The best available CJK font file for each role: ``{"sans": Path, "serif": Path}``.

    The result is cached for the life of the process; ``cjk_font_files.cache_clear()`` forgets it.
    """
    return {role: path for role, path, _source in _cached_font_files()}


def cjk_font_sources() -> dict[str, str]:
    """Where each role's file came from: ``'windows'``, ``'system'`` or ``'bundled'`` (for the about box)."""
    return {role: source for role, _path, source in _cached_font_files()}


cjk_font_files.cache_clear = _cached_font_files.cache_clear  # type: ignore[attr-defined]


# --- LibreOffice / fontconfig -----------------------------------------------------------------


def fontconfig_text(cache_dir: Path, font_dirs: list[Path] | None = None) -> str:
    """The text of a private fonts.conf: the system config, the bundled fonts, and the aliases
    that make 仿宋_GB2312 / 方正小标宋简体 / 宋体 / 楷体 render with Noto Serif SC and 黑体 with Noto
    Sans SC when the real (commercial) fonts are missing.

    The aliases use ``<accept>``, so a machine that does have the real font still uses it.
    """
    dirs = [bundled_font_dir()] + list(font_dirs or [])
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
        "<!-- written by 调解工作台 (app/fonts.py); safe to delete -->",
        "<fontconfig>",
    ]
    if Path("/etc/fonts/fonts.conf").is_file():
        lines.append('  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>')
    for d in dirs:
        lines.append(f"  <dir>{escape(str(d))}</dir>")
    lines.append(f"  <cachedir>{escape(str(cache_dir))}</cachedir>")
    for target, families in (("Noto Serif SC", SERIF_ALIASES), ("Noto Sans SC", SANS_ALIASES)):
        for family in dict.fromkeys(families):
            lines += [
                '  <alias binding="same">',
                f"    <family>{escape(family)}</family>",
                f"    <accept><family>{target}</family></accept>",
                "  </alias>",
            ]
    lines.append("</fontconfig>")
    return "\n".join(lines) + "\n"


def write_fontconfig(dir: Path | str, font_dirs: list[Path] | None = None) -> Path:
    """Write ``<dir>/fonts.conf`` (and use ``<dir>/cache`` as its cache); return its path.

    Point LibreOffice at it with ``FONTCONFIG_FILE=<path>``. The file is only rewritten when its
    text changes, so fontconfig's cache stays warm between runs.
    """
    base = Path(dir)
    base.mkdir(parents=True, exist_ok=True)
    cache = base / "cache"
    cache.mkdir(exist_ok=True)
    conf = base / "fonts.conf"
    text = fontconfig_text(cache, font_dirs)
    try:
        if conf.read_text(encoding="utf-8") == text:
            return conf
    except OSError:
        pass
    tmp = base / f".fonts.conf.{os.getpid()}.tmp"
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, conf)
    return conf
