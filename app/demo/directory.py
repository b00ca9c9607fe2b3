"""Demo generator part: enterprises, mediation organizations with their mediators and trainings, and
each organization's pool of enterprises."""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import select

from app.demo.common import _Ent, _GenState, _Org, _People
from app.demo.words import (
    _BRANDS,
    _BUSINESS,
    _CONTACT_POSTS,
    _ENT_REGION_W,
    _INDUSTRY_W,
    _ORG_SPECS,
    _PARK_ROADS,
    _SHOPS,
    _SURNAME_CUM,
    DISTRICTS,
    SURNAMES,
    SYSTEM_KEYS,
    USCC_CHARS,
    _cum,
)
from app.services.validation import org_code_check_char, uscc_check_char
from db import models as m


class _DirectoryGen(_GenState):
    """Enterprises, organizations and mediators."""

    # -- enterprises ------------------------------------------------------------------------
    def enterprises(self, count: int = 300) -> None:
        rng = self.stream("enterprises")
        people = _People(rng)
        used_codes: set[str] = set(self.session.scalars(select(m.Enterprise.credit_code)).all()) - {None}
        used_names: set[str] = set(self.session.scalars(select(m.Enterprise.name)).all())
        regions = list(_ENT_REGION_W)
        region_cum = _cum(list(_ENT_REGION_W.values()))
        industries = list(_INDUSTRY_W)
        industry_cum = _cum(list(_INDUSTRY_W.values()))

        def credit_code(prefix: str, region: str) -> str:
            while True:
                if rng.random() < 0.6:
                    body8 = "MA0" + "".join(rng.choice(USCC_CHARS) for _ in range(5))
                else:
                    body8 = rng.choice("3567") + f"{rng.randrange(10_000_000):07d}"
                body17 = prefix + region + body8 + org_code_check_char(body8)
                code = body17 + uscc_check_char(body17)
                if code not in used_codes:
                    used_codes.add(code)
                    return code

        def make(name: str, region: str, industry: str, size: str, individual: bool, park: bool,
                 struggling: bool | None = None, employees: int | None = None) -> _Ent:
            district, roads = DISTRICTS[region]
            if park:
                address = f"天津市西青区经济技术开发区{rng.choice(_PARK_ROADS)}{rng.randrange(1, 200)}号"
                street = "120111400"
            else:
                address = f"天津市{district}{rng.choice(roads)}{rng.randrange(1, 400)}号"
                if not individual and rng.random() < 0.4:
                    address += f"{rng.choice('ABCDE')}座{rng.randrange(2, 28)}{rng.randrange(1, 20):02d}室"
                street = region + f"{rng.randrange(1, 15):03d}"
            legal_rep = people.name(rng.random() < 0.75)
            if employees is None:
                lo, hi = {"大": (1000, 4000), "中": (300, 999), "小": (20, 299), "微": (3, 19)}[size]
                employees = rng.randint(lo, hi)
            if struggling is None:
                struggling = rng.random() < 0.07
            platform = industry in ("I", "G") and not individual and rng.random() < 0.25
            if platform:
                new_form = rng.randint(200, 3000)
            elif industry == "G":
                new_form = rng.randint(0, 80)
            else:
                new_form = None
            if individual:
                contact, post = legal_rep, "经营者"
                ownership, etype, rep_post = "个体", "个体工商户", "经营者"
            else:
                contact, post = people.name(rng.random() < 0.4), rng.choice(_CONTACT_POSTS)
                ownership = rng.choices(["民营", "国有", "外资(港澳台)", "其他"], [84, 6, 7, 3])[0]
                etype, rep_post = "企业", rng.choice(["执行董事", "总经理", "董事长", "执行董事兼总经理"])
            code = credit_code("92" if individual else "91", region)
            phone = people.mobile()
            big = size in ("大", "中")
            ent_id = self.w.add(m.Enterprise, {
                "name": name, "credit_code": code, "employer_type": etype, "legal_rep": legal_rep,
                "industry": industry, "size": size, "ownership": ownership, "employees": employees,
                "new_form_workers": new_form, "is_platform": platform, "is_struggling": struggling,
                "above_scale": big or (size == "小" and rng.random() < 0.3),
                "has_union": rng.random() < {"大": 0.95, "中": 0.7, "小": 0.3, "微": 0.05}[size],
                "has_mediation_committee": rng.random() < {"大": 0.85, "中": 0.4, "小": 0.08, "微": 0.0}[size],
                "address": address, "region_code": region, "street_code": street, "contact_name": contact,
                "contact_post": post, "contact_phone": phone,
                "notes": "受行业下行影响，近期存在欠薪风险，列为重点关注企业" if struggling else None,
            })
            ent = _Ent(ent_id, name, code, region, industry, size, legal_rep, rep_post, address, contact, phone,
                       struggling, park, individual)
            self.ents.append(ent)
            return ent

        # the enterprise behind the enterprise mediation committee comes first
        make("天津鑫达机械制造有限公司", "120113", "C", "中", False, False, struggling=False, employees=680)
        used_names.add("天津鑫达机械制造有限公司")
        while len(self.ents) < count:
            region = rng.choices(regions, cum_weights=region_cum)[0]
            district = DISTRICTS[region][0]
            individual = rng.random() < 0.1
            park = region == "120111" and not individual and rng.random() < 0.45
            if individual:
                shop, industry = rng.choice(_SHOPS)
                owner = rng.choices(SURNAMES, cum_weights=_SURNAME_CUM)[0]
                keyword = f"老{owner}家" if rng.random() < 0.4 else rng.choice(_BRANDS)
                name = f"{district}{keyword}{shop}"
                size = "微"
            else:
                industry = (rng.choice(["C", "C", "I", "G", "L"]) if park
                            else rng.choices(industries, cum_weights=industry_cum)[0])
                biz = rng.choice(_BUSINESS[industry])
                brand = rng.choice(_BRANDS)
                style = rng.random()
                if style < 0.5:
                    name = f"天津市{district}{brand}{biz}有限公司"
                elif style < 0.85:
                    name = f"天津{brand}{biz}有限公司"
                elif style < 0.9:
                    name = f"天津{brand}{biz}股份有限公司"
                else:
                    name = f"{brand}（天津）{biz}有限公司"
                size = rng.choices(["大", "中", "小", "微"], [4, 14, 47, 35])[0]
                if "股份" in name and size == "微":
                    size = "小"
            if name in used_names:
                continue
            used_names.add(name)
            make(name, region, industry, size, individual, park)

    # -- organizations and mediators ----------------------------------------------------------
    def organizations(self) -> None:
        rng = self.stream("organizations")
        people = _People(rng)
        committee_ent = self.ents[0]
        for spec in _ORG_SPECS:
            established = spec["established"] or (self.today - timedelta(days=760))
            facilities = {k: k not in spec["missing_fac"]
                          for k in ("reception", "mediation_room", "computer", "printer", "copier")}
            systems = {k: k not in spec["missing_sys"] for k in SYSTEM_KEYS}
            parent, parent_code, address = spec["parent"], None, spec["address"]
            if spec["kind"] == "11":
                parent, parent_code, address = committee_ent.name, committee_ent.credit_code, committee_ent.address
            elif spec["kind"] == "32":
                body8 = "MJ0" + f"{rng.randrange(100_000):05d}"
                body17 = "51" + spec["region"] + body8 + org_code_check_char(body8)
                parent_code = body17 + uscc_check_char(body17)
            honours = "；".join(f"{y}年{'全国' if lvl == '国家' else '天津市'}{b}金牌劳动人事争议调解组织"
                               for lvl, y, b in spec["titles"]) or None
            org_id = self.w.add(m.Organization, {
                "name": spec["name"], "short_name": spec["short"], "kind": spec["kind"],
                "region_code": spec["region"], "street_code": spec["street"], "address": address,
                "established_on": established, "parent_unit": parent, "parent_credit_code": parent_code,
                "head_name": people.name(rng.random() < 0.6), "head_post": spec["head_post"],
                "head_phone": people.landline(), "contact_name": people.name(rng.random() < 0.4),
                "contact_phone": people.mobile(), "email": spec["email"], "area_m2": spec["area"],
                "rooms": spec["rooms"], "budget_fen": spec["budget"] * 100 if spec["budget"] else None,
                "budget_source": spec["budget_source"], "facilities": facilities,
                "signage": {"emblem": spec["signage"], "six_norms_five_walls": spec["signage"]},
                "systems": systems, "online_platform": spec["online"], "complaints_channel": spec["complaints"],
                "case_no_pattern": "({year}){prefix}调字第{seq:04d}号", "case_no_prefix": spec["prefix"],
                "honours": honours, "highlights": spec["highlights"], "notes": None, "active": True,
            })
            org = _Org(org_id, spec, established, own="本委员会" if spec["name"].endswith("委员会") else "本中心")
            self.orgs.append(org)
            for level, year, batch in spec["titles"]:
                self.w.add(m.OrganizationTitle, {"organization_id": org_id, "title": "金牌劳动人事争议调解组织",
                                                 "level": level, "year": year, "batch": batch})
            self._mediators(rng, people, org)

    def _mediators(self, rng: random.Random, people: _People, org: _Org) -> None:
        spec = org.spec
        count = rng.randint(*spec["mediators"])
        full = rng.randint(*spec["full"])
        district = DISTRICTS[spec["region"]][0]
        latest_appoint = self.today - timedelta(days=60)
        for i in range(count):
            full_time = i < full
            if full_time:
                background = rng.choices(["coordinator", "arbitrator", "grid", "other"], [5, 2, 2, 1])[0]
                post = "调解中心主任" if i == 0 and org.own == "本中心" else "专职调解员"
            else:
                background = rng.choices(["lawyer", "judge", "prosecutor", "scholar", "union", "hr", "grid", "other"],
                                         [5, 2, 1, 1, 3, 3, 2, 1])[0]
                post = "兼职调解员"
            if spec["kind"] == "11":
                background = "hr" if i == 0 else rng.choice(["union", "hr", "other"])
                post = "调解委员会主任" if i == 0 else "调解委员"
            male = rng.random() < 0.55
            if background in ("judge", "prosecutor"):
                birth = people.birth(date(1955, 1, 1), date(1964, 12, 31))
            else:
                birth = people.birth(date(1962, 1, 1), date(1996, 12, 31))
            if i == 0:
                appointed = org.established  # someone is always on duty
            else:
                lo = max(org.established, date(2012, 1, 1))
                appointed = lo + timedelta(days=rng.randrange(max(1, (latest_appoint - lo).days)))
            left = None
            if i > 0 and rng.random() < 0.15:
                earliest = appointed + timedelta(days=180)
                if earliest < self.today - timedelta(days=30):
                    left = earliest + timedelta(days=rng.randrange((self.today - timedelta(days=30) - earliest).days))
            certified = full_time or rng.random() < 0.6
            legal = background in ("lawyer", "judge", "prosecutor", "scholar", "arbitrator") or rng.random() < 0.1
            name = people.name(male)
            med_id = self.w.add(m.Mediator, {
                "organization_id": org.id, "name": name, "gender": "男" if male else "女",
                "id_number": people.id_number(people.region(0.85), birth, male), "phone": people.mobile(),
                "full_time": full_time, "background": background, "post": post, "certified": certified,
                "certificate_level": rng.choice(["初级", "中级", "高级"]) if certified else None,
                "certificate_no": f"津调证{appointed.year}{rng.randrange(10_000):04d}" if certified else None,
                "legal_qualification": legal, "appointed_on": appointed, "left_on": left,
                "expert_pool": background in ("judge", "prosecutor", "scholar") or (legal and rng.random() < 0.2),
                "notes": "已离任" if left else None,
            })
            org.mediators.append((med_id, name, appointed, left))
            for _ in range(rng.choices([0, 1, 2, 3, 4], [15, 30, 30, 15, 10])[0]):
                lo = max(appointed, self.start)
                hi = min(left or self.today, self.today)
                if hi <= lo:
                    break
                held = lo + timedelta(days=rng.randrange((hi - lo).days))
                name_t, organizer = rng.choice([
                    (f"{held.year}年天津市基层劳动人事争议调解员能力提升培训班", "天津市人力资源和社会保障局"),
                    (f"{held.year}年{district}劳动人事争议调解员业务培训", f"天津市{district}人力资源和社会保障局"),
                    ("金牌劳动人事争议调解组织创建工作专题培训", "天津市劳动人事争议仲裁院"),
                    ("劳动争议调解实务与典型案例研讨会", "天津市劳动人事争议仲裁院"),
                    ("新就业形态劳动者权益保障专题培训", "天津市总工会"),
                    ("调解员调解技巧与心理疏导培训", "天津市工商业联合会"),
                ])
                self.w.add(m.MediatorTraining, {"mediator_id": med_id, "held_on": held, "name": name_t,
                                                "minutes": rng.choice([120, 180, 240, 360, 480, 960]),
                                                "organizer": organizer})

    def enterprise_pools(self) -> None:
        """Which enterprises each organization's respondents come from (weighted: struggling ones more)."""
        for org in self.orgs:
            kind, region = org.spec["kind"], org.spec["region"]
            if kind == "11":
                pool = [0]
            elif kind == "32":
                pool = [i for i, e in enumerate(self.ents) if e.industry == "H"]
            elif kind == "31":
                pool = [i for i, e in enumerate(self.ents) if e.park]
            else:
                local = [i for i, e in enumerate(self.ents) if e.region == region and not e.park]
                others = [i for i, e in enumerate(self.ents) if e.region != region]
                pool = local + others
            weights = []
            for i in pool:
                e = self.ents[i]
                wgt = {"大": 4.0, "中": 3.0, "小": 1.5, "微": 0.8}[e.size] * (5.0 if e.struggling else 1.0)
                if kind in ("21", "41", "51") and e.region != region:
                    wgt *= 0.08
                weights.append(wgt)
            org.enterprise_pool = pool
            org.enterprise_cum = _cum(weights)
