"""劳动关系协调员 (:class:`CoordinatorDialog`) and 协调劳动关系社会组织 (:class:`SocialOrgDialog`) dialogs.

The services check the input (身份证号 and 统一社会信用代码 check characters, phone numbers, date order,
duplicates) and name the field of an error, which the form shows under that field.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget
from sqlalchemy.orm import Session

from app.services.ledgers import (
    CERT_LEVELS,
    SIZES,
    SOCIAL_ORG_KINDS,
    SOCIAL_SERVICES,
    UNIT_TYPES,
    CoordinatorInput,
    SocialOrgInput,
    save_coordinator,
    save_social_org,
)
from app.ui.dialogs.ledgers.form import LedgerFormDialog, iso


class CoordinatorDialog(LedgerFormDialog):
    TITLE_NEW = "新增劳动关系协调员"
    TITLE_EDIT = "编辑劳动关系协调员"

    def build(self) -> None:
        self.name_edit = self.line("姓名", "name_edit", required=True, max_length=50)
        self.id_number_edit = self.line("身份证号", "id_number_edit", placeholder="填写后自动核对校验码，并得出性别")
        self.gender_combo = self.combo("性别", "gender_combo", [("", None), ("男", "男"), ("女", "女")])
        self.unit_edit = self.line("工作单位", "unit_edit")
        self.unit_type_combo = self.combo("单位类型", "unit_type_combo", [("", None), *((t, t) for t in UNIT_TYPES)])
        self.post_edit = self.line("职务", "post_edit")
        self.phone_edit = self.line("联系电话", "phone_edit")
        self.cert_level_combo = self.combo("证书等级", "cert_level_combo",
                                           [("未取得", None), *((c, c) for c in CERT_LEVELS)],
                                           tip="劳动关系协调员国家职业资格证书等级（一级最高，五级最低）")
        self.cert_no_edit = self.line("证书编号", "cert_no_edit")
        self.cert_date_edit = self.date_line("发证日期", "cert_date_edit")
        self.cert_issuer_edit = self.line("发证机构", "cert_issuer_edit")
        self.joined_edit = self.date_line("入库日期", "joined_edit", tip="纳入协调员台账的日期")
        self.left_edit = self.date_line("退出日期", "left_edit", tip="不再担任协调员的日期；在库人员不填")
        self.remark_edit = self.text("备注", "remark_edit", lines=2)

    def load(self, row: Any) -> None:
        self.name_edit.setText(row.name)
        self.id_number_edit.setText(row.id_number or "")
        self.set_combo(self.gender_combo, row.gender)
        self.unit_edit.setText(row.unit or "")
        self.set_combo(self.unit_type_combo, row.unit_type)
        self.post_edit.setText(row.post or "")
        self.phone_edit.setText(row.phone or "")
        self.set_combo(self.cert_level_combo, row.cert_level)
        self.cert_no_edit.setText(row.cert_no or "")
        self.cert_date_edit.setText(iso(row.cert_date))
        self.cert_issuer_edit.setText(row.cert_issuer or "")
        self.joined_edit.setText(iso(row.joined_on))
        self.left_edit.setText(iso(row.left_on))
        self.remark_edit.setPlainText(row.remark or "")

    def data(self) -> CoordinatorInput:
        return CoordinatorInput(
            name=self.name_edit.text(), id_number=self.id_number_edit.text(), gender=self.gender_combo.currentData(),
            unit=self.unit_edit.text(), unit_type=self.unit_type_combo.currentData(), post=self.post_edit.text(),
            phone=self.phone_edit.text(), cert_level=self.cert_level_combo.currentData(),
            cert_no=self.cert_no_edit.text(), cert_date=self.optional_date(self.cert_date_edit, "发证日期"),
            cert_issuer=self.cert_issuer_edit.text(), joined_on=self.optional_date(self.joined_edit, "入库日期"),
            left_on=self.optional_date(self.left_edit, "退出日期"), remark=self.remark_edit.toPlainText(),
        )

    def write(self, session: Session) -> Any:
        return save_coordinator(session, self.data(), self.record_id, user=self.user, today=self.today)


class SocialOrgDialog(LedgerFormDialog):
    TITLE_NEW = "新增协调劳动关系社会组织"
    TITLE_EDIT = "编辑协调劳动关系社会组织"

    def build(self) -> None:
        self.name_edit = self.line("组织名称", "name_edit", required=True, max_length=200)
        self.credit_code_edit = self.line("统一社会信用代码", "credit_code_edit", placeholder="18位，自动核对校验码")
        self.kind_combo = self.combo("组织类型", "kind_combo", [("", None), *((k, k) for k in SOCIAL_ORG_KINDS)])
        self.size_combo = self.combo("规模", "size_combo", [("", None), *((label, key) for key, label in SIZES.items())])
        self.industry_edit = self.line("所属行业", "industry_edit", placeholder="如 制造业")
        self.staff_spin = self.spin("工作人员数", "staff_spin", -1, 100000, special="未填", suffix="人")
        self.staff_spin.setValue(-1)
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.service_checks: dict[str, QCheckBox] = {}
        for i, (token, label) in enumerate(SOCIAL_SERVICES.items()):
            check = QCheckBox(label, box)
            check.setObjectName(f"service_{token}_check")
            grid.addWidget(check, i // 3, i % 3)
            self.service_checks[token] = check
        self._row("提供服务", box, "services_box")
        self.contact_edit = self.line("联系人", "contact_edit")
        self.phone_edit = self.line("联系电话", "phone_edit")
        self.address_edit = self.line("地址", "address_edit")
        self.established_edit = self.date_line("成立日期", "established_edit")
        self.remark_edit = self.text("备注", "remark_edit", lines=2)

    def services(self) -> tuple[str, ...]:
        return tuple(token for token, check in self.service_checks.items() if check.isChecked())

    def load(self, row: Any) -> None:
        self.name_edit.setText(row.name)
        self.credit_code_edit.setText(row.credit_code or "")
        self.set_combo(self.kind_combo, row.kind)
        self.set_combo(self.size_combo, row.size)
        self.industry_edit.setText(row.industry or "")
        self.staff_spin.setValue(-1 if row.staff is None else row.staff)
        for token, check in self.service_checks.items():
            check.setChecked(token in row.services)
        self.contact_edit.setText(row.contact or "")
        self.phone_edit.setText(row.phone or "")
        self.address_edit.setText(row.address or "")
        self.established_edit.setText(iso(row.established))
        self.remark_edit.setPlainText(row.remark or "")

    def data(self) -> SocialOrgInput:
        staff = self.staff_spin.value()
        return SocialOrgInput(
            name=self.name_edit.text(), credit_code=self.credit_code_edit.text(), kind=self.kind_combo.currentData(),
            size=self.size_combo.currentData(), industry=self.industry_edit.text(),
            staff=None if staff < 0 else staff, services=self.services(), contact=self.contact_edit.text(),
            phone=self.phone_edit.text(), address=self.address_edit.text(),
            established=self.optional_date(self.established_edit, "成立日期"), remark=self.remark_edit.toPlainText(),
        )

    def write(self, session: Session) -> Any:
        return save_social_org(session, self.data(), self.record_id, user=self.user)
