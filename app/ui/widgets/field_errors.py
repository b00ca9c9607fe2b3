"""Showing a service's :class:`~app.services.validation.ValidationError` at the field it names.

- :func:`set_invalid` outlines a field in red (a spin box gets a tinted text instead, so Qt keeps drawing
  its arrows);
- :func:`reveal` brings the tab (and scrolls the scroll area) that holds a field to the front;
- :class:`FieldErrors` shows the message in a hidden row registered under the field (case dialogs, the
  action dialogs, the settings page);
- :class:`FormFieldErrors` shows it in the dialog's summary label and in a row it inserts under the field
  of a form (the organization, mediator, enterprise and volunteer dialogs), until the user edits the field;
- :func:`accept_saved` runs a dialog's service call, shows a refusal and keeps the dialog open, or keeps
  ``saved_id`` and ``warnings`` and accepts.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QStackedWidget,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.services.validation import ValidationError
from db.versioning import RecordConflict

ERROR_COLOUR = "#b3261e"
_INVALID_STYLE = "{cls} {{ border: 1px solid #c62828; border-radius: 3px; background: #fff6f6; }}"
_INVALID_CHECK_STYLE = "QCheckBox { color: #b3261e; }"
_INVALID_SPIN_STYLE = "QLineEdit { background: #fde4e4; color: #b3261e; }"


def make_error_label(parent: QWidget | None = None) -> QLabel:
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setProperty("role", "field_error")
    label.hide()
    return label


def style_as_error(label: QLabel) -> None:
    """Give a label of the form the look of an error message (red text, no box), whatever its ``.ui`` role."""
    label.setProperty("role", "field_error")
    label.setStyleSheet(f"color: {ERROR_COLOUR};")


def _each_error(err: Exception) -> list[ValidationError]:
    """The errors ``err`` holds: a save's collection (``err.errors``) or ``err`` itself."""
    inner = getattr(err, "errors", None)
    return list(inner) if inner else [err]  # type: ignore[list-item]


def set_invalid(widget: QWidget, invalid: bool) -> None:
    """Outline a field in red (or remove the outline)."""
    widget.setProperty("invalid", invalid)
    if isinstance(widget, QAbstractSpinBox) and (inner := widget.findChild(QLineEdit)) is not None:
        # a border set by a style sheet makes Qt draw the spin arrows itself (badly): tint the text instead
        inner.setStyleSheet(_INVALID_SPIN_STYLE if invalid else "")
        return
    if not invalid:
        widget.setStyleSheet("")
    elif isinstance(widget, QCheckBox):
        widget.setStyleSheet(_INVALID_CHECK_STYLE)
    else:
        widget.setStyleSheet(_INVALID_STYLE.format(cls=widget.metaObject().className()))


class FieldErrors:
    """Shows a :class:`ValidationError` under the field it names and outlines that field in red.

    Fields are registered under the Chinese labels the services use in ``ValidationError.field``; a
    resolver may map ``err.path`` (``("parties", 2, "id_number")``) to a widget first.  An error that
    names no registered field goes to the ``fallback`` label, so no message is ever lost.
    """

    def __init__(self, fallback: QLabel) -> None:
        self._fallback = fallback
        self._by_name: dict[str, tuple[QWidget, QLabel | None]] = {}
        self._forms: dict[QLabel, QFormLayout] = {}
        self._resolvers: list[Callable[[tuple], tuple[QWidget, QLabel | None] | None]] = []
        self._shown: list[tuple[QWidget | None, QLabel, str]] = []
        self._labels: dict[QWidget, QLabel] = {}
        style_as_error(fallback)  # one style for every error message, at a field or at the foot

    def add(self, names: Iterable[str], widget: QWidget, label: QLabel | None = None) -> None:
        for name in names:
            self._by_name[name] = (widget, label)
        if label is not None:
            self._labels.setdefault(widget, label)

    def label_for(self, widget: QWidget) -> QLabel | None:
        """The error label shown with ``widget`` (``None``: the fallback label)."""
        return self._labels.get(widget)

    def add_form_row(self, form: QFormLayout, widget: QWidget, names: Iterable[str]) -> QLabel:
        """Register ``widget`` (a field of ``form``) and put a hidden error row right under it."""
        row, _role = form.getWidgetPosition(widget)
        if row < 0:  # the widget sits inside a row's layout: find that row
            row = next(
                (r for r in range(form.rowCount()) if _row_contains(form, r, widget)),
                form.rowCount() - 1,
            )
        label = make_error_label(form.parentWidget())
        form.insertRow(row + 1, "", label)
        form.setRowVisible(label, False)
        self._forms[label] = form
        self._labels[widget] = label
        self.add(names, widget, label)
        return label

    def add_resolver(self, fn: Callable[[tuple], tuple[QWidget, QLabel | None] | None]) -> None:
        self._resolvers.append(fn)

    def target(self, err: ValidationError) -> tuple[QWidget | None, QLabel]:
        path = getattr(err, "path", None)
        if path:
            for fn in self._resolvers:
                found = fn(tuple(path))
                if found is not None:
                    widget, label = found
                    return widget, label or self._fallback
        widget, label = self._by_name.get(err.field, (None, None))
        if widget is None:
            # "张三的身份证号" style labels: match on the end of the field name
            for name, (w, lab) in self._by_name.items():
                if err.field.endswith(name):
                    widget, label = w, lab
                    break
        return widget, label or self._fallback

    def show(self, err: ValidationError) -> QWidget | None:
        """Show ``err`` — and every error it holds (``err.errors``, a save's whole collection) — each at its
        field at once; the first marked field gets the focus.  Returns that field (``None``: every message went
        to the fallback label)."""
        self.clear()
        first: QWidget | None = None
        for one in _each_error(err):
            widget, label = self.target(one)
            self._shown.append((widget, label, one.message))
            self._show_label(label)
            if widget is not None:
                set_invalid(widget, True)
                if first is None:
                    first = widget
        if first is not None and first.isEnabled():
            first.setFocus(Qt.FocusReason.OtherFocusReason)
        return first

    def _show_label(self, label: QLabel) -> None:
        texts = list(dict.fromkeys(m for _w, lab, m in self._shown if lab is label))
        label.setText("\n".join(texts))
        if label in self._forms:
            self._forms[label].setRowVisible(label, bool(texts))
        label.setVisible(bool(texts))

    def clear_widget(self, widget: QWidget) -> None:
        """Clear the errors shown at ``widget``, if any (the others stay)."""
        gone = [(w, lab, m) for w, lab, m in self._shown if w is widget]
        if not gone:
            return
        self._shown = [x for x in self._shown if x[0] is not widget]
        set_invalid(widget, False)
        for label in {id(lab): lab for _w, lab, _m in gone}.values():
            self._show_label(label)

    def clear(self) -> None:
        for widget, label, _message in self._shown:
            if widget is not None:
                set_invalid(widget, False)
            label.clear()
            if label in self._forms:
                self._forms[label].setRowVisible(label, False)
            label.hide()
        self._shown.clear()

    @property
    def current(self) -> list[tuple[QWidget | None, str]]:
        """What is shown now: (field, message) pairs, in form order."""
        return [(w, m) for w, _lab, m in self._shown]


def _row_contains(form: QFormLayout, row: int, widget: QWidget) -> bool:
    item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
    if item is None:
        return False
    if item.widget() is not None:
        return item.widget() is widget or item.widget().isAncestorOf(widget)
    lay = item.layout()
    if lay is None:
        return False
    return any(lay.itemAt(i).widget() is widget for i in range(lay.count()))


def reveal(widget: QWidget) -> None:
    """Bring every tab that holds ``widget`` to the front and scroll it into view in its scroll areas."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        tabs = parent.parentWidget()
        if isinstance(tabs, QTabWidget):  # parent is the QStackedWidget of a tab widget
            index = tabs.indexOf(child)
            if index >= 0:
                tabs.setCurrentIndex(index)
        child, parent = parent, parent.parentWidget()
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget)
        parent = parent.parentWidget()


def on_user_edit(widget: QWidget, callback: Callable[[], Any]) -> None:
    """Call ``callback`` when the user edits ``widget`` (typing, picking, ticking); changes made by the
    program do not count where Qt tells them apart."""
    if isinstance(widget, QLineEdit):
        widget.textEdited.connect(lambda _text: callback())
    elif isinstance(widget, QComboBox):
        widget.activated.connect(lambda _index: callback())
        if widget.isEditable() and widget.lineEdit() is not None:
            widget.lineEdit().textEdited.connect(lambda _text: callback())
    elif isinstance(widget, QAbstractSpinBox):
        if (inner := widget.findChild(QLineEdit)) is not None:
            inner.textEdited.connect(lambda _text: callback())
    elif isinstance(widget, QAbstractButton):
        widget.clicked.connect(lambda _checked=False: callback())
    elif isinstance(widget, QPlainTextEdit | QTextEdit):
        widget.textChanged.connect(callback)
    elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
        widget.model().dataChanged.connect(lambda *_args: callback())


def accept_saved(
    dialog: QDialog,
    call: Callable[[], Any],
    show: Callable[[Exception], Any],
    refusals: tuple[type[Exception], ...] = (ValidationError,),
) -> bool:
    """Run ``call`` (the service's save); on one of ``refusals`` ``show`` it and stay open (``False``);
    otherwise keep the result's ``id`` and ``warnings`` as ``dialog.saved_id`` / ``dialog.warnings`` and accept."""
    try:
        result = call()
    except (*refusals, RecordConflict) as exc:  # RecordConflict: changed by another user meanwhile (issue 16)
        show(exc)
        return False
    dialog.saved_id, dialog.warnings = result.id, result.warnings  # type: ignore[attr-defined]
    dialog.accept()
    return True


class FormFieldErrors:
    """Shows a save's errors under the widgets of their fields (in their form layouts), outlines the widgets
    in red, brings the first one's tab to the front and focuses it; the messages also go to the dialog's
    summary label, in the same red as the field messages (every dialog shows errors the same way).

    ``fields`` maps the Chinese field labels used by the services to widgets; ``patterns`` maps regular
    expressions (for labels such as 「第2条培训的日期」) to widgets.
    """

    def __init__(
        self,
        summary: QLabel,
        fields: Mapping[str, QWidget],
        patterns: Mapping[str, QWidget] | None = None,
    ) -> None:
        self.summary = summary
        style_as_error(summary)
        self.fields = dict(fields)
        self.patterns = [(re.compile(p), w) for p, w in (patterns or {}).items()]
        self._rows: list[tuple[QFormLayout, QLabel]] = []
        self._marked: list[QWidget] = []
        self.widget: QWidget | None = None  # the widget of the first error (tests read it)
        self.shown: list[tuple[QWidget | None, str]] = []
        self._watched: set[int] = set()

    def widget_for(self, field: str) -> QWidget | None:
        if field in self.fields:
            return self.fields[field]
        for pattern, widget in self.patterns:
            if pattern.search(field):
                return widget
        return None

    def clear(self) -> None:
        for form, label in self._rows:
            form.removeRow(label)  # deletes the label
        self._rows = []
        for widget in self._marked:
            set_invalid(widget, False)
        self._marked = []
        self.summary.clear()
        self.summary.setVisible(False)
        self.widget = None
        self.shown = []

    def _edited(self, widget: QWidget) -> None:
        if widget in self._marked:
            self.clear()

    def show(self, error: Exception | str, field: str | None = None) -> None:
        """Show ``error``: a :class:`ValidationError` (or a collection of them, ``error.errors``) at its
        fields; another refusal or a text in the summary."""
        self.clear()
        if isinstance(error, ValidationError):
            items = [(e.message, e.field) for e in _each_error(error)]
        else:
            items = [(str(error), field)]
        self.summary.setText("\n".join(dict.fromkeys(m for m, _f in items)))
        self.summary.setVisible(True)
        placed: dict[int, QLabel] = {}
        for message, name in items:
            widget = self.widget_for(name) if name else None
            self.shown.append((widget, message))
            if widget is None:
                continue
            if self.widget is None:
                self.widget = widget
            set_invalid(widget, True)
            if widget not in self._marked:
                self._marked.append(widget)
            if id(widget) not in self._watched:  # an edit of the field clears its error
                self._watched.add(id(widget))
                on_user_edit(widget, lambda w=widget: self._edited(w))
            if id(widget) in placed:
                label = placed[id(widget)]
                label.setText(f"{label.text()}\n{message}")
                continue
            form, row = _form_row(widget)
            if form is not None:
                label = make_error_label()
                label.setObjectName("field_error_label")
                label.setText(message)
                form.insertRow(row + 1, "", label)
                label.show()
                self._rows.append((form, label))
                placed[id(widget)] = label
        if self.widget is not None:
            reveal(self.widget)
            self.widget.setFocus()


def _form_row(widget: QWidget) -> tuple[QFormLayout | None, int]:
    """The form layout that holds ``widget`` (or the container it sits in) and its row."""
    w = widget
    while w is not None and w.parentWidget() is not None and not isinstance(w, QDialog):
        parent = w.parentWidget()
        if isinstance(parent, QStackedWidget | QTabWidget):
            break  # the form that holds a widget never lies beyond its tab page
        found = _find_in_form(parent.layout(), w)
        if found is not None:
            return found
        w = parent
    return None, -1


def _find_in_form(layout, widget) -> tuple[QFormLayout, int] | None:
    if layout is None:
        return None
    if isinstance(layout, QFormLayout):
        row, _role = layout.getWidgetPosition(widget)
        if row >= 0:
            return layout, row
    for i in range(layout.count()):
        child = layout.itemAt(i).layout()
        if child is not None:
            found = _find_in_form(child, widget)
            if found is not None:
                return found
    return None
