"""One input widget per export option (``ExportOption.kind``: str, int, year, quarter, org, bool, date).

Values follow the command line (``app/cli.py``): year / quarter / int as ``int``, date as ``datetime.date``,
bool as ``True`` only when ticked, org and str as text (an organization's number or name). An optional
option left at 「不限」 or empty is left out of the parameters, so the export uses its own default.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QSpinBox, QWidget

UNSET_TEXT = "（不限）"
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")

#: ``(value, label)`` pairs for an organization picker, e.g. ``[("3", "某某镇劳动人事争议调解中心")]``.
OrganizationChoices = Sequence[tuple[str, str]]


def split_help(text: str) -> tuple[str, str]:
    """Split an option's help into a short label and a hint: "地区名称，如 和平区" → ("地区名称", "如 和平区")."""
    text = text.strip()
    match = re.fullmatch(r"(.+?)[（(](.+)[）)]", text)
    if match:
        return match.group(1).strip(), match.group(2).strip()
    if "，" in text:
        label, hint = text.split("，", 1)
        return label.strip(), hint.strip()
    return text, ""


class OptionEditor:
    """A widget for one option and how to read its value back."""

    def __init__(self, option: Any, widget: QWidget, read: Callable[[], Any]) -> None:
        self.option = option
        self.widget = widget
        self._read = read

    @property
    def name(self) -> str:
        return str(self.option.name)

    @property
    def required(self) -> bool:
        return bool(getattr(self.option, "required", False))

    @property
    def help(self) -> str:
        return str(getattr(self.option, "help", "") or self.option.name)

    @property
    def label(self) -> str:
        return split_help(self.help)[0]

    def value(self) -> Any:
        """The value, or ``None`` when left empty / 「不限」."""
        return self._read()


def make_editor(
    option: Any,
    today: dt.date | None = None,
    organizations: Callable[[], OrganizationChoices] | None = None,
) -> OptionEditor:
    editor = _make_editor(option, today or dt.date.today(), organizations)
    editor.widget.setToolTip(editor.help)
    return editor


def _make_editor(
    option: Any, today: dt.date, organizations: Callable[[], OrganizationChoices] | None
) -> OptionEditor:
    kind = str(getattr(option, "kind", "str"))
    required = bool(getattr(option, "required", False))

    if kind == "bool":
        box = QCheckBox()
        return OptionEditor(option, box, lambda: True if box.isChecked() else None)

    if kind == "year":
        combo = QComboBox()
        if not required:
            combo.addItem(UNSET_TEXT, None)
        for year in range(today.year + 1, today.year - 11, -1):
            combo.addItem(f"{year}年", year)
        combo.setCurrentIndex(combo.findData(today.year))
        return OptionEditor(option, combo, combo.currentData)

    if kind == "quarter":
        combo = QComboBox()
        if not required:
            combo.addItem(UNSET_TEXT, None)
        for number, name in enumerate(QUARTER_NAMES, start=1):
            combo.addItem(name, number)
        combo.setCurrentIndex(combo.findData((today.month - 1) // 3 + 1))
        return OptionEditor(option, combo, combo.currentData)

    if kind == "int":
        spin = QSpinBox()
        spin.setRange(-1 if not required else 0, 1_000_000)
        if not required:
            spin.setSpecialValueText(UNSET_TEXT)  # shown at the minimum, which means "not given"
            spin.setValue(-1)
        return OptionEditor(option, spin, lambda: None if spin.value() < 0 else spin.value())

    if kind == "date":
        edit = QDateEdit()
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy年M月d日")
        unset = QDate(1900, 1, 1)
        edit.setMinimumDate(unset)
        if not required:
            edit.setSpecialValueText(UNSET_TEXT)
            edit.setDate(unset)
        else:
            edit.setDate(QDate(today.year, today.month, today.day))

        def read_date() -> dt.date | None:
            value = edit.date()
            if value == unset:
                return None
            return dt.date(value.year(), value.month(), value.day())

        return OptionEditor(option, edit, read_date)

    if kind == "org":
        combo = QComboBox()
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        combo.setMinimumWidth(360)
        combo.lineEdit().setPlaceholderText("调解组织的编号或名称" + ("" if required else "（留空为全部）"))
        for value, label in organizations() if organizations is not None else ():
            combo.addItem(label, value)
        combo.setCurrentIndex(-1)
        combo.setEditText("")

        def read_org() -> str | None:
            text = combo.currentText().strip()
            if not text:
                return None
            index = combo.findText(text)
            if index >= 0 and combo.itemData(index) is not None:
                return str(combo.itemData(index))
            return text

        return OptionEditor(option, combo, read_org)

    line = QLineEdit()
    line.setMinimumWidth(240)
    line.setPlaceholderText(split_help(str(getattr(option, "help", "") or ""))[1])
    return OptionEditor(option, line, lambda: line.text().strip() or None)
