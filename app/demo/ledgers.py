"""Demo generator part for the other ledgers (issue 17): a small 重点任务清单 with progress (one task overdue,
one done, one due soon), a pool of 劳动关系协调员 with certificates, trainings and 金牌 recommendations, and a
few 协调劳动关系社会组织 with services, surveys and purchased-service projects. Small and deterministic (its own
random stream); dates are relative to the demo's ``today``. A few service records of the last quarter are
left not uploaded to 志愿汇, so the upload list has something to show.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app.demo.common import _People
from app.services.validation import org_code_check_char, uscc_check_char
from db import models as m

_TASKS = (
    ("1", "加强源头治理", "常态化开展“送法进企业”活动，建立完善仲裁员联系用人单位制度", "市人力资源社会保障局", "市司法局、市总工会",
     "长期坚持", None, "每季度至少开展一次"),
    ("2", "强化协商和解", "建立健全用人单位内部协商解决机制，推广内部申诉和协商回应参考指引", "市人力资源社会保障局",
     "市总工会、市工商联、市企业联合会", None, -40, "出台工作指引，选树先进典型"),
    ("3", "做实多元调解", "推进乡镇（街道）劳动人事争议调解组织建设，落实调解组织和调解员名册制度", "各区县人力资源社会保障局",
     "市司法局", None, -10, "乡镇（街道）调解组织全覆盖"),
    ("4", "加强工作联动", "发挥调裁诉对接工作室作用，建立定期协商会议制度", "市中级人民法院", "市人力资源社会保障局", None, 20,
     "建立联席会议制度"),
    ("5", "加强保障", "将协商调解纳入政府购买服务指导性目录，落实调解员“以案定补”政策", "市财政局", "市人力资源社会保障局", None, 120,
     "印发指导性目录"),
)
_UNITS = (("企业", "有限公司", "人力资源部经理"), ("工业园区", "工业园区管委会", "劳动保障科科长"),
          ("乡镇（街道）", "街道劳动保障所", "所长"), ("工会", "总工会", "法律工作部干部"), ("人社部门", "人力资源和社会保障局", "劳动关系科科员"))
_SOCIAL = (("劳动关系协会", "社会团体", "小", "制造业", 12, ["consult", "mediation"]),
           ("和谐劳动服务中心", "社会服务机构", "微", "制造业", 5, ["psych", "consult"]),
           ("企业联合会劳动法律服务站", "社会团体", "小", "租赁和商务服务业", 8, ["employment", "pay"]),
           ("律师事务所", "律师事务所", "中", "租赁和商务服务业", 40, ["consult", "employment", "mediation", "other"]))


def _deadline_text(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日前"


def write_ledger_demo(gen) -> None:
    """Add the ledger rows through the demo writer ``gen.w`` (``gen.stream``, ``gen.today`` as the builder's)."""
    rng = gen.stream("ledgers")
    people = _People(rng)
    today, w = gen.today, gen.w
    # 重点任务清单 -----------------------------------------------------------------------------
    for number, category, content, lead, partners, text, offset, mark in _TASKS:
        deadline = today + timedelta(days=offset) if offset is not None else None
        tid = w.add(m.KeyTask, {
            "number": number, "category": category, "content": content, "goal": None, "lead_unit": lead,
            "partner_units": partners, "deadline_text": text or _deadline_text(deadline), "deadline": deadline,
            "done_mark": mark, "source": "淄人社字〔2023〕33号", "remark": None})
        steps = {"1": [(90, "开展送法进企业活动3场", 0, "推进中"), (20, "开展送法进企业活动2场", 0, "推进中")],
                 "2": [(70, "起草内部协商工作指引征求意见稿", 60, "推进中")],
                 "3": [(60, "完成调解组织建设摸底", 50, "推进中"), (15, "乡镇（街道）调解组织全部建成", 100, "已完成")],
                 "4": [(30, "召开调裁诉对接座谈会", 40, "推进中")]}.get(number, [])
        for back, done, percent, stage in steps:
            w.add(m.KeyTaskProgress, {
                "task_id": tid, "reported_on": today - timedelta(days=back), "done": done,
                "evidence": f"{done[:8]}佐证材料.pdf", "percent": percent or None, "stage": stage,
                "final": stage == "已完成"})
    # 劳动关系协调员 ---------------------------------------------------------------------------
    for i in range(10):
        male = rng.random() < 0.5
        birth = people.birth(date(1970, 1, 1), date(1995, 12, 31))
        unit_type, unit_tail, post = _UNITS[i % len(_UNITS)]
        level = ("三级", "四级", "二级", None, "三级", "五级", None, "四级", "一级", "三级")[i]
        joined = today - timedelta(days=rng.randrange(200, 1500))
        left = today - timedelta(days=rng.randrange(10, 150)) if i in (3, 7) else None
        cid = w.add(m.Coordinator, {
            "name": people.name(male), "gender": "男" if male else "女",
            "id_number": people.id_number("120104", birth, male),
            "unit": f"天津市{('南开区', '河西区', '西青区', '津南区', '和平区')[i % 5]}{unit_tail}", "unit_type": unit_type,
            "post": post, "phone": people.mobile(), "cert_level": level,
            "cert_no": f"{joined.year}{i + 1:06d}" if level else None, "cert_date": joined if level else None,
            "cert_issuer": "天津市职业技能鉴定指导中心" if level else None, "joined_on": joined, "left_on": left,
            "remark": None})
        for n in range(i % 3):
            w.add(m.CoordinatorTraining, {
                "coordinator_id": cid, "trained_on": joined + timedelta(days=60 + 120 * n),
                "title": ("劳动关系协调员职业技能培训", "集体协商实务培训")[n % 2], "organizer": "天津市人力资源和社会保障局",
                "minutes": 480 * (n + 1)})
        if level in ("一级", "二级", "三级"):
            w.add(m.CoordinatorGold, {"coordinator_id": cid, "year": today.year - 1, "recommended_by": "天津市三方办",
                                      "selected": level != "三级"})
    # 协调劳动关系社会组织 ---------------------------------------------------------------------
    used = set(gen.session.scalars(select(m.SocialOrg.credit_code)).all())
    for j, (tail, kind, size, industry, staff, services) in enumerate(_SOCIAL):
        while True:
            body8 = "MJ" + "".join(rng.choice("0123456789ABCDEFGH") for _ in range(6))
            body17 = ("51" if kind == "社会团体" else "52" if kind == "社会服务机构" else "31") + "120104" + body8 \
                + org_code_check_char(body8)
            code = body17 + uscc_check_char(body17)
            if code not in used:
                used.add(code)
                break
        oid = w.add(m.SocialOrg, {
            "name": f"天津市{('南开区', '河西区', '西青区', '和平区')[j]}{tail}", "credit_code": code, "kind": kind,
            "size": size, "industry": industry, "staff": staff, "services": services, "contact": people.name(j % 2 == 0),
            "phone": people.landline(), "address": None, "established": today - timedelta(days=800 + 200 * j),
            "remark": None})
        for k in range(2 + j % 2):
            w.add(m.SocialOrgSurvey, {"org_id": oid, "surveyed_on": today - timedelta(days=30 + 40 * k),
                                      "respondent": f"服务企业{k + 1}", "score": (4, 3, 4, 2)[(j + k) % 4], "opinions": None})
        if j < 3:
            w.add(m.SocialOrgProject, {
                "org_id": oid, "year": today.year, "name": ("小微企业劳动用工体检", "职工心理疏导服务", "薪酬分配指导进企业")[j],
                "buyer": "天津市人力资源和社会保障局", "amount_fen": (120_000, 50_000, 80_000)[j] * 100,
                "service": services[0], "start_on": date(today.year, 3, 1), "end_on": date(today.year, 11, 30),
                "result": None})

