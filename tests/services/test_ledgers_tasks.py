"""重点任务清单 (issue 17 step 2): deadlines read from 完成时限, overdue / due soon, the 工作进展情况 DOCX and XLSX,
importing a city's task list and the export read back with 0 changes."""

from __future__ import annotations

from datetime import date

import openpyxl
import pytest
from docx import Document
from sqlalchemy import func, select

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.exports.xlsx_engine import read_manifest
from app.services.importing import ImportOptions, run_import
from app.services.ledgers import (
    ProgressInput,
    TaskInput,
    add_progress,
    due_soon_tasks,
    list_tasks,
    overdue_tasks,
    parse_deadline,
    progress_report,
    save_task,
)
from app.services.validation import ValidationError
from db.models import AuditEntry, KeyTask, KeyTaskProgress
from db.session import open_database

TODAY = date(2023, 9, 1)


@pytest.mark.parametrize("text, expected", [
    ("2023年6月30日前", date(2023, 6, 30)),
    ("2023年12月底前", date(2023, 12, 31)),
    ("2024年2月", date(2024, 2, 29)),
    ("2023年底前", date(2023, 12, 31)),
    ("2023年", date(2023, 12, 31)),
    ("2023年3月至2024年6月", date(2024, 6, 30)),
    ("长期坚持", None),
    ("持续推进", None),
    ("", None),
])
def test_deadline_text(text, expected):
    assert parse_deadline(text) == expected


@pytest.fixture
def db(tmp_path):
    opened = open_database(tmp_path / "tasks.db")
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def seed_tasks(db):
    with db.session_factory.begin() as s:
        late = save_task(s, TaskInput("1", "建立健全用人单位内部协商解决机制", category="强化协商和解", lead_unit="市人力资源社会保障局",
                                      partner_units="市总工会、市工商联", deadline_text="2023年6月底前", done_mark="出台工作指引"), user="t")
        done = save_task(s, TaskInput("2", "推进乡镇（街道）劳动人事争议调解组织建设", category="做实多元调解",
                                      lead_unit="各区县人力资源社会保障局", deadline_text="2023年8月31日前"), user="t")
        soon = save_task(s, TaskInput("3", "开展送法进企业活动", deadline_text="2023年9月20日前"), user="t")
        long = save_task(s, TaskInput("10", "强化争议监测预警排查工作", deadline_text="长期坚持"), user="t")
        add_progress(s, late.id, ProgressInput(date(2023, 5, 10), "起草内部协商工作指引征求意见稿", ["指引征求意见稿.docx"], percent=60))
        add_progress(s, done.id, ProgressInput(date(2023, 7, 1), "全市乡镇（街道）调解组织全部建成", ["建设情况统计表.xlsx", "照片.zip"],
                                               stage="已完成"))
        add_progress(s, soon.id, ProgressInput(date(2023, 8, 15), "已走访企业20家", percent=50))
        return late.id, done.id, soon.id, long.id


def test_overdue_in_service_and_report(db, tmp_path):
    late, done, soon, long = seed_tasks(db)
    with db.session_factory() as s:
        assert [t.id for t in overdue_tasks(s, TODAY)] == [late]
        assert [t.id for t in due_soon_tasks(s, TODAY)] == [soon]
        statuses = {t.id: t.status for t in list_tasks(s, TODAY)}
        assert statuses == {late: "overdue", done: "done", soon: "due_soon", long: "open" if False else "not_started"}
        assert [t.number for t in list_tasks(s, TODAY)] == ["1", "2", "3", "10"]
        # before its deadline the late task was not overdue
        assert overdue_tasks(s, date(2023, 6, 30)) == []
        rep = progress_report(s, date(2023, 7, 1), TODAY)
        assert rep.count("overdue") == 1 and rep.count("done") == 1
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "key_task")) == 7
    out = run_export("key-task-progress", ExportRequest(db.session_factory, tmp_path / "r.docx",
                                                        {"date_from": date(2023, 7, 1), "date_to": TODAY, "unit": "淄川区人力资源和社会保障局"}))
    text = "\n".join(p.text for p in Document(out).paragraphs)
    assert "重点任务工作进展情况" in text
    assert "已逾期未完成1项" in text and "已完成1项" in text
    overdue_part = text.split("逾期未完成的任务")[-1]
    assert "任务1（" in overdue_part and "任务2（" not in overdue_part
    assert "建设情况统计表.xlsx" in text  # evidence of an entry in the period
    sec = Document(out).sections[0]
    assert round(sec.page_width.mm) == 210 and round(sec.top_margin.mm) == 37


def test_add_progress_checks_input(db):
    late, *_ = seed_tasks(db)
    with pytest.raises(ValidationError, match="完成进度"), db.session_factory.begin() as s:
        add_progress(s, late, ProgressInput(TODAY, "做了", percent=120))
    with pytest.raises(ValidationError, match="工作进展"), db.session_factory.begin() as s:
        add_progress(s, late, ProgressInput(TODAY, "  "))
    with db.session_factory.begin() as s:
        entry = add_progress(s, late, ProgressInput(TODAY, "指引印发", percent=100))
        assert entry.final and entry.stage == "已完成"
    with db.session_factory() as s:
        assert overdue_tasks(s, TODAY) == []


def city_list(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["淄博市进一步加强劳动人事争议协商调解工作实施方案重点任务清单"])
    ws.append(["序号", "重点任务", "具体措施", "牵头单位", "配合(责任)单位", "完成时限"])
    ws.append([1, "加强源头治理", "常态化开展“送法进企业”活动", "市人力资源社会保障局", "市司法局、市总工会", "长期坚持"])
    ws.append([2, "做实多元调解", "建立健全劳动人事争议调解组织", "各区县人力资源社会保障局", "市司法局", "2023年12月底前"])
    ws.append([3, "加强保障", "将协商调解纳入政府购买服务指导性目录", "市人力资源社会保障局", "市财政局", "2023年6月30日前"])
    wb.save(path)
    return path


def data_rows(path):
    m = read_manifest(path)
    wb = openpyxl.load_workbook(path, read_only=True)
    try:
        ws = wb[m["sheet"]]
        return [r for r in ws.iter_rows(min_row=int(m["data_start_row"]), values_only=True) if any(v is not None for v in r)]
    finally:
        wb.close()


def test_import_city_list_and_round_trip(db, tmp_path):
    r = run_import(db.session_factory, city_list(tmp_path / "city.xlsx"), "key-tasks", ImportOptions(today=TODAY))
    assert r.committed and r.added == 3, [p.message for p in r.problems]
    with db.session_factory() as s:
        tasks = {t.number: t for t in s.scalars(select(KeyTask))}
        assert tasks["2"].deadline == date(2023, 12, 31) and tasks["1"].deadline is None
        assert tasks["3"].partner_units == "市财政局"
        add_progress(s, tasks["2"].id, ProgressInput(date(2023, 8, 1), "已建成调解组织12个", ["名单.xlsx"], percent=80))
        s.commit()
    out = run_export("key-task-list", ExportRequest(db.session_factory, tmp_path / "list.xlsx", {"date_to": TODAY}))
    rows = data_rows(out)
    assert [row[0] for row in rows] == ["1", "2", "3"]
    by_no = {row[0]: row for row in rows}
    assert by_no["2"][9] == "80%" and "已建成调解组织12个" in by_no["2"][8] and by_no["2"][11] == "名单.xlsx"
    assert by_no["3"][10] == "已逾期"
    # the export read back: nothing changes, no task added, progress untouched
    again = run_import(db.session_factory, out, "key-tasks", ImportOptions(today=TODAY))
    assert again.committed and (again.added, again.updated) == (0, 0) and again.unchanged == 3
    with db.session_factory() as s:
        assert s.scalar(select(func.count()).select_from(KeyTask)) == 3
        assert s.scalar(select(func.count()).select_from(KeyTaskProgress)) == 1
    # the city's list again matches the tasks by 序号 and 具体措施
    third = run_import(db.session_factory, city_list(tmp_path / "city2.xlsx"), "key-tasks", ImportOptions(today=TODAY))
    assert (third.added, third.updated, third.unchanged) == (0, 0, 3)
