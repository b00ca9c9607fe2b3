"""The case form itself (:class:`CaseDialog`): building the form from ``forms/case_dialog.ui``, its field
errors, and saving (登记 / 保存修改) through :class:`~app.services.cases.CaseService`.

The rest of its behaviour lives in the mixins of this package (parties, display, documents)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCompleter,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListView,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QWidget,
)

from app.services.case_list import EnterpriseChoice, form_choices
from app.services.cases import CaseActionError, CaseDraft, CaseService, CaseView, PartyInput
from app.services.validation import ValidationError, normalize_text
from app.ui.dialogs.case.corrections import CorrectionsMixin
from app.ui.dialogs.case.display import DisplayMixin
from app.ui.dialogs.case.documents import DOCUMENT_KINDS, DocumentsMixin
from app.ui.dialogs.case.parties import PartiesMixin
from app.ui.dialogs.case.rows import (
    _W_BIRTH,
    _W_GENDER,
    _W_ID,
    _W_NAME,
    _W_PHONE,
    _W_REP,
    AgentFields,
    ApplicantRow,
    ClaimRow,
    _claim_filled,
)
from app.ui.dialogs.case_actions import ActionDialog, select_data, show_message
from app.ui.forms.ui_case_dialog import Ui_CaseDialog
from app.ui.widgets.date_entry import DateEntry, set_tab_chain, tab_leaves
from app.ui.widgets.field_errors import FieldErrors, reveal
from app.ui.widgets.fit_screen import FitToScreenMixin
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin
from db.enums import ApplyMode, PartyKind, PartyRole
from db.versioning import RecordConflict


class CaseDialog(
    UnsavedChangesMixin, FitToScreenMixin, PartiesMixin, DisplayMixin, DocumentsMixin, CorrectionsMixin, QDialog
):
    """Register a new case (``case_id=None``) or open an existing one."""

    #: A change was saved (case id); the list refreshes.
    case_changed = Signal(int)

    def __init__(
        self,
        session_factory: Any,
        service: CaseService,
        case_id: int | None = None,
        parent: QWidget | None = None,
        *,
        default_organization_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.session_factory = session_factory
        self.service = service
        self.case_id = case_id
        self.view: CaseView | None = None
        self.today = service.today()
        self.action_dialog: ActionDialog | None = None
        self.last_message: QMessageBox | None = None
        self.current_op: Any = None
        self.applicant_rows: list[ApplicantRow] = []
        self.claim_rows: list[ClaimRow] = []
        self.action_buttons: dict[str, QPushButton] = {}
        self._respondent: Any = None  # the CaseParty of the respondent being edited
        self._extra_parties: list[PartyInput] = []  # parties the form does not edit (kept as they are)
        self._enterprise_id: int | None = None
        self._enterprise_name: str | None = None
        self._enterprise_choices: dict[str, EnterpriseChoice] = {}
        self._party_targets: list[tuple[str, Any]] = []  # draft party index → ("applicant", row) / ("respondent", None)

        self.ui = Ui_CaseDialog()
        self.ui.setupUi(self)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.ui.tabs.setCurrentIndex(0)
        self.ui.error_label.hide()
        self.ui.warning_label.hide()
        self.ui.recusal_label.hide()
        self.ui.applicants_error_label.hide()
        self._load_choices()
        self._setup_fields()
        self._setup_errors()
        self._setup_documents_menu()
        self._setup_corrections()
        self.ui.save_button.clicked.connect(self.save)
        self.ui.close_button.clicked.connect(self.request_close)

        if case_id is None:
            # never a silent default: the 案号 follows the organization. One organization: it; more: the
            # caller's (the list's filter) or none, and saving asks for it.
            self.ui.org_combo.setPlaceholderText("请选择调解组织")
            self.ui.org_combo.setCurrentIndex(0 if self.ui.org_combo.count() == 1 else -1)
            if default_organization_id is not None:
                select_data(self.ui.org_combo, default_organization_id)
            self._new_case()
        else:
            self.reload()
        self.guard_unsaved(self.save, title="案件")  # 关闭/Esc/X with changes: 保存 / 不保存 / 取消

    # --- setup ----------------------------------------------------------------------------------------
    def _load_choices(self) -> None:
        with self.session_factory() as s:
            choices = form_choices(s)
        self.dispute_types = choices.dispute_types
        self.dispute_type_labels = choices.dispute_type_labels
        self.source_labels = choices.source_labels
        for oid, name in choices.organizations:
            self.ui.org_combo.addItem(name, oid)
        for code, label in choices.dispute_types:
            self.ui.type_combo.addItem(label, code)
            item = QListWidgetItem(label)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.ui.other_types_list.addItem(item)
        for code, label in choices.sources:
            self.ui.source_combo.addItem(label, code)
        for mode in ApplyMode:
            self.ui.apply_mode_combo.addItem(mode.label, mode.value)

    def _setup_fields(self) -> None:
        ui = self.ui
        # one Tab stop per date: the .ui's QDateEdit gives way to a typed date (20260305, 2026-3-5, 3.5)
        entry = DateEntry(ui.registration_content, today=lambda: self.today)
        entry.setObjectName("received_edit")
        ui.registration_form.replaceWidget(ui.received_edit, entry)
        ui.received_edit.hide()
        ui.received_edit.deleteLater()
        ui.received_edit = entry
        tab_leaves(ui.facts_edit, ui.oral_record_edit)  # Tab moves on, Ctrl+Tab types a tab
        # the respondent's 委托代理人 (name, relation or profession, phone), under its address
        self.respondent_agent = AgentFields(ui.parties_content)
        row, _role = ui.respondent_form.getWidgetPosition(ui.respondent_address_edit)
        ui.respondent_form.insertRow(row + 1, "委托代理人", self.respondent_agent)
        ui.received_edit.setDate(QDate(self.today))
        ui.received_edit.setMaximumDate(QDate(self.today))
        ui.apply_mode_combo.currentIndexChanged.connect(lambda _i: self._apply_mode_changed())
        ui.workers_spin.valueChanged.connect(lambda _v: self._collective_changed())
        ui.common_claim_check.toggled.connect(lambda _v: self._collective_changed())
        ui.collective_label.setStyleSheet("color: #0f3d7a; font-weight: bold;")
        ui.add_claim_button.clicked.connect(lambda: self.add_claim_row())
        ui.add_applicant_button.clicked.connect(lambda: self.add_applicant_row())
        header = QWidget(ui.parties_content)
        row = QHBoxLayout(header)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for text, width in (
            ("姓名", _W_NAME), ("身份证号", _W_ID), ("性别", _W_GENDER), ("出生日期", _W_BIRTH), ("联系电话", _W_PHONE),
        ):
            label = QLabel(text, header)
            label.setFixedWidth(width)
            label.setProperty("role", "hint")
            row.addWidget(label)
        address = QLabel("住址", header)
        address.setProperty("role", "hint")
        row.addWidget(address, 1)
        spare = QLabel("", header)
        spare.setFixedWidth(_W_REP + 70)
        row.addWidget(spare)
        ui.applicants_rows.addWidget(header)
        self.applicants_header = header
        # respondent: pick from the enterprise directory while typing, or type a new one
        self._completer_model = QStringListModel(self)
        completer = QCompleter(self._completer_model, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.activated.connect(self.pick_enterprise)
        ui.respondent_name_edit.setCompleter(completer)
        self.completer = completer
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(200)
        self._search_timer.timeout.connect(self._search_directory)
        ui.respondent_name_edit.textEdited.connect(self._respondent_edited)
        ui.credit_code_edit.editingFinished.connect(self._check_credit_code)
        # 回避提示 for the employer as typed: checked again shortly after the name or the code changes
        ui.respondent_recusal_label.hide()
        self._recusal_timer = QTimer(self)
        self._recusal_timer.setSingleShot(True)
        self._recusal_timer.setInterval(300)
        self._recusal_timer.timeout.connect(self.check_recusal)
        ui.credit_code_edit.textEdited.connect(lambda _t: self._recusal_timer.start())
        ui.other_types_list.setResizeMode(QListView.ResizeMode.Adjust)
        for view in (ui.sessions_view, ui.performance_view, ui.visits_view):
            view.horizontalHeader().setStretchLastSection(True)
            view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def _setup_errors(self) -> None:
        ui = self.ui
        self.errors = FieldErrors(ui.error_label)
        form = ui.registration_form
        for widget, names in (
            (ui.org_combo, ["调解组织"]),
            (ui.received_edit, ["收到申请日期", "受理日期", "调解日期", "对方意见日期"]),
            (ui.apply_mode_combo, ["申请方式"]),
            (ui.oral_record_edit, ["口头申请记录"]),
            (ui.source_combo, ["案件来源"]),
            (ui.type_combo, ["争议类型"]),
            (ui.other_types_list, ["涉及争议类型"]),
            (ui.workers_spin, ["涉及劳动者人数"]),
            (ui.common_claim_check, ["是否集体争议"]),
            (ui.facts_edit, ["事实与理由"]),
        ):
            self.errors.add_form_row(form, widget, names)
        self.claims_error_label = self.errors.add_form_row(form, ui.add_claim_button, ["调解请求"])
        rform = ui.respondent_form
        for widget, names in (
            (ui.respondent_name_edit, ["被申请人"]),
            (ui.credit_code_edit, ["统一社会信用代码"]),
            (ui.legal_rep_edit, []),
            (ui.respondent_phone_edit, []),
            (ui.respondent_address_edit, []),
            (self.respondent_agent, []),
        ):
            self.errors.add_form_row(rform, widget, names)
        self.errors.add(["申请人", "集体争议代表人", "当事人"], ui.add_applicant_button, ui.applicants_error_label)
        self.errors.add_resolver(self._resolve_path)
        # the respondent's own error rows, for path-based errors
        self._respondent_fields = {
            "name": ui.respondent_name_edit,
            "role": ui.respondent_name_edit,
            "kind": ui.respondent_name_edit,
            "enterprise_id": ui.respondent_name_edit,
            "credit_code": ui.credit_code_edit,
            "legal_rep": ui.legal_rep_edit,
            "phone": ui.respondent_phone_edit,
            "address": ui.respondent_address_edit,
            "agent_name": self.respondent_agent.name_edit,
            "agent_relation": self.respondent_agent.relation_edit,
            "agent_phone": self.respondent_agent.phone_edit,
        }

    def _resolve_path(self, path: tuple) -> tuple[QWidget, QLabel | None] | None:
        if len(path) != 3:
            return None
        kind, index, key = path
        if kind == "claims" and index is not None and 0 <= index < len(self.claim_rows):
            row = self.claim_rows[index]
            return row.field(key), row.error_label
        if kind != "parties":
            return None
        if index is None:
            if key == "is_representative":
                return self.ui.add_applicant_button, self.ui.applicants_error_label
            return None  # 「至少填写一位申请人/被申请人」: found by the field name
        if not 0 <= index < len(self._party_targets):
            return None
        target, row = self._party_targets[index]
        if target == "applicant":
            return row.field(key), row.error_label
        if target == "respondent":
            widget = self._respondent_fields.get(key, self.ui.respondent_name_edit)
            if self.respondent_agent.isAncestorOf(widget):
                return widget, self.errors.label_for(self.respondent_agent)
            return widget, self.errors.label_for(widget)
        return self.ui.add_applicant_button, self.ui.applicants_error_label

    def _setup_documents_menu(self) -> None:
        menu = QMenu(self)
        for name, title in DOCUMENT_KINDS:
            action = QAction(title, menu)
            action.setData(name)
            action.triggered.connect(lambda _checked=False, n=name, t=title: self.export_document(n, t))
            menu.addAction(action)
        menu.addSeparator()
        write = QAction("编写典型案例…", menu)
        write.setToolTip("基本案情、调解过程、调解结果、典型意义，导出典型案例时使用")
        write.triggered.connect(lambda _checked=False: self.open_typical_case())
        menu.addAction(write)
        typical = QAction("典型案例（附件3）", menu)
        typical.setData("typical-case")
        typical.triggered.connect(lambda _checked=False: self.export_document("typical-case", "典型案例"))
        menu.addAction(typical)
        menu.setToolTipsVisible(True)
        menu.aboutToShow.connect(self.update_document_actions)  # grey out what the case's state does not allow
        self.ui.documents_button.setMenu(menu)
        self.documents_menu = menu
        self.typical_case_dialog: Any = None


    def tab_chain(self) -> list[QWidget]:
        """The fields in the order they stand on the screen: registration, claim rows, 事实与理由, the applicant
        rows, the respondent, then 登记/保存 and 关闭.  Tab follows it (:meth:`update_tab_order`)."""
        ui = self.ui
        chain: list[QWidget] = [
            ui.org_combo, ui.received_edit, ui.apply_mode_combo, ui.oral_record_edit, ui.source_combo,
            ui.type_combo, ui.other_types_list, ui.workers_spin, ui.common_claim_check,
        ]
        for claim in self.claim_rows:
            chain += [claim.type_combo, claim.description_edit, claim.amount_edit, claim.remove_button]
        chain += [ui.add_claim_button, ui.facts_edit]
        for row in self.applicant_rows:
            chain += row.tab_widgets()
        chain += [
            ui.add_applicant_button, ui.respondent_name_edit, ui.credit_code_edit, ui.legal_rep_edit,
            ui.respondent_phone_edit, ui.respondent_address_edit, *self.respondent_agent.widgets(),
            ui.save_button, ui.close_button,
        ]
        return chain

    def update_tab_order(self) -> None:
        set_tab_chain(self.tab_chain())

    # --- saving ---------------------------------------------------------------------------------------
    def draft(self) -> CaseDraft:
        """The registration as typed (validation is the service's job)."""
        ui = self.ui
        parties: list[PartyInput] = []
        self._party_targets = []
        for row in self.applicant_rows:
            parties.append(row.value())
            self._party_targets.append(("applicant", row))
        name = ui.respondent_name_edit.text()
        if normalize_text(name) or ui.credit_code_edit.text().strip() or self._respondent is not None:
            r = self._respondent
            parties.append(
                PartyInput(
                    role=PartyRole.RESPONDENT.value,
                    kind=PartyKind.EMPLOYER.value,
                    name=name,
                    credit_code=ui.credit_code_edit.text(),
                    legal_rep=ui.legal_rep_edit.text(),
                    legal_rep_post=r.legal_rep_post if r is not None else None,
                    phone=ui.respondent_phone_edit.text(),
                    address=ui.respondent_address_edit.text(),
                    enterprise_id=self._enterprise_id,
                    id=r.id if r is not None else None,
                    **self.respondent_agent.values(),
                )
            )
            self._party_targets.append(("respondent", None))
        for extra in self._extra_parties:
            parties.append(extra)
            self._party_targets.append(("extra", None))
        others = [
            ui.other_types_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(ui.other_types_list.count())
            if ui.other_types_list.item(i).checkState() == Qt.CheckState.Checked
        ]
        main = ui.type_combo.currentData()
        oral = ui.apply_mode_combo.currentData() == ApplyMode.ORAL
        return CaseDraft(
            organization_id=ui.org_combo.currentData(),
            received_on=ui.received_edit.value(),
            dispute_type_main=main,
            source=ui.source_combo.currentData(),
            apply_mode=ui.apply_mode_combo.currentData(),
            oral_record=ui.oral_record_edit.toPlainText() if oral else None,
            workers=ui.workers_spin.value(),
            common_claim=ui.common_claim_check.isChecked(),
            dispute_types=[t for t in others if t != main],
            facts=ui.facts_edit.toPlainText(),
            claims_summary=self.view.case.claims_summary if self.view else None,
            other_party_consent=self.view.case.other_party_consent if self.view else None,
            other_party_consent_on=self.view.case.other_party_consent_on if self.view else None,
            remark=self.view.case.remark if self.view else None,
            parties=parties,
            claims=[row.value() for row in self.claim_rows if _claim_filled(row)],
            version=self.view.case.version if self.view else None,
        )

    def save(self) -> bool:
        """登记 / 保存修改: one service call; on a validation error nothing is saved."""
        self.errors.clear()
        draft = self.draft()
        if draft.organization_id is None:
            if self.ui.org_combo.count() == 0:
                err = ValidationError("调解组织", "调解组织：请先在“组织档案”中登记调解组织")
            else:
                err = ValidationError("调解组织", "调解组织：请选择（案号按调解组织编排）")
            widget = self.errors.show(err)
            if widget is not None:
                reveal(widget)
            return False
        try:
            if self.case_id is None:
                result = self.service.register_case(draft)
            else:
                result = self.service.update_registration(self.case_id, draft)
        except ValidationError as err:
            widget = self.errors.show(err)
            if widget is not None:
                reveal(widget)
            return False
        except (CaseActionError, RecordConflict) as err:  # RecordConflict: changed by another user meanwhile
            show_message(self, QMessageBox.Icon.Warning, "无法保存", err.message)
            return False
        self.case_id = result.case_id
        self.reload()
        self._show_warnings([*result.warnings, *(self.view.warnings if self.view else [])])
        self.case_changed.emit(result.case_id)
        return True
