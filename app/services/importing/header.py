"""Finding the header of a sheet and matching its columns to fields by their Chinese names.

Sheets kept by hand start with title rows (「附件2」, a merged title, 「填报单位：…」), may have two header rows
(a merged group label over its sub-columns) and sometimes a row of column numbers under the header. The
header is the band of one to three rows, within the first rows of the sheet, whose labels match the most
fields; merged cells are spread over their range first. Columns are then matched: a saved mapping first,
then an exact name or synonym (of the joined label, then of its last and first parts), then a label that
contains a synonym (the longest wins). Each field takes one column and each column one field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from app.services.importing.reader import ImportFileError, RawSheet
from app.services.importing.schema import FieldSpec

SCAN_ROWS = 40
MAX_HEADER_ROWS = 3

_STRIP_RE = re.compile(r"[\s*＊★☆:：]+")
_REQUIRED_RE = re.compile(r"\((?:必填|选填|可选|必须|可不填)\)")
_UNIT_RE = re.compile(r"\((?:元|万元|人|天|日|个|件|家|次|小时|学时|岁|年|%)\)$")
_HEADER_NUMBER_RE = re.compile(r"^(?:\(?\d{1,2}\)?|[A-Z]{1,2}|[一二三四五六七八九十]+)$")


def norm_label(text: Any) -> str:
    """A header text for comparison: NFKC (full-width → half-width), no spaces, stars or colons, lower case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", str(text))
    s = s.replace("【", "(").replace("】", ")").replace("[", "(").replace("]", ")")
    s = _STRIP_RE.sub("", s)
    s = _REQUIRED_RE.sub("", s)
    return s.lower()


def strip_unit(label: str) -> str:
    return _UNIT_RE.sub("", label)


@dataclass(frozen=True)
class ColumnHeader:
    index: int  # 0-based
    parts: tuple[str, ...]  # the header texts from top to bottom (as written, merged cells spread)
    hidden: bool = False

    @property
    def letter(self) -> str:
        return column_letter(self.index)

    @property
    def text(self) -> str:
        return "／".join(self.parts) if self.parts else ""

    @property
    def key(self) -> str:
        """The normalised joined label: the key of a saved mapping."""
        return norm_label("".join(self.parts))

    @cached_property
    def unit_factor(self) -> int:
        """10000 for a column in 万元, else 1."""
        return 10000 if "万元" in norm_label(self.text) else 1


@dataclass
class HeaderInfo:
    first_row: int  # 1-based, inclusive
    last_row: int
    data_start: int  # 1-based: first row after the header (and after a column-number row)
    columns: list[ColumnHeader]
    score: int = 0
    title_lines: list[str] = field(default_factory=list)  # non-empty texts above the header

    @property
    def rows_text(self) -> str:
        if self.first_row == self.last_row:
            return f"第{self.first_row}行"
        return f"第{self.first_row}–{self.last_row}行"

    def column(self, index: int) -> ColumnHeader | None:
        for c in self.columns:
            if c.index == index:
                return c
        return None


def column_letter(index: int) -> str:
    """0 → 'A'."""
    n = index + 1
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


# ---------------------------------------------------------------------------------------------
# Matching


@dataclass(frozen=True)
class Match:
    field: str  # field key ('' = deliberately ignored by a saved mapping)
    quality: int  # 4 saved, 3 exact (joined), 2 exact (part), 1 contains
    how: str  # Chinese, for the mapping step's tooltip


class Matcher:
    """Names and synonyms of a target's fields, prepared for fast matching."""

    def __init__(self, fields: Sequence[FieldSpec]) -> None:
        self.fields = list(fields)
        self.exact: dict[str, str] = {}
        contains: list[tuple[str, str]] = []
        for f in fields:
            for name in f.names:
                n = norm_label(name)
                if not n:
                    continue
                self.exact.setdefault(n, f.key)
                self.exact.setdefault(strip_unit(n), f.key)
                if len(n) >= 2:
                    contains.append((n, f.key))
        self.contains = sorted(set(contains), key=lambda x: -len(x[0]))

    def candidates(self, col: ColumnHeader) -> list[Match]:
        parts = [norm_label(p) for p in col.parts if norm_label(p)]
        if not parts:
            return []
        joined = "".join(parts)
        out: list[Match] = []
        for label in dict.fromkeys([joined, strip_unit(joined)]):
            if label in self.exact:
                out.append(Match(self.exact[label], 3, f"列名“{col.text}”"))
        if len(parts) > 1:
            for p in (parts[-1], parts[0]):
                for label in dict.fromkeys([p, strip_unit(p)]):
                    if label in self.exact:
                        out.append(Match(self.exact[label], 2, f"列名“{col.text}”中的“{p}”"))
        for label in dict.fromkeys([joined, parts[-1]]):
            for syn, key in self.contains:
                if syn in label and syn != label:
                    out.append(Match(key, 1, f"列名“{col.text}”含有“{syn}”"))
                    break
        for label in dict.fromkeys([joined, parts[-1]]):
            if len(label) >= 3:  # an abbreviated name: 是否集体 for 是否集体争议
                keys = {key for syn, key in self.contains if syn.startswith(label) and syn != label}
                if len(keys) == 1:
                    key = keys.pop()
                    out.append(Match(key, 1, f"列名“{col.text}”是“{self._name_of(key)}”的简称"))
        return out

    def _name_of(self, key: str) -> str:
        return next((f.label for f in self.fields if f.key == key), key)

    def match(
        self, columns: Sequence[ColumnHeader], saved: Mapping[str, str] | None = None
    ) -> dict[int, Match]:
        """Column index → match; saved mappings (normalised label → field key, '' = ignore) win."""
        result: dict[int, Match] = {}
        taken: set[str] = set()
        valid = {f.key for f in self.fields}
        if saved:
            for col in columns:
                key = saved.get(col.key)
                if key is None:
                    continue
                if key == "":
                    result[col.index] = Match("", 4, "上次导入时设为不导入")
                elif key in valid and key not in taken:
                    result[col.index] = Match(key, 4, "上次导入时保存的对应关系")
                    taken.add(key)
        ranked: list[tuple[int, int, Match]] = []
        for col in columns:
            if col.index in result:
                continue
            for order, m in enumerate(self.candidates(col)):
                ranked.append((-m.quality, col.index * 10 + order, m))
        ranked.sort(key=lambda x: (x[0], x[1]))
        for _q, pos, m in ranked:
            idx = pos // 10
            if idx in result or m.field in taken:
                continue
            result[idx] = m
            taken.add(m.field)
        return result

    def score(self, columns: Sequence[ColumnHeader], saved: Mapping[str, str] | None = None) -> tuple[int, int]:
        """(fields matched, sum of qualities) — how header-like a band of rows is."""
        matches = {i: m for i, m in self.match(columns, saved).items() if m.field}
        return len(matches), sum(m.quality for m in matches.values())


# ---------------------------------------------------------------------------------------------
# Detection


def _text_or_none(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        t = value.strip()
        return t or None
    return None  # numbers, dates and booleans are data, not header labels


def _is_dataish(value: Any) -> bool:
    return isinstance(value, int | float | date | datetime) and not isinstance(value, bool)


def _band_columns(raw: RawSheet, top: int, height: int, merged: dict[tuple[int, int], Any]) -> list[ColumnHeader]:
    """Column headers of rows top..top+height-1 (0-based), merged cells spread over their range."""
    width = max((len(raw.rows[r]) for r in range(top, min(top + height, len(raw.rows)))), default=0)
    grid: list[list[str | None]] = []
    for r in range(top, top + height):
        line: list[str | None] = []
        for c in range(width):
            v = merged.get((r, c), raw.cell(r, c)) if (r, c) in merged else raw.cell(r, c)
            line.append(_text_or_none(v))
        grid.append(line)
    if height > 1 and not raw.has_merge_info:
        # No merge information (CSV): a group label stands over the following columns that have a
        # sub-label below and none above.
        for r in range(height - 1):
            last = None
            for c in range(width):
                if grid[r][c] is not None:
                    last = grid[r][c] if any(grid[rr][c] is not None for rr in range(r + 1, height)) else None
                elif last is not None and any(grid[rr][c] is not None for rr in range(r + 1, height)):
                    grid[r][c] = last
                else:
                    last = None
    cols = []
    for c in range(width):
        parts: list[str] = []
        for r in range(height):
            t = grid[r][c]
            if t is not None and (not parts or parts[-1] != t):
                parts.append(t)
        cols.append(ColumnHeader(c, tuple(parts), c in raw.hidden_columns))
    return cols


def _merged_map(raw: RawSheet, limit: int) -> dict[tuple[int, int], Any]:
    """(row, col) 0-based → the value of its merged range's top-left cell, for ranges starting above ``limit``."""
    out: dict[tuple[int, int], Any] = {}
    for r1, c1, r2, c2 in raw.merges:
        if r1 > limit:
            continue
        value = raw.cell(r1 - 1, c1 - 1)
        for r in range(r1 - 1, min(r2, limit + MAX_HEADER_ROWS)):
            for c in range(c1 - 1, min(c2, c1 + 200)):
                out[(r, c)] = value
    return out


def _merge_top(raw: RawSheet, limit: int) -> dict[tuple[int, int], int]:
    """(row, col) 0-based → the 0-based first row of the merged range it is in."""
    out: dict[tuple[int, int], int] = {}
    for r1, c1, r2, c2 in raw.merges:
        if r1 > limit:
            continue
        for r in range(r1 - 1, min(r2, limit + MAX_HEADER_ROWS)):
            for c in range(c1 - 1, min(c2, c1 + 200)):
                out[(r, c)] = r1 - 1
    return out


def detect_header(
    raw: RawSheet,
    matcher: Matcher,
    *,
    rows: tuple[int, int] | None = None,
    scan: int = SCAN_ROWS,
    saved: Mapping[str, str] | None = None,
) -> HeaderInfo:
    """The header band of ``raw``; ``rows`` (1-based first, last) forces it. ImportFileError if none is found."""
    if not raw.rows or not any(raw.rows):
        raise ImportFileError(f"工作表“{raw.name}”是空的，没有任何内容。")
    limit = min(len(raw.rows), scan)
    merged = _merged_map(raw, limit)
    tops = _merge_top(raw, limit)

    def band(top: int, height: int) -> list[ColumnHeader]:
        # a merged cell counts only where its range starts inside the band (a title over everything does not)
        local = {k: v for k, v in merged.items() if top <= tops[k] < top + height}
        return _band_columns(raw, top, height, local)

    if rows is not None:
        first, last = rows
        if not 1 <= first <= last <= len(raw.rows) or last - first >= MAX_HEADER_ROWS + 2:
            raise ImportFileError(f"表头行 {first}–{last} 不在工作表的范围内。")
        cols = band(first - 1, last - first + 1)
        n, _q = matcher.score(cols)
        return _finish(raw, first - 1, last - first + 1, cols, n)

    best: tuple[tuple[int, int, int, int], int, int, list[ColumnHeader]] | None = None
    for top in range(limit):
        row = raw.rows[top]
        texts = [v for v in row if _text_or_none(v) is not None]
        if len(texts) < 1:
            continue
        for height in range(1, MAX_HEADER_ROWS + 1):
            if top + height > len(raw.rows):
                break
            if height > 1:
                below = raw.rows[top + height - 1]
                # header rows hold labels: a row of numbers or dates is data, not a second header row
                if sum(1 for v in below if _is_dataish(v)) > max(1, len([v for v in below if v is not None]) // 3):
                    break
            cols = band(top, height)
            n, q = matcher.score(cols, saved)
            key = (n, q, -height, -top)
            if best is None or key > best[0]:
                best = (key, top, height, cols)
    if best is None or best[0][0] < 2:
        raise ImportFileError(
            f"在工作表“{raw.name}”的前 {limit} 行中没有找到可识别的表头（如“申请人”“被申请人”“收到申请日期”）。"
            "请检查是否选错了工作表；也可以在导入向导中手动指定表头所在的行。"
        )
    _key, top, height, cols = best
    return _finish(raw, top, height, cols, best[0][0])


def _finish(raw: RawSheet, top: int, height: int, cols: list[ColumnHeader], score: int) -> HeaderInfo:
    data_start = top + height
    if data_start < len(raw.rows) and _is_number_row(raw.rows[data_start]):
        data_start += 1
    title = []
    for r in range(top):
        title.extend(str(v).strip() for v in raw.rows[r] if isinstance(v, str) and v.strip())
    return HeaderInfo(top + 1, top + height, data_start + 1, [c for c in cols if c.parts or c.hidden], score, title)


def _is_number_row(row: tuple[Any, ...]) -> bool:
    """A row of column numbers under a header: 1 2 3 …, (1) (2) …, 甲 乙 …, A B C …"""
    cells = [v for v in row if v is not None]
    if len(cells) < 3:
        return False
    ints = [v for v in cells if isinstance(v, int) and not isinstance(v, bool)]
    if len(ints) == len(cells):
        return ints == list(range(ints[0], ints[0] + len(ints)))
    texts = [norm_label(v) for v in cells if isinstance(v, str)]
    return len(texts) == len(cells) and all(_HEADER_NUMBER_RE.fullmatch(t.upper()) for t in texts)
