"""Demo generator part: young-arbitrator volunteers, their contacted enterprises, service records and
satisfaction surveys."""

from __future__ import annotations

import random
from datetime import date, timedelta

from app.demo.common import (
    _GenState,
    _on_or_after_weekday,
    _on_or_before_weekday,
    _People,
    _Vol,
    _years_before,
)
from app.demo.words import _POLICIES, _PROBLEMS, _SERVICE_W, _SURVEY_OPINIONS, _TOPICS, DISTRICTS, _cum
from db import models as m


class _VolunteeringGen(_GenState):
    """Volunteers, contacts, service records and surveys."""

    # -- volunteers ---------------------------------------------------------------------------
    def volunteers(self, count: int = 25) -> None:
        rng = self.stream("volunteers")
        people = _People(rng)
        units = ([("天津市劳动人事争议仲裁院", None)] * 8
                 + [(f"天津市{DISTRICTS[r][0]}人力资源和社会保障局", r)
                    for r in ("120101", "120103", "120111", "120105", "120102", "120104", "120113")
                    for _ in range(3)])[:count]
        while len(units) < count:
            units.append(("天津市劳动人事争议仲裁院", None))
        categories = (["专职仲裁员"] * 12 + ["兼职仲裁员"] * 5 + ["劳动保障监察员"] * 4 + ["劳动关系协调员"] * 4)
        rng.shuffle(categories)
        schools = ["南开大学 法学", "天津大学 法律（法学）", "天津师范大学 法学", "天津财经大学 法学", "天津商业大学 劳动与社会保障",
                   "中国政法大学 法学", "河北大学 法学", "天津工业大学 法学", "山东大学 经济法学"]
        expertise_all = ["劳动报酬", "工伤待遇", "社会保险", "劳动合同解除", "新就业形态用工", "集体争议处理", "企业用工合规"]
        left_slots = {count - 3, count - 7}
        for i in range(count):
            unit, unit_region = units[i]
            male = rng.random() < 0.45
            age = rng.randint(38, 40) if i in (4, 15) else rng.randint(26, 35)
            birth = people.birth(date(self.today.year - age, 1, 1), date(self.today.year - age, 12, 28))
            if birth > _years_before(self.today, age):
                birth = _years_before(birth, 1)
            category = categories[i % len(categories)]
            cohort = rng.choices([0, 1, 2], [70, 20, 10])[0]
            joined = [date(self.start.year - 1 if self.start.month < 4 else self.start.year, 3, 15),
                      self.start + timedelta(days=120), self.start + timedelta(days=490)][cohort]
            joined += timedelta(days=rng.randrange(60))
            joined = min(joined, self.today - timedelta(days=200))
            left = None
            if i in left_slots:
                left = joined + timedelta(days=rng.randint(300, max(301, (self.today - joined).days - 90)))
                left = min(left, self.today - timedelta(days=30))
            edu = rng.choices(["大学本科", "硕士研究生"], [55, 45])[0]
            work_start = date(birth.year + (22 if edu == "大学本科" else 25), 7, 1)
            arbitrator = category.endswith("仲裁员")
            arb_since = None
            if arbitrator:
                arb_since = min(work_start + timedelta(days=rng.randint(365, 1500)), joined)
            name = people.name(male)
            region = people.region(0.7)
            zyh = rng.random() < 0.88
            vol_id = self.w.add(m.Volunteer, {
                "name": name, "gender": "男" if male else "女", "id_number": people.id_number(region, birth, male),
                "birth_date": birth, "ethnicity": rng.choices(["汉族", "回族", "满族", "蒙古族"], [92, 4, 3, 1])[0],
                "political_status": rng.choices(["中共党员", "共青团员", "群众"], [60, 30, 10])[0],
                "education": edu, "degree": "法学学士" if edu == "大学本科" else "法学硕士",
                "school_major": rng.choice(schools), "unit": unit,
                "post": rng.choice(["仲裁员", "书记员", "一级科员", "四级主任科员"]) if arbitrator
                else rng.choice(["劳动保障监察员", "一级科员", "四级主任科员"]),
                "category": category, "arbitrator_since": arb_since,
                "arbitrator_cert_no": f"津仲证字第{arb_since.year}{rng.randrange(1000):04d}号" if arb_since else None,
                "years_in_service": max(1, self.today.year - work_start.year),
                "cases_handled": rng.randint(30, 400) if arbitrator else None, "phone": people.mobile(),
                "email": f"{rng.randrange(100_000_000, 3_999_999_999)}@qq.com" if rng.random() < 0.5
                else f"tj{rng.randrange(10_000_000, 99_999_999)}@163.com",
                "expertise": rng.sample(expertise_all, rng.randint(2, 3)),
                "intention": "愿意利用业余时间深入企业开展普法宣传、用工指导和矛盾纠纷预防化解工作。",
                "zyh_registered": zyh, "zyh_id": f"{rng.randrange(10**9, 10**10)}" if zyh else None,
                "recommended_by": f"{unit}团支部", "joined_on": joined, "left_on": left,
                "status": "left" if left else "active",
                "resume": f"{work_start.year}年{'本科' if edu == '大学本科' else '研究生'}毕业后参加工作，"
                          f"现任{unit}{'仲裁员' if arbitrator else '工作人员'}。",
                "achievements": f"{joined.year + 1}年度天津市人社系统优秀青年志愿者" if rng.random() < 0.15 else None,
                "remark": "工作调动，退出志愿者队伍" if left else None,
            })
            self.vols.append(_Vol(vol_id, name, unit_region, joined, left))
        self._contacts(rng)

    def _contacts(self, rng: random.Random) -> None:
        reasons = ["经营状况：受市场影响经营压力较大", "用工特点：一线职工多、流动性大", "用工特点：劳务派遣用工比例较高",
                   "服务需求：企业主动申请用工指导", "服务需求：近年发生过劳动争议", "用工特点：新就业形态劳动者较多"]
        modes = ["上门走访", "上门走访、电话", "电话、线上", "集中宣讲、上门走访"]
        contents = ["政策宣传、用工指导(法律体检)", "风险排查、指导建立调解组织", "调解员/HR培训", "政策宣传、风险排查",
                    "参与调解、用工指导(法律体检)"]
        by_region: dict[str | None, list[int]] = {None: list(range(len(self.ents)))}
        for i, e in enumerate(self.ents):
            by_region.setdefault(e.region, []).append(i)
        taken: list[int] = []
        for vol in self.vols:
            n = rng.choices([3, 4, 5, 6, 7], [10, 20, 40, 20, 10])[0]
            pool = by_region.get(vol.unit_region) or by_region[None]
            chosen: list[int] = []
            while len(chosen) < n:
                if taken and rng.random() < 0.06:
                    idx = rng.choice(taken)  # an enterprise another volunteer already contacts
                else:
                    idx = rng.choice(pool)
                if idx not in chosen:
                    chosen.append(idx)
            for idx in list(chosen):
                taken.append(idx)
                frm = vol.joined + timedelta(days=rng.randrange(60))
                end = vol.left
                replaced = end is None and rng.random() < 0.12 and (self.today - frm).days > 400
                if replaced:  # the link ended (enterprise moved away) and another enterprise took its place
                    end = frm + timedelta(days=rng.randint(200, (self.today - frm).days - 60))
                self._contact_row(rng, vol, idx, frm, end, reasons, modes, contents,
                                  remark="企业迁出本区，退出联系" if replaced else None)
                if replaced:
                    repl = rng.choice(pool)
                    while repl in chosen:
                        repl = rng.choice(pool)
                    chosen.append(repl)
                    self._contact_row(rng, vol, repl, end + timedelta(days=rng.randint(1, 30)), None,
                                      reasons, modes, contents, remark="新增")

    def _contact_row(self, rng, vol, idx, frm, to, reasons, modes, contents, remark=None) -> None:
        self.w.add(m.VolunteerContact, {
            "volunteer_id": vol.id, "enterprise_id": self.ents[idx].id, "from_date": frm, "to_date": to,
            "reason": rng.choice(reasons), "service_mode": rng.choice(modes), "service_content": rng.choice(contents),
            "remark": remark})
        vol.contacts.append((idx, frm, to))

    # -- service records and surveys ----------------------------------------------------------
    def services(self) -> None:
        rng = self.stream("services")
        items = list(_SERVICE_W)
        item_cum = _cum(list(_SERVICE_W.values()))
        qy, qn = self.today.year, (self.today.month - 1) // 3
        quarters = []
        for _ in range(12):
            q_start = date(qy, qn * 3 + 1, 1)
            q_end = (date(qy + 1, 1, 1) if qn == 3 else date(qy, qn * 3 + 4, 1)) - timedelta(days=1)
            quarters.append((q_start, min(q_end, self.today)))
            qn -= 1
            if qn < 0:
                qy, qn = qy - 1, 3
        quarters.reverse()
        for q_start, q_end in quarters:
            active = [v for v in self.vols if v.joined <= q_end and (v.left is None or v.left >= q_start)]
            serving = [v for v in active if rng.random() >= 0.15]
            for vol in serving:
                lo = max(q_start, vol.joined)
                hi = min(q_end, vol.left or q_end)
                if hi < lo:
                    continue
                for _ in range(rng.choices([1, 2, 3], [50, 35, 15])[0]):
                    served = _on_or_after_weekday(lo + timedelta(days=rng.randrange((hi - lo).days + 1)))
                    if served > hi:
                        served = _on_or_before_weekday(hi)
                    if served < lo:
                        served = lo
                    co = []
                    if rng.random() < 0.25:
                        others = [v for v in serving if v is not vol
                                  and v.joined <= served and (v.left is None or v.left >= served)]
                        co = rng.sample(others, min(len(others), rng.randint(1, 2)))
                    self._service(rng, vol, co, served, rng.choices(items, cum_weights=item_cum)[0])
        self._surveys()

    def _service(self, rng: random.Random, vol: _Vol, co: list[_Vol], served: date, item: str) -> None:
        current = [idx for idx, frm, to in vol.contacts if frm <= served and (to is None or to >= served)]
        current = current or [idx for idx, _f, _t in vol.contacts]
        if item in ("lecture", "salon", "policy", "training", "online") and rng.random() < 0.5:
            ents = rng.sample(current, min(len(current), rng.randint(2, 5)))
        else:
            ents = [rng.choice(current)]
        first = self.ents[ents[0]].name
        topic = rng.choice(_TOPICS)
        problem, advice = rng.choice(_PROBLEMS)
        content = {
            "lecture": f"在{first}开展“{topic}”普法讲座，结合典型案例讲解相关法律规定并现场答疑",
            "visit": f"走访{first}，了解企业生产经营和用工情况，围绕{topic}提供法律咨询，发放宣传资料",
            "hearing": f"组织{first}人力资源管理人员观摩劳动争议仲裁庭审，庭后就{topic}进行交流",
            "checkup": f"为{first}开展用工“法律体检”，查阅劳动合同、考勤和工资台账，发现{problem}等问题",
            "case_talk": f"以近期审结的{rng.choice(['加班费', '工伤待遇', '违法解除', '未签劳动合同二倍工资'])}案件为例，向{first}职工以案释法",
            "salon": f"组织辖区企业人事负责人召开“{topic}”主题沙龙，{len(ents)}家企业参加",
            "online": f"通过线上平台开展“{topic}”网络课堂，联系企业职工在线收看",
            "video": f"录制“{topic}”普法短视频，在联系企业微信群推送",
            "policy": f"向{first}宣讲{rng.choice(_POLICIES)}",
            "training": f"为{first}劳动争议调解委员会调解员开展业务培训，讲解{topic}及调解技巧",
            "qa": f"在{first}设置咨询台现场答疑，解答职工关于{topic}的问题",
            "other": f"协助{first}筹建劳动争议调解委员会，指导完善调解工作制度",
        }[item]
        reach = {"lecture": (20, 150), "online": (50, 600), "video": (100, 1500), "salon": (8, 40),
                 "training": (5, 30), "qa": (15, 80), "policy": (10, 60)}.get(item, (2, 15))
        stats = rng.random() < 0.6
        resolved = rng.randint(0, 2) if stats and rng.random() < 0.2 else 0
        uploaded = rng.random() < 0.8
        up_on = min(self.today, served + timedelta(days=rng.randint(0, 10))) if uploaded else None
        sr_id = self.w.add(m.ServiceRecord, {
            "served_on": served, "item": item, "content": content,
            "minutes": rng.choice([60, 90, 120, 150, 180, 210, 240]), "people_reached": rng.randint(*reach),
            "problems": problem if item in ("checkup", "visit") and rng.random() < 0.7 else None,
            "advice": advice if item in ("checkup", "visit") and rng.random() < 0.7 else None,
            "consultations": rng.randint(2, 40) if stats else None,
            "materials": rng.randint(10, 300) if stats else None,
            "risks_found": rng.randint(0, 3) if stats else None,
            "suggestions": rng.randint(0, 5) if stats else None,
            "committees_established": (1 if item == "other" else 0) if stats else None,
            "disputes_resolved": resolved if stats else None,
            "dispute_workers": resolved * rng.randint(1, 4) if stats else None,
            "dispute_amount_fen": resolved * rng.randint(50, 3000) * 1000 if stats else None,
            "publicity": rng.randint(0, 2) if stats else None,
            "uploaded_zyh": uploaded, "uploaded_on": up_on,
        })
        for v in [vol, *co]:
            self.w.add(m.ServiceRecordVolunteer, {"service_record_id": sr_id, "volunteer_id": v.id})
        for idx in ents:
            self.w.add(m.ServiceRecordEnterprise, {"service_record_id": sr_id, "enterprise_id": self.ents[idx].id})

    def _surveys(self) -> None:
        rng = self.stream("surveys")
        for vol in self.vols:
            for year in range(self.start.year, self.today.year + 1):
                lo = max(date(year, 1, 1), vol.joined + timedelta(days=30), self.start)
                hi = min(date(year, 12, 31), vol.left or self.today, self.today)
                if hi <= lo:
                    continue
                for _ in range(rng.randint(1, 3)):
                    on = lo + timedelta(days=rng.randrange((hi - lo).days + 1))
                    contacts = [idx for idx, frm, to in vol.contacts if frm <= on] or [vol.contacts[0][0]]
                    score = rng.choices([4, 3, 2, 1], [55, 33, 9, 3])[0]
                    self.w.add(m.SatisfactionSurvey, {
                        "enterprise_id": self.ents[rng.choice(contacts)].id, "volunteer_id": vol.id,
                        "surveyed_on": on, "score": score, "opinions": rng.choice(_SURVEY_OPINIONS[score]),
                    })
