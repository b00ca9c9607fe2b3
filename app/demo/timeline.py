"""Demo generator part, cases pass 1: the timeline of every case (states, dates, numbers) before any row
is written."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from app.demo.common import _add_weekdays, _GenState, _on_or_after_weekday, _on_or_before_weekday, _Plan
from app.demo.words import _CLOSE_W, _REJECT_REASONS, _cum
from db.enums import CaseStatus, CloseType


class _TimelineGen(_GenState):
    """Pass 1: plan every case."""

    # -- cases: pass 1, the timeline of every case ---------------------------------------------
    def plan_cases(self) -> list[_Plan]:
        rng = self.stream("case-plan")
        n = self.n_cases
        today, start = self.today, self.start
        span = (today - start).days + 1
        a = 1.2  # density rises linearly to (1 + a)× the starting rate
        month_w = {1: 1.45, 2: 0.85, 3: 1.05, 4: 1.0, 5: 0.95, 6: 1.0, 7: 1.05, 8: 1.0, 9: 1.0, 10: 0.85,
                   11: 1.1, 12: 1.35}
        org_cum = _cum([o.spec["weight"] for o in self.orgs])
        orgs = self.orgs

        def received_date() -> date:
            while True:
                u = rng.random()
                t = (-1 + math.sqrt(1 + 2 * a * u * (1 + a / 2))) / a
                d = start + timedelta(days=min(span - 1, int(t * span)))
                if rng.random() * 1.5 > month_w[d.month]:
                    continue
                if d.weekday() >= 5 and rng.random() < 0.9:  # offices receive on working days (a few online)
                    continue
                return d

        # a few cases pinned near today so that every state shows even in small data sets
        k = min(12, 2 + n // 1000) if n >= 50 else 0
        forced = (["registered"] * k + ["accepted"] * k + ["overdue"] * k + ["extended"] * k
                  + ["mediating"] * k)[:n]
        plans: list[_Plan] = []
        for i in range(n):
            kind = forced[i] if i < len(forced) else None
            if kind == "registered":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(0, 1)))
            elif kind == "accepted":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(1, 2)))
            elif kind == "overdue":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(17, 35)))
            elif kind == "extended":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(16, 24)))
            elif kind == "mediating":
                r = _on_or_before_weekday(today - timedelta(days=rng.randint(4, 12)))
            else:
                r = received_date()
            while True:
                oi = rng.choices(range(len(orgs)), cum_weights=org_cum)[0]
                if orgs[oi].established <= r:
                    break
            plans.append(_Plan(oi, r, kind, rng.random()))
        plans.sort(key=lambda p: (p.received, p.tiebreak))
        for p in plans:
            self._timeline(rng, p)
        # case numbers: sequential per organization and year in order of receipt
        seqs: dict[tuple[int, int], int] = {}
        for p in plans:
            key = (p.org, p.received.year)
            seqs[key] = seqs.get(key, 0) + 1
            p.seq = seqs[key]
        self.counters = seqs
        # archive numbers: sequential per organization and archive year in order of archiving
        arch = sorted((p for p in plans if p.archived_on), key=lambda p: (p.archived_on, p.received, p.seq))
        aseqs: dict[tuple[int, int], int] = {}
        for p in arch:
            key = (p.org, p.archived_on.year)
            aseqs[key] = aseqs.get(key, 0) + 1
            p.archive_no = f"{p.archived_on.year}-{orgs[p.org].spec['prefix']}调-{aseqs[key]:04d}"
        return plans

    def _due15(self, received: date) -> date:
        """The 15-day mediation deadline as the case service computes it (holidays move the last day)."""
        cal = getattr(self, "_calendar", None)
        if cal is None:
            from app.services.calendar import WorkCalendar

            cal = self._calendar = WorkCalendar.load()
        return cal.calendar_deadline(received, 15).due

    def _timeline(self, rng: random.Random, p: _Plan) -> None:
        today, r = self.today, p.received
        kind = p.forced
        p.due = self._due15(r)
        if kind == "registered":
            p.status = CaseStatus.REGISTERED
            return
        decide = rng.choices([0, 1, 2, 3], [45, 30, 15, 10])[0]
        if kind is None and rng.random() < 0.04:
            p.rejected = _add_weekdays(r, decide)
            if p.rejected > today:
                p.rejected = None
                p.status = CaseStatus.REGISTERED
                return
            p.status = CaseStatus.REJECTED
            p.due = None
            p.reject_reason = rng.choice(_REJECT_REASONS)
            p.notice = min(today, _add_weekdays(p.rejected, rng.choice([0, 0, 1, 2])))
            return
        if kind == "accepted":
            p.accepted = min(today, _add_weekdays(r, 1))
            p.status = CaseStatus.ACCEPTED
            return
        p.accepted = _add_weekdays(r, decide) if kind is None else _add_weekdays(r, rng.randint(0, 1))
        if p.accepted > today:
            p.accepted = None
            p.status = CaseStatus.REGISTERED
            return
        if kind is not None:  # overdue / extended / mediating: open, with sessions so far
            if kind == "extended":
                p.ext_agreed = r + timedelta(days=rng.randint(12, 14))
                p.extended_to = r + timedelta(days=30)
                p.due = p.extended_to
            last = today - timedelta(days=1)
            if last >= p.accepted:
                days = (last - p.accepted).days
                p.sessions = sorted({p.accepted + timedelta(days=rng.randint(0, days))
                                     for _ in range(1 if kind == "mediating" else 2)})
            p.status = CaseStatus.MEDIATING
            return
        close_type = rng.choices(list(_CLOSE_W), list(_CLOSE_W.values()))[0]
        if rng.random() < 0.10:  # ran over the 15 days
            dur = rng.randint(16, 32)
            if dur <= 30 and rng.random() < 0.5:
                p.ext_agreed = r + timedelta(days=rng.randint(10, 14))
                p.extended_to = r + timedelta(days=30)
                p.due = p.extended_to
        else:
            dur = int(rng.triangular(3, 15.99, 7))
        closed = _on_or_after_weekday(max(r + timedelta(days=dur), p.accepted + timedelta(days=1)))
        n_sessions = {CloseType.AGREED: (1, 2, 3), CloseType.SETTLED_WITHDRAWN: (0, 1, 2),
                      CloseType.WITHDRAWN: (0, 0, 1), CloseType.FAILED: (1, 2, 3),
                      CloseType.TERMINATED: (0, 1, 2)}[close_type]
        n = rng.choices(n_sessions, [50, 35, 15])[0]
        span = (closed - p.accepted).days
        sessions = sorted({p.accepted + timedelta(days=rng.randint(0, span)) for _ in range(max(0, n - 1))})
        if n:
            sessions = sorted(set(sessions) | {closed}) if close_type in (CloseType.AGREED, CloseType.FAILED) \
                else sorted(set(sessions) | {p.accepted + timedelta(days=rng.randint(0, span))})
        if closed > today:  # still open
            p.sessions = [d for d in sessions if d <= today]
            if p.ext_agreed and p.ext_agreed > today:
                p.ext_agreed = p.extended_to = None
                p.due = self._due15(r)
            p.status = CaseStatus.MEDIATING if p.sessions or today >= p.accepted + timedelta(days=3) \
                else CaseStatus.ACCEPTED
            return
        p.sessions = sessions
        p.closed, p.close_type = closed, close_type
        p.status = CaseStatus.CLOSED
        last = closed
        if close_type == CloseType.AGREED:
            p.perf_deadline = closed + timedelta(days=rng.choice([3, 7, 10, 15, 15, 20, 30]))
            p.perf_status = "pending"
            if p.perf_deadline < today:
                outcome = rng.choices(["full", "partial", "none"], [84, 9, 7])[0]
                if outcome == "full":
                    rec = closed + timedelta(days=rng.randint(0, (p.perf_deadline - closed).days))
                else:
                    rec = min(today, p.perf_deadline + timedelta(days=rng.randint(1, 10)))
                p.perf_status, p.perf_on = outcome, rec
                last = rec
                if rng.random() < 0.85:
                    visit = rec + timedelta(days=rng.randint(2, 20))
                    if visit <= today:
                        p.visit_on = visit
                        last = visit
            if rng.random() < 0.15:
                applied = closed + timedelta(days=rng.randint(1, 14))
                if applied <= today:
                    p.review = ("arbitration" if rng.random() < 0.75 else "judicial", applied)
            if p.perf_status == "pending":
                return
        if close_type in (CloseType.FAILED, CloseType.TERMINATED) or p.perf_status == "none":
            p.to_arbitration = rng.random() < 0.55
        archived = last + timedelta(days=rng.randint(7, 45))
        if archived <= today and rng.random() < 0.93:
            p.archived_on = archived
            p.status = CaseStatus.ARCHIVED
