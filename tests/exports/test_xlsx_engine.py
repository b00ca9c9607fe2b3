"""The XLSX table engine: write ~1,200 rows, read them back cell by cell with openpyxl."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

openpyxl = pytest.importorskip("openpyxl")

from app.exports import CancelToken, ExportCancelled, ExportError  # noqa: E402
from app.exports.xlsx_engine import (  # noqa: E402
    MANIFEST_SHEET,
    TableConfig,
    load_table_config,
    read_manifest,
    write_table_xlsx,
)

ID_NUMBER = "11010519491231002X"
CREDIT_CODE = "91350100M000100Y43"
N_ROWS = 1200

CONFIG = {
    "kind": "test-roster",
    "version": "7",
    "proposed": True,
    "attachment": "附件2",
    "title": "{region}劳动争议当事人名册",
    "subtitle": "填报单位（盖章）：{org}  填报人：{filler}  填报日期：{date}",
    "sheet": "名册",
    "font": "宋体",
    "columns": [
        {"key": "seq", "label": "序号", "width": 6, "type": "int"},
        {"key": "name", "label": "姓名", "width": 10, "type": "text"},
        {"key": "id_number", "label": "公民身份号码", "width": 20, "type": "id"},
        {"key": "employer", "label": "用人单位", "width": 28, "type": "text"},
        {"key": "uscc", "label": "统一社会信用代码", "width": 20, "type": "code"},
        {"key": "claim_fen", "label": "请求金额（元）", "width": 14, "type": "money"},
        {"key": "agreed_fen", "label": "调解金额（元）", "width": 14, "type": "money"},
        {"key": "received_on", "label": "受理日期", "width": 12, "type": "date"},
        {"key": "ratio", "label": "到位率", "width": 8, "type": "percent"},
        {"key": "settled", "label": "是否调解成功", "width": 8, "type": "bool"},
        {"key": "remarks", "label": "备注", "width": 16, "type": "text"},
    ],
    "header_groups": [{"label": "金额", "columns": ["claim_fen", "agreed_fen"]}],
}
LABELS = [c["label"] for c in CONFIG["columns"]]


def make_rows(n: int = N_ROWS, on_row=None):
    for i in range(n):
        if on_row is not None:
            on_row(i)
        yield {
            "name": f"职工{i}",
            "id_number": ID_NUMBER if i == 0 else f"37030219900101{i % 1000:03d}1",
            "employer": "某某有限公司" if i % 2 else "淄博某某机械制造有限公司张店分公司（第二生产车间）",
            "uscc": CREDIT_CODE if i == 0 else "0000000000000000" + f"{i % 100:02d}",
            "claim_fen": 1234567 if i == 0 else i * 100,
            "agreed_fen": None if i % 3 else 100050,
            "received_on": dt.date(2024, 5, 6)
            if i == 0
            else dt.date(2024, 1, 1) + dt.timedelta(days=i % 300),
            "ratio": 0.5,
            "settled": i % 2 == 0,
            "remarks": {1: "=SUM(A1:A9)", 2: "含\x07控制字符", 3: "#N/A"}.get(i),
        }


@pytest.fixture(scope="module")
def config() -> TableConfig:
    return TableConfig.from_dict(CONFIG)


@pytest.fixture(scope="module")
def written(tmp_path_factory, config):
    out = tmp_path_factory.mktemp("xlsx") / "名册.xlsx"
    calls: list[tuple[int, int, str]] = []
    path = write_table_xlsx(
        out,
        config,
        make_rows(),
        header_values={
            "region": "淄博市张店区",
            "org": "张店区劳动人事争议调解中心",
            "date": dt.date(2024, 5, 6),
        },
        total=N_ROWS,
        progress=lambda d, t, s: calls.append((d, t, s)),
        manifest={"filter": "2024年", "count_hint": 3},
    )
    return path, calls


@pytest.fixture(scope="module")
def wb(written):
    return openpyxl.load_workbook(str(written[0]))


@pytest.fixture(scope="module")
def ws(wb):
    return wb["名册"]


FIRST_DATA_ROW = 6  # 附件 / title / subtitle / 2 header rows


def test_layout_rows_and_merged_title(ws):
    assert ws["A1"].value == "附件2"
    assert ws["A1"].font.name == "黑体" and ws["A1"].font.sz == 12
    assert ws["A2"].value == "淄博市张店区劳动争议当事人名册"
    assert ws["A2"].font.name == "黑体" and 16 <= ws["A2"].font.sz <= 18
    assert ws["A2"].alignment.horizontal == "center"
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "A2:K2" in merged and "A3:K3" in merged
    sub = ws["A3"].value
    assert "张店区劳动人事争议调解中心" in sub and "2024年5月6日" in sub
    assert "填报人：　" in sub  # a blank to fill in by hand


def test_two_level_header(ws):
    top = [ws.cell(4, c).value for c in range(1, 12)]
    bottom = [ws.cell(5, c).value for c in range(1, 12)]
    assert top[:5] == LABELS[:5] and top[5] == "金额" and top[6] is None and top[7:] == LABELS[7:]
    assert bottom[5:7] == ["请求金额（元）", "调解金额（元）"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert "F4:G4" in merged and "A4:A5" in merged and "K4:K5" in merged
    h = ws["A4"]
    assert h.font.b and h.alignment.horizontal == "center" and h.alignment.wrap_text
    assert h.fill.fgColor.rgb.endswith("DDEBF7")
    assert h.border.left.style == "thin" and ws["F5"].border.bottom.style == "thin"


def test_freeze_print_titles_and_page_setup(ws):
    assert ws.freeze_panes == f"A{FIRST_DATA_ROW}"
    assert ws.print_title_rows.replace("$", "") == "4:5"
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert int(ws.page_setup.fitToWidth) == 1 and int(ws.page_setup.fitToHeight) == 0
    assert "&P" in ws.oddFooter.center.text


def test_data_cells(ws):
    r = FIRST_DATA_ROW
    assert ws.max_row == FIRST_DATA_ROW + N_ROWS - 1
    assert [ws.cell(r + i, 1).value for i in range(3)] == [1, 2, 3]  # automatic 序号
    id_cell = ws.cell(r, 3)
    assert id_cell.value == ID_NUMBER and id_cell.data_type == "s" and id_cell.number_format == "@"
    code = ws.cell(r, 5)
    assert code.value == CREDIT_CODE and code.data_type == "s" and code.number_format == "@"
    zeros = ws.cell(r + 1, 5)
    assert zeros.value == "000000000000000001" and zeros.data_type == "s"  # leading zeros kept
    money = ws.cell(r, 6)
    assert money.value == pytest.approx(12345.67) and money.number_format == "#,##0.00"
    assert ws.cell(r, 7).value == pytest.approx(1000.50)
    assert ws.cell(r + 1, 7).value is None and ws.cell(r + 1, 7).border.left.style == "thin"
    date = ws.cell(r, 8)
    assert isinstance(date.value, dt.datetime) and date.value.date() == dt.date(2024, 5, 6)
    assert date.number_format == "yyyy-mm-dd"
    assert ws.cell(r, 9).value == 0.5 and ws.cell(r, 9).number_format == "0.0%"
    assert ws.cell(r, 10).value == "是" and ws.cell(r + 1, 10).value == "否"
    formula_like = ws.cell(r + 1, 11)
    assert formula_like.value == "=SUM(A1:A9)" and formula_like.data_type == "s"  # never a formula
    assert ws.cell(r + 2, 11).value == "含控制字符"  # illegal XML characters dropped
    error_like = ws.cell(r + 3, 11)
    assert error_like.value == "#N/A" and error_like.data_type == "s"  # text, not an Excel error value
    assert ws.cell(r + 4, 11).value is None and ws.cell(r + 4, 11).border.left.style == "thin"
    assert ws.cell(r, 2).font.name == "宋体" and ws.cell(r, 2).border.top.style == "thin"
    assert ws.cell(r, 4).alignment.wrap_text
    assert ws.row_dimensions[r].height and ws.row_dimensions[r].height > 15  # long 用人单位 wraps


def test_progress_reported(written):
    _path, calls = written
    done = [d for d, _t, _s in calls]
    assert calls[0][0] == 0
    assert 500 in done and 1000 in done
    assert calls[-1] == (N_ROWS, N_ROWS, "导出完成")
    assert all(t == N_ROWS for _d, t, _s in calls)
    assert all(isinstance(s, str) and s for _d, _t, s in calls)


def test_manifest_sheet_hidden_with_row_count(wb, written):
    ms = wb[MANIFEST_SHEET]
    assert ms.sheet_state == "hidden"
    assert wb.sheetnames[0] == "名册"
    entries = {row[0]: row[1] for row in ms.iter_rows(min_row=2, values_only=True)}
    assert entries["kind"] == "test-roster"
    assert entries["template_version"] == "7"
    assert entries["row_count"] == str(N_ROWS)
    assert entries["filter"] == "2024年" and entries["count_hint"] == "3"
    assert entries["app_version"] and entries["generated_at"][:2] == "20"  # a timestamp of this century, whatever today is
    assert read_manifest(written[0]) == entries


def _no_temp_files(folder: Path) -> bool:
    return not any(p.name.startswith(".~") for p in folder.iterdir())


def test_cancel_leaves_no_file(tmp_path, config):
    from openpyxl.worksheet import _writer

    before = {p for p in _writer.ALL_TEMP_FILES if os.path.exists(p)}
    token = CancelToken()
    out = tmp_path / "cancelled.xlsx"

    def on_row(i):
        if i == 600:
            token.cancel()

    with pytest.raises(ExportCancelled, match="导出已取消"):
        write_table_xlsx(out, config, make_rows(on_row=on_row), header_values={}, total=N_ROWS, cancel=token)
    assert not out.exists()
    assert _no_temp_files(tmp_path)
    after = {p for p in _writer.ALL_TEMP_FILES if os.path.exists(p)}
    assert after <= before  # openpyxl's own stream files cleaned up too


def test_cancel_keeps_existing_file(tmp_path, config):
    out = tmp_path / "existing.xlsx"
    out.write_bytes(b"previous export")
    token = CancelToken()
    token.cancel()
    with pytest.raises(ExportCancelled):
        write_table_xlsx(out, config, make_rows(5), header_values={}, total=5, cancel=token)
    assert out.read_bytes() == b"previous export"

    token2 = CancelToken()

    def on_row(i):
        if i == 3:
            token2.cancel()

    with pytest.raises(ExportCancelled):
        write_table_xlsx(out, config, make_rows(10, on_row=on_row), header_values={}, total=10, cancel=token2)
    assert out.read_bytes() == b"previous export"
    assert _no_temp_files(tmp_path)


def test_error_in_rows_keeps_existing_file(tmp_path, config):
    out = tmp_path / "existing.xlsx"
    out.write_bytes(b"previous export")

    def broken():
        yield from make_rows(3)
        raise RuntimeError("数据库连接中断")

    with pytest.raises(RuntimeError):
        write_table_xlsx(out, config, broken(), header_values={})
    assert out.read_bytes() == b"previous export"
    assert _no_temp_files(tmp_path)


def test_no_manifest_without_request_and_no_attachment_row(tmp_path):
    cfg = TableConfig.from_dict({**CONFIG, "attachment": None, "subtitle": None, "header_groups": []})
    out = write_table_xlsx(tmp_path / "plain.xlsx", cfg, make_rows(3))
    wb = openpyxl.load_workbook(str(out))
    assert wb.sheetnames == ["名册"]
    ws = wb["名册"]
    assert ws["A1"].value == "劳动争议当事人名册"  # missing {region} left out of the title
    assert [ws.cell(2, c).value for c in range(1, 12)] == LABELS
    assert ws.freeze_panes == "A3" and ws.print_title_rows.replace("$", "") == "2:2"
    assert read_manifest(out) is None


@pytest.mark.parametrize(
    "change, message",
    [
        ({"columns": [{"key": "a", "label": "甲", "type": "float"}]}, "类型"),
        ({"columns": [{"key": "a", "label": "甲"}, {"key": "a", "label": "乙"}]}, "重复"),
        ({"header_groups": [{"label": "x", "columns": ["seq", "id_number"]}]}, "相邻"),
        ({"header_groups": [{"label": "x", "columns": ["nope"]}]}, "不存在"),
        ({"sheet": "a/b"}, "工作表名"),
    ],
)
def test_bad_configs_are_rejected(change, message):
    with pytest.raises(ExportError, match=message):
        TableConfig.from_dict({**CONFIG, **change})


def test_organization_list_config_loads():
    cfg = load_table_config("organization-list")
    assert cfg.kind == "organization-list" and cfg.proposed
    assert [c.label for c in cfg.columns] == [
        "序号",
        "组织名称",
        "组织类型",
        "行政区划代码",
        "地址",
        "成立日期",
        "负责人",
        "联系电话",
        "专职调解员",
        "兼职调解员",
        "是否使用在线调解平台",
        "备注",
        "记录标识",
    ]
    uuid = cfg.columns[-1]
    assert uuid.key == "uuid" and uuid.hidden and uuid.width <= 10
    types = {c.key: c.type for c in cfg.columns}
    assert types["region_code"] == "code" and types["phone"] == "code" and types["founded_on"] == "date"
    with pytest.raises(ExportError, match="找不到"):
        load_table_config("no-such-template")


# --- the registry that export kinds plug into -----------------------------------------------------


def test_registry_register_lookup_and_run(tmp_path):
    from app.exports import (
        ExportKind,
        ExportOption,
        ExportRequest,
        all_kinds,
        get_kind,
        load_builtin_kinds,
        register,
        run_export,
        unregister,
    )

    def run(req: ExportRequest) -> Path:
        req.report(0, 1, "开始")
        req.check_cancel()
        out = write_table_xlsx(req.out, TableConfig.from_dict(CONFIG), make_rows(2), cancel=req.cancel)
        req.report(1, 1, "完成")
        return out

    kind = ExportKind(
        name="test-kind",
        title="测试名册",
        fmt="xlsx",
        description="测试用",
        options=(
            ExportOption("year", "年度", required=True, kind="year"),
            ExportOption("org", "调解组织", kind="org"),
        ),
        run=run,
        aliases=("测试",),
    )
    try:
        assert register(kind) is kind
        assert get_kind("test-kind") is kind and get_kind("测试") is kind
        assert kind in all_kinds() and kind.suffix == ".xlsx"
        with pytest.raises(KeyError, match="未知的导出类型：没有这种"):
            get_kind("没有这种")
        with pytest.raises(ValueError):
            register(ExportKind("other", "x", "xlsx", "", (), run, aliases=("测试",)))
        with pytest.raises(ExportError, match="缺少必填项：年度"):
            run_export("测试", ExportRequest(session_factory=None, out=tmp_path / "a.xlsx", params={}))
        calls = []
        req = ExportRequest(None, tmp_path / "a.xlsx", {"year": 2024}, progress=lambda *a: calls.append(a))
        assert run_export("test-kind", req) == tmp_path / "a.xlsx"
        assert calls[0] == (0, 1, "开始") and calls[-1] == (1, 1, "完成")
        token = CancelToken()
        token.cancel()
        with pytest.raises(ExportCancelled):
            run_export("test-kind", ExportRequest(None, tmp_path / "b.xlsx", {"year": 2024}, cancel=token))
        assert not (tmp_path / "b.xlsx").exists()
    finally:
        unregister("test-kind")
    with pytest.raises(KeyError):
        get_kind("测试")
    with pytest.raises(ValueError):
        ExportKind("bad", "x", "pdf", "", (), run)
    with pytest.raises(ValueError):
        ExportOption("x", "x", kind="float")
    load_builtin_kinds()  # importing whatever kinds exist must work
    load_builtin_kinds()
