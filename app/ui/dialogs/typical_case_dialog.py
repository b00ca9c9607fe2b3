"""编写典型案例: the four narrative sections of a case's 典型案例 (附件3), opened from the case form.

Each section is one text box, filled with what was saved, else with a draft generated from the case
record (:func:`~app.services.organizations.load_typical_case`). 保存 writes all four in one transaction
(:func:`~app.services.organizations.save_typical_case`); a draft left as generated is not frozen: it is
stored empty, so the export keeps writing it from the record (later sessions and visits included). The
``typical-case`` export anonymises the text (张某、某公司) unless real names are asked for.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.organizations import (
    TYPICAL_CASE_SECTIONS,
    TypicalCaseTexts,
    load_typical_case,
    save_typical_case,
)
from app.ui.widgets.field_errors import ERROR_COLOUR
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_body
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin

log = logging.getLogger(__name__)

PLACEHOLDERS = {
    "facts": "写明当事人基本情况、争议发生的经过和申请人的请求。",
    "process": "写明调解员如何了解情况、释法说理、促成双方让步（可按时间顺序）。",
    "result": "写明结案方式、调解协议的主要内容和履行、回访情况。",
    "significance": "结合本案的难点、调解方法和法律依据，写明本案的典型意义和可借鉴之处。",
}


class TypicalCaseDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """Edit the 基本案情 / 调解过程 / 调解结果 / 典型意义 of case ``case_id``."""

    def __init__(self, session_factory: Any, case_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.case_id = case_id
        self.texts: TypicalCaseTexts | None = None
        self.edits: dict[str, QPlainTextEdit] = {}
        self.state_labels: dict[str, QLabel] = {}
        self._loaded: dict[str, str] = {}

        self.setWindowTitle("编写典型案例")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.resize(860, 720)
        layout = QVBoxLayout(self)
        layout.setSpacing(6)
        self.title_label = QLabel(self)
        self.title_label.setProperty("role", "heading")
        layout.addWidget(self.title_label)
        self.intro_label = QLabel(
            "以下四部分写入《劳动人事争议调解典型案例》（附件3）。未填写的部分，导出时按案件记录自动生成；"
            "导出时当事人姓名、单位名称自动匿名处理（如“张某”“某公司”），这里可以直接写真实姓名。",
            self,
        )
        self.intro_label.setWordWrap(True)
        self.intro_label.setProperty("role", "hint")
        layout.addWidget(self.intro_label)
        self.notice_label = QLabel(self)
        self.notice_label.setWordWrap(True)
        self.notice_label.setProperty("role", "warning")
        self.notice_label.hide()
        layout.addWidget(self.notice_label)
        for key, label in TYPICAL_CASE_SECTIONS:
            head = QHBoxLayout()
            head.setContentsMargins(0, 8, 0, 0)
            caption = QLabel(label, self)
            caption.setProperty("role", "status")
            state = QLabel(self)
            state.setProperty("role", "hint")
            head.addWidget(caption)
            head.addWidget(state)
            head.addStretch(1)
            layout.addLayout(head)
            edit = QPlainTextEdit(self)
            edit.setObjectName(f"{key}_edit")
            edit.setPlaceholderText(PLACEHOLDERS[key])
            edit.setTabChangesFocus(True)
            edit.textChanged.connect(self._edited)
            layout.addWidget(edit, 1)
            self.edits[key] = edit
            self.state_labels[key] = state
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        bottom = QHBoxLayout()
        self.status_label = QLabel(self)
        self.status_label.setProperty("role", "hint")
        bottom.addWidget(self.status_label, 1)
        self.buttons = QDialogButtonBox(self)
        self.save_button = QPushButton("保存", self)
        self.save_button.setDefault(True)
        self.close_button = QPushButton("关闭", self)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.request_close)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)
        scroll_body(self, keep_last=2)  # the sections scroll; the error line and 保存/关闭 stay visible
        self.guard_unsaved(self.save, title="编写典型案例")
        self.load()

    # --- loading ---------------------------------------------------------------------------------------
    def load(self) -> None:
        with self.session_factory() as s:
            self.texts = texts = load_typical_case(s, self.case_id)
        self.setWindowTitle(f"编写典型案例 — {texts.case_no}" if texts.case_no else "编写典型案例")
        self.title_label.setText(f"典型案例：{texts.case_no or '（未编号）'}")
        if not texts.closed:
            self.notice_label.setText("本案尚未结案：可以先写，结案后才能导出典型案例。")
        self.notice_label.setVisible(not texts.closed)
        for key, _label in TYPICAL_CASE_SECTIONS:
            edit = self.edits[key]
            edit.blockSignals(True)
            edit.setPlainText(texts.text(key))
            edit.blockSignals(False)
            self._loaded[key] = edit.toPlainText()
            self._show_state(key)
        self.status_label.clear()
        self.mark_clean()

    def _show_state(self, key: str) -> None:
        texts = self.texts
        label = self.state_labels[key]
        if texts is None:
            label.clear()
        elif texts.saved.get(key):
            label.setText("已保存")
        elif texts.is_draft(key):
            label.setText("草稿：由案件记录生成，可直接修改")
        else:
            label.setText("未填写：导出时按案件记录生成" if key != "significance" else "未填写")

    def _edited(self) -> None:
        self.error_label.hide()
        if self.dirty:
            self.status_label.setText("有未保存的修改。")

    # --- saving ----------------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return any(self.edits[k].toPlainText() != self._loaded.get(k, "") for k in self.edits)

    def values(self) -> dict[str, str]:
        """The sections to store: as typed, except a draft left as generated (stored empty, kept live)."""
        assert self.texts is not None
        out = {}
        for key, edit in self.edits.items():
            text = edit.toPlainText().strip()
            draft = self.texts.drafts.get(key, "").strip()
            out[key] = "" if not self.texts.saved.get(key) and text == draft else text
        return out

    def save(self) -> bool:
        try:
            save_typical_case(self.session_factory, self.case_id, self.values())
        except Exception as exc:  # e.g. the database is locked, or the case was deleted meanwhile
            log.exception("typical case texts could not be saved")
            self.error_label.setText(f"保存失败：{exc}")
            self.error_label.show()
            return False
        self.load()
        self.status_label.setText("已保存。在“打印/导出文书”中选择“典型案例（附件3）”即可导出。")
        return True
