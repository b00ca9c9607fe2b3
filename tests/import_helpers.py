"""Builders for the import tests: valid ID numbers and credit codes, messy workbooks made with openpyxl."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from app.services.validation import credit_code_check_char, id_check_char
from db.models import Organization
from db.session import open_database
from tests.helpers import migrated_copy

TOWN = "和平区南市街道劳动人事争议调解中心"


def id_no(body17: str) -> str:
    return body17 + id_check_char(body17)


def uscc(body17: str) -> str:
    return body17 + credit_code_check_char(body17)


ID_A = id_no("12010119900307123")  # 男
ID_B = id_no("12010219851112224")  # 女
ID_C = id_no("12010319920101335")
CODE_A = uscc("91120101MA05KX8U1")
CODE_B = uscc("91120102MA06LY9P2")


def fresh_db(path: Path, *, org: str | None = TOWN, region: str = "120101"):
    """A new database at ``path`` (a copy of the session's migrated template) holding the organization ``org``."""
    opened = open_database(path) if Path(path).exists() else migrated_copy(path)
    if org:
        with opened.session_factory.begin() as s:
            s.add(Organization(name=org, kind="21", region_code=region))
    return opened


def save(rows: list[list], path: Path, *, merges: list[str] = (), sheet: str = "Sheet1", extra_sheets: dict | None = None) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    for r in rows:
        ws.append(r)
    for m in merges:
        ws.merge_cells(m)
    for name, data in (extra_sheets or {}).items():
        other = wb.create_sheet(name)
        for r in data:
            other.append(r)
    wb.save(path)
    return path
