"""The statistics table (forms.md §7.1) with its balance check, the amounts it prints (:func:`printed_money`),
and the numbers behind each chart (:func:`chart_table`). Pure functions of the figures of
:func:`app.services.stats.compute`.

Amounts that add up (Issue 12 item 4). Money is summed in 分 (integers, in SQL) and converted to 万元 once,
when printed, to the hundredth (0.01 万元 = 10,000 分). A statistics table export shows the same amount in
several places that a reader adds up: the organizations' columns and 合计 (``by_org``), and the sheets of the
quarters (or months) and the sheet of the whole period. :func:`printed_money` therefore rounds them together:

* a total is printed as its own exact amount rounded half up — the figure the dashboard and a sheet exported
  alone show (:func:`app.services.formatting.wan_hundredths`);
* its parts are each their exact amount rounded down or up (never further than 0.01 万元 from it), chosen
  so that the printed parts add up to the printed total: largest remainder
  (:func:`app.services.formatting.apportion_wan`) when the parts run one way;
* with organizations *and* periods (a table of organizations × quarters whose rows end in each
  organization's year figure and whose columns end in each quarter's 合计, all adding up to the year's
  合计) the same rule holds in both directions at once: every printed figure is its exact amount rounded
  down or up, the grand total rounded half up, every row and every column adds up, and of all such
  roundings the one with the smallest total rounding error is taken (which, in one direction, is exactly
  largest remainder). It is found as a minimum-cost flow (controlled rounding; such a rounding always
  exists for a two-way table);
* parts are only forced to a total when their exact amounts in 分 add up to it (periods that split the
  whole period, organizations that make up the scope); otherwise each figure is rounded on its own.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.services.stats.definitions import _rate, format_rate


def balance_check(figs: Mapping[str, Any]) -> dict[str, Any]:
    """上期未结 + 当期受理 = 调解结案 + 期末未结 (rows 1 + 2 = 22 + 28); cases not accepted are outside both
    sides and reported beside them. Also: the by-type and by-organization-kind rows sum to row 2."""
    left = figs["open_start"] + figs["accepted"]
    right = figs["closed"] + figs["open_end"]
    by_type = sum(r["cases"] for r in figs.get("by_type", []))
    by_kind = sum(r["accepted"] for r in figs.get("by_org_kind", []))
    outcome = figs["agreed"] + figs["settled_withdrawn"] + figs["withdrawn"] + figs["failed"] + figs["terminated"]
    ok = left == right and by_type == figs["accepted"] and by_kind == figs["accepted"] and outcome == figs["closed"]
    text = (
        f"上期未结 {figs['open_start']} + 当期受理 {figs['accepted']} = {left}；"
        f"调解结案 {figs['closed']} + 期末未结 {figs['open_end']} = {right}；"
        + ("平衡" if left == right else f"不平衡，相差 {left - right}")
        + f"。不予受理 {figs['rejected']} 件不计入受理数。"
    )
    return {"left": left, "right": right, "difference": left - right, "ok": ok,
            "by_type_total": by_type, "by_org_kind_total": by_kind, "outcome_total": outcome,
            "not_accepted": figs["rejected"], "text": text}


def load_table_spec() -> dict[str, Any]:
    """resources/templates/statistics-table.json: title, rows (with the codes of rows 6–21) and notes."""
    from app.core.paths import resource_path

    path = resource_path("templates", "statistics-table.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"找不到统计表配置文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"统计表配置文件 {path.name} 有误：{exc}") from None


def _codes_total(items: Iterable[Mapping[str, Any]], codes: Sequence[str] | None, count_key: str,
                 claimed: set[str]) -> int:
    """Sum of ``count_key`` over ``items`` whose code is in ``codes`` (None: every code not ``claimed``)."""
    if codes is None:
        return sum(int(i[count_key]) for i in items if i["code"] not in claimed)
    return sum(int(i[count_key]) for i in items if i["code"] in codes)


def table_rows(figs: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the 劳动人事争议调解情况统计表 (forms.md §7.1) for one set of figures.

    Each row: ``row`` (行次), ``label``, ``unit``, ``key`` (figure key or None), ``value`` (int, float rate,
    int 分 for money, or None for 「无」), ``kind`` ('count' / 'rate' / 'money' / 'days').
    Rows of type ``codes`` (by dispute type, by organization kind) sum the listed codes; a row with
    ``"codes": "rest"`` takes every code no other row of its group lists, so the group sums to row 2.
    """
    spec = spec or load_table_spec()
    out = []
    groups: dict[str, set[str]] = {}
    for r in spec["rows"]:
        if isinstance(r.get("codes"), list):
            groups.setdefault(r["group"], set()).update(r["codes"])
    for r in spec["rows"]:
        key = r.get("key")
        kind = r.get("kind", "count")
        if "group" in r:
            source = {"by_type": ("by_type", "cases"), "by_org_kind": ("by_org_kind", "accepted")}[r["group"]]
            codes = None if r["codes"] == "rest" else list(r["codes"])
            value: Any = _codes_total(figs[source[0]], codes, source[1], groups.get(r["group"], set()))
        elif "sum" in r:
            value = sum(int(figs[k]) for k in r["sum"])
        else:
            value = figs.get(key)
        out.append({"row": str(r["row"]), "label": r["label"], "unit": r.get("unit", ""), "key": key,
                    "value": value, "kind": kind})
    return out



# =============================================================================================
# Printed amounts that add up


def printed_money(grid: Sequence[Sequence[Mapping[str, Any]]],
                  keys: Iterable[str] = ("amount_claimed", "amount_agreed")) -> list[list[dict[str, int]]]:
    """The amounts of a statistics table export as printed, in hundredths of 万元 (see the module docstring).

    ``grid[s][c]`` are the figures of sheet ``s`` (0: the whole period; 1…: its quarters or months) and value
    column ``c`` (0: the total, 数值 or 合计; 1…: the organizations). Returns ``out[s][c][key]``.
    """
    from app.services.formatting import apportion_wan, wan_hundredths

    n_sheets, n_cols = len(grid), len(grid[0]) if grid else 0
    out: list[list[dict[str, int]]] = [[{} for _c in range(n_cols)] for _s in range(n_sheets)]
    for key in keys:
        v = [[int(grid[s][c].get(key) or 0) for c in range(n_cols)] for s in range(n_sheets)]
        p = [[wan_hundredths(x) for x in row] for row in v]
        periods_add = n_sheets > 2 and all(sum(v[s][c] for s in range(1, n_sheets)) == v[0][c]
                                           for c in range(n_cols))
        orgs_add = [n_cols > 2 and sum(row[1:]) == row[0] for row in v]
        if periods_add and n_cols > 2 and all(orgs_add):
            # rows: organizations; columns: periods; margins: the organizations' whole-period figures,
            # the periods' totals; corner: the whole period's total
            cells = [[v[s][c] for s in range(1, n_sheets)] for c in range(1, n_cols)]
            inner, row_tot, col_tot, grand = controlled_rounding(cells)
            p[0][0] = grand
            for i in range(n_cols - 1):
                p[0][1 + i] = row_tot[i]
                for j in range(n_sheets - 1):
                    p[1 + j][1 + i] = inner[i][j]
            for j in range(n_sheets - 1):
                p[1 + j][0] = col_tot[j]
        elif periods_add:
            for c in range(n_cols):
                for s, h in enumerate(apportion_wan([v[s][c] for s in range(1, n_sheets)], p[0][c]), 1):
                    p[s][c] = h
        else:
            for s in range(n_sheets):
                if orgs_add[s]:
                    p[s][1:] = apportion_wan(v[s][1:], p[s][0])
        for s in range(n_sheets):
            for c in range(n_cols):
                out[s][c][key] = p[s][c]
    return out


def controlled_rounding(cells: Sequence[Sequence[int]]) -> tuple[list[list[int]], list[int], list[int], int]:
    """Round a table of amounts in 分 (rows × columns) with its row totals, column totals and grand total to
    hundredths of 万元 so that everything adds up: each printed figure is its exact amount rounded down or
    up, the grand total rounded half up; among those roundings, the smallest sum of rounding errors.

    Returns (cells, row totals, column totals, grand total) in hundredths. A minimum-cost flow: source →
    row (its total), row → column (a cell), column → sink (its total); every cell, row and column is given
    its rounded-down amount first and the flow hands out the remaining hundredths, one per figure at most;
    a hundredth the rounded-down cells of a row (column) owe its rounded-down total must be handed out, the
    others cost ``step − 2·remainder`` (rounding up instead of down).
    """
    from app.services.formatting import WAN_STEP_FEN as step
    from app.services.formatting import wan_hundredths

    m = len(cells)
    k = len(cells[0]) if m else 0
    row_fen = [sum(r) for r in cells]
    col_fen = [sum(cells[i][j] for i in range(m)) for j in range(k)]
    grand = wan_hundredths(sum(row_fen))
    floor_cells = [[x // step for x in r] for r in cells]
    need = grand - sum(map(sum, floor_cells))

    src, sink = m + k, m + k + 1
    graph: list[list[list[int]]] = [[] for _ in range(m + k + 2)]  # edge: [to, capacity, cost, reverse index]
    big = step * (m + k + 4) * 4

    def arc(a: int, b: int, cap: int, cost: int) -> list[int]:
        edge = [b, cap, cost, len(graph[b])]
        graph[a].append(edge)
        graph[b].append([a, 0, -cost, len(graph[a]) - 1])
        return edge

    forced: list[list[int]] = []
    cell_arcs: dict[tuple[int, int], list[int]] = {}
    for i in range(m):
        owed = row_fen[i] // step - sum(floor_cells[i])
        if owed:
            forced.append(arc(src, i, owed, -big))
        if row_fen[i] % step:
            arc(src, i, 1, step - 2 * (row_fen[i] % step))
        for j in range(k):
            if cells[i][j] % step:
                cell_arcs[i, j] = arc(i, m + j, 1, step - 2 * (cells[i][j] % step))
    for j in range(k):
        owed = col_fen[j] // step - sum(floor_cells[i][j] for i in range(m))
        if owed:
            forced.append(arc(m + j, sink, owed, -big))
        if col_fen[j] % step:
            arc(m + j, sink, 1, step - 2 * (col_fen[j] % step))

    for _unit in range(need):  # successive shortest paths (Bellman-Ford queue: the costs may be negative)
        dist: list[float] = [float("inf")] * len(graph)
        prev: list[tuple[int, int] | None] = [None] * len(graph)
        dist[src] = 0
        queue, queued = deque([src]), [False] * len(graph)
        queued[src] = True
        while queue:
            a = queue.popleft()
            queued[a] = False
            for idx, (b, cap, cost, _r) in enumerate(graph[a]):
                if cap > 0 and dist[a] + cost < dist[b]:
                    dist[b] = dist[a] + cost
                    prev[b] = (a, idx)
                    if not queued[b]:
                        queued[b] = True
                        queue.append(b)
        if prev[sink] is None:
            raise ValueError("controlled rounding: no path (amounts inconsistent)")
        b = sink
        while b != src:
            a, idx = prev[b]  # type: ignore[misc]
            edge = graph[a][idx]
            edge[1] -= 1
            graph[b][edge[3]][1] += 1
            b = a
    if any(edge[1] for edge in forced):
        raise ValueError("controlled rounding: a total could not be reached")

    out = [[floor_cells[i][j] + (1 if (i, j) in cell_arcs and cell_arcs[i, j][1] == 0 else 0)
            for j in range(k)] for i in range(m)]
    rows = [sum(r) for r in out]
    cols = [sum(out[i][j] for i in range(m)) for j in range(k)]
    return out, rows, cols, grand


# =============================================================================================
# Charts: the numbers behind each one


CHART_KINDS: dict[str, str] = {
    "success-rate": "调解成功率趋势",
    "by-organization": "各调解组织调解成功率",
    "by-type": "按争议类型分的受理案件",
    "volume": "案件量与涉及劳动者人数",
    "on-time": "按期结案率",
    "volunteer-services": "各季度志愿服务情况",
}


def chart_table(figs: Mapping[str, Any], kind: str, granularity: str = "month") -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the numbers a chart draws (for the dashboard's table view and clipboard)."""
    s = figs["series"][granularity]
    if kind == "success-rate":
        return (["期间", "调解结案数", "调解成功数", "调解成功率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["success"], s["success_rate"], strict=True)])
    if kind == "on-time":
        return (["期间", "调解结案数", "按期结案数", "按期结案率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["on_time"], s["on_time_rate"], strict=True)])
    if kind == "volume":
        return (["期间", "收到申请", "受理", "调解结案", "涉及劳动者（人）"],
                [list(row) for row in zip(s["labels"], s["received"], s["accepted"], s["closed"], s["workers"],
                                          strict=True)])
    if kind == "by-organization":
        return (["调解组织", "组织类型", "受理数", "调解结案数", "调解成功数", "调解成功率"],
                [[r["name"], r["kind_label"], r["accepted"], r["closed"], r["success"], format_rate(r["success_rate"])]
                 for r in figs["by_organization"]])
    if kind == "by-type":
        total = figs["accepted"]
        return (["争议类型", "受理数", "占比", "涉及劳动者（人）"],
                [[r["label"], r["cases"], format_rate(_rate(r["cases"], total)), r["workers"]] for r in figs["by_type"]])
    if kind == "volunteer-services":
        return (["季度", "服务次数", "服务时长（小时）", "在册志愿者", "开展服务的志愿者", "未履职志愿者", "未履职名单"],
                [[q["label"], q["services"], q["service_hours"], q["volunteers"], q["volunteers_served"],
                  q["missed"], "、".join(q["missed_names"])] for q in figs.get("volunteer_quarters", [])])
    raise ValueError(f"未知的图表类型：{kind}（可用：{'、'.join(CHART_KINDS)}）")

