"""Pinyin sort keys of party names (db/sortkeys.py), and migration 0005 that fills them for old databases."""

from __future__ import annotations

import shutil
from datetime import date

from sqlalchemy import select, text

from app.demo import generate_demo
from db.models import Case, CaseParty
from db.session import SCHEMA_HEAD, open_database
from db.sortkeys import first_party, name_key

TODAY = date(2026, 6, 15)


def test_names_sort_as_in_a_dictionary():
    names = ["王五", "梁", "李四", "汪洋", "安然", "Ａ公司", "天津某某制造有限公司", "阿里"]
    ordered = sorted(names, key=name_key)
    assert ordered.index("李四") < ordered.index("梁")  # li si < liang
    assert ordered.index("安然") < ordered.index("李四") < ordered.index("天津某某制造有限公司") < ordered.index("王五")
    assert ordered.index("阿里") < ordered.index("安然")  # a li < an ran
    assert name_key("李四") == "li si|李四"
    assert name_key("  ") is None and name_key(None) is None


def test_the_service_keeps_the_keys_with_the_parties(tmp_path):
    opened = open_database(tmp_path / "keys.db")
    try:
        generate_demo(opened.session_factory, seed=9, cases=60, today=TODAY)
        with opened.session_factory() as s:
            for case in s.scalars(select(Case).limit(60)):
                applicant = first_party(case.parties, "applicant")
                respondent = first_party(case.parties, "respondent")
                assert case.applicant_key == name_key(applicant.name)
                assert case.respondent_key == name_key(respondent.name)
    finally:
        opened.engine.dispose()


def test_an_older_database_gets_its_keys_on_upgrade(tmp_path):
    opened = open_database(tmp_path / "old.db")
    generate_demo(opened.session_factory, seed=9, cases=80, today=TODAY)
    with opened.engine.begin() as con:  # make it a 0004 database: no key columns yet
        con.execute(text("DROP INDEX ix_cases_applicant_key"))
        con.execute(text("DROP INDEX ix_cases_respondent_key"))
        con.execute(text("ALTER TABLE cases DROP COLUMN applicant_key"))
        con.execute(text("ALTER TABLE cases DROP COLUMN respondent_key"))
        con.execute(text("UPDATE alembic_version SET version_num = '0004_volunteer_photo'"))
    opened.engine.dispose()
    shutil.copy(tmp_path / "old.db", tmp_path / "copy.db")
    upgraded = open_database(tmp_path / "copy.db")
    try:
        assert upgraded.upgraded_from == "0004_volunteer_photo" and SCHEMA_HEAD >= "0005_party_sort_keys"
        with upgraded.session_factory() as s:
            missing = s.scalar(select(Case.id).where(Case.applicant_key.is_(None)).limit(1))
            assert missing is None
            case = s.scalars(select(Case).order_by(Case.id)).first()
            name = s.scalar(select(CaseParty.name).where(CaseParty.case_id == case.id, CaseParty.role == "respondent")
                            .order_by(CaseParty.sort_order))
            assert case.respondent_key == name_key(name)
    finally:
        upgraded.engine.dispose()
