"""Names of places for the printed ledgers: 街道（乡镇） names of 9-digit township codes (GB/T 10114, forms.md
§11.3) and 区（县） names of 6-digit region codes.

The project ships no township table (codes change every year), so :func:`street_names` reads the names the
office's own data already holds: an organization with a street code whose name or address names a 街道/镇/乡
after its district (「和平区南市街道劳动人事争议调解中心」, 120101006 → 南市街道). :func:`street_label` prints
「南市街道（120101006）」, or 「和平区（120101003）」 when only the district is known, so a reader sees a name
and the importer still finds the code; a ledger imported elsewhere brings its organizations (names and street
codes, in the manifest), so the names come back with it. A bottom module: db and app.services only.
"""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.services.regions import region_name
from db.models import Organization

__all__ = ["district_and_street", "street_in_text", "street_label", "street_names"]

_DISTRICT_RE = re.compile(r"^(?:.{2,3}?(?:省|自治区))?(?:.{2,4}?市)?(.{1,6}?(?:新区|区|县|旗))")
_STREET_RE = re.compile(r"([\u4e00-\u9fff]{2,8}?(?:街道|镇|乡))")
_NOT_STREETS = ("开发区", "园区")
_STREET_WORDS = ("街道", "镇", "乡")


def _after_district(text: str) -> tuple[str, str]:
    """(district, the rest) of an address or a name beginning with its district."""
    m = _DISTRICT_RE.match(text)
    return (m.group(1), text[m.end():]) if m else ("", text)


def street_in_text(text: str | None) -> str:
    """The 街道/镇/乡 an address or organization name names after its district; '' if none."""
    if not text:
        return ""
    _district, rest = _after_district(text.strip())
    s = _STREET_RE.search(rest)
    if s and not s.group(1).endswith(_NOT_STREETS):
        return s.group(1)
    return ""


def district_and_street(address: str | None) -> tuple[str, str]:
    """(区县, 街道乡镇) read from an address; '' for a part it does not name."""
    if not address:
        return "", ""
    district, _rest = _after_district(address.strip())
    return district, street_in_text(address) if district else ""


def street_names(session: Session) -> dict[str, str]:
    """9-digit (or 12-digit) street code → the 街道/镇/乡 that the organizations with that code name in their
    name or address (the office's own records of itself; enterprises' addresses are not trusted for this: a
    typed address and a chosen code disagree too often). The most named one wins."""
    votes: dict[str, Counter[str]] = {}
    word = or_(*(Organization.address.contains(w) for w in _STREET_WORDS),
               *(Organization.name.contains(w) for w in _STREET_WORDS))
    rows = session.execute(
        select(Organization.street_code, Organization.name, Organization.address)
        .where(Organization.street_code.is_not(None), word)
        .order_by(Organization.id)
    )
    for code, *texts in rows:
        for text in texts:
            if name := street_in_text(text):
                votes.setdefault(code, Counter())[name] += 1
    return {code: c.most_common(1)[0][0] for code, c in votes.items() if code}


def street_label(code: str | None, names: dict[str, str]) -> str | None:
    """「南市街道（120101006）」; 「和平区（120101003）」 when the street's name is unknown; the bare code when
    the district is unknown too; None without a code."""
    if not code:
        return None
    name = names.get(code) or region_name(code[:6])
    return f"{name}（{code}）" if name else code
