"""The JSON column config of an XLSX table (``resources/templates/<name>.json``): :class:`TableConfig`,
:class:`ColumnSpec`, :class:`HeaderGroup` and :func:`load_table_config`, checked with Chinese errors.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.exports.registry import ExportError

COLUMN_TYPES = frozenset({"text", "int", "money", "date", "percent", "bool", "id", "code"})


_NUMBER_FORMATS = {
    "int": "0",
    "money": "#,##0.00",
    "date": "yyyy-mm-dd",
    "percent": "0.0%",
    "id": "@",
    "code": "@",
    "text": "General",
    "bool": "General",
}
_DEFAULT_ALIGN = {
    "text": "left",
    "int": "center",
    "money": "right",
    "date": "center",
    "percent": "right",
    "bool": "center",
    "id": "center",
    "code": "center",
}


# --- config -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    label: str
    width: float = 12
    type: str = "text"
    hidden: bool = False
    align: str | None = None
    wrap: bool | None = None
    format: str | None = None

    @property
    def number_format(self) -> str:
        return self.format or _NUMBER_FORMATS[self.type]

    @property
    def alignment(self) -> str:
        return self.align or _DEFAULT_ALIGN[self.type]

    @property
    def wraps(self) -> bool:
        return self.wrap if self.wrap is not None else self.type == "text"


@dataclass(frozen=True)
class HeaderGroup:
    label: str
    columns: tuple[str, ...]


PAPERS = ("A4", "A3")


@dataclass(frozen=True)
class PrintSpec:
    """How a wide table goes on paper (the config's ``"print"`` object; see :mod:`.printing`).

    ``paper``: the paper the form names (A4, or A3 where forms.md allows it), always landscape;
    ``repeat_cols``: the key columns from A repeated at the left of every page (default: the frozen
    columns); ``min_font``: the smallest printed text size in pt, after scaling.
    """

    paper: str = "A4"
    repeat_cols: int | None = None
    min_font: float = 8.5


@dataclass(frozen=True)
class TableConfig:
    kind: str
    version: str
    title: str
    columns: tuple[ColumnSpec, ...]
    proposed: bool = False
    attachment: str | None = None
    subtitle: str | None = None
    sheet: str = "Sheet1"
    font: str = "宋体"
    font_size: float = 11
    title_font: str = "黑体"
    title_size: float = 18
    header_font: str | None = None  # default: ``font``, bold
    freeze_cols: int = 0
    autofilter: bool = True
    header_groups: tuple[HeaderGroup, ...] = ()
    print: PrintSpec | None = None  # None: fit all columns to one page wide (forms.md §12)
    source: Path | None = field(default=None, compare=False)

    @property
    def keys(self) -> list[str]:
        return [c.key for c in self.columns]

    @property
    def header_levels(self) -> int:
        return 2 if self.header_groups else 1

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: Path | None = None) -> TableConfig:
        where = source.name if source else data.get("kind", "?")

        def fail(msg: str) -> ExportError:
            return ExportError(f"表格配置“{where}”有误：{msg}")

        try:
            columns = tuple(
                ColumnSpec(
                    key=str(c["key"]),
                    label=str(c["label"]),
                    width=float(c.get("width", 12)),
                    type=str(c.get("type", "text")),
                    hidden=bool(c.get("hidden", False)),
                    align=c.get("align"),
                    wrap=c.get("wrap"),
                    format=c.get("format"),
                )
                for c in data["columns"]
            )
            groups = tuple(
                HeaderGroup(label=str(g["label"]), columns=tuple(str(k) for k in g["columns"]))
                for g in data.get("header_groups") or ()
            )
            config = cls(
                kind=str(data["kind"]),
                version=str(data.get("version", "1")),
                title=str(data.get("title", "")),
                columns=columns,
                proposed=bool(data.get("proposed", False)),
                attachment=data.get("attachment") or None,
                subtitle=data.get("subtitle") or None,
                sheet=str(data.get("sheet") or "Sheet1"),
                font=str(data.get("font", "宋体")),
                font_size=float(data.get("font_size", 11)),
                title_font=str(data.get("title_font", "黑体")),
                title_size=float(data.get("title_size", 18)),
                header_font=data.get("header_font"),
                freeze_cols=int(data.get("freeze_cols", 0)),
                autofilter=bool(data.get("autofilter", True)),
                header_groups=groups,
                print=_print_spec(data.get("print")),
                source=source,
            )
        except KeyError as exc:
            raise fail(f"缺少“{exc.args[0]}”") from None
        except (TypeError, ValueError) as exc:
            raise fail(str(exc)) from None
        if not columns:
            raise fail("没有列")
        keys = config.keys
        if len(set(keys)) != len(keys):
            raise fail("列的 key 有重复")
        for c in columns:
            if c.type not in COLUMN_TYPES:
                raise fail(f"列“{c.key}”的类型“{c.type}”未知")
            if c.align not in (None, "left", "center", "right"):
                raise fail(f"列“{c.key}”的对齐方式“{c.align}”未知")
        used: set[str] = set()
        for g in groups:
            idx = [keys.index(k) if k in keys else -1 for k in g.columns]
            if not idx or -1 in idx:
                raise fail(f"表头分组“{g.label}”引用了不存在的列")
            if idx != list(range(idx[0], idx[0] + len(idx))):
                raise fail(f"表头分组“{g.label}”的列必须相邻且按顺序")
            if used & set(g.columns):
                raise fail(f"表头分组“{g.label}”与其他分组重叠")
            used |= set(g.columns)
        spec = config.print
        if spec is not None:
            if spec.paper not in PAPERS:
                raise fail(f"打印纸张“{spec.paper}”未知（可用 A4、A3）")
            if spec.repeat_cols is not None and not 0 <= spec.repeat_cols < len(columns):
                raise fail("打印时重复的列数超出范围")
            if not 4 <= spec.min_font <= 20:
                raise fail("打印最小字号应在 4～20 磅之间")
        if len(config.sheet) > 31 or any(ch in config.sheet for ch in "[]:*?/\\"):
            raise fail(f"工作表名“{config.sheet}”不合法")
        return config


def _print_spec(data: Any) -> PrintSpec | None:
    if data is None or data is False:
        return None
    if data is True:
        return PrintSpec()
    if not isinstance(data, Mapping):
        raise TypeError("“print”应为对象")
    repeat = data.get("repeat_cols")
    return PrintSpec(
        paper=str(data.get("paper", "A4")).upper(),
        repeat_cols=None if repeat is None else int(repeat),
        min_font=float(data.get("min_font", 8.5)),
    )


def templates_dir() -> Path:
    from app.core.paths import resource_path

    return resource_path("templates")


def load_table_config(name: str | Path) -> TableConfig:
    """Load ``resources/templates/<name>.json`` (or a JSON file path) as a :class:`TableConfig`."""
    path = Path(name)
    if path.suffix.lower() != ".json":
        path = templates_dir() / f"{name}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ExportError(f"找不到表格配置文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise ExportError(f"无法读取表格配置文件 {path.name}：{exc}") from None
    return TableConfig.from_dict(data, source=path)
