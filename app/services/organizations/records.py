"""Writing a row with its child rows (金牌称号, 培训记录 …) in one transaction, validated first; shared by the
organization profile and the mediator roster."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.core.errors import ActionRefused, SaveResult


def replace_children(session: Session, children: list[Any], model: type, rows: list[dict[str, Any]]) -> None:
    """Replace a row's child rows (金牌称号, 培训记录 …) with new ones made of ``rows``."""
    children.clear()
    session.flush()
    for values in rows:
        children.append(model(**values))


Validator = Callable[[Session], tuple[dict[str, Any], list[dict[str, Any]] | None, list[str]]]


def create_with_children(
    session_factory: sessionmaker[Session],
    model: type,
    validate: Validator,
    children: Callable[[Any], list[Any]],
    child_model: type,
) -> SaveResult:
    """Validate and insert one row with its child rows in one transaction."""
    with session_factory.begin() as s:
        values, rows, warnings = validate(s)
        obj = model(**values)
        s.add(obj)
        s.flush()
        if rows:
            replace_children(s, children(obj), child_model, rows)
        s.flush()
        return SaveResult(obj.id, tuple(warnings))


def update_with_children(
    session_factory: sessionmaker[Session],
    model: type,
    row_id: int,
    missing: str,
    validate: Validator,
    children: Callable[[Any], list[Any]],
    child_model: type,
    check: Callable[[Session, Any, dict[str, Any]], None] | None = None,
) -> SaveResult:
    """Validate and update one row (``missing``: the refusal when it is gone) and, when the input gives
    them, replace its child rows, in one transaction; ``check`` may refuse the change first."""
    with session_factory.begin() as s:
        obj = s.get(model, row_id)
        if obj is None:
            raise ActionRefused(missing)
        values, rows, warnings = validate(s)
        if check is not None:
            check(s, obj, values)
        for key, value in values.items():
            setattr(obj, key, value)
        if rows is not None:
            replace_children(s, children(obj), child_model, rows)
        s.flush()
        return SaveResult(obj.id, tuple(warnings))

