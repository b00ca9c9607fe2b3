"""Issue 12 item 4: printed amounts add up. A reader who adds the printed 万元 of the parts finds the printed
total — in the statistics table (the quarter or month sheets against the year's sheet), in its by-organization
form (the organizations' columns against 合计, on every sheet, and each organization's quarters against its
year), read back from the written XLSX with openpyxl. Totals are their own exact amount rounded half up (the
figure the dashboard shows); every part is within 0.01 万元 of its exact amount.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from app.demo import generate_demo
from app.exports.registry import ExportRequest, get_kind, load_builtin_kinds
from app.services import stats
from app.services.formatting import WAN_STEP_FEN, apportion_wan, fen_to_wan, wan_hundredths
from app.services.stats.tables import controlled_rounding, printed_money
from db.session import open_database

TODAY = date(2026, 6, 15)
MONEY_ROWS = {"27-1": "amount_claimed", "27-2": "amount_agreed"}
CENT = Decimal("0.01")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("add-up") / "demo.db"
    opened = open_database(path)
    generate_demo(opened.session_factory, seed=1, cases=1500, today=TODAY)
    yield opened
    opened.engine.dispose()


def export(demo, out: Path, **params) -> Path:
    load_builtin_kinds()
    params.setdefault("today", TODAY)
    return get_kind("statistics-table").run(ExportRequest(session_factory=demo.session_factory, out=out,
                                                          params=params))


def printed_amounts(path: Path) -> dict[str, dict[str, list[Decimal]]]:
    """{sheet: {figure key: [value column D, E, …]}} as printed (format #,##0.00), read back."""
    wb = openpyxl.load_workbook(path)
    out: dict[str, dict[str, list[Decimal]]] = {}
    for ws in wb.worksheets:
        if ws.title == "_manifest":
            continue
        sheet: dict[str, list[Decimal]] = {}
        for row in ws.iter_rows(min_row=4):
            key = MONEY_ROWS.get(str(row[0].value))
            if key is None:
                continue
            values = []
            for cell in row[3:]:
                assert cell.number_format == "#,##0.00"
                value = Decimal(str(cell.value))
                assert value == value.quantize(CENT), f"{ws.title}!{cell.coordinate} stores more than it prints"
                values.append(value)
            sheet[key] = values
        assert set(sheet) == set(MONEY_ROWS.values())
        out[ws.title] = sheet
    return out


def exact_wan(fen: int) -> Decimal:
    return Decimal(fen) / Decimal(1_000_000)


def test_year_and_quarters_add_up(demo, tmp_path):
    sheets = printed_amounts(export(demo, tmp_path / "年.xlsx", year=2025))
    names = list(sheets)
    assert names == ["2025年", "2025年第一季度", "2025年第二季度", "2025年第三季度", "2025年第四季度"]
    figs = stats.compute(demo.session_factory, stats.Period.year(2025), today=TODAY)
    for key in MONEY_ROWS.values():
        year = sheets[names[0]][key][0]
        assert year == fen_to_wan(figs[key])  # the total is the dashboard's figure
        assert sum(sheets[n][key][0] for n in names[1:]) == year, key
        for q, name in enumerate(names[1:], 1):
            exact = stats.compute(demo.session_factory, stats.Period.quarter(2025, q), today=TODAY)[key]
            assert abs(sheets[name][key][0] - exact_wan(exact)) < CENT


def test_year_and_months_add_up(demo, tmp_path):
    sheets = printed_amounts(export(demo, tmp_path / "月.xlsx", year=2025, split="month"))
    names = list(sheets)
    assert len(names) == 13
    for key in MONEY_ROWS.values():
        assert sum(sheets[n][key][0] for n in names[1:]) == sheets[names[0]][key][0], key


def test_by_organization_adds_up_both_ways(demo, tmp_path):
    sheets = printed_amounts(export(demo, tmp_path / "分组织.xlsx", year=2025, by_org="是"))
    names = list(sheets)
    assert len(names) == 5
    orgs = stats._org_rows(demo.session_factory(), stats.Scope.all())
    for key in MONEY_ROWS.values():
        for name in names:  # every sheet: the organizations add up to 合计
            total, *parts = sheets[name][key]
            assert len(parts) == len(orgs)
            assert sum(parts) == total, (name, key)
        for col in range(len(orgs) + 1):  # every column: the quarters add up to the year
            assert sum(sheets[n][key][col] for n in names[1:]) == sheets[names[0]][key][col], (key, col)
    # each printed part within 0.01 万元 of its exact amount; the year's 合计 its own rounding
    with demo.session_factory() as s:
        for key in MONEY_ROWS.values():
            year_total = stats.compute_in(s, stats.Period.year(2025), stats.Scope.all(), today=TODAY,
                                          volunteers=False)[key]
            assert sheets[names[0]][key][0] == fen_to_wan(year_total)
        for i, (oid, name, *_r) in enumerate(orgs, 1):
            for q, sheet in enumerate(names[1:], 1):
                figs = stats.compute_in(s, stats.Period.quarter(2025, q), stats.Scope.organization(oid, name),
                                        today=TODAY, volunteers=False)
                for key in MONEY_ROWS.values():
                    assert abs(sheets[sheet][key][i] - exact_wan(figs[key])) < CENT


def test_rounding_each_figure_alone_would_not_add_up(demo):
    """The demo data show the finding: rounded one by one, some parts miss their total by 0.01."""
    with demo.session_factory() as s:
        orgs = stats._org_rows(s, stats.Scope.all())
        periods = [stats.Period.year(2025)] + [stats.Period.quarter(2025, q) for q in range(1, 5)]
        grid = [[stats.compute_in(s, p, scope, today=TODAY, volunteers=False)
                 for scope in [stats.Scope.all()] + [stats.Scope.organization(o[0], o[1]) for o in orgs]]
                for p in periods]
    misses = 0
    for key in MONEY_ROWS.values():
        alone = [[wan_hundredths(col[key]) for col in row] for row in grid]
        misses += sum(1 for row in alone if sum(row[1:]) != row[0])
        misses += sum(1 for c in range(len(alone[0])) if sum(r[c] for r in alone[1:]) != alone[0][c])
        printed = printed_money(grid)
        assert all(sum(p[key] for p in row[1:]) == row[0][key] for row in printed)
    assert misses > 0


# --- the rounding itself -----------------------------------------------------------------------------------


def test_apportion_wan_largest_remainder():
    assert apportion_wan([5000, 5000, 5000]) == [1, 1, 0]  # 1.5 → 2 hundredths; ties: the earlier parts
    assert apportion_wan([14_999, 5_001]) == [1, 1]
    assert apportion_wan([123_450_000, 10_000]) == [12345, 1]
    assert apportion_wan([4_000, 4_000, 4_000]) == [1, 0, 0]  # 0.012 万元 → 0.01
    with pytest.raises(ValueError):
        apportion_wan([4_000, 4_000], 3)


def test_controlled_rounding_keeps_every_sum():
    rnd = random.Random(12)
    for _ in range(400):
        m, k = rnd.randint(1, 6), rnd.randint(1, 5)
        cells = [[rnd.choice([0, 5_000, 15_000, rnd.randint(0, 30_000), rnd.randint(0, 10**8)]) for _ in range(k)]
                 for _ in range(m)]
        out, rows, cols, grand = controlled_rounding(cells)
        assert grand == wan_hundredths(sum(map(sum, cells)))
        assert rows == [sum(r) for r in out] and cols == [sum(out[i][j] for i in range(m)) for j in range(k)]
        assert sum(rows) == grand == sum(cols)
        exact = [(cells[i][j], out[i][j]) for i in range(m) for j in range(k)]
        exact += [(sum(cells[i]), rows[i]) for i in range(m)]
        exact += [(sum(cells[i][j] for i in range(m)), cols[j]) for j in range(k)]
        for fen, printed in exact:  # rounded down or up, never further
            assert printed in (fen // WAN_STEP_FEN, -(-fen // WAN_STEP_FEN)), (cells, out)
