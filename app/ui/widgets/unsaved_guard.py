"""Never lose typed work: 「保存 / 不保存 / 取消」 when a form with changes is closed or left.

A change is a difference between the field values now and a snapshot taken after loading (not a dirty flag):
a value typed and then set back is no change. :func:`snapshot` reads QLineEdit, QPlainTextEdit, QTextEdit,
QComboBox, QDateEdit/QDateTimeEdit, QSpinBox/QDoubleSpinBox, QCheckBox/QRadioButton and the cells and
check marks of item views (tables, check lists) under a widget.

* :class:`UnsavedGuard` — the snapshot of one form and the question; ``confirm_leave()`` is True when the
  form may be closed/left (no change, 保存 succeeded, or 不保存).
* :class:`UnsavedChangesMixin` — for QDialog subclasses (put before QDialog): Esc, the 关闭/取消 button
  (connect it to ``request_close``) and the window's X ask first; ``reject()`` and ``close()`` called by
  the program do not ask. The dialog provides ``save() -> bool`` and calls ``mark_clean()`` after loading.
* :func:`ask_unsaved` — the question itself (tests replace it: ``monkeypatch.setattr(unsaved_guard,
  "ask_unsaved", lambda *a: SAVE)``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDoubleSpinBox,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QRadioButton,
    QSpinBox,
    QTextBrowser,
    QTextEdit,
    QWidget,
)

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"
#: Item views larger than this are lists to look at, not values being edited.
MAX_VIEW_CELLS = 5000
_ROLES = (Qt.ItemDataRole.EditRole, Qt.ItemDataRole.CheckStateRole)


def ask_unsaved(parent: QWidget | None, title: str, text: str = "有未保存的修改。要保存吗？") -> str:
    """Ask 「保存 / 不保存 / 取消」; returns SAVE, DISCARD or CANCEL."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                      | QMessageBox.StandardButton.Cancel, parent)
    box.button(QMessageBox.StandardButton.Save).setText("保存")
    box.button(QMessageBox.StandardButton.Discard).setText("不保存")
    box.button(QMessageBox.StandardButton.Cancel).setText("取消")
    box.setDefaultButton(QMessageBox.StandardButton.Save)
    box.setEscapeButton(QMessageBox.StandardButton.Cancel)
    answer = box.exec()
    if answer == QMessageBox.StandardButton.Save:
        return SAVE
    if answer == QMessageBox.StandardButton.Discard:
        return DISCARD
    return CANCEL


def _model_values(model: QAbstractItemModel | None, parent: QModelIndex | None = None) -> tuple:
    if model is None:
        return ()
    parent = parent or QModelIndex()
    rows = model.rowCount(parent)
    try:
        columns = model.columnCount(parent)
    except TypeError:  # a list model (QListWidget, QStringListModel): its columnCount is private
        columns = 1
    if rows * max(columns, 1) > MAX_VIEW_CELLS:
        return ("<large>",)
    return tuple(
        tuple(model.data(model.index(r, c, parent), role) for c in range(columns) for role in _ROLES)
        for r in range(rows)
    )


def widget_value(widget: QWidget) -> Any:
    """What the user entered in ``widget`` (None for a widget that holds no value)."""
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QTextEdit):
        return None if isinstance(widget, QTextBrowser) else widget.toPlainText()
    if isinstance(widget, QComboBox):
        return (widget.currentIndex(), widget.currentText(), repr(widget.currentData()))
    if isinstance(widget, QDateTimeEdit):
        return widget.dateTime().toString(Qt.DateFormat.ISODate)
    if isinstance(widget, QSpinBox | QDoubleSpinBox):
        return widget.value()
    if isinstance(widget, QCheckBox | QRadioButton):
        return widget.checkState() if isinstance(widget, QCheckBox) else widget.isChecked()
    if isinstance(widget, QAbstractItemView):
        return _model_values(widget.model())
    return None


def _value_widgets(root: QWidget) -> Iterable[QWidget]:
    window = root.window()
    for widget in root.findChildren(QWidget):
        if widget.window() is not window:  # another dialog, a popup list, a calendar popup
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), QAbstractSpinBox | QComboBox):
            continue  # the spin box / combo box itself is read
        yield widget


def snapshot(roots: QWidget | Iterable[QWidget], ignore: Iterable[QWidget] = ()) -> list[tuple[str, str, Any]]:
    """The values of every input under ``roots`` (or of the given widgets themselves), in widget order."""
    skip = {id(w) for w in ignore}
    widgets: list[QWidget] = []
    if isinstance(roots, QWidget):
        widgets = list(_value_widgets(roots))
    else:
        widgets = list(roots)
    out = []
    for widget in widgets:
        if id(widget) in skip:
            continue
        value = widget_value(widget)
        if value is not None:
            out.append((type(widget).__name__, widget.objectName(), value))
    return out


class UnsavedGuard:
    """The snapshot of one form and the 「保存 / 不保存 / 取消」 question.

    ``fields``: a widget (every input under it) or a list of widgets; ``save`` returns True when saved;
    ``extra`` returns values the widgets do not show (e.g. a chosen photo).
    """

    def __init__(
        self,
        owner: QWidget,
        fields: QWidget | Iterable[QWidget] | Callable[[], Iterable[QWidget]],
        save: Callable[[], bool],
        *,
        title: str = "",
        extra: Callable[[], Any] | None = None,
        ignore: Callable[[], Iterable[QWidget]] | None = None,
    ) -> None:
        self.owner = owner
        self._fields = fields
        self._save = save
        self._extra = extra
        self._ignore = ignore
        self.title = title
        self._clean: list | None = None
        self.mark_clean()

    def current(self) -> list:
        fields = self._fields() if callable(self._fields) else self._fields
        values = snapshot(fields, self._ignore() if self._ignore else ())
        if self._extra is not None:
            values.append(("extra", "", self._extra()))
        return values

    def mark_clean(self) -> None:
        """The values now are the saved ones (after loading or saving)."""
        self._clean = self.current()

    def is_dirty(self) -> bool:
        return self._clean is not None and self.current() != self._clean

    def confirm_leave(self) -> bool:
        """True when the form may close: nothing changed, 保存 succeeded, or 不保存."""
        if not self.is_dirty():
            return True
        answer = ask_unsaved(self.owner, self.title or self.owner.window().windowTitle())
        if answer == SAVE:
            return bool(self._save())
        return answer == DISCARD


class UnsavedChangesMixin:
    """Esc, 关闭 and the window's X ask before a dialog with changes closes (``reject()``/``close()`` do not).

    Call ``self.guard_unsaved(save)`` at the end of ``__init__`` (after loading), and ``mark_clean()`` after a
    reload. 保存 runs ``save()``; when it succeeds and the dialog is still open (a form that stays open after
    saving), the dialog is closed.
    """

    unsaved: UnsavedGuard | None = None

    def guard_unsaved(self, save: Callable[[], bool], **kwargs: Any) -> UnsavedGuard:
        self.unsaved = UnsavedGuard(self, self, save, **kwargs)  # type: ignore[arg-type]
        return self.unsaved

    def mark_clean(self) -> None:
        if self.unsaved is not None:
            self.unsaved.mark_clean()

    def has_unsaved_changes(self) -> bool:
        return self.unsaved is not None and self.unsaved.is_dirty()

    def may_close(self) -> bool:
        return self.unsaved is None or self.unsaved.confirm_leave()

    def request_close(self) -> bool:
        """关闭 / 取消 / Esc: ask if there are changes; True when the dialog closed."""
        if not self.may_close():
            return False
        if self.isVisible():  # type: ignore[attr-defined]  # (保存 may have closed it already)
            self.reject()  # type: ignore[attr-defined]
        return True

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            event.accept()
            self.request_close()
            return
        super().keyPressEvent(event)  # type: ignore[misc]

    _closing_by_program = False

    def close(self) -> bool:
        """``close()`` called by the program (or a test's clean-up) closes as ``reject()`` does."""
        self._closing_by_program = True
        try:
            return super().close()  # type: ignore[misc]
        finally:
            self._closing_by_program = False

    def closeEvent(self, event: QCloseEvent) -> None:
        # the window's X (a close event from the window system) asks
        if not self._closing_by_program and self.isVisible() and not self.may_close():  # type: ignore[attr-defined]
            event.ignore()
            return
        super().closeEvent(event)  # type: ignore[misc]
