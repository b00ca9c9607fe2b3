"""The case form's repeating rows: one applicant (worker) per :class:`ApplicantRow`, one 调解请求 per
:class:`ClaimRow`, and the helpers that turn rows and stored parties into service inputs."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.cases import ClaimInput, PartyInput
from app.services.formatting import format_amount
from app.services.validation import ValidationError, check_id_number, normalize_text, parse_amount
from app.services.validation.ids import ID_TYPES
from app.ui.choices import keep_choice
from app.ui.dialogs.case_actions import select_data
from app.ui.widgets.date_entry import DateEntry
from app.ui.widgets.field_errors import ERROR_COLOUR, make_error_label
from db.enums import PartyKind, PartyRole

# Widths of the applicant columns, so the rows line up under their header.
_W_NAME, _W_ID, _W_GENDER, _W_BIRTH, _W_PHONE, _W_REP = 96, 176, 34, 96, 118, 64

ID_CARD = "居民身份证"
#: The 56 民族 of GB/T 3304 (the combo is editable: 外国人 and others type their own or leave it empty).
ETHNICITIES = (
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族",
    "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族",
    "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族",
    "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族",
    "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族",
)
_ID_HINTS = {
    ID_CARD: "18位身份证号",
    "港澳居民来往内地通行证": "H/M+8或10位数字",
    "台湾居民来往大陆通行证": "8位数字",
    "港澳台居民居住证": "18位，81/82/83开头",
    "护照": "护照号码",
    "外国人永久居留身份证": "15位或18位（9开头）",
}


class AgentFields(QWidget):
    """委托代理人: name, relation or profession (律师、近亲属…), phone — one line."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("代理人姓名")
        self.name_edit.setFixedWidth(_W_NAME)
        self.relation_edit = QLineEdit()
        self.relation_edit.setPlaceholderText("关系或职业（如 律师、配偶）")
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("代理人电话")
        self.phone_edit.setFixedWidth(_W_PHONE)
        for w in (self.name_edit, self.relation_edit, self.phone_edit):
            row.addWidget(w)

    def widgets(self) -> list[QWidget]:
        return [self.name_edit, self.relation_edit, self.phone_edit]

    def load(self, party: Any) -> None:
        self.name_edit.setText((party.agent_name or "") if party is not None else "")
        self.relation_edit.setText((party.agent_relation or "") if party is not None else "")
        self.phone_edit.setText((party.agent_phone or "") if party is not None else "")

    def values(self) -> dict[str, str]:
        return {
            "agent_name": self.name_edit.text(),
            "agent_relation": self.relation_edit.text(),
            "agent_phone": self.phone_edit.text(),
        }


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
        outer.addLayout(self._details_line())
        self.error_label = make_error_label(self)
        outer.addWidget(self.error_label)
        self.id_edit.textChanged.connect(self._id_changed)
        self.id_type_combo.currentIndexChanged.connect(lambda _i: self._id_type_changed())
        self.remove_button.clicked.connect(lambda: on_remove(self))
        if party is not None:
            self.name_edit.setText(party.name or "")
            self.id_edit.setText(party.id_number or "")
            self.phone_edit.setText(party.phone or "")
            self.address_edit.setText(party.address or "")
            self.rep_check.setChecked(bool(party.is_representative))
            id_type = party.id_type or ID_CARD
            if self.id_type_combo.findText(id_type) < 0:
                self.id_type_combo.addItem(id_type)
            self.id_type_combo.setCurrentText(id_type)
            self.ethnicity_combo.setCurrentText(party.ethnicity or "")
            self.job_edit.setText(party.job or "")
            self.hired_edit.setDate(party.hired_on)
            self.agent.load(party)
            if not party.id_number or id_type != ID_CARD:
                self.gender_label.setText(party.gender or "")
                self.birth_label.setText(party.birth_date.isoformat() if party.birth_date else "")

    def _details_line(self) -> QHBoxLayout:
        """证件类型, 民族, 工作岗位, 入职时间 and the 委托代理人, under the main line."""
        line = QHBoxLayout()
        line.setSpacing(6)
        self.id_type_combo = QComboBox()
        self.id_type_combo.addItems(ID_TYPES)
        self.id_type_combo.setToolTip("证件类型：号码按类型核对")
        self.ethnicity_combo = QComboBox()
        self.ethnicity_combo.setEditable(True)
        self.ethnicity_combo.addItems(["", *ETHNICITIES])
        self.ethnicity_combo.setCurrentIndex(0)
        self.ethnicity_combo.lineEdit().setPlaceholderText("民族")
        self.ethnicity_combo.setFixedWidth(_W_NAME)
        self.job_edit = QLineEdit()
        self.job_edit.setPlaceholderText("工作岗位")
        self.job_edit.setFixedWidth(_W_PHONE)
        self.hired_edit = DateEntry(today=lambda: self.today)
        self.hired_edit.edit.setPlaceholderText("入职时间")
        self.agent = AgentFields()
        for w in (self.id_type_combo, self.ethnicity_combo, self.job_edit, self.hired_edit):
            line.addWidget(w)
        agent_label = QLabel("委托代理人")
        agent_label.setProperty("role", "hint")
        line.addWidget(agent_label)
        line.addWidget(self.agent, 1)
        return line

    def _id_type_changed(self) -> None:
        self.id_edit.setPlaceholderText(_ID_HINTS.get(self.id_type_combo.currentText(), "证件号码"))
        self._id_changed(self.id_edit.text())

    def _id_changed(self, text: str) -> None:
        """Read gender and birth date from the number as soon as it is complete."""
        number = normalize_text(text).replace(" ", "")
        self.gender_label.clear()
        self.birth_label.clear()
        self.birth_label.setStyleSheet("")
        self.birth_label.setToolTip("")
        if self.id_type_combo.currentText() != ID_CARD:
            if self.party is not None:  # gender and birth date as stored (this number does not hold them)
                self.gender_label.setText(self.party.gender or "")
                self.birth_label.setText(self.party.birth_date.isoformat() if self.party.birth_date else "")
            return
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

    def tab_widgets(self) -> list[QWidget]:
        """This row's Tab stops, left to right, the main line then the details line."""
        return [
            self.name_edit, self.id_edit, self.phone_edit, self.address_edit, self.rep_check, self.remove_button,
            self.id_type_combo, self.ethnicity_combo, self.job_edit, self.hired_edit, *self.agent.widgets(),
        ]

    def field(self, key: str) -> QWidget:
        return {
            "name": self.name_edit,
            "id_number": self.id_edit,
            "birth_date": self.id_edit,
            "gender": self.id_edit,
            "phone": self.phone_edit,
            "id_type": self.id_type_combo,
            "ethnicity": self.ethnicity_combo,
            "job": self.job_edit,
            "hired_on": self.hired_edit,
            "agent_name": self.agent.name_edit,
            "agent_relation": self.agent.relation_edit,
            "agent_phone": self.agent.phone_edit,
            "address": self.address_edit,
            "is_representative": self.rep_check,
        }.get(key, self.name_edit)

    def value(self) -> PartyInput:
        p = self.party
        id_type = self.id_type_combo.currentText() or ID_CARD
        derived = bool(normalize_text(self.id_edit.text())) and id_type == ID_CARD
        return PartyInput(
            role=PartyRole.APPLICANT.value,
            kind=PartyKind.PERSON.value,
            name=self.name_edit.text(),
            id_number=self.id_edit.text(),
            # read from the ID number by the service; kept from the record when the number does not hold them
            gender=None if derived else (p.gender if p is not None else None),
            birth_date=None if derived else (p.birth_date if p is not None else None),
            id_type=id_type,
            ethnicity=self.ethnicity_combo.currentText(),
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            job=self.job_edit.text(),
            hired_on=self.hired_edit.value(),
            is_representative=self.rep_check.isChecked(),
            id=p.id if p is not None else None,
            **self.agent.values(),
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
