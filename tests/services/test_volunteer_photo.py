"""照片 on 附件1: a chosen picture becomes one small JPEG, saved with the volunteer, printed in the form."""

from __future__ import annotations

import io
from datetime import date

import pytest
from docx import Document
from docx.shared import Mm
from PIL import Image
from sqlalchemy import select, text

from app.demo import generate_demo
from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.services.photos import MAX_SIZE, photo_size, prepare_photo
from app.services.validation import ValidationError
from app.services.volunteers import VolunteerService, get_volunteer
from db.models import AuditEntry, Volunteer
from db.session import open_database

TODAY = date(2026, 6, 15)


def picture(width: int, height: int, fmt: str = "PNG", mode: str = "RGB", colour=(200, 30, 30)) -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour if mode != "RGBA" else (*colour, 0)).save(out, fmt)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    opened = open_database(tmp_path_factory.mktemp("photo") / "demo.db")
    generate_demo(opened.session_factory, seed=2, cases=20, today=TODAY)
    load_builtin_kinds()
    yield opened
    opened.engine.dispose()


def first_volunteer(db) -> tuple[int, str]:
    with db.session_factory() as s:
        vol = s.scalars(select(Volunteer).where(Volunteer.status == "active").order_by(Volunteer.id)).first()
        return vol.id, vol.name


# --- preparing the picture ---------------------------------------------------------------------------------


def test_a_large_landscape_png_becomes_a_5_by_7_jpeg(tmp_path):
    source = tmp_path / "证件照.png"
    source.write_bytes(picture(1600, 1200))
    jpeg = prepare_photo(source)
    assert jpeg[:3] == b"\xff\xd8\xff"
    assert photo_size(jpeg) == MAX_SIZE  # cropped to 5:7 and scaled to 413×579 px (2寸 at 300 dpi)
    assert len(jpeg) < 100_000
    with Image.open(io.BytesIO(jpeg)) as image:
        r, g, b = image.getpixel((10, 10))
        assert r > 150 and g < 80 and b < 80  # the picture, not a blank


def test_a_small_portrait_is_not_enlarged_and_transparency_turns_white():
    jpeg = prepare_photo(picture(100, 140, mode="RGBA"))
    assert photo_size(jpeg) == (100, 140)
    with Image.open(io.BytesIO(jpeg)) as image:
        assert min(image.getpixel((50, 70))) > 240


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "文件是空的"),
        (b"%PDF-1.4 not a picture", "不是可识别的图片"),
        (picture(40, 40), "图片太小"),
        (picture(800, 600, "JPEG")[:200], "已损坏"),
    ],
)
def test_bad_pictures_are_refused_naming_the_field(data, message):
    with pytest.raises(ValidationError) as err:
        prepare_photo(data)
    assert err.value.field == "照片" and message in err.value.message and err.value.message.startswith("照片：")


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(ValidationError, match="无法读取文件“没有.jpg”"):
        prepare_photo(tmp_path / "没有.jpg")


# --- saving with the volunteer ------------------------------------------------------------------------------


def test_photo_saved_replaced_kept_and_removed_with_the_volunteer(demo):
    service = VolunteerService(demo.session_factory, user_login="clerk", clock=lambda: TODAY)
    vid, name = first_volunteer(demo)
    with demo.session_factory() as s:
        data = get_volunteer(s, vid)
    red = prepare_photo(picture(500, 700))
    service.save_volunteer(data, photo=red)
    assert service.photo(vid) == red
    service.save_volunteer(data)  # photo left out: kept
    assert service.photo(vid) == red
    blue = prepare_photo(picture(500, 700, colour=(20, 40, 200)))
    service.save_volunteer(data, photo=blue)
    assert service.photo(vid) == blue
    with pytest.raises(ValidationError, match="照片"):
        service.save_volunteer(data, photo=picture(500, 700))  # not prepared: refused, nothing written
    assert service.photo(vid) == blue
    with demo.session_factory() as s:
        summaries = [a.summary for a in s.scalars(select(AuditEntry).where(AuditEntry.summary.like("%照片%"))
                                                  .order_by(AuditEntry.id))]
    assert summaries[-2:] == [f"添加志愿者{name}的照片", f"更换志愿者{name}的照片"]
    service.save_volunteer(data, photo=None)
    assert service.photo(vid) is None


def test_lists_do_not_read_photos(demo):
    with demo.session_factory() as s:
        vol = s.scalars(select(Volunteer).limit(1)).one()
        assert "photo" not in vol.__dict__  # deferred: loaded only when asked for


# --- the form ----------------------------------------------------------------------------------------------


def test_the_form_prints_the_photo_in_its_cell(demo, tmp_path):
    service = VolunteerService(demo.session_factory, clock=lambda: TODAY)
    vid, name = first_volunteer(demo)
    with demo.session_factory() as s:
        data = get_volunteer(s, vid)
    service.save_volunteer(data, photo=prepare_photo(picture(600, 840)))
    out = run_export("volunteer-form", ExportRequest(demo.session_factory, tmp_path / "附件1.docx",
                                                     {"volunteer": str(vid), "date": TODAY}))
    doc = Document(str(out))
    cell = doc.tables[0].cell(0, 6)
    assert cell.text.strip() == ""  # the picture instead of the words 照片（2寸）
    blips = cell._tc.xpath(".//a:blip")
    assert len(blips) == 1
    shape = doc.inline_shapes[0]
    assert abs(shape.width - Mm(35)) < Mm(0.2) and abs(shape.height - Mm(49)) < Mm(0.3)  # a 2寸 photo, 5 : 7

    service.save_volunteer(data, photo=None)
    bare = run_export("volunteer-form", ExportRequest(demo.session_factory, tmp_path / "无照片.docx",
                                                      {"volunteer": str(vid), "date": TODAY}))
    cell = Document(str(bare)).tables[0].cell(0, 6)
    assert [p.text for p in cell.paragraphs] == ["照　片", "（2寸）"]


def test_an_older_database_gets_the_photo_column(tmp_path):
    """A database of schema 0003 (before photos) is upgraded on opening, its volunteers kept."""
    import shutil

    from db.session import SCHEMA_HEAD

    first = open_database(tmp_path / "old.db")
    generate_demo(first.session_factory, seed=3, cases=5, today=TODAY)
    first.engine.dispose()
    second = open_database(tmp_path / "old.db")
    with second.engine.begin() as con:  # make it look like a 0003 database
        con.execute(text("ALTER TABLE volunteers DROP COLUMN photo"))
        for index in ("ix_cases_applicant_key", "ix_cases_respondent_key"):  # added by 0005
            con.execute(text(f"DROP INDEX {index}"))
        con.execute(text("ALTER TABLE cases DROP COLUMN applicant_key"))
        con.execute(text("ALTER TABLE cases DROP COLUMN respondent_key"))
        con.execute(text("UPDATE alembic_version SET version_num = '0003_imports'"))
    second.engine.dispose()  # closing the last connection writes the WAL back into the file
    shutil.copy(tmp_path / "old.db", tmp_path / "copy.db")
    opened = open_database(tmp_path / "copy.db")
    try:
        assert opened.upgraded_from == "0003_imports" and SCHEMA_HEAD >= "0004_volunteer_photo"
        with opened.session_factory() as s:
            assert s.scalar(select(Volunteer.id).where(Volunteer.photo.is_(None)).limit(1)) is not None
    finally:
        opened.engine.dispose()
