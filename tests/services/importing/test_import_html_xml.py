"""The "Excel" files web systems and WPS really produce: an HTML table (GBK page of a 办案系统, Excel's own web
page with x:num and text classes), an XML Spreadsheet 2003 written by WPS, a WPS .et saved as BIFF — each
imported through the command line's entry and compared, row by row in the database, with the same ledger
saved as .xlsx. Files are made here, the way such systems write them."""

from __future__ import annotations

import io
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from app.services.importing import ImportFileError, ImportOptions, inspect_file, load_sheet, run_import
from app.services.importing.command import import_command
from app.services.importing.reader import open_source
from db.models import Case, CaseParty
from tests.import_helpers import ID_A, ID_B, fresh_db, id_no, save

DATA = Path(__file__).resolve().parents[2] / "data"
TODAY = date(2026, 6, 30)
ID_X = next(i for i in (id_no(f"12010419880808{n:03d}") for n in range(1000)) if i.endswith("X"))  # check char X
TITLE = "2024年劳动人事争议调解案件台账"
HEADER_1 = ["序号", "案件编号", "收到申请\n日期", "申请人", None, "被申请人", "争议类型", "请求事项", "请求金额（元）"]
HEADER_2 = [None, None, None, "姓名", "身份证号码", None, None, None, None]
ROWS = [
    [1, "2024-001", datetime(2024, 3, 9), "张三", ID_A, "天津某某科技有限公司", "拖欠工资", "支付拖欠工资\n支付加班费", 12000],
    [2, "2024-002", "2024年4月1日", "李四", ID_X, "天津甲乙餐饮管理有限公司", "经济补偿", "经济补偿金", 35000.5],
    [3, "2024-003", datetime(2024, 4, 8), "王五", ID_B, "天津丙丁物流有限公司", "工伤", None, 800],
]
TOTAL = ["合计", None, None, None, None, None, None, None, 47800.5]
MERGES = ["A1:I1", "A2:A3", "B2:B3", "C2:C3", "D2:E2", "F2:F3", "G2:G3", "H2:H3", "I2:I3"]


def ledger_xlsx(path: Path) -> Path:
    return save([[TITLE], HEADER_1, HEADER_2, *ROWS, TOTAL], path, merges=MERGES)


HTML_HEADER = """
<tr><td colspan="9" align="center"><b>{title}</b></td></tr>
<tr><th rowspan="2">序号</th><th rowspan="2">案件编号</th><th rowspan="2">收到申请<br>日期</th>
    <th colspan="2">申请人</th><th rowspan="2">被申请人</th><th rowspan="2">争议类型</th>
    <th rowspan="2">请求事项</th><th rowspan="2">请求金额（元）</th></tr>
<tr><th>姓名</th><th>身份证号码</th></tr>
"""


def system_html(path: Path) -> Path:
    """A provincial 办案系统's export: GBK, declared by http-equiv, a search-criteria table above, all text."""
    text = 'style="vnd.ms-excel.numberformat:@"'
    page = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>案件台账</title></head><body>
<table><tr><td>查询条件：收案日期 2024-01-01 至 2024-12-31</td></tr></table>
<table border="1">{HTML_HEADER.format(title=TITLE)}
<tr><td>1</td><td>2024-001</td><td>2024-03-09</td><td>张三</td><td {text}>{ID_A}</td>
    <td>天津某某科技有限公司</td><td>拖欠工资</td><td>支付拖欠工资<br/>
    支付加班费</td><td>12,000.00</td></tr>
<tr><td>2</td><td>2024-002</td><td>2024年4月1日</td><td>李四</td><td style='mso-number-format:"\\@"'>{ID_X}</td>
    <td>天津甲乙餐饮管理有限公司</td><td>经济补偿</td><td>经济补偿金</td><td>35,000.50</td></tr>
<tr><td>3</td><td>2024-003</td><td>2024/4/8</td><td>王五</td><td class="id" {text}>{ID_B}</td>
    <td>天津丙丁物流有限公司</td><td>工伤</td><td>&nbsp;</td><td>800</td></tr>
<tr><td>合计</td><td></td><td></td><td></td><td></td><td></td><td></td><td></td><td>47,800.50</td></tr>
</table></body></html>"""
    path.write_bytes(page.encode("gbk"))
    return path


def excel_html(path: Path) -> Path:
    """Excel's own "web page" (what many systems copy): UTF-8, x:num numbers, a text class for the ID column."""
    page = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:x="urn:schemas-microsoft-com:office:excel"
xmlns="http://www.w3.org/TR/REC-html40"><head><meta charset="utf-8">
<style>
<!--.xl65 {{mso-number-format:"\\@"; font-size:11pt}}
.xl66, .xl67 {{mso-number-format:"yyyy\\/m\\/d";}}-->
</style>
<!--[if gte mso 9]><xml><x:ExcelWorkbook><x:ExcelWorksheets><x:ExcelWorksheet><x:Name>台账</x:Name>
</x:ExcelWorksheet></x:ExcelWorksheets></x:ExcelWorkbook></xml><![endif]-->
</head><body><table x:str>{HTML_HEADER.format(title=TITLE)}
<tr><td x:num>1</td><td>2024-001</td><td class="xl66" x:num="45360">2024/3/9</td><td>张三</td><td class="xl65">{ID_A}</td>
<td>天津某某科技有限公司</td><td>拖欠工资</td><td>支付拖欠工资<br style="mso-data-placement:same-cell">支付加班费</td>
<td x:num="12000">12,000</td></tr>
<tr><td x:num>2</td><td>2024-002</td><td>2024年4月1日</td><td>李四</td><td class="xl65" x:num="1">{ID_X}</td>
<td>天津甲乙餐饮管理有限公司</td><td>经济补偿</td><td>经济补偿金</td><td x:num="35000.5">35,000.50</td></tr>
<tr><td x:num>3</td><td>2024-003</td><td class="xl67" x:num="45390">2024/4/8</td><td>王五</td><td class="xl65">{ID_B}</td>
<td>天津丙丁物流有限公司</td><td>工伤</td><td></td><td x:num>800</td></tr>
<tr><td>合计</td><td colspan="7"></td><td x:num="47800.5">47,800.50</td></tr>
</table></body></html>"""
    path.write_text(page, encoding="utf-8")
    return path


def wps_xml(path: Path) -> Path:
    """XML Spreadsheet 2003 as WPS writes it: KSOProductBuildVer, MergeAcross/MergeDown, ss:Index gaps, a date
    as DateTime, one as text, one as a Number in a date style; a hidden sheet after the ledger."""
    def cell(v, kind: str = "String", **attrs) -> str:
        extra = "".join(f' ss:{k}="{a}"' for k, a in attrs.items())
        return f'<Cell{extra}><Data ss:Type="{kind}">{v}</Data></Cell>'

    def row(*cells: str) -> str:
        return "<Row>" + "".join(cells) + "</Row>"

    down = {"MergeDown": 1, "StyleID": "s20"}
    rows = [
        row(cell(TITLE, MergeAcross=8)),
        row(cell("序号", **down), cell("案件编号", **down), cell("收到申请&#10;日期", **down), cell("申请人", MergeAcross=1),
            cell("被申请人", **down), cell("争议类型", **down), cell("请求事项", **down), cell("请求金额（元）", **down)),
        row(cell("姓名", Index=4), cell("身份证号码")),
        row(cell(1, "Number"), cell("2024-001"), cell("2024-03-09T00:00:00.000", "DateTime", StyleID="s50"), cell("张三"),
            cell(ID_A, StyleID="s51"), cell("天津某某科技有限公司"), cell("拖欠工资"), cell("支付拖欠工资&#10;支付加班费"),
            cell(12000, "Number")),
        row(cell(2, "Number"), cell("2024-002"), cell("2024年4月1日"), cell("李四"), cell(ID_X), cell("天津甲乙餐饮管理有限公司"),
            cell("经济补偿"), cell("经济补偿金"), cell(35000.5, "Number")),
        row(cell(3, "Number"), cell("2024-003"), cell(45390, "Number", StyleID="s52"), cell("王五"), cell(ID_B),
            cell("天津丙丁物流有限公司"), cell("工伤"), cell(800, "Number", Index=9)),
        row(cell("合计"), cell(47800.5, "Number", Index=9, Formula="=SUM(R[-3]C:R[-1]C)")),
    ]
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:html="http://www.w3.org/TR/REC-html40" xmlns:dt="uuid:C2F41010-65B3-11d1-A29F-00AA00C14882">
 <DocumentProperties xmlns="urn:schemas-microsoft-com:office:office"><Author>admin</Author>
  <Created>2024-05-06T08:00:00Z</Created></DocumentProperties>
 <CustomDocumentProperties xmlns="urn:schemas-microsoft-com:office:office">
  <KSOProductBuildVer dt:dt="string">2052-12.1.0.16120</KSOProductBuildVer></CustomDocumentProperties>
 <ExcelWorkbook xmlns="urn:schemas-microsoft-com:office:excel"><WindowWidth>28800</WindowWidth></ExcelWorkbook>
 <Styles>
  <Style ss:ID="Default" ss:Name="Normal"><Alignment ss:Vertical="Center"/><NumberFormat/></Style>
  <Style ss:ID="s20"><Alignment ss:Horizontal="Center" ss:WrapText="1"/></Style>
  <Style ss:ID="s50"><NumberFormat ss:Format="yyyy/m/d"/></Style>
  <Style ss:ID="s51"><NumberFormat ss:Format="@"/></Style>
  <Style ss:ID="s52" ss:Parent="s53"/>
  <Style ss:ID="s53"><NumberFormat ss:Format="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></Style>
 </Styles>
 <Worksheet ss:Name="台账"><Table ss:ExpandedColumnCount="9" ss:ExpandedRowCount="7" x:FullColumns="1"
  x:FullRows="1" ss:DefaultColumnWidth="54" ss:DefaultRowHeight="14.25">
  <Column ss:Index="2" ss:AutoFitWidth="0" ss:Width="80"/>
  {"".join(rows)}
 </Table><WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Selected/></WorksheetOptions></Worksheet>
 <Worksheet ss:Name="说明"><Table><Row><Cell><Data ss:Type="String">内部</Data></Cell></Row>
  <Row><Cell><Data ss:Type="String">内部</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
</Workbook>"""
    path.write_text(doc, encoding="utf-8")
    return path


def import_via_cli(tmp_path: Path, name: str, path: Path) -> tuple[list, list]:
    """Import ``path`` into a fresh database through the command line's entry; the rows it wrote."""
    opened = fresh_db(tmp_path / f"{name}.db")
    out, err = io.StringIO(), io.StringIO()
    try:
        code = import_command(opened.session_factory, "cases", path, out=out, err=err)
        assert code == 0, out.getvalue() + err.getvalue()
        return dump(opened)
    finally:
        opened.engine.dispose()


SKIP = {"id", "uuid", "created_at", "updated_at", "case_id", "enterprise_id"}  # differ between databases
CASE_COLS = [c.name for c in Case.__table__.columns if c.name not in SKIP]
PARTY_COLS = ["case_no"] + [c.name for c in CaseParty.__table__.columns if c.name not in SKIP]


def dump(opened) -> tuple[list, list]:
    """Every column of every case and party row (but keys and timestamps), sorted."""
    with opened.session_factory() as s:
        cases = sorted(tuple(getattr(c, k) for k in CASE_COLS) for c in s.scalars(select(Case)))
        parties = sorted(
            (p.case.case_no, *(getattr(p, k) for k in PARTY_COLS[1:])) for p in s.scalars(select(CaseParty))
        )
    return cases, parties


@pytest.mark.parametrize("maker, name", [(system_html, "网页导出.xls"), (excel_html, "网页.htm"), (wps_xml, "WPS导出.xls"),
                                         (wps_xml, "电子表格.xml")])
def test_same_ledger_as_xlsx(tmp_path, maker, name):
    expected = import_via_cli(tmp_path, "xlsx", ledger_xlsx(tmp_path / "台账.xlsx"))
    got = import_via_cli(tmp_path, "other", maker(tmp_path / name))
    cases, parties = got
    assert len(cases) == 3 and got == expected
    for col in range(len(CASE_COLS)):  # cell by cell, so that a failure names the column
        assert [c[col] for c in cases] == [c[col] for c in expected[0]], CASE_COLS[col]
    ids = {p[PARTY_COLS.index("id_number")] for p in parties}
    assert ids == {ID_A, ID_B, ID_X, None}  # respondents have none
    summaries = {c[CASE_COLS.index("case_no")]: c[CASE_COLS.index("claims_summary")] for c in cases}
    assert summaries["2024-001"] == "支付拖欠工资\n支付加班费"


def test_header_and_merges_as_in_a_workbook(tmp_path):
    with open_source(ledger_xlsx(tmp_path / "台账.xlsx")) as src:
        want = src.read()
    for path in (system_html(tmp_path / "a.xls"), excel_html(tmp_path / "b.html"), wps_xml(tmp_path / "c.xls")):
        with open_source(path) as src:
            raw = src.read()
        header_merges = sorted(m for m in raw.merges if m[0] <= 3)  # Excel's page also spans the 合计 row's blanks
        assert header_merges == sorted(want.merges), path.name
        assert raw.rows[1][2] == "收到申请\n日期" and raw.rows[0][0] == TITLE
        assert raw.rows[3][4] == ID_A and raw.rows[4][4] == ID_X  # text, all 18 characters
        plan = load_sheet(path, "cases")
        assert (plan.header.first_row, plan.header.last_row, plan.header.data_start) == (2, 3, 4)
        fields = {k: c.text for k, c in plan.mapped_fields().items()}
        assert fields["applicant_id"] == "申请人／身份证号码" and fields["applicant_name"] == "申请人／姓名"
    with open_source(wps_xml(tmp_path / "d.xml")) as src:
        raw = src.read()
    assert raw.rows[3][2] == datetime(2024, 3, 9) and raw.rows[5][2] == datetime(2024, 4, 8)
    assert raw.rows[5][7] is None and raw.rows[5][8] == 800 and raw.rows[4][8] == 35000.5


def test_format_names_and_sheets(tmp_path):
    info = inspect_file(system_html(tmp_path / "网页导出.xls"))
    assert (info.file_format, info.format_label, info.encoding) == ("html", "网页表格（HTML）", "GBK")
    # the one-row search-criteria table is no sheet to choose; the ledger table is the default
    assert [s.name for s in info.visible_sheets] == ["表格2"] and info.suggested_sheet() == "表格2"
    info = inspect_file(excel_html(tmp_path / "网页.htm"))
    assert info.format_label == "网页表格（HTML）" and [s.name for s in info.visible_sheets] == ["台账"]
    info = inspect_file(wps_xml(tmp_path / "WPS导出.xls"))
    assert (info.file_format, info.format_label) == ("xml", "XML 电子表格 2003")
    assert [s.name for s in info.visible_sheets] == ["台账"] and [s.name for s in info.sheets] == ["台账", "说明"]
    assert inspect_file(ledger_xlsx(tmp_path / "台账.xlsx")).format_label == "Excel 工作簿"
    plan = load_sheet(wps_xml(tmp_path / "x.xls"), "cases")
    assert plan.format_label == "XML 电子表格 2003"


def test_several_tables_choosable(tmp_path):
    path = tmp_path / "两张表.html"
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body>"
        "<table><caption>企业名单</caption><tr><td>企业名称</td><td>统一社会信用代码</td></tr>"
        "<tr><td>天津某某科技有限公司</td><td>91120101MA05KX8U1X</td></tr></table>"
        "<table><tr><td>收到申请日期</td><td>申请人</td><td>被申请人</td></tr>"
        "<tr><td>2024-05-06</td><td>张三</td><td>某公司</td></tr></table></body></html>", encoding="utf-8")
    assert [s.name for s in inspect_file(path).visible_sheets] == ["企业名单", "表格2"]
    db = fresh_db(tmp_path / "t.db")
    try:
        result = run_import(db.session_factory, path, "cases", ImportOptions(today=TODAY), sheet="表格2")
        assert result.added == 1
        with pytest.raises(ImportFileError, match="没有名为“表3”的工作表（有：企业名单、表格2）"):
            load_sheet(path, "cases", "表3")
    finally:
        db.engine.dispose()


def test_duplicates_across_formats(tmp_path):
    """The same rules as .xlsx: the XML file after the web page finds the same cases (by 案号), adds nothing."""
    db = fresh_db(tmp_path / "t.db")
    try:
        first = run_import(db.session_factory, system_html(tmp_path / "a.xls"), "cases", ImportOptions(today=TODAY))
        again = run_import(db.session_factory, wps_xml(tmp_path / "b.xls"), "cases", ImportOptions(today=TODAY))
        assert first.added == 3 and again.added == 0 and again.unchanged + again.updated == 3
        assert [(s.row, s.reason) for s in again.preview.skipped] == [(7, "total")]
    finally:
        db.engine.dispose()


def test_wps_et_files(tmp_path):
    """A .et saved as BIFF imports like the .xls it is; a .et that is really an .xlsx too; anything else: one line."""
    et = tmp_path / "台账.et"
    shutil.copy(DATA / "import_messy.xls", et)  # xlwt is no dependency: the repo's BIFF file under a WPS name
    assert inspect_file(et).format_label == "WPS 表格（.et）"
    assert import_via_cli(tmp_path, "et", et) == import_via_cli(tmp_path, "xls", DATA / "import_messy.xls")
    zipped = ledger_xlsx(tmp_path / "台账.xlsx").rename(tmp_path / "新台账.et")
    assert inspect_file(zipped).format_label == "WPS 表格（.et）"
    assert import_via_cli(tmp_path, "zip-et", zipped) == import_via_cli(tmp_path, "xlsx", ledger_xlsx(tmp_path / "b.xlsx"))
    other = tmp_path / "加密或新版.et"
    other.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    db = fresh_db(tmp_path / "t.db")
    try:
        err = io.StringIO()
        assert import_command(db.session_factory, "cases", other, out=io.StringIO(), err=err) == 2
        lines = [x for x in err.getvalue().splitlines() if x.strip()]
        assert len(lines) == 1 and "WPS 表格专用格式" in lines[0] and "另存为" in lines[0]
    finally:
        db.engine.dispose()


def test_what_cannot_be_read_says_what_it_is(tmp_path):
    def message(path: Path) -> str:
        with pytest.raises(ImportFileError) as info:
            inspect_file(path)
        return info.value.message

    broken = tmp_path / "坏.xls"
    broken.write_text(wps_xml(tmp_path / "w.xml").read_text(encoding="utf-8")[:1500], encoding="utf-8")
    assert "XML 电子表格 2003" in message(broken) and "已损坏" in message(broken)
    other = tmp_path / "其他.xls"
    other.write_text('<?xml version="1.0"?><root><a>1</a></root>', encoding="utf-8")
    assert "不是 Excel 的“XML 电子表格 2003”" in message(other)
    mht = tmp_path / "单个文件网页.xls"
    mht.write_text('MIME-Version: 1.0\nX-Document-Type: Workbook\nContent-Type: multipart/related; boundary="----="\n')
    assert "单个文件网页" in message(mht)
    empty_page = tmp_path / "空网页.xls"
    empty_page.write_text("<html><body><p>没有记录</p></body></html>", encoding="utf-8")
    assert "网页（HTML）格式" in message(empty_page) and "没有含数据的表格" in message(empty_page)


def test_xml_entities_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET", encoding="utf-8")
    path = tmp_path / "xxe.xls"
    path.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE Workbook [<!ENTITY xxe SYSTEM "{secret.as_uri()}"><!ENTITY a "aaaaaaaaaa">
<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="S"><Table><Row><Cell><Data ss:Type="String">&xxe;</Data></Cell><Cell><Data ss:Type="String">&c;</Data>
</Cell></Row></Table></Worksheet></Workbook>""", encoding="utf-8")
    try:
        with open_source(path) as src:
            cells = [str(v) for row in src.read().rows for v in row]
    except ImportFileError:
        return  # refused is as good as not resolved
    assert not any("TOPSECRET" in c or "aaaaaaaaaaaaaaaaaaaa" in c for c in cells)
