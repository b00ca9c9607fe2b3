"""附件1–3 of the volunteer programme on the demo database, read back and checked against direct SQL."""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from sqlalchemy import text

from app.exports.registry import ExportError, ExportRequest, get_kind, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services import volunteers as V
from tests.helpers import open_copy

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 11, 24)
AS_OF = date(2026, 6, 30)

ROSTER_LABELS = [
    "序号", "志愿者姓名", "志愿者所在单位", "志愿者联系电话", "联系企业名称", "统一社会信用代码", "区（县）",
    "街道（乡镇）", "企业地址", "所属行业", "企业类型", "企业规模", "职工人数", "是否规模以上企业", "工会",
    "调解委员会", "姓名", "职务", "电话", "建立联系时间", "服务方式", "主要服务内容", "备注",
]
ROSTER_GROUPS = {7: "所在区（县）/街道（乡镇）", 12: "企业规模/职工人数", 15: "是否建立", 17: "企业联系人"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory, demo_template):
    opened = open_copy(demo_template(seed=1, cases=30, today=TODAY), tmp_path_factory.mktemp("vol-demo") / "demo.db")
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def export(db, kind: str, out: Path, **params) -> Path:
    return run_export(kind, ExportRequest(db.session_factory, out, params))


def sql(db, query: str, **binds):
    with db.engine.connect() as con:
        return con.execute(text(query), binds).all()


def doc_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts.extend(c.text for c in row.cells)
    return "\n".join(parts)


# --- 附件2 -------------------------------------------------------------------------------------------------


def active_pairs_sql(db, d: date) -> set[str]:
    """Independent of the service: contact active on d and its volunteer in the programme on d."""
    rows = sql(
        db,
        """SELECT vc.uuid FROM volunteer_contacts vc JOIN volunteers v ON v.id = vc.volunteer_id
           WHERE vc.from_date <= :d AND (vc.to_date IS NULL OR vc.to_date >= :d)
             AND (v.joined_on IS NULL OR v.joined_on <= :d) AND (v.left_on IS NULL OR v.left_on >= :d)""",
        d=d.isoformat(),
    )
    return {r[0] for r in rows}


def read_roster(path: Path):
    wb = openpyxl.load_workbook(path)
    ws = wb["联系企业名册"]
    header = next(r for r in range(1, 10) if ws.cell(r, 1).value == "序号")
    sub = [ws.cell(header + 1, c).value for c in range(1, 25)]
    top = [ws.cell(header, c).value for c in range(1, 25)]
    labels = [s if s else t for s, t in zip(sub, top, strict=True)]
    rows = []
    for r in range(header + 2, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            continue
        rows.append({("uuid" if label == "记录标识" else label): ws.cell(r, c).value for c, label in enumerate(labels, 1)})
    return ws, header, top, labels, rows


def test_enterprise_roster_one_row_per_active_pair(demo, tmp_path):
    out = export(demo, "enterprise-roster", tmp_path / "附件2.xlsx", as_of="2026-06-30", region="天津市",
                 unit="天津市劳动人事争议仲裁院")
    ws, header, top, labels, rows = read_roster(out)
    assert ws.cell(1, 1).value == "附件2"
    assert ws.cell(2, 1).value == "天津市青年仲裁员志愿者联系企业名册"
    assert "名册日期：2026年6月30日" in ws.cell(3, 1).value and "天津市劳动人事争议仲裁院" in ws.cell(3, 1).value
    assert labels[:23] == ROSTER_LABELS
    for col, label in ROSTER_GROUPS.items():
        assert top[col - 1] == label
    assert ws.column_dimensions["X"].hidden  # record uuid, for re-import
    expected = active_pairs_sql(demo, AS_OF)
    assert len(rows) == len(expected) > 50
    assert {r["uuid"] for r in rows} == expected
    assert [r["序号"] for r in rows] == list(range(1, len(rows) + 1))
    # a different date gives a different roster (contacts end, volunteers leave, new links start)
    early = active_pairs_sql(demo, date(2024, 3, 31))
    assert early != expected
    # cells: masked phones, text codes, dates, 是/否
    first = rows[0]
    assert "****" in first["志愿者联系电话"]
    assert first["电话"] is None or "****" in first["电话"]
    assert len(first["统一社会信用代码"]) == 18
    assert isinstance(first["建立联系时间"], datetime)
    assert first["工会"] in ("是", "否")
    with demo.session_factory() as s:
        sample = s.execute(V.active_pairs_query(AS_OF)).first()
        c, v, e = sample
    row = next(r for r in rows if r["uuid"] == c.uuid)
    assert (row["志愿者姓名"], row["联系企业名称"], row["统一社会信用代码"]) == (v.name, e.name, e.credit_code)
    assert row["建立联系时间"].date() == c.from_date
    manifest = read_manifest(out)
    assert manifest["kind"] == "enterprise-roster" and manifest["as_of"] == "2026-06-30"
    assert int(manifest["row_count"]) == len(expected)


def test_enterprise_roster_full_info_and_date_to(demo, tmp_path):
    out = export(demo, "enterprise-roster", tmp_path / "full.xlsx", date_to=date(2025, 12, 31), full_info=True)
    _ws, _h, _t, _labels, rows = read_roster(out)
    assert {r["uuid"] for r in rows} == active_pairs_sql(demo, date(2025, 12, 31))
    assert all("*" not in (r["志愿者联系电话"] or "") for r in rows)
    with pytest.raises(ExportError, match="名册日期"):
        export(demo, "enterprise-roster", tmp_path / "bad.xlsx", as_of="2026-13-45")


# --- 附件3 -------------------------------------------------------------------------------------------------


def direct_figures(db, year: int, q: int) -> dict[str, int]:
    """The statistics table counted straight from the tables, without the service."""
    start, end = (date(year, 3 * q - 2, 1), date(year, 3 * q, 30 if q in (2, 3) else 31))
    b = {"s": start.isoformat(), "e": end.isoformat()}
    rec = "FROM service_records WHERE served_on BETWEEN :s AND :e"
    training = "('lecture','case_talk','salon','online','policy','training')"

    def one(q_: str) -> int:
        return int(sql(db, q_, **b)[0][0] or 0)

    in_prog = ("(v.joined_on IS NULL OR v.joined_on <= :e) AND (v.left_on IS NULL OR v.left_on >= :e)")
    return {
        "visits": one(f"SELECT COUNT(*) {rec}"),
        "trainings": one(f"SELECT COUNT(*) {rec} AND item IN {training}"),
        "trainees": one(f"SELECT SUM(people_reached) {rec} AND item IN {training}"),
        "consultations": one(f"SELECT SUM(consultations) {rec}"),
        "materials": one(f"SELECT SUM(materials) {rec}"),
        "risk_checks": one("SELECT COUNT(*) FROM service_record_enterprises x JOIN service_records r "
                           "ON r.id = x.service_record_id WHERE r.served_on BETWEEN :s AND :e AND r.item = 'checkup'"),
        "risks_found": one(f"SELECT SUM(risks_found) {rec}"),
        "suggestions": one(f"SELECT SUM(suggestions) {rec}"),
        "cttees_established": one(f"SELECT SUM(committees_established) {rec}"),
        "disputes_resolved": one(f"SELECT SUM(disputes_resolved) {rec}"),
        "disputes_workers": one(f"SELECT SUM(dispute_workers) {rec}"),
        "disputes_amount": one(f"SELECT SUM(dispute_amount_fen) {rec}"),
        "publicity": one(f"SELECT SUM(publicity) {rec}"),
        "minutes": one("SELECT SUM(r.minutes) FROM service_record_volunteers x JOIN service_records r "
                       "ON r.id = x.service_record_id WHERE r.served_on BETWEEN :s AND :e"),
        "people_reached": one(f"SELECT SUM(people_reached) {rec}"),
        "volunteers_total": one(f"SELECT COUNT(*) FROM volunteers v WHERE {in_prog}"),
        "volunteers_new": one("SELECT COUNT(*) FROM volunteers WHERE joined_on BETWEEN :s AND :e"),
        "ents_total": one("SELECT COUNT(DISTINCT c.enterprise_id) FROM volunteer_contacts c JOIN volunteers v "
                          "ON v.id = c.volunteer_id WHERE c.from_date <= :e AND (c.to_date IS NULL OR c.to_date >= :e) "
                          f"AND {in_prog}"),
    }


def stats_table(path: Path) -> dict[str, str]:
    doc = Document(str(path))
    table = next(t for t in doc.tables if t.rows[0].cells[1].text.replace("　", "") == "指标")
    return {row.cells[1].text: row.cells[3].text for row in table.rows[1:]}


@pytest.mark.parametrize(("year", "quarter"), [(2026, 3), (2025, 4)])
def test_quarterly_summary_figures_equal_direct_counts(demo, tmp_path, year, quarter):
    svc = V.VolunteerService(demo.session_factory, clock=lambda: TODAY)
    svc.save_summary_texts(year, quarter, {
        "measures": "一是建立联系企业工作台账。\n二是开展“法律体检进企业”活动。",
        "problems": "个别志愿者服务频次不高。",
        "overview_note": "本季度新调整联系企业若干家。",
    })
    out = export(demo, "quarterly-summary", tmp_path / "附件3.docx", year=year, quarter=quarter,
                 signer="天津市劳动人事争议仲裁院", date=date(2026, 10, 9))
    expected = direct_figures(demo, year, quarter)
    assert expected["visits"] > 5
    table = stats_table(out)

    def num(label: str) -> str:
        return table[label].replace(",", "")

    by_label = {label: key for key, label, _unit in V.FIGURE_ROWS}
    for label, key in by_label.items():
        if key in ("disputes_amount", "hours", "ents_new"):
            continue
        assert int(num(label)) == expected[key], label
    assert num("其中：涉及金额") == f"{expected['disputes_amount'] / 1_000_000:.2f}"
    assert float(num("志愿服务时长（按人累计）")) == pytest.approx(round(expected["minutes"] / 60, 1))
    # the same numbers as quarter_figures (duty board, stats --json)
    with demo.session_factory() as s:
        figures = V.quarter_figures(s, year, quarter)
    assert all(figures[k] == v for k, v in expected.items())
    # 一、基本情况 from the data; the clerk's sections from ReportText, in order
    body = [p.text for p in Document(str(out)).paragraphs]
    joined = "\n".join(body)
    q_cn = "一二三四"[quarter - 1]
    assert f"天津市劳动人事争议仲裁院{year}年第{q_cn}季度" in joined
    assert "开展青年仲裁员志愿服务活动情况总结" in joined
    # several units and none chosen: the figures of them all, said as 「各单位」, never 「我单位」
    assert f"本季度，各单位共有青年仲裁员志愿者{expected['volunteers_total']}名" in joined
    assert "我单位" not in joined and "统计范围：各单位合计" in joined
    assert f"开展入企服务{expected['visits']}次" in joined
    assert "本季度新调整联系企业若干家。" in body
    i_measures = body.index("二、主要做法")
    assert body[i_measures + 1: i_measures + 3] == ["一是建立联系企业工作台账。", "二是开展“法律体检进企业”活动。"]
    assert body.index("五、存在的问题") < body.index("个别志愿者服务频次不高。") < body.index("六、下一步工作打算")
    assert "2026年10月9日" in body
    assert not any("{{" in p or "{%" in p for p in body)


def test_quarterly_summary_unit_scope_and_errors(demo, tmp_path):
    with demo.session_factory() as s:
        unit = V.list_units(s)[1]
        scoped = V.quarter_figures(s, 2026, 3, unit=unit)
    out = export(demo, "quarterly-summary", tmp_path / "unit.docx", year="2026", quarter="3", unit=unit)
    assert int(stats_table(out)["入企服务次数"]) == scoped["visits"]
    assert f"统计范围：{unit}" in doc_text(out)
    assert f"本季度，我单位共有青年仲裁员志愿者{scoped['volunteers_total']}名" in doc_text(out)
    with pytest.raises(ExportError, match="缺少必填项"):
        export(demo, "quarterly-summary", tmp_path / "x.docx", year=2026)
    with pytest.raises(ExportError, match="没有工作单位为“不存在的单位”的志愿者"):
        export(demo, "quarterly-summary", tmp_path / "x.docx", year=2026, quarter=1, unit="不存在的单位")
    with pytest.raises(ExportError, match="季度应在1–4之间"):
        export(demo, "quarterly-summary", tmp_path / "x.docx", year=2026, quarter=5)


# --- 附件1 -------------------------------------------------------------------------------------------------


def test_volunteer_form_one_volunteer_fields_filled(demo, tmp_path):
    with demo.session_factory() as s:
        vol = s.execute(text("SELECT id, name, gender, birth_date, unit, id_number, category FROM volunteers "
                             "WHERE status = 'active' ORDER BY id LIMIT 1")).one()
    out = export(demo, "volunteer-form", tmp_path / "附件1.docx", volunteer=vol.name, date=date(2026, 3, 18))
    content = doc_text(out)
    birth = date.fromisoformat(str(vol.birth_date))
    for value in (vol.name, vol.gender, f"{birth.year}.{birth.month:02d}", vol.unit, vol.category,
                  "青年仲裁员志愿者报名推荐表", "附件1", "填表日期：2026年3月18日"):
        assert value in content, value
    assert vol.id_number[:6] + "********" + vol.id_number[-4:] in content  # masked by default
    assert "{{" not in content and "{%" not in content
    full = export(demo, "volunteer-form", tmp_path / "full.docx", volunteer=str(vol.id), full_info=True)
    assert vol.id_number in doc_text(full)
    with pytest.raises(ExportError, match="找不到“无此人”"):
        export(demo, "volunteer-form", tmp_path / "none.docx", volunteer="无此人")


def test_volunteer_form_all_volunteers_with_page_breaks(demo, tmp_path):
    out = export(demo, "volunteer-form", tmp_path / "all.docx", date=TODAY.isoformat())  # 填表日期: who is in by then
    active = sql(demo, "SELECT name FROM volunteers WHERE status = 'active' AND (joined_on IS NULL OR joined_on <= :d)",
                 d=TODAY.isoformat())
    doc = Document(str(out))
    titles = [p for p in doc.paragraphs if p.text == "青年仲裁员志愿者报名推荐表"]
    assert len(titles) == len(active) == len(doc.tables)
    breaks = doc.element.body.xml.count('w:type="page"')
    assert breaks == len(active) - 1
    names = {t.rows[0].cells[1].text for t in doc.tables}
    assert names == {r[0] for r in active}
    everyone = export(demo, "volunteer-form", tmp_path / "everyone.docx", all=True)
    assert len(Document(str(everyone)).tables) == sql(demo, "SELECT COUNT(*) FROM volunteers")[0][0]


def test_volunteer_form_renders_one_page_per_volunteer(demo, tmp_path):
    lo = pytest.importorskip("tests.lo")
    if not (lo.lo_available() and lo.poppler_available()):
        pytest.skip("LibreOffice / poppler not installed")
    with demo.session_factory() as s:
        names = [r[0] for r in s.execute(text("SELECT name FROM volunteers WHERE status='active' ORDER BY id LIMIT 3"))]
    out = tmp_path / "three.docx"
    export(demo, "volunteer-form", out, volunteer=names[0])
    pdf = lo.convert_to_pdf(out, tmp_path)
    assert lo.pdf_page_count(pdf) == 1
    sizes = lo.pdf_page_sizes_mm(pdf)
    assert abs(sizes[0][0] - 210) < 1 and abs(sizes[0][1] - 297) < 1


def test_cli_exports(demo, tmp_path):
    out = tmp_path / "季度总结.docx"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "export", "quarterly-summary", "--db", str(demo.path), "--year", "2026",
         "--quarter", "2", "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert out.exists() and "入企服务次数" in stats_table(out)
    roster = tmp_path / "名册.xlsx"
    proc = subprocess.run(
        [sys.executable, "-m", "app", "export", "enterprise-roster", "--db", str(demo.path), "--param",
         "as_of=2026-06-30", "--out", str(roster)],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert len(read_roster(roster)[4]) == len(active_pairs_sql(demo, AS_OF))


def test_kinds_registered():
    load_builtin_kinds()
    for name, fmt in (("volunteer-form", "docx"), ("enterprise-roster", "xlsx"), ("quarterly-summary", "docx")):
        assert get_kind(name).fmt == fmt
    assert {o.name for o in get_kind("quarterly-summary").options if o.required} == {"year", "quarter"}


def test_templates_are_generated_by_the_script(tmp_path):
    """tools/make_volunteer_templates.py reproduces the committed templates' text (tags included)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("mvt", ROOT / "tools" / "make_volunteer_templates.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    mod.OUT = tmp_path
    for build, name in ((mod.build_volunteer_form, "volunteer-form.docx"),
                        (mod.build_quarterly_summary, "quarterly-summary.docx")):
        fresh = build()
        committed = ROOT / "resources" / "templates" / name
        assert doc_text(fresh) == doc_text(committed)


def test_the_only_unit_is_the_default_unit(demo, tmp_path):
    """「我单位」 is the volunteers' unit (Volunteer.unit, seed 000): a database whose volunteers all belong to one
    unit reports for it without being told; with several units 附件3 says 「各单位」 and warns, 附件2 leaves
    填报单位 blank; 「全部」 asks for all units explicitly."""
    request = ExportRequest(demo.session_factory, tmp_path / "all.docx", {"year": 2026, "quarter": 2})
    run_export("quarterly-summary", request)
    assert any("各单位合计" in w for w in request.warnings)
    roster_request = ExportRequest(demo.session_factory, tmp_path / "all.xlsx", {"as_of": AS_OF})
    run_export("enterprise-roster", roster_request)
    ws = openpyxl.load_workbook(tmp_path / "all.xlsx").worksheets[0]
    assert "填报单位（盖章）：　" in ws.cell(3, 1).value  # blank to fill in, not every unit at once
    assert any("按单位分别导出" in w for w in roster_request.warnings)
    explicit = export(demo, "quarterly-summary", tmp_path / "explicit.docx", year=2026, quarter=2, unit="全部")
    assert "各单位共有" in doc_text(explicit)

    one = open_copy(Path(demo.path), tmp_path / "one.db")
    try:
        unit = "天津市和平区人力资源和社会保障局"
        with one.session_factory.begin() as s:
            s.execute(text("UPDATE volunteers SET unit = :u"), {"u": unit})
            figures = V.quarter_figures(s, 2026, 2)
        request = ExportRequest(one.session_factory, tmp_path / "one.docx", {"year": 2026, "quarter": 2})
        body = doc_text(run_export("quarterly-summary", request))
        assert f"本季度，我单位共有青年仲裁员志愿者{figures['volunteers_total']}名" in body
        assert f"{unit}2026年第二季度" in body.replace("\n", "") and f"统计范围：{unit}" in body  # title balanced
        assert not any("各单位" in w or "落款单位" in w for w in request.warnings)
        roster = export(one, "enterprise-roster", tmp_path / "one.xlsx", as_of=AS_OF)
        ws = openpyxl.load_workbook(roster).worksheets[0]
        assert f"填报单位（盖章）：{unit}" in ws.cell(3, 1).value
        assert read_manifest(roster)["volunteer_unit"] == unit
    finally:
        one.engine.dispose()


def test_enterprise_roster_names_districts_and_streets(demo, tmp_path):
    """区（县） and 街道（乡镇） are names: from the address, else from the codes (never a bare code)."""
    import re

    _ws, _h, _t, _labels, rows = read_roster(export(demo, "enterprise-roster", tmp_path / "r.xlsx", as_of=AS_OF))
    districts = {r["区（县）"] for r in rows}
    streets = {r["街道（乡镇）"] for r in rows}
    assert districts and not any(re.fullmatch(r"\d+", d or "") for d in districts), districts
    assert all(re.search(r"(区|县|旗)$", d) for d in districts), districts
    assert streets and not any(re.fullmatch(r"\d+", x or "") for x in streets), streets
    assert all(re.search(r"(街道|镇|乡)$|（\d{9}）$", x) for x in streets), streets
