"""基础列表 (domain.md §5: the fixed lists, "editable in settings, seeded with these"); no Qt.

组织类型, 争议类型, 案件来源, 志愿服务项目, 调解员背景 and 所属行业 are ``LookupItem`` rows: records store the
*code*, forms and exports show the *label*. So a list entry can be renamed and moved at any time (every record
then reads the new name), a new entry gets a fresh code of its own (``u01``, ``u02`` …), and an entry can be
switched off (停用: no longer offered in forms, still naming the records that have it), and deleted
only while no record uses it and only if the office added it itself — the seeded codes are what the
statistics table's rows (争议类型 rows 6–15, 组织类型 rows 16–21) and the official forms count by. A new
争议类型 or 组织类型 is counted in the table's 「其他」 row of its group.

Every change is one transaction with an ``AuditEntry``; :class:`~app.services.validation.ValidationError`
names the field (列表项名称) for a bad name.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from app.services.validation import ValidationError, normalize_text
from db.lookups import (
    CASE_SOURCE,
    CATEGORY_LABELS,
    DEFAULT_LOOKUPS,
    DISPUTE_TYPE,
    INDUSTRY,
    MEDIATOR_BACKGROUND,
    ORG_KIND,
    SERVICE_ITEM,
)
from db.models import (
    AuditEntry,
    Case,
    CaseClaim,
    Enterprise,
    LookupItem,
    Mediator,
    Organization,
    ServiceRecord,
)

FIELD = "列表项名称"
MAX_LABEL = 30
USER_CODE_PREFIX = "u"


@dataclass(frozen=True)
class ListEntry:
    code: str
    label: str
    uses: int  # records that store this code
    seeded: bool  # one of the codes the app ships with (never deleted)
    active: bool = True  # offered in forms; a switched-off entry still names the records that have it

    @property
    def deletable(self) -> bool:
        return not self.seeded and self.uses == 0


def usage_counts(session: Session, category: str) -> dict[str, int]:
    """Code → number of records that store it, for every code of ``category`` in use (one grouped query
    per column, so the list shows at once even with 100,000 cases)."""
    from sqlalchemy import text

    columns = {
        ORG_KIND: [Organization.kind],
        DISPUTE_TYPE: [Case.dispute_type_main, CaseClaim.claim_type],
        CASE_SOURCE: [Case.source],
        SERVICE_ITEM: [ServiceRecord.item],
        MEDIATOR_BACKGROUND: [Mediator.background],
        INDUSTRY: [Enterprise.industry],
    }[category]
    counts: dict[str, int] = {}
    for column in columns:
        for code, n in session.execute(select(column, func.count()).where(column.is_not(None)).group_by(column)):
            counts[code] = counts.get(code, 0) + int(n)
    if category == DISPUTE_TYPE:  # further types of a case: a JSON list such as ["02", "05"]
        rows = session.execute(text(
            "SELECT j.value, COUNT(*) FROM cases, json_each(cases.dispute_types) AS j "
            "WHERE cases.dispute_types IS NOT NULL GROUP BY j.value"))
        for code, n in rows:
            counts[str(code)] = counts.get(str(code), 0) + int(n)
    return counts


def _check_category(category: str) -> None:
    if category not in CATEGORY_LABELS:
        raise ValidationError("列表", f"列表：未知的列表“{category}”")


def _items(session: Session, category: str) -> list[LookupItem]:
    return list(session.scalars(select(LookupItem).where(LookupItem.category == category)
                                .order_by(LookupItem.sort_order, LookupItem.id)))


def list_entries(session: Session, category: str) -> list[ListEntry]:
    """The entries of one list in display order, with how many records use each."""
    _check_category(category)
    seeded = {code for code, _label in DEFAULT_LOOKUPS.get(category, [])}
    uses = usage_counts(session, category)
    return [ListEntry(i.code, i.label, uses.get(i.code, 0), i.code in seeded, bool(i.active))
            for i in _items(session, category)]


def check_label(session: Session, category: str, label: object, *, code: str | None = None) -> str:
    """A clean, unique name for an entry of ``category`` (``code``: the entry being renamed)."""
    text = normalize_text(label)
    if not text:
        raise ValidationError(FIELD, f"{FIELD}：不能为空")
    if len(text) > MAX_LABEL:
        raise ValidationError(FIELD, f"{FIELD}：不能超过{MAX_LABEL}个字（现有{len(text)}个字）")
    for item in _items(session, category):
        if item.code != code and item.label.replace(" ", "") == text.replace(" ", ""):
            raise ValidationError(FIELD, f"{FIELD}：“{CATEGORY_LABELS[category]}”中已有“{item.label}”")
    return text


def _next_code(session: Session, category: str) -> str:
    codes = set(session.scalars(select(LookupItem.code).where(LookupItem.category == category)))
    n = 1
    while f"{USER_CODE_PREFIX}{n:02d}" in codes:
        n += 1
    return f"{USER_CODE_PREFIX}{n:02d}"


class ListService:
    """Changes to the lists, each in one transaction with an audit entry."""

    def __init__(self, session_factory: sessionmaker[Session], *, user_login: str | None = None) -> None:
        self._sf = session_factory
        self.user_login = user_login

    def entries(self, category: str) -> list[ListEntry]:
        with self._sf() as s:
            return list_entries(s, category)

    def _audit(self, s: Session, category: str, summary: str) -> None:
        s.add(AuditEntry(user_login=self.user_login, action="setting", entity="lookup", entity_uuid=None,
                         summary=f"{CATEGORY_LABELS[category]}：{summary}"))

    def add(self, category: str, label: object, *, after: str | None = None) -> str:
        """A new entry (after the entry ``after``, else before a final 「其他」, else last); returns its code."""
        _check_category(category)
        with self._sf.begin() as s:
            text = check_label(s, category, label)
            items = _items(s, category)
            position = len(items)
            if after is not None:
                position = next((i + 1 for i, item in enumerate(items) if item.code == after), position)
            elif items and items[-1].label == "其他":
                position = len(items) - 1
            code = _next_code(s, category)
            new = LookupItem(category=category, code=code, label=text, active=True)
            items.insert(position, new)
            s.add(new)
            for order, item in enumerate(items):
                item.sort_order = order
            self._audit(s, category, f"新增“{text}”")
            return code

    def rename(self, category: str, code: str, label: object) -> None:
        _check_category(category)
        with self._sf.begin() as s:
            item = self._get(s, category, code)
            text = check_label(s, category, label, code=code)
            if text != item.label:
                self._audit(s, category, f"“{item.label}”改名为“{text}”")
                item.label = text

    def move(self, category: str, code: str, delta: int) -> bool:
        """Move an entry up (-1) or down (+1); False at either end."""
        _check_category(category)
        with self._sf.begin() as s:
            items = _items(s, category)
            index = next((i for i, item in enumerate(items) if item.code == code), None)
            if index is None:
                raise ValidationError("列表", f"列表：找不到代码为“{code}”的项")
            target = index + delta
            if not 0 <= target < len(items) or delta == 0:
                return False
            items.insert(target, items.pop(index))
            for order, item in enumerate(items):
                item.sort_order = order
            self._audit(s, category, f"调整“{items[target].label}”的顺序")
            return True

    def set_active(self, category: str, code: str, active: bool) -> None:
        """停用 (no longer offered in forms; records that have it keep it) or 启用 again."""
        _check_category(category)
        with self._sf.begin() as s:
            item = self._get(s, category, code)
            if bool(item.active) == bool(active):
                return
            if not active:
                others = s.scalar(select(func.count()).where(LookupItem.category == category,
                                                             LookupItem.active.is_(True), LookupItem.code != code))
                if not others:
                    raise ValidationError("列表", f"列表：“{CATEGORY_LABELS[category]}”至少要保留一个可选项")
            item.active = bool(active)
            self._audit(s, category, f"{'启用' if active else '停用'}“{item.label}”")

    def delete(self, category: str, code: str) -> None:
        """Remove an entry the office added and no record uses."""
        _check_category(category)
        with self._sf.begin() as s:
            item = self._get(s, category, code)
            if code in {c for c, _l in DEFAULT_LOOKUPS.get(category, [])}:
                raise ValidationError("列表", f"列表：“{item.label}”是统计口径使用的基本项，只能改名，不能删除")
            uses = usage_counts(s, category).get(code, 0)
            if uses:
                raise ValidationError("列表", f"列表：已有{uses}条记录使用“{item.label}”，不能删除；可以改名")
            self._audit(s, category, f"删除“{item.label}”")
            s.delete(item)

    @staticmethod
    def _get(s: Session, category: str, code: str) -> LookupItem:
        item = s.scalar(select(LookupItem).where(LookupItem.category == category, LookupItem.code == code))
        if item is None:
            raise ValidationError("列表", f"列表：找不到代码为“{code}”的项")
        return item
