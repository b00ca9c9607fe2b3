"""基础列表 (domain.md §5): the lists are edited in 设置; records keep their codes and show the new names."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from app.services import stats
from app.services.lists import ListService, list_entries
from app.services.validation import ValidationError
from db.lookups import CASE_SOURCE, DISPUTE_TYPE, SERVICE_ITEM, lookup_labels
from db.models import AuditEntry, Case
from tests.helpers import TODAY, open_copy


@pytest.fixture
def demo(tmp_path, demo_template):
    opened = open_copy(demo_template(seed=4, cases=300, today=TODAY), tmp_path / "lists.db")
    yield opened
    opened.engine.dispose()


def labels(db, category: str) -> list[str]:
    with db.session_factory() as s:
        return list(lookup_labels(s, category).values())


def test_entries_show_their_use(demo):
    with demo.session_factory() as s:
        entries = list_entries(s, DISPUTE_TYPE)
        direct = s.scalar(select(Case.id).where(Case.dispute_type_main == "02").limit(1))
    assert [e.label for e in entries] == labels(demo, DISPUTE_TYPE)
    pay = next(e for e in entries if e.code == "02")
    assert direct is not None and pay.uses > 0 and pay.seeded and not pay.deletable


def test_add_goes_before_other_and_gets_its_own_code(demo):
    service = ListService(demo.session_factory, user_login="clerk")
    code = service.add(DISPUTE_TYPE, "  新就业形态劳动者权益 ")
    assert code == "u01"
    assert labels(demo, DISPUTE_TYPE)[-2:] == ["新就业形态劳动者权益", "其他"]
    assert service.add(SERVICE_ITEM, "企业走访", after="lecture") == "u01"  # codes are per list
    assert labels(demo, SERVICE_ITEM)[:2] == ["普法讲座", "企业走访"]
    assert service.add(DISPUTE_TYPE, "竞业限制") == "u02"
    with demo.session_factory() as s:
        summaries = [a.summary for a in s.scalars(select(AuditEntry).where(AuditEntry.entity == "lookup"))]
    assert "争议类型：新增“新就业形态劳动者权益”" in summaries


@pytest.mark.parametrize(
    ("label", "message"),
    [("", "不能为空"), ("　", "不能为空"), ("超" * 31, "不能超过30个字"), ("劳动报酬", "已有“劳动报酬”"), ("劳动 报酬", "已有")],
)
def test_bad_names_are_refused_naming_the_field(demo, label, message):
    service = ListService(demo.session_factory)
    before = labels(demo, DISPUTE_TYPE)
    with pytest.raises(ValidationError) as err:
        service.add(DISPUTE_TYPE, label)
    assert err.value.field == "列表项名称" and message in err.value.message
    assert labels(demo, DISPUTE_TYPE) == before


def test_rename_changes_what_every_record_shows(demo):
    service = ListService(demo.session_factory)
    service.rename(CASE_SOURCE, "patrol", "主动排查化解")
    with demo.session_factory() as s:
        figs = stats.compute_in(s, stats.Period.years(2024, 2026), today=TODAY)
    assert any(r["label"] == "主动排查化解" for r in figs["by_source"])
    with pytest.raises(ValidationError, match="已有“当事人申请”"):
        service.rename(CASE_SOURCE, "patrol", "当事人申请")
    service.rename(CASE_SOURCE, "patrol", "主动排查化解")  # the same name again: nothing to do


def test_move_up_and_down_and_stop_at_the_ends(demo):
    service = ListService(demo.session_factory)
    first, second = labels(demo, CASE_SOURCE)[:2]
    assert service.move(CASE_SOURCE, "arbitration", -1)
    assert labels(demo, CASE_SOURCE)[:2] == [second, first]
    assert not service.move(CASE_SOURCE, "arbitration", -1)  # already first
    assert service.move(CASE_SOURCE, "arbitration", 1)
    assert labels(demo, CASE_SOURCE)[:2] == [first, second]


def test_delete_only_unused_added_entries(demo):
    service = ListService(demo.session_factory)
    with pytest.raises(ValidationError, match="统计口径使用的基本项"):
        service.delete(DISPUTE_TYPE, "99")
    code = service.add(DISPUTE_TYPE, "竞业限制")
    with demo.engine.begin() as con:  # one case now uses the new type
        con.execute(update(Case).where(Case.id == 1).values(dispute_type_main=code))
    with pytest.raises(ValidationError, match="已有1条记录使用“竞业限制”"):
        service.delete(DISPUTE_TYPE, code)
    unused = service.add(DISPUTE_TYPE, "待删除")
    service.delete(DISPUTE_TYPE, unused)
    assert "待删除" not in labels(demo, DISPUTE_TYPE)


def test_a_new_dispute_type_counts_in_the_tables_other_row(demo):
    service = ListService(demo.session_factory)
    code = service.add(DISPUTE_TYPE, "竞业限制")
    with demo.session_factory() as s:
        year = s.scalar(select(Case.accepted_on).where(Case.accepted_on.is_not(None)).order_by(Case.id)).year
        before = {r["row"]: r["value"] for r in stats.table_rows(stats.compute_in(s, stats.Period.year(year), today=TODAY))}
        case_id = s.scalar(select(Case.id).where(Case.accepted_on >= date(year, 1, 1), Case.accepted_on <= date(year, 12, 31),
                                                 Case.dispute_type_main == "02").limit(1))
    with demo.engine.begin() as con:
        con.execute(update(Case).where(Case.id == case_id).values(dispute_type_main=code))
    with demo.session_factory() as s:
        figs = stats.compute_in(s, stats.Period.year(year), today=TODAY)
    after = {r["row"]: r["value"] for r in stats.table_rows(figs)}
    assert after["7"] == before["7"] - 1 and after["15"] == before["15"] + 1  # 劳动报酬 → 其他
    assert sum(after[str(r)] for r in range(6, 16)) == after["2"]
    assert figs["balance"]["ok"]


def test_switched_off_entries_are_not_offered_but_keep_naming_records(demo):
    service = ListService(demo.session_factory, user_login="clerk")
    service.set_active(CASE_SOURCE, "patrol", False)
    with demo.session_factory() as s:
        assert "patrol" not in lookup_labels(s, CASE_SOURCE, active_only=True)
        assert lookup_labels(s, CASE_SOURCE)["patrol"] == "主动排查"  # old records are still named
        entry = next(e for e in list_entries(s, CASE_SOURCE) if e.code == "patrol")
        assert not entry.active
        assert s.scalar(select(AuditEntry.summary).where(AuditEntry.entity == "lookup")
                        .order_by(AuditEntry.id.desc())) == "案件来源：停用“主动排查”"
    for code in ("apply", "arbitration", "court"):
        service.set_active(CASE_SOURCE, code, False)
    with pytest.raises(ValidationError, match="至少要保留一个可选项"):
        service.set_active(CASE_SOURCE, "transfer", False)
    service.set_active(CASE_SOURCE, "patrol", True)
    with demo.session_factory() as s:
        assert list(lookup_labels(s, CASE_SOURCE, active_only=True)) == ["transfer", "patrol"]
