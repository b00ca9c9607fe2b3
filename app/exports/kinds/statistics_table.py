"""``statistics-table`` (alias ``statistics``): 劳动人事争议调解情况统计表 (XLSX, forms.md §7.1, MA1-style).

One sheet per period: the requested period first (a year, quarter, month or ``date_from``..``date_to``), then,
for a year, one sheet per quarter (``split=quarter``, the default) or per month (``split=month``;
``split=none`` for the first sheet only). Rows, their codes (rows 6–21) and the notes come from
``resources/templates/statistics-table.json``; every figure from :mod:`app.services.stats`, the one source
of the app's numbers. With ``by_org`` each organization in scope gets a column beside the total.

Under the rows, the balance checks (1 + 2 = 22 + 28; rows 6–15 and 16–21 each sum to row 2; 23 + 24 + 25 =
22) are written as Excel formulas per value column (「相符」/「不符」), followed by the same check computed
by the program, so a reader without formula evaluation sees it too. Rates are fractions formatted ``0.0%``;
a rate without a denominator is the text 「无」; amounts are 万元 with two decimals.

Amounts add up as printed (Issue 12 item 4): they are summed in 分 and converted to 万元 once; each total
(the period's 数值 / 合计) is its exact amount rounded half up, and the parts printed with it — the
organizations' columns, the quarter (month) sheets of a year — are rounded down or up by largest remainder
so that they add up to it, in both directions at once for organizations × quarters
(:func:`app.services.stats.tables.printed_money`). A part may therefore show 0.01 万元 less or more than the
same amount exported alone; a total never does.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from app.exports.case_data import parse_bool_param
from app.exports.registry import ExportError, ExportKind, ExportOption, ExportRequest, register

KIND_NAME = "statistics-table"
SPLITS = ("quarter", "month", "none")


def _int(params: Mapping[str, Any], name: str, label: str, lo: int, hi: int) -> int | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ExportError(f"{label}应为数字，而不是“{raw}”") from None
    if not lo <= value <= hi:
        raise ExportError(f"{label}应在 {lo}–{hi} 之间：{value}")
    return value


def _date(params: Mapping[str, Any], name: str, label: str) -> _dt.date | None:
    raw = params.get(name)
    if raw in (None, ""):
        return None
    if isinstance(raw, _dt.date):
        return raw
    from app.services.validation import ValidationError, parse_date

    try:
        return parse_date(str(raw), label)
    except ValidationError as exc:
        raise ExportError(str(exc)) from None



def periods_of(params: Mapping[str, Any], today: _dt.date | None = None) -> list[Any]:
    """The sheets' periods: the requested one, then its quarters or months (``split``)."""
    from app.services.stats import Period, period_from_args
    from app.services.validation import ValidationError

    try:
        main = period_from_args(
            _int(params, "year", "年度", 2000, 2100),
            _int(params, "quarter", "季度", 1, 4),
            _int(params, "month", "月份", 1, 12),
            _date(params, "date_from", "起始日期"),
            _date(params, "date_to", "截止日期"),
            today=today,
        )
    except ValidationError as exc:
        raise ExportError(str(exc)) from None
    split = str(params.get("split") or "quarter").strip().lower()
    if split not in SPLITS:
        raise ExportError(f"分表方式应为 quarter（每季度一张）、month（每月一张）或 none，而不是“{split}”")
    out = [main]
    if split == "quarter" and main.kind in ("year", "years", "custom") and len(main.quarters()) > 1:
        out += [Period.quarter(y, q) for y, q in main.quarters()]
    elif split == "month" and len(main.months()) > 1:
        out += [Period.month(y, m) for y, m in main.months()]
    return out


def _sheet_name(period: Any, used: set[str]) -> str:
    from app.services.formatting import QUARTER_NUMERALS

    if period.kind == "quarter":
        name = f"{period.start.year}年第{QUARTER_NUMERALS[(period.start.month - 1) // 3]}季度"
    elif period.kind in ("year", "years", "month"):
        name = period.label
    else:
        name = f"{period.start:%Y%m%d}-{period.end:%Y%m%d}"
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in name)[:31]
    base, n = name, 2
    while name in used:
        name = f"{base[:28]}({n})"
        n += 1
    used.add(name)
    return name


def _cell_value(row: Mapping[str, Any], printed: Mapping[str, int] | None = None) -> tuple[Any, str]:
    """(cell value, number format) of a table row's value; ``printed``: the amounts in hundredths of 万元
    as they are to be printed (:func:`~app.services.stats.tables.printed_money`), by figure key."""
    value, kind = row["value"], row["kind"]
    if value is None:
        return "无", "@"
    if kind == "rate":
        return float(value), "0.0%"
    if kind == "money":  # 分 → 万元, converted once
        from app.services.formatting import wan_hundredths

        hundredths = (printed or {}).get(row["key"])
        if hundredths is None:
            hundredths = wan_hundredths(int(value))
        return hundredths / 100, "#,##0.00"
    if isinstance(value, float):
        return value, "0.0"
    return int(value), "0"


def _write_sheet(wb, name: str, spec: Mapping[str, Any], period: Any, scope: Any,
                 columns: Sequence[tuple[str, Mapping[str, Any]]], header: Mapping[str, Any],
                 printed: Sequence[Mapping[str, int]] | None = None) -> dict[str, Any]:
    """One period's sheet; ``columns`` are (heading, figures) — the total first; ``printed`` the amounts per
    column as printed (hundredths of 万元, by key). Returns what was checked."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    from app.core.xlsx_cells import append_row, set_text
    from app.services.stats import balance_check, table_rows

    ws = wb.create_sheet(name)
    font, size = spec.get("font", "宋体"), float(spec.get("font_size", 11))
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name=font, size=size)
    bold = Font(name=font, size=size, bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)
    left = Alignment(horizontal="left", vertical="center", wrap_text=True)
    right = Alignment(horizontal="right", vertical="center")

    base_cols = spec["columns"]  # 行次 | 指标 | 单位 | 数值
    n_value = len(columns)
    ncols = 3 + n_value
    last = get_column_letter(ncols)
    widths = [c.get("width", 12) for c in base_cols[:3]] + [base_cols[3].get("width", 14)] + [
        spec.get("org_column_width", 12)
    ] * (n_value - 1)
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = w

    values = dict(header)
    values.update(period=period.label, scope="" if scope.kind == "all" else scope.label)
    from app.exports.xlsx_engine import BLANK_FILL_IN, _fill_placeholders

    append_row(ws, [_fill_placeholders(spec.get("title", ""), values, "")])  # data (unit, 简称) stays text
    ws["A1"].font = Font(name=spec.get("title_font", "黑体"), size=float(spec.get("title_size", 16)))
    ws["A1"].alignment = center
    ws.merge_cells(f"A1:{last}1")
    ws.row_dimensions[1].height = 32
    append_row(ws, [_fill_placeholders(spec.get("subtitle", ""), values, BLANK_FILL_IN)])
    ws["A2"].font = body
    ws["A2"].alignment = left
    ws.merge_cells(f"A2:{last}2")
    ws.row_dimensions[2].height = 22

    heads = [c["label"] for c in base_cols[:3]] + [h for h, _f in columns]
    append_row(ws, heads)  # an organization's 简称 such as "=HYPERLINK(…)" is a heading, never a formula
    for i in range(1, ncols + 1):
        cell = ws.cell(row=3, column=i)
        cell.font, cell.alignment, cell.border, cell.fill = bold, center, border, fill
    ws.row_dimensions[3].height = 36 if n_value > 1 else 22

    tables = [table_rows(figs, spec) for _h, figs in columns]
    excel_row: dict[str, int] = {}
    for idx, row in enumerate(tables[0]):
        r = 4 + idx
        excel_row[row["row"]] = r
        ws.cell(row=r, column=1, value=row["row"]).alignment = center
        set_text(ws.cell(row=r, column=2), row["label"]).alignment = left
        ws.cell(row=r, column=3, value=row["unit"]).alignment = center
        for j, table in enumerate(tables):
            value, fmt = _cell_value(table[idx], printed[j] if printed else None)
            cell = ws.cell(row=r, column=4 + j, value=value)
            cell.number_format = fmt
            cell.alignment = right if value != "无" else center
        for i in range(1, ncols + 1):
            c = ws.cell(row=r, column=i)
            c.border = border
            c.font = body
    r = 4 + len(tables[0])

    # balance checks: a formula per value column, then the program's own result
    checks = spec.get("checks") or []
    ws.cell(row=r, column=1, value="核对").alignment = center
    ws.cell(row=r, column=2, value="平衡关系（公式，“相符”为平衡）").alignment = left
    ws.cell(row=r, column=3, value="")
    for i in range(1, ncols + 1):
        c = ws.cell(row=r, column=i)
        c.font, c.border, c.fill = bold, border, fill
    checked = []
    for check in checks:
        r += 1
        set_text(ws.cell(row=r, column=2), check["label"]).alignment = left
        for j in range(n_value):
            col = get_column_letter(4 + j)
            lhs = ",".join(f"{col}{excel_row[x]}" for x in check["left"])
            rhs = ",".join(f"{col}{excel_row[x]}" for x in check["right"])
            cell = ws.cell(row=r, column=4 + j, value=f'=IF(SUM({lhs})=SUM({rhs}),"相符","不符")')
            cell.alignment = center
        for i in range(1, ncols + 1):
            c = ws.cell(row=r, column=i)
            c.font, c.border = body, border
        by_row = {t["row"]: t["value"] for t in tables[0]}
        left_sum = sum(int(by_row[x] or 0) for x in check["left"])
        right_sum = sum(int(by_row[x] or 0) for x in check["right"])
        checked.append({"label": check["label"], "left": left_sum, "right": right_sum, "ok": left_sum == right_sum})
    balance = balance_check(columns[0][1])
    r += 1
    ws.cell(row=r, column=1, value="程序核对").alignment = center
    set_text(ws.cell(row=r, column=2), balance["text"]).alignment = left
    ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=ncols)
    ws.row_dimensions[r].height = 36
    for i in range(1, ncols + 1):
        c = ws.cell(row=r, column=i)
        c.font, c.border = body, border
    notes = list(spec.get("notes") or [])
    if columns[0][1].get("settlement_counts_as_success") is False:  # 业务规则: 和解撤回 is not a success
        notes = [n.replace("调解成功率 =（达成调解协议 + 达成和解后撤回）÷ 调解结案数",
                           "调解成功率 = 达成调解协议 ÷ 调解结案数（本表按业务规则，达成和解后撤回不计为调解成功）")
                 for n in notes]
    for note in notes:
        r += 1
        set_text(ws.cell(row=r, column=1), note).alignment = left
        ws.cell(row=r, column=1).font = Font(name=font, size=size - 1)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=ncols)
        chars = sum(2 if ord(ch) > 0x2E80 else 1 for ch in note)
        ws.row_dimensions[r].height = 15 * max(1, -(-chars // int(sum(widths) - 2)))

    ws.freeze_panes = "D4"
    ws.print_title_rows = "3:3"
    ws.page_setup.orientation = "portrait" if n_value <= 2 else "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1  # one period = one printed page, notes included
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
    ws.print_area = f"A1:{last}{r}"
    return {"sheet": name, "period": period.key, "checks": checked, "balance_ok": balance["ok"]}


def run_statistics_table(request: ExportRequest) -> Path:
    from openpyxl import Workbook

    from app.core.atomic import atomic_output
    from app.core.version import __version__
    from app.core.xlsx_cells import append_row
    from app.exports.xlsx_engine import MANIFEST_SHEET
    from app.services import stats
    from app.services.stats.tables import printed_money

    params = request.params
    today = params.get("today") if isinstance(params.get("today"), _dt.date) else _dt.date.today()
    periods = periods_of(params, today)
    by_org = parse_bool_param(params.get("by_org"), "按调解组织分列")
    try:
        spec = stats.load_table_spec()
    except ValueError as exc:
        raise ExportError(str(exc)) from None
    total_steps = len(periods)
    request.report(0, total_steps, "正在统计…")
    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    sheets = []
    with request.session_factory() as session:
        try:
            key = params.get("org") or params.get("scope")
            scope = stats.scope_from_key(session, str(key) if key not in (None, "") else None)
        except ValueError as exc:
            raise ExportError(str(exc)) from None
        orgs = []
        if by_org and scope.kind != "org":
            orgs = [(r[0], r[2] or r[1]) for r in stats._org_rows(session, scope)]
        header = {
            "unit": params.get("unit") or (scope.label if scope.kind == "org" else ""),
            "filler": params.get("filler") or "",
            "date": today,
        }
        grid: list[list[tuple[str, Mapping[str, Any]]]] = []
        for i, period in enumerate(periods):
            request.check_cancel()
            total = stats.compute_in(session, period, scope, today=today, volunteers=False)
            columns: list[tuple[str, Mapping[str, Any]]] = [("合计" if orgs else "数值", total)]
            for oid, name in orgs:
                figs = stats.compute_in(session, period, stats.Scope.organization(oid, name), today=today,
                                        volunteers=False)
                columns.append((name, figs))
            grid.append(columns)
            request.report(i + 1, total_steps, f"已统计 {period.label}")
    # the amounts as printed: parts (organizations, quarters) add up to their totals
    printed = printed_money([[figs for _h, figs in columns] for columns in grid])
    for period, columns, amounts in zip(periods, grid, printed, strict=True):
        sheets.append(_write_sheet(wb, _sheet_name(period, used), spec, period, scope, columns, header, amounts))
    ms = wb.create_sheet(MANIFEST_SHEET)
    ms.sheet_state = "hidden"
    info = {
        "kind": KIND_NAME,
        "template_version": str(spec.get("version", "1")),
        "app_version": __version__,
        "generated_at": _dt.datetime.now().astimezone().replace(microsecond=0).isoformat(),
        "scope": scope.key,
        "periods": ",".join(s["period"] for s in sheets),
        "sheets": ",".join(s["sheet"] for s in sheets),
        "balance_ok": "1" if all(s["balance_ok"] for s in sheets) else "0",
        "proposed": "1" if spec.get("proposed") else "0",
    }
    ms.append(["key", "value"])
    for key, value in info.items():
        append_row(ms, [key, value])
    request.report(total_steps, total_steps, "正在保存文件…")
    with atomic_output(request.out) as tmp:
        wb.save(str(tmp))
    return request.out


KIND = register(
    ExportKind(
        name=KIND_NAME,
        title="劳动人事争议调解情况统计表",
        fmt="xlsx",
        description="人社统MA1式统计表（forms.md §7.1）：上期未结、当期受理、按争议类型和组织类型分、结案方式、调解成功率、"
        "按期结案率、期末未结等，一期一张工作表（年度表后附各季度），表下以公式核对平衡关系。数字与统计图表页一致。",
        options=(
            ExportOption("year", "年度（默认今年）", kind="year"),
            ExportOption("quarter", "季度（只导出一个季度）", kind="quarter"),
            ExportOption("month", "月份 1–12（只导出一个月）", kind="int"),
            ExportOption("date_from", "起始日期（自定义统计期）", kind="date"),
            ExportOption("date_to", "截止日期（自定义统计期）", kind="date"),
            ExportOption("org", "调解组织（编号或名称；不填为全部）", kind="org"),
            ExportOption("by_org", "按调解组织分列", kind="bool"),
            ExportOption("split", "分表方式：quarter 每季度一张（默认）、month 每月一张、none 不分"),
            ExportOption("unit", "填报单位"),
            ExportOption("filler", "填报人"),
        ),
        run=run_statistics_table,
        aliases=("statistics",),
    )
)
