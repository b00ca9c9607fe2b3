"""Sorting as in Excel / WPS (issue 14): pinyin order of Chinese names in the list models and the enterprise
directory, ▲ drawn for ascending, the first click on a header ascending, and the directory found by phone."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QHeaderView, QStyleFactory, QTableView

from app.services import enterprises as ents
from app.services.enterprises import EnterpriseInput
from app.ui.models.base import SORT_ROLE, ExcelArrowStyle, excel_sort_arrows
from app.ui.models.organization_models import EnterpriseTableModel, MediatorTableModel, sort_proxy
from app.ui.models.volunteer_models import VolunteerTableModel
from db.sortkeys import name_key

# 张 (zhang) is U+5F20 and 阿 (a) U+963F: by code point 张 comes first, in pinyin (as Excel / WPS sort) 阿 does.
ZHANG, A = "张家口建筑有限公司", "阿城机械有限公司"


def test_the_pair_differs_between_code_point_and_pinyin_order():
    assert ZHANG < A
    assert name_key(A) < name_key(ZHANG)


def test_directory_lists_in_pinyin_order_and_finds_phone_numbers(migrated_db):
    sf = migrated_db.session_factory
    ents.create_enterprise(sf, EnterpriseInput(name=ZHANG, contact_phone="022-23456789"))
    ents.create_enterprise(sf, EnterpriseInput(name=A, contact_phone="13812345678"))
    ents.create_enterprise(sf, EnterpriseInput(name="东丽区物流公司"))
    ents.create_enterprise(sf, EnterpriseInput(name="和平区商贸公司"))
    with sf() as s:
        names = [r.name for r in ents.list_enterprises(s)]
        assert names == [A, "东丽区物流公司", "和平区商贸公司", ZHANG]  # a < dong < he < zhang
        assert [r.name for r in ents.list_enterprises(s, limit=2)] == [A, "东丽区物流公司"]
        assert [r.name for r in ents.list_enterprises(s, text="23456789")] == [ZHANG]
        assert [r.name for r in ents.list_enterprises(s, text="138123")] == [A]


def _sorted_names(model, column: int = 0, order=Qt.SortOrder.AscendingOrder) -> list[str]:
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setSortRole(SORT_ROLE)
    proxy.sort(column, order)
    return [proxy.index(r, column).data() for r in range(proxy.rowCount())]


def test_list_models_sort_names_in_pinyin_order(qapp: QApplication):
    ents_model = EnterpriseTableModel()
    ents_model.set_rows([SimpleNamespace(id=1, name=ZHANG), SimpleNamespace(id=2, name=A)])
    proxy = sort_proxy(ents_model)
    proxy.sort(0, Qt.SortOrder.AscendingOrder)
    assert [proxy.index(r, 0).data() for r in range(2)] == [A, ZHANG]
    proxy.sort(0, Qt.SortOrder.DescendingOrder)
    assert [proxy.index(r, 0).data() for r in range(2)] == [ZHANG, A]

    mediators = MediatorTableModel()
    mediators.set_rows([SimpleNamespace(id=1, name="张伟"), SimpleNamespace(id=2, name="阿依古丽")])
    assert _sorted_names(mediators) == ["阿依古丽", "张伟"]

    volunteers = VolunteerTableModel()
    volunteers.set_rows([SimpleNamespace(id=1, name="张伟", unit="阿拉善路街道"),
                         SimpleNamespace(id=2, name="阿依古丽", unit="张贵庄街道")])
    assert _sorted_names(volunteers) == ["阿依古丽", "张伟"]
    assert _sorted_names(volunteers, 3) == ["阿拉善路街道", "张贵庄街道"]  # 工作单位


def _arrow_points_up(header: QHeaderView, app: QApplication) -> bool:
    """Whether the sort arrow drawn on section 0 is ▲ (its dark rows widen downwards)."""
    app.processEvents()
    img = header.grab().toImage()
    widths = []
    for y in range(img.height()):
        dark = sum(1 for x in range(img.width() // 2, img.width()) if img.pixelColor(x, y).lightness() < 140)
        if dark:
            widths.append(dark)
    assert len(widths) >= 2, "no sort arrow drawn"
    return widths[-1] > widths[0]


@pytest.fixture(autouse=True)
def no_app_stylesheet(qapp: QApplication):
    """Other tests leave the app's stylesheet on; with one, ``widget.style()`` is Qt's style-sheet wrapper (whose
    base is the header's own style), so ``isinstance`` checks would look at the wrapper."""
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(sheet)


@pytest.fixture
def table(qapp: QApplication):
    model = QStandardItemModel(3, 1)
    for i, name in enumerate((ZHANG, A, "和平区")):
        model.setItem(i, 0, QStandardItem(name))
    view = QTableView()
    view.setModel(model)
    view.resize(400, 200)
    header = view.horizontalHeader()
    header.resizeSection(0, 300)
    header.setStyle(QStyleFactory.create("Fusion"))  # the app's style (app.ui.app), whatever the test platform
    view.setSortingEnabled(True)
    view.show()
    yield view
    view.close()


def test_plain_fusion_draws_ascending_as_a_down_arrow(qapp, table):
    """Why the fix exists: QHeaderView hands the style SortDown for AscendingOrder, and Fusion draws ▼."""
    header = table.horizontalHeader()
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert not _arrow_points_up(header, qapp)


def test_excel_arrows_draw_ascending_as_an_up_arrow(qapp, table):
    header = table.horizontalHeader()
    fusion_based = ExcelArrowStyle(QStyleFactory.create("Fusion"))
    fusion_based.setParent(header)
    header.setStyle(fusion_based)
    assert excel_sort_arrows(table) is header and header.style() is fusion_based  # installed once
    header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert _arrow_points_up(header, qapp)  # ▲ = ascending, small to large, as in Excel / WPS
    header.setSortIndicator(0, Qt.SortOrder.DescendingOrder)
    assert not _arrow_points_up(header, qapp)


def test_first_click_on_a_header_sorts_ascending(qapp: QApplication):
    model = EnterpriseTableModel()
    model.set_rows([SimpleNamespace(id=1, name=ZHANG), SimpleNamespace(id=2, name=A)])
    proxy = sort_proxy(model)
    view = QTableView()
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # unsorted, as the pages start
    header = excel_sort_arrows(view)
    assert isinstance(header.style(), ExcelArrowStyle)
    view.resize(600, 200)
    view.show()
    qapp.processEvents()
    x = header.sectionViewportPosition(0) + header.sectionSize(0) // 2
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorSection() == 0
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert [proxy.index(r, 0).data() for r in range(2)] == [A, ZHANG]
    QTest.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert [proxy.index(r, 0).data() for r in range(2)] == [ZHANG, A]
    view.close()
