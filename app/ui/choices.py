"""Choices of the editable lists in forms (设置 → 基础列表): entries switched off are not offered, but a record
that already has one keeps it, shown as 「名称（已停用）」, so opening and saving it never changes its value."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtWidgets import QComboBox

INACTIVE_SUFFIX = "（已停用）"


def keep_choice(combo: QComboBox, code: str | None, labels: Mapping[str, str]) -> None:
    """Add ``code`` to ``combo`` (labelled from ``labels``, every entry of the list) if it is not offered."""
    if code and combo.findData(code) < 0:
        combo.addItem(f"{labels.get(code, code)}{INACTIVE_SUFFIX}", code)
