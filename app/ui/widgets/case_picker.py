"""A case picker with search: type an applicant's name, a (part of a) 案号 or a case's number, pick from the list.

Used by 报表导出 for the options that name one case (per-case documents, 典型案例, 操作日志). The search is the
case list's own (:func:`app.services.case_list.fetch_case_rows` with ``CaseFilter(search=…)``: 案号, party names,
ID numbers, enterprise names and phones) plus the case number itself when the text is all digits, so the picker
finds exactly what the 案件台账 page's search box finds. :func:`case_search` makes the search function from a
session factory; tests and other callers may pass any ``(text) -> list[CaseChoice]``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, NamedTuple

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QCompleter, QLabel, QLineEdit, QVBoxLayout, QWidget

log = logging.getLogger(__name__)

ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_LIMIT = 30


class CaseChoice(NamedTuple):
    """One case found: its number (``Case.id``), 案号 and the line shown in the list."""

    id: int
    case_no: str
    label: str
    detail: str = ""  # 当事人 · 状态


def _choice(row: Any) -> CaseChoice:
    case_no = str(getattr(row, "case_no", "") or "")
    parties = "—".join(p for p in (getattr(row, "applicant", ""), getattr(row, "respondent", "")) if p)
    detail = " · ".join(b for b in (parties, str(getattr(row, "status_label", "") or "")) if b)
    label = " · ".join(b for b in (case_no or "（尚未编号）", detail) if b) + f"（编号 {row.id}）"
    return CaseChoice(int(row.id), case_no, label, detail)


def case_search(session_factory: Any, limit: int = SEARCH_LIMIT) -> Callable[[str], list[CaseChoice]]:
    """A search function over the case list service (applicant name, 案号, ID, enterprise …, or the case number)."""

    def search(text: str) -> list[CaseChoice]:
        from app.services.case_list import CaseFilter, fetch_case_rows, fetch_rows_by_ids

        text = " ".join(str(text or "").split())
        if not text:
            return []
        with session_factory() as session:
            rows = list(fetch_rows_by_ids(session, [int(text)])) if text.isdigit() and len(text) < 10 else []
            rows += fetch_case_rows(session, CaseFilter(search=text), limit=limit)
        seen: set[int] = set()
        found = []
        for row in rows:
            if row.id not in seen:
                seen.add(row.id)
                found.append(_choice(row))
        return found[:limit]

    return search


class CasePicker(QWidget):
    """A search box with a drop-down of matching cases and a line saying which case is chosen."""

    #: The chosen case changed (its id, or 0 when none is chosen).
    case_chosen = Signal(int)

    def __init__(self, search: Callable[[str], list[CaseChoice]], parent: QWidget | None = None,
                 required: bool = True, delay_ms: int = 250) -> None:
        super().__init__(parent)
        self._search = search
        self._required = required
        self.matches: list[CaseChoice] = []
        self.chosen: CaseChoice | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        self.edit = QLineEdit(self)
        self.edit.setMinimumWidth(360)
        self.edit.setClearButtonEnabled(True)
        self.edit.setPlaceholderText("输入申请人姓名、案号或案件编号查找" + ("" if required else "（留空为全部）"))
        layout.addWidget(self.edit)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(False)  # two short lines; a wrapping label is cut off in a form row
        self.status_label.setStyleSheet("color: #5a6675;")
        layout.addWidget(self.status_label)
        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer.setMaxVisibleItems(12)
        self.completer.setWidget(self.edit)
        self.completer.activated[QModelIndex].connect(self._picked)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(lambda: self.search(self.edit.text(), popup=True))
        self.edit.textEdited.connect(self._typed)
        self._show_status()

    # --- searching ---------------------------------------------------------------------------------
    def _typed(self, _text: str) -> None:
        if self.chosen is not None:
            self.chosen = None
            self.case_chosen.emit(0)
        self._timer.start()
        self._show_status()

    def search(self, text: str, popup: bool = False) -> list[CaseChoice]:
        """Search now; one match is chosen at once, several are offered in the drop-down."""
        self._timer.stop()
        try:
            self.matches = self._search(text) if text.strip() else []
        except Exception:  # a database problem must not take the export page down
            log.exception("case search failed")
            self.matches = []
        self.model.clear()
        for choice in self.matches:
            item = QStandardItem(choice.label)
            item.setData(choice.id, ID_ROLE)
            item.setToolTip(choice.label)
            self.model.appendRow(item)
        if len(self.matches) == 1:
            self.choose(self.matches[0], keep_text=True)
        elif popup and self.matches and self.edit.isVisible():
            self.completer.complete()
        self._show_status(searched=bool(text.strip()))
        return self.matches

    def _picked(self, index: QModelIndex) -> None:
        case_id = index.data(ID_ROLE)
        match = next((c for c in self.matches if c.id == case_id), None)
        if match is not None:
            self.choose(match)

    def choose(self, choice: CaseChoice, keep_text: bool = False) -> None:
        self.chosen = choice
        if not keep_text:
            self.edit.setText(choice.case_no or str(choice.id))
        self._show_status()
        self.case_chosen.emit(choice.id)

    def clear(self) -> None:
        self.edit.clear()
        self.matches = []
        self.model.clear()
        self.chosen = None
        self._show_status()

    def _show_status(self, searched: bool = False) -> None:
        if self.chosen is not None:
            c = self.chosen
            text = f"已选：{c.case_no or '（尚未编号）'}（编号 {c.id}）" + (f"\n{c.detail}" if c.detail else "")
        elif not self.edit.text().strip():
            text = "请选择案件" if self._required else ""
        elif not searched and self._timer.isActive():
            text = "正在查找…"
        elif not self.matches:
            text = "找不到符合的案件，请换个写法（申请人姓名、案号或案件编号）"
        else:
            text = f"找到 {len(self.matches)} 件案件，请从列表中选择一件"
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))

    # --- the value ---------------------------------------------------------------------------------
    def value(self) -> str | None:
        """The chosen case's number (``Case.id``) as text, or ``None`` when none is chosen (text typed but not
        yet searched is searched now: one match counts as chosen)."""
        if self.chosen is None and self.edit.text().strip():
            self.search(self.edit.text())
        return str(self.chosen.id) if self.chosen is not None else None

    def chosen_case_no(self) -> str:
        return self.chosen.case_no if self.chosen is not None else ""
