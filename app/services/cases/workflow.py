"""The case's way through mediation: accept or reject, assign mediators, start, session records, extend the
period, and archive / unlock / delete."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.services import app_settings
from app.services.cases.base import CaseServiceBase
from app.services.cases.corrections import clean_session
from app.services.cases.fields import _date, _date_opt, _invalid
from app.services.cases.inputs import SessionInput
from app.services.cases.states import _S
from app.services.cases.views import ActionResult
from app.services.deadlines import acceptance_due, mediation_due
from app.services.formatting import format_date_cn
from app.services.validation import check_date_order
from app.services.validation import long_text as _long
from app.services.validation import short_text as _short
from db.enums import CaseStatus, CloseType, PerfStatus, SessionMode
from db.models import Case, CaseMediator, MediationSession, Mediator


class WorkflowActions(CaseServiceBase):
    """受理 / 不予受理, 指定调解员, 开始调解, 调解记录, 延期, and 归档 / 解锁 / 删除."""

    # -- acceptance -----------------------------------------------------------------------------

    def accept(
        self,
        case_id: int,
        accepted_on: date | str,
        mediator_ids: Sequence[int] = (),
        lead_id: int | None = None,
    ) -> ActionResult:
        """受理 (registered → accepted), optionally assigning the mediators at once."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "accept")
            accepted = _date(accepted_on, "受理日期", today=today)
            check_date_order(case.received_on, accepted, "收到申请日期", "受理日期")
            pairs = self._check_mediators(s, mediator_ids, lead_id, accepted) if mediator_ids else None
            before = self._snap(case, ("status", "accepted_on", "mediation_due_on"))
            case.status = CaseStatus.ACCEPTED.value
            case.accepted_on = accepted
            if pairs:
                before["mediators"] = []
                self._set_mediators(case, pairs)
            self._refresh(s, case)
            after = self._snap(case, ("status", "accepted_on", "mediation_due_on"))
            if pairs:
                after["mediators"] = self._mediator_names(s, pairs)
            self._audit(
                s, case, "accept", f"受理案件{case.case_no}（{format_date_cn(accepted)}）", before, after
            )
            warnings = []
            due = acceptance_due(case.received_on, self.calendar)
            if accepted > due.due:
                warnings.append(f"受理决定晚于3个工作日的期限（应于{format_date_cn(due.due)}前作出）")
            if due.warning:
                warnings.append(due.warning)
            return self._result(case, warnings)

    def reject(
        self, case_id: int, rejected_on: date | str, reason: str, notice_on: date | str | None = None
    ) -> ActionResult:
        """不予受理 (registered → rejected), with the reason and the date of the written notice."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "reject")
            rejected = _date(rejected_on, "不予受理日期", today=today)
            check_date_order(case.received_on, rejected, "收到申请日期", "不予受理日期")
            text = _long(reason)
            if text is None:
                raise _invalid("不予受理理由", "不能为空（书面通知须写明理由）")
            notice = _date_opt(notice_on, "书面通知日期", today=today)
            check_date_order(rejected, notice, "不予受理日期", "书面通知日期")
            names = ("status", "rejected_on", "reject_reason", "reject_notice_on", "mediation_due_on")
            before = self._snap(case, names)
            case.status = CaseStatus.REJECTED.value
            case.rejected_on = rejected
            case.reject_reason = text
            case.reject_notice_on = notice
            self._refresh(s, case)
            self._audit(
                s, case, "reject", f"案件{case.case_no}不予受理：{text}", before, self._snap(case, names)
            )
            return self._result(case)

    def assign_mediators(
        self, case_id: int, mediator_ids: Sequence[int], lead_id: int | None = None
    ) -> ActionResult:
        """指定调解员 / 调解小组 (replaces the current set; the lead defaults to the first)."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "assign_mediators")
            pairs = self._check_mediators(s, mediator_ids, lead_id, self.today())
            before = {
                "mediators": self._mediator_names(s, [(cm.mediator_id, cm.lead) for cm in case.mediators])
            }
            self._set_mediators(case, pairs)
            self._refresh(s, case)
            after = {"mediators": self._mediator_names(s, pairs)}
            self._audit(
                s,
                case,
                "assign_mediators",
                f"案件{case.case_no}指定调解员：{'、'.join(after['mediators'])}",
                before,
                after,
            )
            return self._result(case)

    # -- mediation ------------------------------------------------------------------------------

    def start_mediation(self, case_id: int) -> ActionResult:
        """开始调解 without a session record yet (accepted → mediating)."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "start_mediation")
            case.status = CaseStatus.MEDIATING.value
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "start_mediation",
                f"案件{case.case_no}开始调解",
                {"status": CaseStatus.ACCEPTED.value},
                {"status": case.status},
            )
            return self._result(case)

    def add_session(self, case_id: int, data: SessionInput) -> ActionResult:
        """添加调解记录; the first one moves an accepted case to mediating."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "add_session")
            values = clean_session(data, case, today)
            started, mode, result = values["started_at"], values["mode"], values["result"]
            row = MediationSession(**values)
            before_status = case.status
            case.sessions.append(row)
            if case.status == _S.ACCEPTED:
                case.status = CaseStatus.MEDIATING.value
            self._refresh(s, case)
            s.flush()
            number = len(case.sessions)
            after = {
                "status": case.status,
                "session": {
                    "uuid": row.uuid,
                    "started_at": started,
                    "mode": mode,
                    "place": row.place,
                    "result": result,
                },
            }
            self._audit(
                s,
                case,
                "add_session",
                f"案件{case.case_no}第{number}次调解（{format_date_cn(started.date())}，{SessionMode(mode).label}）",
                {"status": before_status},
                after,
            )
            warnings = []
            if case.mediation_due_on and started.date() > case.mediation_due_on:
                warnings.append(
                    f"调解期限（{format_date_cn(case.mediation_due_on)}）已过且未经双方同意延期，当事人可以依法申请仲裁"
                )
            return self._result(case, warnings)

    def extend(
        self,
        case_id: int,
        extended_to: date | str,
        reason: str,
        agreed_on: date | str,
        *,
        both_parties_agreed: bool = False,
    ) -> ActionResult:
        """延长调解期限 (mediating only), recorded with the date both parties agreed to it."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "extend")
            if not both_parties_agreed:
                raise _invalid("双方同意延期", "延长调解期限须经双方当事人同意，请确认并勾选")
            agreed = _date(agreed_on, "同意延期日期", today=today)
            check_date_order(
                case.accepted_on or case.received_on,
                agreed,
                "受理日期" if case.accepted_on else "收到申请日期",
                "同意延期日期",
            )
            new_due = _date(extended_to, "延期至", today=today, future=True)
            basis = app_settings.get_mediation_start_basis(s)
            current = mediation_due(
                case.received_on, case.accepted_on, basis, case.extended_to, self.calendar
            )
            if current is not None and new_due <= current.due:
                raise _invalid("延期至", f"应晚于现在的调解期限（{format_date_cn(current.due)}）")
            if new_due < agreed:
                raise _invalid("延期至", "不能早于同意延期日期")
            text = _long(reason)
            if text is None:
                raise _invalid("延期理由", "不能为空")
            names = ("extended_to", "extension_reason", "extension_agreed_on", "mediation_due_on")
            before = self._snap(case, names)
            case.extended_to = new_due
            case.extension_reason = text
            case.extension_agreed_on = agreed
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "extend",
                f"案件{case.case_no}经双方同意延长调解期限至{format_date_cn(new_due)}：{text}",
                before,
                self._snap(case, names),
            )
            return self._result(case)

    # -- archive, unlock, delete ----------------------------------------------------------------

    def archive(self, case_id: int, archive_no: str, archived_on: date | str) -> ActionResult:
        """归档 a closed or rejected case with its archive number; the case becomes read-only (locked)."""
        today = self.today()
        with self._sf.begin() as s:
            case = self._load(s, case_id, "archive")
            number = _short(archive_no)
            if number is None:
                raise _invalid("归档号", "不能为空")
            archived = _date(archived_on, "归档日期", today=today)
            ended = case.closed_on or case.rejected_on
            check_date_order(ended, archived, "结案日期" if case.closed_on else "不予受理日期", "归档日期")
            clash = s.scalar(
                select(Case.case_no)
                .where(
                    Case.organization_id == case.organization_id,
                    Case.archive_no == number,
                    Case.id != case.id,
                    Case.deleted_at.is_(None),
                )
                .limit(1)
            )
            if clash is not None:
                raise _invalid("归档号", f"“{number}”已用于案件{clash}")
            names = ("status", "archive_no", "archived_on", "locked")
            before = self._snap(case, names)
            case.status = CaseStatus.ARCHIVED.value
            case.archive_no = number
            case.archived_on = archived
            case.locked = True
            self._refresh(s, case)
            self._audit(
                s, case, "archive", f"案件{case.case_no}归档，归档号{number}", before, self._snap(case, names)
            )
            warnings = []
            if case.close_type == CloseType.AGREED and case.perf_status != PerfStatus.FULL:
                warnings.append("调解协议尚未全部履行")
            return self._result(case, warnings)

    def unlock(self, case_id: int, reason: str) -> ActionResult:
        """解锁 an archived case for a correction; the reason goes into the audit log."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "unlock")
            text = _long(reason)
            if text is None:
                raise _invalid("解锁理由", "不能为空")
            case.locked = False
            self._refresh(s, case)
            self._audit(
                s,
                case,
                "unlock",
                f"解锁案件{case.case_no}：{text}",
                {"locked": True},
                {"locked": False, "reason": text},
            )
            return self._result(case)

    def delete_case(self, case_id: int, reason: str) -> ActionResult:
        """删除 (soft): the row stays with ``deleted_at`` set, so its case number is never given again."""
        with self._sf.begin() as s:
            case = self._load(s, case_id, "delete")
            text = _long(reason)
            if text is None:
                raise _invalid("删除理由", "不能为空")
            case.deleted_at = datetime.now().replace(microsecond=0)
            self._reindex(s, case)  # a deleted case leaves the search index
            self._audit(
                s,
                case,
                "delete",
                f"删除案件{case.case_no}：{text}",
                {"deleted_at": None},
                {"deleted_at": case.deleted_at, "reason": text},
            )
            return self._result(case)

    # -- mediators ------------------------------------------------------------------------------

    def _check_mediators(
        self, s: Session, mediator_ids: Sequence[int], lead_id: int | None, on: date
    ) -> list[tuple[int, bool]]:
        ids = list(dict.fromkeys(int(i) for i in mediator_ids))
        if not ids:
            raise _invalid("调解员", "至少指定一名调解员")
        found = {m.id: m for m in s.scalars(select(Mediator).where(Mediator.id.in_(ids)))}
        missing = [i for i in ids if i not in found]
        if missing:
            raise _invalid("调解员", f"调解员名册中找不到编号为 {'、'.join(map(str, missing))} 的调解员")
        for m in found.values():
            if m.left_on is not None and m.left_on <= on:
                raise _invalid("调解员", f"{m.name}已于{format_date_cn(m.left_on)}离任，不能指定")
        if lead_id is None:
            lead_id = ids[0]
        if lead_id not in found:
            raise _invalid("主办调解员", "主办调解员须在所指定的调解员之中")
        return [(i, i == lead_id) for i in ids]

    @staticmethod
    def _mediator_names(s: Session, pairs: Iterable[tuple[int, bool]]) -> list[str]:
        pairs = list(pairs)
        names = dict(
            s.execute(select(Mediator.id, Mediator.name).where(Mediator.id.in_([i for i, _ in pairs]))).all()
        )
        return [f"{names.get(i, i)}{'（主办）' if lead else ''}" for i, lead in pairs]

    @staticmethod
    def _set_mediators(case: Case, pairs: list[tuple[int, bool]]) -> None:
        existing = {cm.mediator_id: cm for cm in case.mediators}
        keep = {i for i, _ in pairs}
        for mid, cm in list(existing.items()):
            if mid not in keep:
                case.mediators.remove(cm)
        for mid, lead in pairs:
            if mid in existing:
                existing[mid].lead = lead
            else:
                case.mediators.append(CaseMediator(mediator_id=mid, lead=lead))
