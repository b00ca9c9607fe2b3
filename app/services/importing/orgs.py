"""Which organization imported rows belong to.

The default, for rows that do not name one: the organization the user chose (the wizard's choice, or the
command line's); the sender named in a file sent upward (by uuid, then exact name — created at the district
when it is not there yet, with the township's own uuid so that later files find it); the organization an
export was limited to; the only organization of the database.

A row that names its organization in a column (调解组织, 所属调解组织) always uses that one, whatever was
chosen. When the file is this program's export, its manifest lists the organizations its rows name (uuid,
region and street codes, kind): such a name is matched by uuid, else by name with the same region code, else
the organization is created with the sender's uuid and codes — never matched loosely to another one. Other
names (a township's own ledger) are matched exactly, else by a unique partial name (with a warning), else
created.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services.importing.manifest import ManifestInfo
from db.models import Organization
from db.portable import position_in


@dataclass
class OrgRef:
    id: int | None
    name: str
    uuid: str | None = None
    region_code: str | None = None
    how: str = ""
    kind: str = ""  # org_kind code for a new organization ('' = guessed from the name)
    street_code: str | None = None

    @property
    def create(self) -> bool:
        return self.id is None


def guess_org_kind(name: str) -> str:
    """org_kind code from a name: 街道/乡/镇 → 21, 仲裁院 → 51, 人民调解 → 41, 行业/协会/商会 → 32 …"""
    if "仲裁院" in name or "仲裁委" in name:
        return "51"
    if "人民调解" in name:
        return "41"
    if any(w in name for w in ("协会", "商会", "行业")):
        return "32"
    if any(w in name for w in ("园区", "开发区", "商圈", "楼宇", "产业园")):
        return "31"
    if any(w in name for w in ("街道", "乡", "镇")):
        return "21"
    if any(w in name for w in ("公司", "企业", "集团", "厂")):
        return "11"
    return "99"


class OrgResolver:
    def __init__(self, session: Session, option: int | str | None, manifest: ManifestInfo | None) -> None:
        self.session = session
        self._by_name: dict[str, OrgRef] = {}
        self.listed: dict[str, dict[str, str]] = dict(manifest.organizations) if manifest is not None else {}
        self.default: OrgRef | None = None
        if option not in (None, ""):
            from app.services.organizations import find_organization

            org = find_organization(session, option)  # ValueError with a Chinese message
            self.default = OrgRef(org.id, org.name, org.uuid, org.region_code, "option")
        elif manifest is not None and (manifest.sender_uuid or manifest.sender_name):
            self.default = self._find(manifest.sender_uuid, manifest.sender_name, manifest.region_code, "sender")
        elif manifest is not None and (manifest.organization_uuid or manifest.organization_name):
            self.default = self._find(manifest.organization_uuid, manifest.organization_name, None, "manifest")
        else:
            only = session.execute(select(Organization.id, Organization.name, Organization.uuid, Organization.region_code).limit(2)).all()
            if len(only) == 1:
                i, n, u, r = only[0]
                self.default = OrgRef(i, n, u, r, "only")

    def _find(self, uuid: str | None, name: str | None, region: str | None, how: str) -> OrgRef | None:
        s = self.session
        if uuid:
            org = s.scalar(select(Organization).where(Organization.uuid == uuid))
            if org is not None:
                return OrgRef(org.id, org.name, org.uuid, org.region_code, how)
        if name:
            orgs = s.scalars(select(Organization).where(Organization.name == name).limit(2)).all()
            if len(orgs) == 1:
                return OrgRef(orgs[0].id, orgs[0].name, orgs[0].uuid, orgs[0].region_code, how)
            return OrgRef(None, name, uuid or None, region or None, how)
        return None

    def default_label(self) -> str:
        if self.default is None:
            return ""
        return self.default.name + ("（将新建）" if self.default.create else "")

    def by_name(self, name: str) -> tuple[OrgRef, str | None]:
        """The organization a row names, and a warning (or None)."""
        key = name.strip()
        if key in self._by_name:
            return self._by_name[key], None
        if key in self.listed:
            ref = self._listed(key, self.listed[key])
            self._by_name[key] = ref
            return ref, None if ref.id is not None else f"库中没有调解组织“{key}”，导入时将新建"
        s = self.session
        exact = s.scalars(select(Organization).where(Organization.name == key).limit(2)).all()
        warning = None
        if len(exact) == 1:
            ref = OrgRef(exact[0].id, exact[0].name, exact[0].uuid, exact[0].region_code, "column")
        else:
            like = s.scalars(
                select(Organization)
                .where((Organization.name.contains(key)) | (position_in(key, Organization.name) > 0))
                .limit(2)
            ).all()
            if len(like) == 1:
                ref = OrgRef(like[0].id, like[0].name, like[0].uuid, like[0].region_code, "column")
                warning = f"“{key}”按“{like[0].name}”导入"
            elif self.default is not None and not self.default.create and key in self.default.name:
                ref = self.default
            else:
                region = self.default.region_code if self.default else None
                ref = OrgRef(None, key, None, region, "new")
                warning = f"库中没有调解组织“{key}”，导入时将新建"
        self._by_name[key] = ref
        return ref, warning

    def _listed(self, name: str, entry: dict[str, str]) -> OrgRef:
        """An organization named by this program's export: by uuid, else same name and region, else to create."""
        s = self.session
        uuid = entry.get("uuid") or None
        region = entry.get("region_code") or None
        street = entry.get("street_code") or None
        if uuid:
            org = s.scalar(select(Organization).where(Organization.uuid == uuid))
            if org is not None:
                return OrgRef(org.id, org.name, org.uuid, org.region_code, "listed")
        same = s.scalars(select(Organization).where(Organization.name == name).order_by(Organization.id)).all()

        def fits(o: Organization) -> bool:
            return (not region or not o.region_code or o.region_code == region) and (
                not street or not o.street_code or o.street_code == street)

        fitting = [o for o in same if fits(o)]
        fitting.sort(key=lambda o: (o.region_code != region, o.street_code != street, o.id))
        if fitting:
            o = fitting[0]
            return OrgRef(o.id, o.name, o.uuid, o.region_code, "listed")
        return OrgRef(None, name, uuid, region or (street[:6] if street else None), "listed",
                      kind=entry.get("kind") or "", street_code=street)

    def ensure(self, ref: OrgRef, ctx=None) -> int:
        """The id of ``ref``'s organization, creating it (write phase) when it is not in the database."""
        if ref.id is not None:
            return ref.id
        s = self.session
        org = None
        if ref.uuid:
            org = s.scalar(select(Organization).where(Organization.uuid == ref.uuid))
        if org is None and ref.how != "listed":  # a listed name was matched by name and region already
            org = s.scalar(select(Organization).where(Organization.name == ref.name).limit(1))
        if org is None:
            code = ref.region_code or ""
            region = code[:6] if len(code) >= 6 and code[:6].isdigit() else None
            street = ref.street_code or (code if len(code) in (9, 12) and code.isdigit() else None)
            org = Organization(name=ref.name, kind=self._kind(ref), region_code=region, street_code=street)
            if ref.uuid:
                org.uuid = ref.uuid
            s.add(org)
            s.flush()
            if ctx is not None:
                ctx.count_created("调解组织")
        ref.id = org.id
        return org.id

    def _kind(self, ref: OrgRef) -> str:
        """The export's org_kind code when this database knows it, else one guessed from the name."""
        if ref.kind:
            from db.lookups import ORG_KIND, lookup_labels

            if ref.kind in lookup_labels(self.session, ORG_KIND):
                return ref.kind
        return guess_org_kind(ref.name)
