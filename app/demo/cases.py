"""Demo generator part, cases pass 2: the rows of every case (parties, claims, mediators, sessions,
agreement, performance, return visit), written in batches."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from app.demo.common import BATCH_CASES, _GenState, _month_start, _People, _Plan, _yuan
from app.demo.words import (
    _ARB_SHORT,
    _CLOSE_REASONS,
    _CONTACT_POSTS,
    _DEFENSES,
    _DISTRICT_CODES,
    _ESTATE_KINDS,
    _ESTATES,
    _EXT_REASONS,
    _EXTRA_TYPES,
    _JOBS,
    _MAIN_TYPE_W,
    _SESSION_PLACES,
    _VISIT_FEEDBACK,
    DISTRICTS,
)
from app.services.formatting import format_date_cn, rmb_upper
from db import models as m
from db.enums import CloseType
from db.sortkeys import name_key, search_text


class _CaseGen(_GenState):
    """Pass 2: write the rows of the planned cases."""

    # -- cases: pass 2, the rows --------------------------------------------------------------
    def write_cases(self, plans: list[_Plan]) -> None:
        rng = self.stream("case-rows")
        people = _People(rng)
        total = len(plans)
        self._report(0, total, "正在生成调解案件…")
        for begin in range(0, total, BATCH_CASES):
            for p in plans[begin:begin + BATCH_CASES]:
                self._case(rng, people, p)
                self.summary.status_counts[p.status.value] = self.summary.status_counts.get(p.status.value, 0) + 1
                if p.close_type:
                    ct = p.close_type.value
                    self.summary.close_type_counts[ct] = self.summary.close_type_counts.get(ct, 0) + 1
            self.w.flush()
            done = min(total, begin + BATCH_CASES)
            self._report(done, total, f"已生成调解案件 {done}/{total}")
        for (oi, year), last in sorted(self.counters.items()):
            self.w.add(m.CaseNumberCounter, {"organization_id": self.orgs[oi].id, "year": year, "last_seq": last})
        self.w.flush()

    def _report(self, done: int, total: int, message: str) -> None:
        if self.progress is not None:
            self.progress(done, total, message)

    def _case(self, rng: random.Random, people: _People, p: _Plan) -> None:
        w = self.w
        org = self.orgs[p.org]
        spec = org.spec
        r = p.received
        today = self.today
        ent = self.ents[org.enterprise_pool[rng.choices(range(len(org.enterprise_pool)),
                                                         cum_weights=org.enterprise_cum)[0]]]
        case_no = f"({r.year}){spec['prefix']}调字第{p.seq:04d}号"
        # who and how many
        collective_p = 0.03 + (0.10 if ent.industry == "E" else 0) + (0.06 if ent.struggling else 0)
        if not ent.individual and rng.random() < collective_p:
            workers = min(60, 10 + int(rng.expovariate(1 / 9)))
            collective = True
            main = "02" if rng.random() < 0.8 else rng.choice(["05", "03"])
        else:
            workers = 1 if rng.random() < 0.92 else rng.choices(range(2, 10), [30, 22, 16, 11, 8, 6, 4, 3])[0]
            collective = False
            main = rng.choices(list(_MAIN_TYPE_W), list(_MAIN_TYPE_W.values()))[0]
            if main == "10" and spec["kind"] != "51":
                main = "02"
        common = collective or (workers > 1 and rng.random() < 0.7)
        extras: list[str] = []
        if rng.random() < 0.45:
            for t in rng.sample(_EXTRA_TYPES[main], min(len(_EXTRA_TYPES[main]), rng.randint(1, 2))):
                extras.append(t)
        if main == "01" and "02" not in extras:
            extras.insert(0, "02")
        # source and way of applying
        if spec["kind"] == "51":
            source = rng.choices(["arbitration", "court", "apply", "transfer"], [65, 10, 20, 5])[0]
        elif spec["kind"] == "11":
            source = rng.choices(["apply", "patrol"], [85, 15])[0]
        else:
            source = rng.choices(["apply", "arbitration", "court", "transfer", "patrol"], [74, 8, 6, 7, 5])[0]
        apply_mode = rng.choices(["written", "oral", "online"], [63, 30, 7 if spec["online"] else 0])[0]
        # applicants
        jobs = _JOBS[ent.industry]
        wage = (rng.randrange(7000, 20001, 500) if ent.industry == "I" else rng.randrange(3000, 9001, 100))
        n_app = rng.randint(3, 5) if collective else workers
        parties: list[dict[str, Any]] = []
        names: list[str] = []
        ids: list[str] = []
        first_hired = None
        case_job = rng.choice(jobs)
        for j in range(n_app):
            male = rng.random() < (0.85 if ent.industry in ("E", "G") else 0.5)
            age = rng.randint(19, 58)
            birth = r - timedelta(days=age * 365 + rng.randrange(365))
            id_no = people.id_number(people.region(0.5), birth, male)
            name = people.name(male)
            hired = r - timedelta(days=rng.randint(45, min(3000, (age - 17) * 365)))
            first_hired = first_hired or hired
            agent = rng.random() < 0.1 and not collective
            relation = rng.choice(["配偶", "父亲", "母亲", "天津市法律援助中心律师", "兄弟"]) if agent else None
            parties.append(self._party(
                "applicant", "person", name, "男" if male else "女", "居民身份证", id_no, birth,
                rng.choices(["汉族", "回族", "满族", "蒙古族", "土家族"], [92, 3, 3, 1, 1])[0], people.mobile(),
                f"天津市{DISTRICTS[rng.choice(_DISTRICT_CODES)][0]}{rng.choice(_ESTATES)}{rng.choice(_ESTATE_KINDS)}"
                f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}门{rng.randint(1, 18)}{rng.randint(1, 4):02d}",
                case_job if rng.random() < 0.7 else rng.choice(jobs), hired, None, None, None, None, collective, people.name(rng.random() < 0.5)
                if agent else None, relation, people.mobile() if agent else None, j))
            names.append(name)
            ids.append(id_no)
        rep_agent = rng.random() < 0.55
        parties.append(self._party(
            "respondent", "employer", ent.name, None, None, None, None, None, ent.contact_phone, ent.address, None,
            None, ent.id, ent.credit_code, ent.legal_rep, ent.legal_rep_post, False,
            ent.contact_name if rep_agent else None,
            ("单位员工（" + rng.choice(_CONTACT_POSTS) + "）" if rng.random() < 0.8 else "天津某律师事务所律师")
            if rep_agent else None, ent.contact_phone if rep_agent else None, n_app))
        # claims and amounts
        types = [main, *[t for t in extras if t != main]]
        claims: list[tuple[str, str, int]] = []
        per = workers if collective or common else 1
        arrears_to = _month_start(r, -1)
        arrears_from = max(_month_start(arrears_to, -rng.choices(range(6), [30, 25, 18, 12, 8, 7])[0]),
                           _month_start(first_hired, 0))
        if arrears_from > arrears_to:
            arrears_from = arrears_to
        for t in types:
            amount, text = self._claim(rng, t, wage, r, first_hired, arrears_from, arrears_to)
            amount *= per
            if per > 1 and amount:
                text = f"{workers}名劳动者" + text.replace("请求被申请人", "共同请求被申请人", 1)
            text = text.replace("{amt}", _yuan(amount))
            claims.append((t, text, amount))
        claim_total = sum(c[2] for c in claims)
        if claim_total == 0:
            amount = wage * rng.randint(1, 3) * 100 * per
            claims.append(("02", f"请求被申请人支付拖欠工资{_yuan(amount)}", amount))
            claim_total = amount
        summary = "；".join(f"{i + 1}. {c[1]}" for i, c in enumerate(claims))
        who = f"申请人{names[0]}等{workers}人" if collective else f"申请人{names[0]}" + ("等" if n_app > 1 else "")
        facts = (f"{who}于{first_hired.year}年{first_hired.month}月入职被申请人处，从事{parties[0]['job']}工作，月工资约"
                 f"{wage:,}元。{self._issue(main, r, arrears_from)}双方协商未果，申请人于{format_date_cn(r)}向{org.own}申请调解。")
        case_id = w.next_id["cases"]
        for party in parties:
            party["case_id"] = case_id
            w.add(m.CaseParty, party)
        for i, (t, text, amount) in enumerate(claims):
            w.add(m.CaseClaim, {"case_id": case_id, "claim_type": t, "description": text, "amount_fen": amount,
                                "sort_order": i})
        # mediators
        lead_name = None
        if p.accepted:
            on = p.accepted
            active = [md for md in org.mediators if md[2] <= on and (md[3] is None or md[3] > on)] or org.mediators[:1]
            chosen = [rng.choice(active)]
            if len(active) > 1 and rng.random() < 0.4:
                other = rng.choice(active)
                if other is not chosen[0]:
                    chosen.append(other)
            lead_name = chosen[0][1]
            for j, md in enumerate(chosen):
                w.add(m.CaseMediator, {"case_id": case_id, "mediator_id": md[0], "lead": j == 0})
            recorder = chosen[-1][1]
        # outcome
        agreed_amount = None
        if p.close_type == CloseType.AGREED:
            ratio = rng.uniform(0.45, 0.98)
            agreed_amount = int(claim_total * ratio)
            agreed_amount = agreed_amount - agreed_amount % (10_000 if agreed_amount >= 500_000 else 1_000)
            agreed_amount = max(agreed_amount, min(claim_total, 50_000))
        resp_side = f"被申请人委托代理人{ent.contact_name}" if rep_agent else f"被申请人法定代表人{ent.legal_rep}"
        for si, day in enumerate(p.sessions):
            final = si == len(p.sessions) - 1 and p.closed is not None
            mode = rng.choices(["onsite", "separate", "phone", "video"], [60, 15, 15, 10])[0]
            if final and p.close_type == CloseType.AGREED:
                result = "agreed"
                outcome = (f"经调解，双方同意由被申请人于{format_date_cn(p.perf_deadline)}前支付申请人{_yuan(agreed_amount)}，"
                           "申请人放弃其他请求")
                next_step = "制作调解协议书，双方签字后送达"
            elif final and p.close_type == CloseType.FAILED:
                result = "not_agreed"
                outcome = "双方分歧较大，仍未能达成一致"
                next_step = "出具调解不成告知书，引导申请人申请仲裁"
            else:
                result = "continue"
                outcome = "双方均有调解意愿，但对金额分歧较大，约定择日继续调解"
                next_step = "调解员分别做双方工作，核实工资及考勤材料"
            start = datetime.combine(day, time(rng.randint(9, 15), rng.choice([0, 30])))
            w.add(m.MediationSession, {
                "case_id": case_id, "started_at": start,
                "ended_at": start + timedelta(minutes=rng.choice([30, 45, 60, 90, 120])),
                "place": {"onsite": spec["short"] + rng.choice(_SESSION_PLACES), "separate": spec["short"] + "调解室",
                          "phone": "电话调解", "video": "线上（视频调解）"}[mode],
                "mode": mode, "participants": f"申请人{names[0]}；{resp_side}；调解员{lead_name}",
                "recorder": recorder,
                "record": (f"调解员告知双方权利义务及回避事项，双方均不申请回避。申请人陈述：{claims[0][1]}。"
                           f"被申请人称：{rng.choice(_DEFENSES)}。调解员释法说理，{outcome}。"),
                "result": result, "next_step": next_step,
            })
        perf_status = p.perf_status
        if p.close_type == CloseType.AGREED:
            installments = rng.random() < 0.2
            pay = "银行转账" if rng.random() < 0.85 else "现金"
            review_kind, applied = p.review or (None, None)
            decided = None
            if applied:
                decided = applied + timedelta(days=rng.randint(5, 20))
                decided = decided if decided <= today else None
            w.add(m.Agreement, {
                "case_id": case_id, "signed_on": p.closed, "effective_on": p.closed, "amount_fen": agreed_amount,
                "perf_deadline": p.perf_deadline, "perf_mode": "分期" if installments else "一次性",
                "payment_method": pay,
                "payee_account": f"申请人本人银行卡（尾号{rng.randrange(10_000):04d}）" if pay == "银行转账" else None,
                "terms": (f"一、被申请人于{format_date_cn(p.perf_deadline)}前"
                          f"{'分两期' if installments else '一次性'}支付申请人{_yuan(agreed_amount)}"
                          f"（大写：{rmb_upper(agreed_amount)}）；\n二、上述款项以{pay}方式支付；\n"
                          "三、申请人放弃其他调解请求，双方就本争议再无其他劳动争议。"),
                "review_kind": review_kind, "review_applied_on": applied, "review_decided_on": decided,
                "review_result": ("经审查确认调解协议有效，出具仲裁调解书" if review_kind == "arbitration"
                                  else "裁定确认调解协议有效") if decided else None,
            })
            if p.perf_on:
                paid = {"full": agreed_amount, "none": 0,
                        "partial": max(100, int(agreed_amount * rng.uniform(0.3, 0.8)) // 10_000 * 10_000)}[perf_status]
                w.add(m.PerformanceRecord, {
                    "case_id": case_id, "recorded_on": p.perf_on, "status": perf_status, "amount_paid_fen": paid,
                    "note": {"full": "被申请人已按协议足额支付", "partial": "被申请人支付部分款项，余款未付",
                             "none": "被申请人逾期未履行，已告知申请人可申请仲裁或支付令"}[perf_status],
                })
            if p.visit_on:
                sat = (rng.choices(["满意", "基本满意", "不满意"], [85, 12, 3])[0] if perf_status == "full"
                       else rng.choices(["满意", "基本满意", "不满意"], [20, 50, 30])[0])
                w.add(m.ReturnVisit, {
                    "case_id": case_id, "visited_on": p.visit_on, "way": rng.choices(["电话", "上门", "线上"], [70, 15, 15])[0],
                    "target": f"申请人{names[0]}", "visitor": lead_name, "perf_status": perf_status, "satisfaction": sat,
                    "feedback": rng.choice(_VISIT_FEEDBACK[perf_status]),
                    "follow_up": {"full": "无", "partial": "督促履行", "none": rng.choice(["告知仲裁", "支付令"])}[perf_status],
                })
        arb_no = None
        if p.to_arbitration:
            arb_no = (f"津{_ARB_SHORT.get(spec['region'], '')}劳人仲案字〔{p.closed.year}〕"
                      f"第{rng.randint(1, 2400)}号")
        events = [d for d in (r, p.accepted, p.rejected, p.closed, p.perf_on, p.visit_on, p.archived_on,
                              p.sessions[-1] if p.sessions else None) if d]
        search = search_text(case_no, [*names, *ids, ent.name, ent.credit_code])
        oral = (f"申请人{names[0]}于{format_date_cn(r)}到{spec['short']}口头申请调解，陈述：{claims[0][1]}。"
                "以上记录经申请人阅看确认无误并签名。") if apply_mode == "oral" else None
        w.add(m.Case, {
            "organization_id": org.id, "case_no": case_no, "case_year": r.year, "case_seq": p.seq,
            "received_on": r, "apply_mode": apply_mode, "oral_record": oral, "source": source,
            "status": p.status.value, "workers": workers, "common_claim": common, "is_collective": collective,
            "dispute_type_main": main, "dispute_types": extras, "claims_summary": summary,
            "claim_amount_fen": claim_total, "facts": facts,
            "other_party_consent": ("refused" if p.reject_reason and "不同意调解" in p.reject_reason
                                    else "agreed" if p.accepted else None),
            "other_party_consent_on": p.accepted or (p.rejected if p.reject_reason and "不同意调解" in p.reject_reason
                                                     else None),
            "accepted_on": p.accepted, "rejected_on": p.rejected, "reject_reason": p.reject_reason,
            "reject_notice_on": p.notice, "mediation_due_on": p.due, "extended_to": p.extended_to,
            "extension_reason": rng.choice(_EXT_REASONS) if p.extended_to else None,
            "extension_agreed_on": p.ext_agreed, "closed_on": p.closed,
            "close_type": p.close_type.value if p.close_type else None,
            "close_reason": rng.choice(_CLOSE_REASONS[p.close_type]) if p.close_type else None,
            "agreed_amount_fen": agreed_amount, "perf_status": perf_status, "to_arbitration": p.to_arbitration,
            "arbitration_case_no": arb_no, "archive_no": p.archive_no, "archived_on": p.archived_on,
            "locked": p.archived_on is not None, "remark": "集体争议，已启动重大集体争议预警" if workers >= 30 else None,
            "search_text": search, "applicant_key": name_key(names[0]), "respondent_key": name_key(ent.name),
            "created_at": datetime.combine(r, time(9 + p.seq % 8, p.seq * 7 % 60)),
            "updated_at": datetime.combine(max(events), time(16, p.seq * 13 % 60)),
        })

    @staticmethod
    def _party(role, kind, name, gender, id_type, id_number, birth, ethnicity, phone, address, job, hired,
               enterprise_id, credit_code, legal_rep, legal_rep_post, representative, agent_name, agent_relation,
               agent_phone, order) -> dict[str, Any]:
        return {"role": role, "party_kind": kind, "name": name, "gender": gender, "id_type": id_type,
                "id_number": id_number, "birth_date": birth, "ethnicity": ethnicity, "phone": phone,
                "address": address, "job": job, "hired_on": hired, "enterprise_id": enterprise_id,
                "credit_code": credit_code, "legal_rep": legal_rep, "legal_rep_post": legal_rep_post,
                "is_representative": representative, "agent_name": agent_name, "agent_relation": agent_relation,
                "agent_phone": agent_phone, "sort_order": order}

    @staticmethod
    def _claim(rng: random.Random, t: str, wage: int, r: date, hired: date, arrears_from: date,
               arrears_to: date) -> tuple[int, str]:
        """(amount in fen for one worker, description with an {amt} placeholder)."""
        if t == "02":
            months = (arrears_to.year - arrears_from.year) * 12 + arrears_to.month - arrears_from.month + 1
            span = (f"{arrears_from.year}年{arrears_from.month}月" if months == 1 else
                    f"{arrears_from.year}年{arrears_from.month}月至{arrears_to.year}年{arrears_to.month}月")
            return wage * months * 100, f"请求被申请人支付{span}拖欠工资" + "{amt}"
        if t == "05":
            years = max(1, min(10, (r - hired).days // 365 + rng.randint(0, 1)))
            return wage * years * 100, "请求被申请人支付解除劳动合同经济补偿金{amt}"
        if t == "06":
            return wage * rng.randint(2, 12) * 100, "请求被申请人支付违法解除劳动合同赔偿金{amt}"
        if t == "03":
            return rng.randrange(2000, 30001, 100) * 100, "请求被申请人赔偿未依法缴纳社会保险造成的损失{amt}"
        if t == "01":
            return 0, f"请求确认申请人与被申请人自{format_date_cn(hired)}起存在劳动关系"
        if t == "04":
            return rng.randrange(20_000, 300_001, 100) * 100, "请求被申请人支付工伤医疗费、停工留薪期工资及一次性伤残就业补助金等共计{amt}"
        if t == "07":
            return rng.randrange(1000, 30001, 10) * 100 + rng.choice([0, 0, 0, 50]), "请求被申请人支付延时加班费及未休年休假工资{amt}"
        if t == "08":
            return rng.randrange(500, 20001, 10) * 100, "请求被申请人支付高温津贴、防暑降温费等福利待遇{amt}"
        if t == "10":
            return rng.randrange(5000, 50001, 100) * 100, "请求被申请人补发绩效工资{amt}"
        return rng.randrange(1000, 10001, 10) * 100, "请求被申请人退还押金、工装费等{amt}"

    @staticmethod
    def _issue(t: str, r: date, arrears_from: date) -> str:
        return {
            "02": f"自{arrears_from.year}年{arrears_from.month}月起，被申请人以经营困难为由拖欠工资。",
            "05": f"{r.year}年{r.month}月，被申请人以经营调整为由与申请人解除劳动合同，未支付经济补偿。",
            "06": f"{r.year}年{r.month}月，被申请人以申请人违反规章制度为由解除劳动合同，申请人认为属违法解除。",
            "03": "被申请人未依法为申请人缴纳社会保险。",
            "01": "双方未签订书面劳动合同，被申请人否认存在劳动关系。",
            "04": "申请人在工作中受伤，已被认定为工伤，被申请人未支付相关待遇。",
            "07": "申请人长期延时加班，被申请人未足额支付加班费，且未安排带薪年休假。",
            "08": "被申请人未按规定发放高温津贴等福利待遇。",
            "10": "申请人对单位绩效工资核定结果有异议。",
        }.get(t, "双方因押金、工装费退还问题发生争议。")
