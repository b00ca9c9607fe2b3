"""The words that mean "not closed yet" in a ledger's 结案方式 column (调解中, 在办, 未结 …): one editable list.

Township ledgers keep open cases in the same sheet as closed ones and write their state where the closing
type goes. Importing them, a row whose 结案方式 is blank or one of these words is an open case (受理 is
inferred from a mediator or a mediation date). The list is kept as an app setting (``AppSetting`` key
:data:`OPEN_CASE_WORDS_SETTING`, a JSON list of words), seeded with :data:`DEFAULT_OPEN_CASE_WORDS`:
the editable lists of 设置 → 基础列表 are ``LookupItem`` categories whose codes records store, and a list of
words that no record stores needs no codes, no migration and no usage counts. Changing it is one
transaction with an ``AuditEntry``.

This module imports app.services (settings, validation) and db only.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session, sessionmaker

from app.services.validation import ValidationError, normalize_text

OPEN_CASE_WORDS_SETTING = "import_open_case_words"
FIELD = "未结案用语"
MAX_WORD = 20
MAX_WORDS = 200

#: The words a ledger uses for a case that is not closed (compared without spaces and punctuation).
DEFAULT_OPEN_CASE_WORDS: tuple[str, ...] = (
    "调解中", "正在调解", "在调", "在办", "办理中", "处理中", "进行中", "未结", "未结案", "未办结", "尚未结案",
    "未调结", "待调解", "待处理", "待结案", "已受理", "受理中", "审查中", "待审查", "待受理", "暂缓调解", "中止调解",
)


def _clean(word: object) -> str:
    return normalize_text(word).replace(" ", "")


def open_case_words(session: Session) -> tuple[str, ...]:
    """The list in force: the stored one, else the defaults."""
    from app.services.app_settings import get_setting

    stored = get_setting(session, OPEN_CASE_WORDS_SETTING, None)
    if isinstance(stored, list) and stored:
        words = [_clean(w) for w in stored if isinstance(w, str)]
        words = [w for w in dict.fromkeys(words) if w]
        if words:
            return tuple(words)
    return DEFAULT_OPEN_CASE_WORDS


def check_open_case_words(words: Iterable[object]) -> tuple[str, ...]:
    """A clean list (spaces removed, duplicates dropped); ValidationError naming :data:`FIELD` for a bad one."""
    out: list[str] = []
    for raw in words:
        w = _clean(raw)
        if not w:
            continue
        if len(w) > MAX_WORD:
            raise ValidationError(FIELD, f"{FIELD}：“{w}”超过{MAX_WORD}个字")
        if w not in out:
            out.append(w)
    if not out:
        raise ValidationError(FIELD, f"{FIELD}：至少要有一个词")
    if len(out) > MAX_WORDS:
        raise ValidationError(FIELD, f"{FIELD}：最多{MAX_WORDS}个词")
    return tuple(out)


def save_open_case_words(
    session_factory: sessionmaker[Session], words: Iterable[object], *, user_login: str | None = None
) -> tuple[str, ...]:
    """Store the list (one transaction, with an audit entry); returns the clean list."""
    from app.services.app_settings import set_setting
    from db.models import AuditEntry

    clean = check_open_case_words(words)
    with session_factory.begin() as s:
        before = open_case_words(s)
        set_setting(s, OPEN_CASE_WORDS_SETTING, list(clean))
        if clean != before:
            s.add(AuditEntry(user_login=user_login, action="setting", entity="setting", entity_uuid=None,
                             summary=f"{FIELD}：" + "、".join(clean)[:400]))
    return clean


def reset_open_case_words(session_factory: sessionmaker[Session], *, user_login: str | None = None) -> tuple[str, ...]:
    return save_open_case_words(session_factory, DEFAULT_OPEN_CASE_WORDS, user_login=user_login)


def open_word(text: str | None, words: Iterable[str], *, contained: bool = True) -> str | None:
    """The list's word that ``text`` says (exactly, else — with ``contained`` — the longest word in it), or None."""
    if text is None:
        return None
    from app.services.importing.header import norm_label

    t = norm_label(text)
    if not t:
        return None
    normed = [(norm_label(w), w) for w in words]
    for n, w in normed:
        if n == t:
            return w
    if not contained:
        return None
    for n, w in sorted(normed, key=lambda x: -len(x[0])):
        if len(n) >= 2 and n in t:
            return w
    return None


__all__ = [
    "DEFAULT_OPEN_CASE_WORDS",
    "OPEN_CASE_WORDS_SETTING",
    "check_open_case_words",
    "open_case_words",
    "open_word",
    "reset_open_case_words",
    "save_open_case_words",
]
