"""The case form (调解案件): registration, parties, history, and the actions the case's state allows.

Layout from ``forms/case_dialog.ui`` (style P1/P2); the rows that repeat (applicants, claims) and the action
buttons are added in code.  Everything goes through :class:`~app.services.cases.CaseService`:

- 登记 / 保存修改 builds a :class:`~app.services.cases.CaseDraft` and calls ``register_case`` or
  ``update_registration``.  A :class:`~app.services.validation.ValidationError` is shown under the field it
  names (``err.path`` such as ``("parties", 2, "id_number")`` picks the row), the field is outlined in red and
  nothing is saved.
- The 操作 panel offers exactly ``CaseView.actions`` (the service refuses the others anyway); each opens a
  small dialog from :mod:`app.ui.dialogs.case_actions`.
- Archived (locked) cases, and cases past the registration stage, show the registration read-only.
- 打印/导出文书 runs the per-case document kinds through the export registry in the background; it also
  opens the 典型案例 editor (:mod:`app.ui.dialogs.typical_case_dialog`) and exports the 典型案例 (附件3).
- 回避提示 (:func:`~app.services.volunteers.recusal_notice`): an employer that a young-arbitrator volunteer
  contacts or served shows an amber notice, for the saved case in the header and for the employer as
  picked or typed on the parties tab; it never blocks.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QDate, QModelIndex, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.case_list import EnterpriseChoice, form_choices, search_enterprises
from app.services.cases import (
    SESSION_RESULTS,
    CaseActionError,
    CaseDraft,
    CaseService,
    CaseView,
    ClaimInput,
    PartyInput,
)
from app.services.formatting import format_amount, format_date_cn, rmb_upper
from app.services.validation import (
    ValidationError,
    check_credit_code,
    check_id_number,
    normalize_text,
    parse_amount,
)
from app.services.volunteers import recusal_notice
from app.ui.choices import INACTIVE_SUFFIX, keep_choice
from app.ui.dialogs.case_actions import ACTION_DIALOGS, ActionDialog, select_data, show_message
from app.ui.forms.ui_case_dialog import Ui_CaseDialog
from app.ui.widgets.field_errors import ERROR_COLOUR, FieldErrors, make_error_label, reveal
from db.enums import ApplyMode, CaseStatus, PartyKind, PartyRole, PerfStatus, ReviewKind, SessionMode

log = logging.getLogger(__name__)

#: Per-case documents (app/exports/kinds/case_documents.py), in the order of the case's life.
DOCUMENT_KINDS: tuple[tuple[str, str], ...] = (
    ("acceptance-form", "受理登记表"),
    ("oral-application", "口头申请记录"),
    ("mediation-record", "调解记录"),
    ("agreement", "调解协议书"),
    ("rejection-notice", "不予受理通知书"),
    ("termination-notice", "终止调解通知书"),
    ("return-visit", "回访记录"),
)

DEADLINE_STYLES = {
    "overdue": f"color: {ERROR_COLOUR}; font-weight: bold;",
    "due_soon": "color: #8a5300; font-weight: bold;",
    "ok": "color: #1d2733;",
}

# Widths of the applicant columns, so the rows line up under their header.
_W_NAME, _W_ID, _W_GENDER, _W_BIRTH, _W_PHONE, _W_REP = 96, 176, 34, 96, 118, 64


class RecordsModel(QAbstractTableModel):
    """A read-only table of a case's history (sessions, performance, visits), from the detached view."""

    def __init__(self, headers: list[str], rows: list[list[str]], parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = headers
        self._rows = rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            try:
                return self._rows[index.row()][index.column()]
            except IndexError:
                return None
        return None


class ApplicantRow(QWidget):
    """One applicant (worker): name, ID number (gender and birth date read from it as you type), phone …"""

    def __init__(
        self, today: date, on_remove: Callable[[ApplicantRow], None], party: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.today = today
        self.party = party  # the CaseParty being edited, or None for a new one
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.name_edit = QLineEdit()
        self.name_edit.setFixedWidth(_W_NAME)
        self.name_edit.setPlaceholderText("姓名")
        self.id_edit = QLineEdit()
        self.id_edit.setFixedWidth(_W_ID)
        self.id_edit.setMaxLength(22)
        self.id_edit.setPlaceholderText("18位身份证号")
        self.gender_label = QLabel()
        self.gender_label.setFixedWidth(_W_GENDER)
        self.birth_label = QLabel()
        self.birth_label.setFixedWidth(_W_BIRTH)
        self.phone_edit = QLineEdit()
        self.phone_edit.setFixedWidth(_W_PHONE)
        self.phone_edit.setPlaceholderText("手机或固话")
        self.address_edit = QLineEdit()
        self.address_edit.setPlaceholderText("住址")
        self.rep_check = QCheckBox("代表人")
        self.rep_check.setFixedWidth(_W_REP)
        self.rep_check.setToolTip("集体争议推举的代表人（3至5名）")
        self.remove_button = QPushButton("删除")
        self.remove_button.setToolTip("删除这一行")
        for w in (self.name_edit, self.id_edit, self.gender_label, self.birth_label, self.phone_edit):
            row.addWidget(w)
        row.addWidget(self.address_edit, 1)
        row.addWidget(self.rep_check)
        row.addWidget(self.remove_button)
        outer.addLayout(row)
        self.error_label = make_error_label(self)
        outer.addWidget(self.error_label)
        self.id_edit.textChanged.connect(self._id_changed)
        self.remove_button.clicked.connect(lambda: on_remove(self))
        if party is not None:
            self.name_edit.setText(party.name or "")
            self.id_edit.setText(party.id_number or "")
            self.phone_edit.setText(party.phone or "")
            self.address_edit.setText(party.address or "")
            self.rep_check.setChecked(bool(party.is_representative))
            if not party.id_number:
                self.gender_label.setText(party.gender or "")
                self.birth_label.setText(party.birth_date.isoformat() if party.birth_date else "")

    def _id_changed(self, text: str) -> None:
        """Read gender and birth date from the number as soon as it is complete."""
        number = normalize_text(text).replace(" ", "")
        self.gender_label.clear()
        self.birth_label.clear()
        if len(number) not in (15, 18):
            return
        try:
            info = check_id_number(number, "身份证号", self.today)
        except ValidationError as err:
            self.birth_label.setText("号码有误")
            self.birth_label.setToolTip(err.message)
            self.birth_label.setStyleSheet(f"color: {ERROR_COLOUR};")
            return
        self.birth_label.setStyleSheet("")
        self.birth_label.setToolTip("")
        self.gender_label.setText(info.gender)
        self.birth_label.setText(info.birth_date.isoformat())

    def field(self, key: str) -> QWidget:
        return {
            "name": self.name_edit,
            "id_number": self.id_edit,
            "birth_date": self.id_edit,
            "gender": self.id_edit,
            "phone": self.phone_edit,
            "agent_phone": self.phone_edit,
            "address": self.address_edit,
            "is_representative": self.rep_check,
        }.get(key, self.name_edit)

    def value(self) -> PartyInput:
        p = self.party
        has_id = bool(normalize_text(self.id_edit.text()))
        return PartyInput(
            role=PartyRole.APPLICANT.value,
            kind=PartyKind.PERSON.value,
            name=self.name_edit.text(),
            id_number=self.id_edit.text(),
            # read from the ID number by the service; kept from the record only when there is no number
            gender=None if has_id else (p.gender if p is not None else None),
            birth_date=None if has_id else (p.birth_date if p is not None else None),
            id_type=(p.id_type if p is not None and p.id_type else None) or "居民身份证",
            ethnicity=p.ethnicity if p is not None else None,
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            job=p.job if p is not None else None,
            hired_on=p.hired_on if p is not None else None,
            is_representative=self.rep_check.isChecked(),
            agent_name=p.agent_name if p is not None else None,
            agent_relation=p.agent_relation if p is not None else None,
            agent_phone=p.agent_phone if p is not None else None,
            id=p.id if p is not None else None,
        )


class ClaimRow(QWidget):
    """One 调解请求: type, description, amount in 元."""

    def __init__(
        self,
        types: list[tuple[str, str]],
        on_remove: Callable[[ClaimRow], None],
        on_change: Callable[[], None],
        claim: Any = None,
        parent: QWidget | None = None,
        labels: Mapping[str, str] | None = None,  # every 争议类型, to name a switched-off one
    ) -> None:
        super().__init__(parent)
        self.claim = claim
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        row = QHBoxLayout()
        row.setSpacing(6)
        self.type_combo = QComboBox()
        for code, label in types:
            self.type_combo.addItem(label, code)
        self.type_combo.setMinimumContentsLength(9)
        self.description_edit = QLineEdit()
        self.description_edit.setPlaceholderText("请求内容，如：支付2025年10月至12月拖欠工资")
        self.amount_edit = QLineEdit()
        self.amount_edit.setFixedWidth(120)
        self.amount_edit.setPlaceholderText("金额（元）")
        self.amount_edit.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.remove_button = QPushButton("删除")
        row.addWidget(self.type_combo)
        row.addWidget(self.description_edit, 1)
        row.addWidget(self.amount_edit)
        row.addWidget(self.remove_button)
        outer.addLayout(row)
        self.error_label = make_error_label(self)
        outer.addWidget(self.error_label)
        self.remove_button.clicked.connect(lambda: on_remove(self))
        self.amount_edit.textChanged.connect(lambda _t: on_change())
        if claim is not None:
            keep_choice(self.type_combo, claim.claim_type, labels or {})
            select_data(self.type_combo, claim.claim_type)
            self.description_edit.setText(claim.description or "")
            self.amount_edit.setText(format_amount(claim.amount_fen).replace(",", "") if claim.amount_fen else "")

    def field(self, key: str) -> QWidget:
        return {"claim_type": self.type_combo, "amount_fen": self.amount_edit}.get(key, self.description_edit)

    def amount_fen(self) -> int | None:
        try:
            return parse_amount(self.amount_edit.text()) if self.amount_edit.text().strip() else 0
        except ValidationError:
            return None

    def value(self) -> ClaimInput:
        return ClaimInput(
            claim_type=self.type_combo.currentData(),
            description=self.description_edit.text(),
            amount_fen=self.amount_edit.text(),
            id=self.claim.id if self.claim is not None else None,
        )


class CaseDialog(QDialog):
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
        self.ui.save_button.clicked.connect(self.save)
        self.ui.close_button.clicked.connect(self.reject)

        if case_id is None:
            if default_organization_id is not None:
                select_data(self.ui.org_combo, default_organization_id)
            self._new_case()
        else:
            self.reload()

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
            (ui.credit_code_edit, []),
            (ui.legal_rep_edit, []),
            (ui.respondent_phone_edit, []),
            (ui.respondent_address_edit, []),
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
        self.ui.documents_button.setMenu(menu)
        self.documents_menu = menu
        self.typical_case_dialog: Any = None

    # --- rows -----------------------------------------------------------------------------------------
    def add_applicant_row(self, party: Any = None) -> ApplicantRow:
        row = ApplicantRow(self.today, self._remove_applicant, party, self.ui.parties_content)
        self.applicant_rows.append(row)
        self.ui.applicants_rows.addWidget(row)
        return row

    def _remove_applicant(self, row: ApplicantRow) -> None:
        if row in self.applicant_rows:
            self.applicant_rows.remove(row)
            self.ui.applicants_rows.removeWidget(row)
            row.hide()
            row.deleteLater()

    def add_claim_row(self, claim: Any = None) -> ClaimRow:
        row = ClaimRow(
            self.dispute_types, self._remove_claim, self._update_claims_total, claim, self.ui.registration_content,
            labels=self.dispute_type_labels,
        )
        if claim is None and self.claim_rows == [] and self.ui.type_combo.currentData():
            select_data(row.type_combo, self.ui.type_combo.currentData())
        self.claim_rows.append(row)
        self.ui.claims_rows.addWidget(row)
        self._update_claims_total()
        return row

    def _remove_claim(self, row: ClaimRow) -> None:
        if row in self.claim_rows:
            self.claim_rows.remove(row)
            self.ui.claims_rows.removeWidget(row)
            row.hide()
            row.deleteLater()
            self._update_claims_total()

    def _update_claims_total(self) -> None:
        amounts = [r.amount_fen() for r in self.claim_rows]
        if any(a is None for a in amounts):
            self.ui.claims_total_label.setText("合计：金额有误")
            return
        total = sum(a or 0 for a in amounts)
        self.ui.claims_total_label.setText(f"合计 {format_amount(total, unit=True)}" if self.claim_rows else "")

    # --- reactions ------------------------------------------------------------------------------------
    def _apply_mode_changed(self) -> None:
        oral = self.ui.apply_mode_combo.currentData() == ApplyMode.ORAL
        self.ui.registration_form.setRowVisible(self.ui.oral_record_edit, oral)

    def _collective_changed(self) -> None:
        collective = self.ui.workers_spin.value() >= 10 and self.ui.common_claim_check.isChecked()
        self.ui.collective_label.setVisible(collective)

    def _respondent_edited(self, text: str) -> None:
        if self._enterprise_id is not None and normalize_text(text) != self._enterprise_name:
            self._enterprise_id = None
            self._enterprise_name = None
        self._show_directory_state()
        self._search_timer.start()
        self._recusal_timer.start()

    def _search_directory(self) -> None:
        text = self.ui.respondent_name_edit.text()
        if len(normalize_text(text)) < 2:
            return
        try:
            with self.session_factory() as s:
                found = search_enterprises(s, text, limit=20)
        except Exception:
            log.exception("enterprise directory search failed")
            return
        self._enterprise_choices = {c.display: c for c in found}
        self._completer_model.setStringList(list(self._enterprise_choices))
        if found and self.ui.respondent_name_edit.hasFocus():
            self.completer.complete()

    def pick_enterprise(self, display: str) -> None:
        """Fill the respondent from the directory entry chosen in the completer."""
        choice = self._enterprise_choices.get(display)
        if choice is None:
            return
        ui = self.ui
        self._enterprise_id = choice.id
        self._enterprise_name = choice.name
        # the completer writes the display text; replace it by the name once it is done
        QTimer.singleShot(0, lambda: ui.respondent_name_edit.setText(choice.name))
        ui.credit_code_edit.setText(choice.credit_code or "")
        ui.legal_rep_edit.setText(choice.legal_rep or "")
        if choice.address:
            ui.respondent_address_edit.setText(choice.address)
        if choice.phone:
            ui.respondent_phone_edit.setText(choice.phone)
        self._show_directory_state()
        self._recusal_timer.stop()
        self.check_recusal()

    def _show_directory_state(self) -> None:
        if self._enterprise_id is not None:
            text = f"已关联企业名录中的“{self._enterprise_name}”"
        elif normalize_text(self.ui.respondent_name_edit.text()):
            text = "新单位：保存时加入企业名录（有信用代码的按代码查找，不会重复）"
        else:
            text = "输入单位名称或信用代码，从下拉列表中选择企业名录中的单位"
        self.ui.directory_label.setText(text)

    def _check_credit_code(self) -> None:
        """Check the code when the user leaves the field, so a typo shows before saving."""
        text = self.ui.credit_code_edit.text().strip()
        self.errors.clear_widget(self.ui.credit_code_edit)
        if not text:
            return
        try:
            check_credit_code(text, "统一社会信用代码")
        except ValidationError as err:
            err.path = ("parties", self._respondent_index(), "credit_code")  # type: ignore[attr-defined]
            self.errors.show(err)

    def _respondent_index(self) -> int:
        return len(self.applicant_rows)

    # --- recusal (回避提示: the employer is contacted or served by a young-arbitrator volunteer) ----------
    def _recusal_text(self, **what: Any) -> str:
        try:
            with self.session_factory() as s:
                return recusal_notice(s, today=self.today, **what)
        except Exception:  # a notice must never take the form down
            log.exception("recusal check failed")
            return ""

    def _show_case_recusal(self) -> None:
        """The saved case's 回避提示, in the header (all its employer parties)."""
        text = self._recusal_text(case_id=self.case_id) if self.case_id is not None else ""
        self.ui.recusal_label.setText(text)
        self.ui.recusal_label.setVisible(bool(text))

    def check_recusal(self) -> None:
        """回避提示 for the employer as picked or typed on the parties tab (shown under it, not blocking).

        Hidden when it says what the header already says (the saved respondent, unchanged).
        """
        ui = self.ui
        name = normalize_text(ui.respondent_name_edit.text())
        code = ui.credit_code_edit.text().strip()
        text = ""
        if self._enterprise_id is not None or name or code:
            text = self._recusal_text(enterprise_id=self._enterprise_id, name=name or None, credit_code=code or None)
        label = ui.respondent_recusal_label
        label.setText(text)
        label.setVisible(bool(text) and not (not ui.recusal_label.isHidden() and text == ui.recusal_label.text()))

    def recusal_notices(self) -> tuple[str, str]:
        """The header's and the parties tab's 回避提示 as shown ("" when hidden); tests assert on this."""
        ui = self.ui
        header = "" if ui.recusal_label.isHidden() else ui.recusal_label.text()
        parties = "" if ui.respondent_recusal_label.isHidden() else ui.respondent_recusal_label.text()
        return header, parties

    # --- loading --------------------------------------------------------------------------------------
    def _new_case(self) -> None:
        self.setWindowTitle("登记新案件")
        self.add_applicant_row()
        self.add_claim_row()
        self._apply_mode_changed()
        self._collective_changed()
        self._show_directory_state()
        self._show_header()
        self._show_actions()
        self._show_history()
        self._show_case_recusal()
        self.check_recusal()
        self.ui.save_button.setText("登记")
        self.ui.save_hint_label.setText("登记后自动生成案号，并开始计算3个工作日的受理决定期限。")
        self._set_editable(True)

    def reload(self) -> None:
        """Read the case again from the service and show it."""
        assert self.case_id is not None
        self.view = self.service.get_case(self.case_id)
        self._fill_form(self.view)
        self._show_header()
        self._show_case_recusal()
        self._recusal_timer.stop()
        self.check_recusal()
        self._show_actions()
        self._show_history()
        editable = self.view.allows("edit")
        self._set_editable(editable)
        self.ui.save_button.setText("保存修改")
        case = self.view.case
        if case.locked:
            hint = "已归档锁定，只读。如需更正，请在右侧“解锁”并写明理由。"
        elif not editable:
            hint = "登记信息在结案、不予受理后不能再修改。"
        else:
            hint = "修改登记信息不会改变案号；每次保存都记入操作日志。"
        self.ui.save_hint_label.setText(hint)
        self.setWindowTitle(f"调解案件 {case.case_no or ''}")

    def _fill_form(self, view: CaseView) -> None:
        ui = self.ui
        case = view.case
        if ui.org_combo.findData(case.organization_id) < 0 and case.organization is not None:
            ui.org_combo.addItem(case.organization.name, case.organization_id)
        select_data(ui.org_combo, case.organization_id)
        ui.org_combo.setEnabled(False)  # the case number belongs to the organization
        ui.received_edit.setMaximumDate(QDate(max(self.today, case.received_on)))
        ui.received_edit.setDate(QDate(case.received_on))
        select_data(ui.apply_mode_combo, case.apply_mode)
        ui.oral_record_edit.setPlainText(case.oral_record or "")
        keep_choice(ui.source_combo, case.source, self.source_labels)
        select_data(ui.source_combo, case.source)
        keep_choice(ui.type_combo, case.dispute_type_main, self.dispute_type_labels)
        select_data(ui.type_combo, case.dispute_type_main)
        others = set(case.dispute_types or [])
        offered = {ui.other_types_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(ui.other_types_list.count())}
        for code in sorted(others - offered):  # switched off in 设置 since: kept, not offered to others
            item = QListWidgetItem(f"{self.dispute_type_labels.get(code, code)}{INACTIVE_SUFFIX}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ui.other_types_list.addItem(item)
        for i in range(ui.other_types_list.count()):
            item = ui.other_types_list.item(i)
            item.setCheckState(
                Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in others else Qt.CheckState.Unchecked
            )
        ui.workers_spin.setValue(int(case.workers or 1))
        ui.common_claim_check.setChecked(bool(case.common_claim))
        ui.facts_edit.setPlainText(case.facts or "")
        for row in list(self.claim_rows):
            self._remove_claim(row)
        for claim in view.claims:
            self.add_claim_row(claim)
        for row in list(self.applicant_rows):
            self._remove_applicant(row)
        self._extra_parties = []
        self._respondent = None
        for party in case.parties:
            if party.role == PartyRole.APPLICANT and party.party_kind == PartyKind.PERSON:
                self.add_applicant_row(party)
            elif party.role == PartyRole.RESPONDENT and party.party_kind == PartyKind.EMPLOYER and self._respondent is None:
                self._respondent = party
            else:
                self._extra_parties.append(_party_input(party))
        r = self._respondent
        ui.respondent_name_edit.setText(r.name if r else "")
        ui.credit_code_edit.setText((r.credit_code or "") if r else "")
        ui.legal_rep_edit.setText((r.legal_rep or "") if r else "")
        ui.respondent_phone_edit.setText((r.phone or "") if r else "")
        ui.respondent_address_edit.setText((r.address or "") if r else "")
        self._enterprise_id = r.enterprise_id if r else None
        self._enterprise_name = r.name if r else None
        self._apply_mode_changed()
        self._collective_changed()
        self._show_directory_state()
        self._update_claims_total()

    def _set_editable(self, editable: bool) -> None:
        ui = self.ui
        for w in (ui.registration_content, ui.parties_content):
            for child in w.findChildren(QWidget):
                if isinstance(child, QLineEdit):
                    child.setReadOnly(not editable)
                elif child in (ui.oral_record_edit, ui.facts_edit):
                    child.setReadOnly(not editable)
                elif isinstance(child, QPushButton):
                    child.setVisible(editable)
                elif isinstance(child, QComboBox | QCheckBox) or child in (
                    ui.received_edit, ui.workers_spin, ui.other_types_list
                ):
                    child.setEnabled(editable)
        if self.view is not None:
            ui.org_combo.setEnabled(False)
        ui.save_button.setVisible(editable)

    # --- header, actions, history ---------------------------------------------------------------------
    def _show_header(self) -> None:
        ui = self.ui
        view = self.view
        if view is None:
            ui.case_no_label.setText("新案件（登记后生成案号）")
            ui.status_label.setText("")
            ui.stage_label.setText("")
            ui.deadline_label.setText("")
            ui.header_note_label.setText("填写登记信息和当事人后点击“登记”。带红框的项目有误时，说明显示在该项下方。")
            return
        case = view.case
        ui.case_no_label.setText(case.case_no or "（未编号）")
        ui.status_label.setText(view.status_label)
        stage = view.stage_label if view.stage_label != view.status_label else ""
        if case.status == CaseStatus.CLOSED and view.close_type_label and view.close_type_label not in stage:
            stage = f"{view.close_type_label}{'，' + stage if stage else ''}"
        ui.stage_label.setText(stage)
        dl = view.deadline
        if dl is not None:
            ui.deadline_label.setText(f"{dl.label}：{format_date_cn(dl.due)}（{dl.text}）")
            ui.deadline_label.setStyleSheet(DEADLINE_STYLES.get(dl.state, ""))
            ui.deadline_label.setToolTip(dl.warning or dl.state_label)
        else:
            ui.deadline_label.setText("")
            ui.deadline_label.setStyleSheet("")
        mediators = "、".join(
            f"{cm.mediator.name}{'（主办）' if cm.lead else ''}" for cm in sorted(case.mediators, key=lambda m: not m.lead)
        )
        bits = [case.organization.name if case.organization else ""]
        bits.append(f"收到申请：{format_date_cn(case.received_on)}")
        if case.accepted_on:
            bits.append(f"受理：{format_date_cn(case.accepted_on)}")
        if case.closed_on:
            bits.append(f"结案：{format_date_cn(case.closed_on)}")
        if mediators:
            bits.append(f"调解员：{mediators}")
        if case.extended_to:
            bits.append(f"经双方同意延期至{format_date_cn(case.extended_to)}")
        if case.archive_no:
            bits.append(f"归档号：{case.archive_no}")
        if case.locked:
            bits.append("已归档锁定（只读）")
        ui.header_note_label.setText("　·　".join(b for b in bits if b))
        self._show_warnings(view.warnings)

    def _show_warnings(self, warnings: list[str] | tuple[str, ...]) -> None:
        text = "\n".join(dict.fromkeys(w for w in warnings if w))
        self.ui.warning_label.setText(text)
        self.ui.warning_label.setVisible(bool(text))

    def _show_actions(self) -> None:
        ui = self.ui
        for button in self.action_buttons.values():
            ui.actions_layout.removeWidget(button)
            button.hide()
            button.deleteLater()
        self.action_buttons = {}
        actions = [a for a in (self.view.actions if self.view else []) if a.name != "edit"]
        for action in actions:
            button = QPushButton(action.label, ui.actions_group)
            button.setObjectName(f"action_{action.name}")
            if action.name == "delete":
                button.setStyleSheet(f"QPushButton {{ color: {ERROR_COLOUR}; }}")
            button.clicked.connect(lambda _checked=False, n=action.name: self.open_action(n))
            ui.actions_layout.addWidget(button)
            self.action_buttons[action.name] = button
        ui.actions_empty_label.setVisible(not actions)
        if self.view is not None and not actions:
            ui.actions_empty_label.setText("本案当前没有可办理的操作。")
        ui.documents_button.setEnabled(self.view is not None)

    def visible_actions(self) -> list[str]:
        """Names of the action buttons offered now (tests assert on this)."""
        return list(self.action_buttons)

    def _show_history(self) -> None:
        ui = self.ui
        case = self.view.case if self.view else None
        sessions = list(case.sessions) if case else []
        ui.sessions_view.setModel(RecordsModel(
            ["时间", "方式", "地点", "参加人", "结果", "调解记录", "下一步"],
            [
                [
                    s.started_at.strftime("%Y-%m-%d %H:%M") if s.started_at else "",
                    _label(SessionMode, s.mode),
                    s.place or "",
                    s.participants or "",
                    SESSION_RESULTS.get(s.result or "", s.result or ""),
                    s.record or "",
                    s.next_step or "",
                ]
                for s in sessions
            ],
            self,
        ))
        ui.sessions_empty_label.setVisible(not sessions)
        perfs = sorted(case.performances, key=lambda p: (p.recorded_on, p.id)) if case else []
        ui.performance_view.setModel(RecordsModel(
            ["登记日期", "履行情况", "本次金额(元)", "备注"],
            [[p.recorded_on.isoformat(), _label(PerfStatus, p.status), format_amount(p.amount_paid_fen), p.note or ""]
             for p in perfs],
            self,
        ))
        ui.agreement_label.setText(self._agreement_html())
        visits = sorted(case.return_visits, key=lambda v: (v.visited_on, v.id)) if case else []
        ui.visits_view.setModel(RecordsModel(
            ["回访日期", "方式", "回访对象", "回访人", "履行情况", "满意度", "当事人意见", "后续措施"],
            [
                [v.visited_on.isoformat(), v.way or "", v.target or "", v.visitor or "",
                 _label(PerfStatus, v.perf_status), v.satisfaction or "", v.feedback or "", v.follow_up or ""]
                for v in visits
            ],
            self,
        ))
        ui.visits_empty_label.setVisible(not visits)
        for view in (ui.sessions_view, ui.performance_view, ui.visits_view):
            view.resizeColumnsToContents()
            for col in range(view.model().columnCount()):
                if view.columnWidth(col) > 260:
                    view.setColumnWidth(col, 260)
        ui.tabs.setTabText(2, f"调解记录（{len(sessions)}）" if sessions else "调解记录")
        ui.tabs.setTabText(4, f"回访（{len(visits)}）" if visits else "回访")

    def _agreement_html(self) -> str:
        view = self.view
        if view is None:
            return ""
        case = view.case
        a = case.agreement
        if a is None:
            if case.close_type:
                return f"结案方式：{view.close_type_label}" + (f"；理由：{_esc(case.close_reason)}" if case.close_reason else "")
            if case.status == CaseStatus.REJECTED:
                return f"不予受理：{_esc(case.reject_reason or '')}"
            return "尚未结案。达成调解协议的，在“结案”时填写协议内容。"
        lines = [
            f"<b>调解协议</b>　签订日期 {format_date_cn(a.signed_on)}"
            + (f"，生效日期 {format_date_cn(a.effective_on)}" if a.effective_on and a.effective_on != a.signed_on else ""),
            f"协议金额 {format_amount(a.amount_fen, unit=True)}（{rmb_upper(a.amount_fen)}），"
            f"履行期限 {format_date_cn(a.perf_deadline)}"
            + "".join(f"，{_esc(x)}" for x in (a.perf_mode, a.payment_method) if x),
            f"已履行 {format_amount(view.paid_fen, unit=True)}；履行情况：{_label(PerfStatus, case.perf_status)}",
        ]
        if a.review_kind:
            lines.append(
                f"{_label(ReviewKind, a.review_kind)}：{format_date_cn(a.review_applied_on)}申请"
                + (f"，{format_date_cn(a.review_decided_on)}" if a.review_decided_on else "")
                + (f"，{_esc(a.review_result)}" if a.review_result else "")
            )
        elif view.review_window_end is not None:
            lines.append(f"仲裁审查确认申请期限：{format_date_cn(view.review_window_end.due)}")
        if a.terms:
            lines.append("协议内容：" + _esc(a.terms).replace("\n", "<br>"))
        return "<br>".join(lines)

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
                    agent_name=r.agent_name if r is not None else None,
                    agent_relation=r.agent_relation if r is not None else None,
                    agent_phone=r.agent_phone if r is not None else None,
                    id=r.id if r is not None else None,
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
            received_on=ui.received_edit.date().toPython(),
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
        )

    def save(self) -> bool:
        """登记 / 保存修改: one service call; on a validation error nothing is saved."""
        self.errors.clear()
        draft = self.draft()
        if draft.organization_id is None:
            self.errors.show(ValidationError("调解组织", "调解组织：请先在“组织档案”中登记调解组织"))
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
        except CaseActionError as err:
            show_message(self, QMessageBox.Icon.Warning, "无法保存", err.message)
            return False
        self.case_id = result.case_id
        self.reload()
        self._show_warnings([*result.warnings, *(self.view.warnings if self.view else [])])
        self.case_changed.emit(result.case_id)
        return True

    # --- actions --------------------------------------------------------------------------------------
    def open_action(self, name: str) -> ActionDialog | None:
        """Open the dialog of action ``name`` (window-modal, without blocking)."""
        if self.view is None or name not in ACTION_DIALOGS:
            return None
        if not self.view.allows(name):  # stale button: the service would refuse it anyway
            show_message(self, QMessageBox.Icon.Information, "无法办理", "案件状态已变化，请重新打开案件。")
            return None
        dlg = ACTION_DIALOGS[name](self.service, self.view, self.session_factory, self)
        self.action_dialog = dlg
        dlg.finished.connect(lambda code, d=dlg, n=name: self._action_finished(n, d, code))
        dlg.open()
        return dlg

    def _action_finished(self, name: str, dlg: ActionDialog, code: int) -> None:
        dlg.deleteLater()
        if self.action_dialog is dlg:
            self.action_dialog = None
        if code != QDialog.DialogCode.Accepted or dlg.result_value is None:
            return
        result = dlg.result_value
        self.case_changed.emit(result.case_id)
        if name == "delete":
            self.accept()
            return
        self.reload()
        warnings = [*result.warnings, *(self.view.warnings if self.view else [])]
        self._show_warnings(warnings)

    # --- documents ------------------------------------------------------------------------------------
    def document_kind(self, name: str) -> tuple[Any | None, str | None]:
        """The export kind ``name`` from the registry, or a message saying why it is not available."""
        try:
            from app.exports import registry

            registry.load_builtin_kinds()
            return registry.get_kind(name), None
        except KeyError:
            return None, "这种文书尚未提供（文书模板模块未安装）。"
        except Exception as exc:  # a broken kind module must not take the case form down
            log.exception("export kinds could not be loaded")
            return None, f"文书模块加载失败：{type(exc).__name__}: {exc}"

    def open_typical_case(self) -> Any:
        """编写典型案例: the four narrative sections of this case's 典型案例 (window-modal, not blocking)."""
        if self.view is None:
            return None
        from app.ui.dialogs.typical_case_dialog import TypicalCaseDialog

        try:
            dlg = TypicalCaseDialog(self.session_factory, self.view.case.id, self)
        except Exception as exc:
            log.exception("typical case editor could not open")
            show_message(self, QMessageBox.Icon.Warning, "无法编写典型案例", str(exc))
            return None
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.typical_case_dialog = dlg
        dlg.destroyed.connect(lambda _o=None: setattr(self, "typical_case_dialog", None))
        dlg.open()
        return dlg

    def ask_document_target(self, title: str, suffix: str) -> Path | None:
        case_no = (self.view.case.case_no if self.view else "") or "新案件"
        safe = case_no.translate(str.maketrans({c: "_" for c in '\\/:*?"<>|'}))
        path, _f = QFileDialog.getSaveFileName(
            self, f"导出{title}", str(Path.home() / f"{title}_{safe}{suffix}"), f"Word 文档 (*{suffix})"
        )
        if not path:
            return None
        target = Path(path)
        return target if target.suffix.lower() == suffix else target.with_name(target.name + suffix)

    def export_document(self, name: str, title: str, target: Path | None = None) -> Any:
        if self.view is None:
            return None
        kind, problem = self.document_kind(name)
        if kind is None:
            show_message(self, QMessageBox.Icon.Information, f"无法生成{title}", problem or "")
            return None
        target = target or self.ask_document_target(title, kind.suffix)
        if target is None:
            return None
        from app.core.progress import CancelToken
        from app.exports.registry import ExportRequest, run_export
        from app.ui.ops import run_in_background

        token = CancelToken()
        params = {"case": self.view.case.id}
        session_factory = self.session_factory
        progress = QProgressDialog(f"正在生成{title}…", "取消", 0, 0, self)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(400)
        progress.canceled.connect(token.cancel)

        def job(report: Callable[[int, int, str], None]) -> Path:
            request = ExportRequest(session_factory=session_factory, out=target, params=params, progress=report,
                                    cancel=token)
            return run_export(kind.name, request)

        def done() -> None:
            progress.reset()
            progress.deleteLater()
            self.current_op = None

        def ok(result: Any) -> None:
            path = result if isinstance(result, Path) else target
            show_message(self, QMessageBox.Icon.Information, f"{title}已生成", f"已保存到：\n{path}")

        def failed(message: str) -> None:
            show_message(self, QMessageBox.Icon.Warning, f"无法生成{title}", message)

        self.current_op = run_in_background(job, parent=self, on_success=ok, on_failure=failed)
        self.current_op.done.connect(done)
        return self.current_op


# =============================================================================================
# helpers


def _label(enum_cls: Any, value: str | None) -> str:
    if not value:
        return ""
    try:
        return enum_cls(value).label
    except ValueError:
        return value


def _esc(text: str | None) -> str:
    from html import escape

    return escape(text or "")


def _claim_filled(row: ClaimRow) -> bool:
    """An untouched empty claim row is not a claim (the type combo always has a value)."""
    return bool(row.description_edit.text().strip() or row.amount_edit.text().strip() or row.claim is not None)


def _party_input(p: Any) -> PartyInput:
    """A party the form does not edit, passed back unchanged."""
    return PartyInput(
        role=p.role,
        kind=p.party_kind,
        name=p.name,
        gender=p.gender,
        id_type=p.id_type,
        id_number=p.id_number,
        birth_date=p.birth_date,
        ethnicity=p.ethnicity,
        phone=p.phone,
        address=p.address,
        job=p.job,
        hired_on=p.hired_on,
        enterprise_id=p.enterprise_id,
        credit_code=p.credit_code,
        legal_rep=p.legal_rep,
        legal_rep_post=p.legal_rep_post,
        is_representative=p.is_representative,
        agent_name=p.agent_name,
        agent_relation=p.agent_relation,
        agent_phone=p.agent_phone,
        id=p.id,
    )
