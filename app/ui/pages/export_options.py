"""One input widget per export option (``ExportOption.kind``: str, int, year, quarter, org, bool, date).

Values follow the command line (``app/cli.py``): year / quarter / int as ``int``, date as ``datetime.date``,
bool as ``True`` only when ticked, org and str as text (an organization's number or name). An optional
option left at 「不限」 or empty is left out of the parameters, so the export uses its own default.

Every option is shown in Chinese only (issue 13 item 6): options with a fixed set of values become drop-downs
with Chinese labels — the option's own ``choices`` when the kind declares them, else :data:`CHOICE_RULES`
(分表方式, 报送内容, 案件状态, 争议类型, 案件来源, 组织类型, 操作; the lists come from ``db.enums`` / the
lookups through :class:`ServiceChoices`) — an option naming one case becomes a :class:`CasePicker`, and
labels, hints and tool tips never show a code keyword or a spec reference (:func:`clean_text`).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from typing import Any, NamedTuple

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QCheckBox, QComboBox, QDateEdit, QLineEdit, QSpinBox, QWidget

from app.ui.widgets.case_picker import CaseChoice, CasePicker

UNSET_TEXT = "（不限）"
QUARTER_NAMES = ("第一季度", "第二季度", "第三季度", "第四季度")

#: ``(value, label)`` pairs for an organization picker, e.g. ``[("3", "某某镇劳动人事争议调解中心")]``.
OrganizationChoices = Sequence[tuple[str, str]]
#: ``(value, label)`` pairs of a drop-down; the label is Chinese, the value is what the export reads.
Choices = Sequence[tuple[str, str]]


class ChoiceRule(NamedTuple):
    """A drop-down for options called ``name`` whose help starts with ``help_prefix``."""

    name: str
    help_prefix: str
    source: str  # a key of STATIC_CHOICES, or what ServiceChoices reads
    label: str
    hint: str = ""
    unset: str | None = UNSET_TEXT  # the first entry meaning "not given"; None: no such entry


#: Fixed value lists (the exports' keywords, shown by their Chinese names).
STATIC_CHOICES: dict[str, tuple[tuple[str, str], ...]] = {
    "split": (("quarter", "每季度一张（默认）"), ("month", "每月一张"), ("none", "不分表，只一张")),
    "report_kind": (
        ("case-ledger", "调解案件台账（默认）"),
        ("enterprise-roster", "志愿者联系企业名册"),
        ("mediator-roster", "调解员名册"),
    ),
}

CHOICE_RULES: tuple[ChoiceRule, ...] = (
    ChoiceRule("split", "分表方式", "split", "分表方式", "一个统计期分成几张表", unset=None),
    ChoiceRule("report_kind", "报送内容", "report_kind", "报送内容", "零上报的是哪一类数据", unset=None),
    ChoiceRule("status", "案件状态", "case_status", "案件状态"),
    ChoiceRule("dispute_type", "争议类型", "dispute_type", "争议类型"),
    ChoiceRule("source", "案件来源", "case_source", "案件来源"),
    ChoiceRule("kind", "只导出某一组织类型", "org_kind", "组织类型", "只导出这一类调解组织"),
    ChoiceRule("action", "操作", "audit_action", "操作"),
)

#: Options naming one case: a case picker instead of a text box.
CASE_OPTION_NAMES = ("case",)

_SPEC_REF = re.compile(r"[（(]?\s*(?:见\s*)?forms\.md\s*§\s*[\d.]+(?:\s*[–—-]\s*§?\s*[\d.]+)?\s*[）)]?")
_ASCII_WORD = re.compile(r"[A-Za-z][A-Za-z_-]{2,}")


def clean_text(text: str) -> str:
    """``text`` without spec references (「（forms.md §7.1）」) — for descriptions and tool tips."""
    return re.sub(r"\s{2,}", " ", _SPEC_REF.sub("", str(text or ""))).strip()


def _plain_hint(hint: str) -> str:
    """A hint worth showing: none when it names code keywords (「代码，如 close、edit」)."""
    hint = clean_text(hint)
    return "" if _ASCII_WORD.search(hint) else hint


def choice_rule(option: Any) -> ChoiceRule | None:
    name = str(getattr(option, "name", ""))
    help_text = str(getattr(option, "help", "") or "")
    return next((r for r in CHOICE_RULES if r.name == name and help_text.startswith(r.help_prefix)), None)


class ServiceChoices:
    """The value lists read from the database (through the services / lookups), each once."""

    def __init__(self, session_factory: Any) -> None:
        self._session_factory = session_factory
        self._cache: dict[str, list[tuple[str, str]]] = {}

    def __call__(self, source: str) -> list[tuple[str, str]]:
        if source not in self._cache:
            try:
                self._cache[source] = self._read(source)
            except Exception:  # an empty or older database, or no right to read the log: fewer choices
                logging.getLogger(__name__).info("choices %s not available", source, exc_info=True)
                self._cache[source] = []
        return self._cache[source]

    def _read(self, source: str) -> list[tuple[str, str]]:
        if source == "case_status":
            from app.services.case_list import STATUS_CHOICES

            return [(str(v), str(label)) for v, label in STATUS_CHOICES]
        from db.lookups import CASE_SOURCE, DISPUTE_TYPE, ORG_KIND, lookup_labels

        category = {"dispute_type": DISPUTE_TYPE, "case_source": CASE_SOURCE, "org_kind": ORG_KIND}.get(source)
        with self._session_factory() as session:
            if category is not None:
                return [(str(k), str(v)) for k, v in lookup_labels(session, category).items()]
            if source == "audit_action":
                from app.services.auth import action_choices

                return [(str(k), str(v)) for k, v in action_choices(session)]
        return []


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

    def __init__(self, option: Any, widget: QWidget, read: Callable[[], Any], label: str | None = None,
                 hint: str | None = None) -> None:
        self.option = option
        self.widget = widget
        self._read = read
        self._label = label
        self._hint = hint

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
        if self._label:
            return self._label
        label = clean_text(split_help(self.help)[0])
        return label.split("：", 1)[0] if _ASCII_WORD.search(label) else label

    @property
    def hint(self) -> str:
        return self._hint if self._hint is not None else _plain_hint(split_help(self.help)[1])

    @property
    def tooltip(self) -> str:
        """The label and hint in Chinese (what the tool tip shows)."""
        return self.label + (f"（{self.hint}）" if self.hint else "")

    def value(self) -> Any:
        """The value, or ``None`` when left empty / 「不限」."""
        return self._read()


def make_editor(
    option: Any,
    today: dt.date | None = None,
    organizations: Callable[[], OrganizationChoices] | None = None,
    choices: Callable[[str], Choices] | None = None,
    cases: Callable[[str], list[CaseChoice]] | None = None,
) -> OptionEditor:
    """The editor of ``option``; ``choices(source)`` gives the value lists of :data:`CHOICE_RULES` read from the
    database, ``cases(text)`` searches cases for the case picker (without it, a text box)."""
    editor = (
        _declared_choice_editor(option)
        or _rule_choice_editor(option, choices)
        or _case_editor(option, cases)
        or _make_editor(option, today or dt.date.today(), organizations)
    )
    editor.widget.setToolTip(editor.tooltip)
    return editor


def _combo(option: Any, items: Choices, unset: str | None, label: str | None, hint: str | None) -> OptionEditor:
    combo = QComboBox()
    if unset is not None or not items:
        combo.addItem(unset or UNSET_TEXT, None)
    for value, text in items:
        combo.addItem(str(text), value)
    combo.setCurrentIndex(0)
    combo.setMinimumWidth(240)
    combo.setMaxVisibleItems(20)
    return OptionEditor(option, combo, combo.currentData, label=label, hint=hint)


def _declared_choice_editor(option: Any) -> OptionEditor | None:
    """A drop-down from the option's own ``choices`` (``(value, 中文)`` pairs), when the kind declares them."""
    declared = getattr(option, "choices", None)
    if not declared:
        return None
    items = [(str(v), str(t)) for v, t in declared]
    unset = None if getattr(option, "required", False) else UNSET_TEXT
    return _combo(option, items, unset, None, None)


def _rule_choice_editor(option: Any, choices: Callable[[str], Choices] | None) -> OptionEditor | None:
    rule = choice_rule(option)
    if rule is None:
        return None
    if rule.source in STATIC_CHOICES:
        items: Choices = STATIC_CHOICES[rule.source]
    elif rule.source == "case_status" and choices is None:
        from app.services.case_list import STATUS_CHOICES

        items = STATUS_CHOICES
    else:
        items = choices(rule.source) if choices is not None else ()
    unset = rule.unset if not getattr(option, "required", False) else None
    if not items and rule.source not in STATIC_CHOICES:
        unset = UNSET_TEXT  # nothing to choose from (empty database): 「不限」 only
    return _combo(option, items, unset, rule.label, rule.hint)


def _case_editor(option: Any, cases: Callable[[str], list[CaseChoice]] | None) -> OptionEditor | None:
    if cases is None or str(getattr(option, "name", "")) not in CASE_OPTION_NAMES:
        return None
    required = bool(getattr(option, "required", False))
    picker = CasePicker(cases, required=required)
    return OptionEditor(option, picker, picker.value, label="案件", hint="按申请人姓名、案号或案件编号查找")


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
    line.setPlaceholderText(_plain_hint(split_help(str(getattr(option, "help", "") or ""))[1]))
    return OptionEditor(option, line, lambda: line.text().strip() or None)
