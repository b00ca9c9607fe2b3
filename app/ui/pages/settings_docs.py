"""设置 → 业务规则, two more rows: 「公文字体」 (which face set the Word documents name, with the named fonts this
PC lacks beside it; :mod:`app.exports.docmeta`) and 「未结案用语」 (the words that mark an open case in an
imported ledger; :mod:`app.services.importing.open_words`).

They are saved with the rules by the page's 保存 and count for its 「有未保存的修改」 / 保存 / 不保存 / 取消.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from app.exports import docmeta
from app.services.importing import open_words

#: Words may be typed one a line or separated by 、，, ; or spaces.
_SPLIT = re.compile(r"[\s、，,;；]+")


def split_words(text: str) -> list[str]:
    return [w for w in _SPLIT.split(text) if w]


class DocImportSettings:
    """The 「公文字体」 combo (+ missing fonts) and the 「未结案用语」 editor, added to ``form``."""

    def __init__(self, form: QFormLayout, parent: QWidget) -> None:
        self.font_combo = QComboBox(parent)
        self.font_combo.setObjectName("font_set_combo")
        for key, label in docmeta.font_set_choices():
            self.font_combo.addItem(label, key)
        self.font_hint = QLabel(parent)
        self.font_hint.setObjectName("font_set_hint")
        self.font_hint.setWordWrap(True)
        self.font_hint.setStyleSheet("color: #566273;")
        box = QVBoxLayout()
        box.addWidget(self.font_combo)
        box.addWidget(self.font_hint)
        self.font_caption = QLabel(docmeta.FONT_SET_LABEL, parent)
        form.addRow(self.font_caption, box)

        self.words_edit = QPlainTextEdit(parent)
        self.words_edit.setObjectName("open_words_edit")
        self.words_edit.setTabChangesFocus(True)
        line = self.words_edit.fontMetrics().lineSpacing()
        self.words_edit.setFixedHeight(line * 4 + 12)
        self.words_hint = QLabel("导入台账时，「结案方式」一栏为空或写有这些词的行按未结案件导入。"
                                 "词之间用顿号、逗号或换行分开。", parent)
        self.words_hint.setWordWrap(True)
        self.words_hint.setStyleSheet("color: #566273;")
        words_box = QVBoxLayout()
        words_box.addWidget(self.words_edit)
        words_box.addWidget(self.words_hint)
        self.words_caption = QLabel(open_words.FIELD, parent)
        form.addRow(self.words_caption, words_box)
        self.report: list[Any] | None = None

    def widgets(self) -> list[QWidget]:
        return [self.font_combo, self.words_edit]

    def set_enabled(self, enabled: bool) -> None:
        for w in self.widgets():
            w.setEnabled(enabled)

    def show_font_report(self) -> None:
        """Which of the faces the documents name this PC lacks (read once; well under a second)."""
        if self.report is None:
            try:
                self.report = docmeta.installed_font_report()
            except Exception:  # the hint is a courtesy: no report, no hint
                self.report = []
        missing = [s.name for s in self.report if not s.installed]
        if not self.report:
            text = ""
        elif missing:
            text = ("本机缺少：" + "、".join(missing) + "。文件中仍写这些字体名，在装有它们的电脑上打开即显示正确；"
                    "本机没有 GB2312 公文字体时，可改选「Windows 自带字体」。")
        else:
            text = "本机已安装文件用到的全部字体。"
        self.font_hint.setText(text)
        self.font_hint.setVisible(bool(text))

    def load(self, session: Any) -> None:
        self.set_values(docmeta.get_font_set(session), open_words.open_case_words(session))
        self.show_font_report()

    def set_values(self, font_set: str, words: tuple[str, ...] | list[str]) -> None:
        index = self.font_combo.findData(font_set)
        self.font_combo.setCurrentIndex(max(index, 0))
        self.words_edit.setPlainText("、".join(words))

    def restore_defaults(self) -> None:
        self.set_values(docmeta.DEFAULT_FONT_SET, open_words.DEFAULT_OPEN_CASE_WORDS)

    def save(self, session_factory: Any) -> list[str]:
        """Store both (ValidationError for a bad word list, nothing stored then); returns what changed."""
        from app.services.auth import SETTINGS, require

        words = open_words.check_open_case_words(split_words(self.words_edit.toPlainText()))
        font_set = self.font_combo.currentData()
        changed: list[str] = []
        with session_factory.begin() as s:
            require(s, SETTINGS)
            before_font, before_words = docmeta.get_font_set(s), open_words.open_case_words(s)
            if font_set != before_font:
                docmeta.set_font_set(s, font_set)
                changed.append(docmeta.FONT_SET_KEY)
        if words != before_words:
            open_words.save_open_case_words(session_factory, words)
            changed.append(open_words.OPEN_CASE_WORDS_SETTING)
        self.words_edit.setPlainText("、".join(words))
        return changed
