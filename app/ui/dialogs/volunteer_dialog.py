"""The volunteer form (forms.md §1) and the contacted-enterprise form, over :class:`VolunteerService`.

Layouts from ``forms/volunteer_dialog.ui`` and ``forms/volunteer_contact_dialog.ui``. The ID number is read
as it is typed: birth date, gender and age appear under it, and an age over the limit (setting
``volunteer_age_limit``) shows a warning that does not stop saving. Saving calls the service; a refused
input shows the service's Chinese message under the form and puts the cursor in the field it names.
After a successful save ``saved_id`` and ``warnings`` hold the result (the page shows the warnings).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QStandardPaths, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from app.services.enterprises import EnterpriseInput
from app.services.formatting import format_date_cn
from app.services.photos import prepare_photo
from app.services.validation import ValidationError, age_on, check_id_number
from app.services.volunteers import (
    AGE_LIMIT,
    CATEGORIES,
    CONTACT_REASONS,
    EDUCATIONS,
    POLITICAL_STATUSES,
    ContactInput,
    VolunteerData,
    VolunteerService,
    age_warning,
    enterprise_choices,
    get_volunteer,
    list_contacts,
    list_units,
)
from app.ui.forms.ui_volunteer_contact_dialog import Ui_ContactDialog
from app.ui.forms.ui_volunteer_dialog import Ui_VolunteerDialog
from app.ui.models.volunteer_models import EnterpriseSuggestions
from app.ui.widgets.date_entry import one_tab_stop, tab_leaves
from app.ui.widgets.field_errors import FormFieldErrors, accept_saved, style_as_error
from app.ui.widgets.fit_screen import FitToScreenMixin, scroll_body, scroll_tabs
from app.ui.widgets.unsaved_guard import UnsavedChangesMixin
from db.enums import VolunteerStatus

ETHNICITIES = ("汉族", "回族", "满族", "蒙古族", "朝鲜族", "壮族", "维吾尔族", "藏族", "苗族", "土家族", "彝族", "其他")
SERVICE_MODES = ("上门走访", "电话", "线上", "集中宣讲", "上门走访、电话", "集中宣讲、上门走访")
SERVICE_CONTENTS = ("政策宣传", "用工指导(法律体检)", "风险排查", "指导建立调解组织", "调解员/HR培训", "参与调解",
                    "政策宣传、用工指导(法律体检)", "风险排查、指导建立调解组织")
NULL_DATE = QDate(1900, 1, 1)


# --- helpers shared by the volunteer dialogs ------------------------------------------------------------


def setup_optional_date(edit: QDateEdit, empty_text: str = "（未填）") -> None:
    """A date edit that can be empty: its minimum date stands for "no date" and shows ``empty_text``."""
    edit.setMinimumDate(NULL_DATE)
    edit.setSpecialValueText(empty_text)
    edit.setDate(NULL_DATE)


def set_date(edit: QDateEdit, value: date | None) -> None:
    edit.setDate(QDate(value.year, value.month, value.day) if value else edit.minimumDate())


def get_date(edit: QDateEdit) -> date | None:
    q = edit.date()
    if edit.specialValueText() and q == edit.minimumDate():
        return None
    return date(q.year(), q.month(), q.day())


def fill_combo(combo: QComboBox, items, current: str | None = None) -> None:
    combo.clear()
    combo.addItems(list(items))
    set_combo_text(combo, current)


def set_combo_text(combo: QComboBox, text: str | None) -> None:
    text = text or ""
    i = combo.findText(text)
    if i >= 0:
        combo.setCurrentIndex(i)
    elif combo.isEditable():
        combo.setEditText(text)
    else:
        combo.setCurrentIndex(-1 if not text else 0)


def show_error(label: QLabel, exc: Exception) -> None:
    style_as_error(label)  # the same red as the messages at the fields
    label.setText(str(exc))
    label.setVisible(True)


class _FormDialog(UnsavedChangesMixin, FitToScreenMixin, QDialog):
    """Save button wiring, the error label and focusing the field a ValidationError names; fitted to the
    screen, and 「保存 / 不保存 / 取消」 asked when closed with changes (call ``_loaded()`` after loading)."""

    ui: Any
    FIELD_WIDGETS: dict[str, str] = {}

    def _wire_buttons(self) -> None:
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Save).setText(self.tr("保存"))
        self.ui.button_box.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.ui.button_box.accepted.connect(self.save)
        self.ui.button_box.rejected.connect(self.request_close)
        # entry like a spreadsheet: Tab leaves a multi-line field (Ctrl+Tab types a tab), a date is one Tab stop
        tab_leaves(*self.findChildren(QPlainTextEdit))
        one_tab_stop(*self.findChildren(QDateEdit))

    def _loaded(self, **kwargs: Any) -> None:
        """The form holds the stored values now: changes are counted from here."""
        self.guard_unsaved(self.save, **kwargs)

    def _refused(self, exc: ValidationError) -> None:
        if getattr(self, "errors", None) is None:
            fields = {label: getattr(self.ui, name) for label, name in self.FIELD_WIDGETS.items()}
            self.errors = FormFieldErrors(self.ui.message_label, fields)
        self.errors.show(exc)

    def _save_with(self, call: Callable[[], Any]) -> bool:
        return accept_saved(self, call, self._refused)

    def save(self) -> bool:  # pragma: no cover - overridden
        raise NotImplementedError


# --- volunteer ------------------------------------------------------------------------------------------


class VolunteerDialog(_FormDialog):
    FIELD_WIDGETS = {
        "姓名": "name_edit", "身份证号码": "id_number_edit", "工作单位": "unit_combo", "联系电话": "phone_edit",
        "电子邮箱": "email_edit", "退出时间": "left_edit", "加入时间": "joined_edit", "状态": "status_combo",
        "仲裁员聘任时间": "arbitrator_since_edit", "从事调解仲裁工作年限": "years_spin", "办案（调解）数量": "cases_spin",
        "照片": "photo_choose_button",
    }
    PHOTO_FILTER = "图片 (*.jpg *.jpeg *.png *.bmp *.gif *.tif *.tiff *.webp);;所有文件 (*)"

    def __init__(self, service: VolunteerService, volunteer_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_VolunteerDialog()
        self.ui.setupUi(self)
        scroll_tabs(self.ui.dialog_tabs)  # the tabs scroll inside; 保存/取消 stay visible
        self.service = service
        self.volunteer_id = volunteer_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        self._age_limit = service.settings()[AGE_LIMIT]
        self._uuid: str | None = None
        ui = self.ui
        fill_combo(ui.ethnicity_combo, ETHNICITIES, "汉族")
        fill_combo(ui.political_combo, POLITICAL_STATUSES, "")
        fill_combo(ui.education_combo, EDUCATIONS, "")
        fill_combo(ui.category_combo, CATEGORIES, "")
        fill_combo(ui.unit_combo, service.read(list_units), "")
        ui.status_combo.addItem(VolunteerStatus.ACTIVE.label, VolunteerStatus.ACTIVE.value)
        ui.status_combo.addItem(VolunteerStatus.LEFT.label, VolunteerStatus.LEFT.value)
        setup_optional_date(ui.arbitrator_since_edit)
        setup_optional_date(ui.left_edit)
        today = service.today()
        for edit in (ui.arbitrator_since_edit, ui.joined_edit, ui.left_edit):
            edit.setMaximumDate(QDate(today.year + 1, 12, 31))
        ui.joined_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        set_date(ui.joined_edit, today)
        ui.years_spin.setSpecialValueText("—")
        ui.cases_spin.setSpecialValueText("—")
        ui.id_number_edit.textChanged.connect(self._update_derived)
        ui.status_combo.currentIndexChanged.connect(self._status_changed)
        ui.zyh_check.toggled.connect(ui.zyh_id_edit.setEnabled)
        ui.zyh_id_edit.setEnabled(False)
        self._wire_buttons()
        self.photo: bytes | None = None  # what the 照片 box shows (the stored JPEG, or a newly chosen one)
        self.photo_changed = False
        ui.photo_choose_button.clicked.connect(lambda: self.choose_photo())
        ui.photo_clear_button.clicked.connect(self.clear_photo)
        if volunteer_id is not None:
            self.load(service.read(get_volunteer, volunteer_id))
            self._show_photo(service.photo(volunteer_id))
            self.setWindowTitle(self.tr("编辑志愿者"))
        else:
            self._show_photo(None)
            self.setWindowTitle(self.tr("新增志愿者"))
        self._status_changed()
        self._loaded(extra=lambda: self.photo)

    # --- form <-> data ----------------------------------------------------------------------------------
    def load(self, d: VolunteerData) -> None:
        ui = self.ui
        self._uuid = d.uuid
        ui.name_edit.setText(d.name)
        ui.id_number_edit.setText(d.id_number)
        set_combo_text(ui.ethnicity_combo, d.ethnicity)
        set_combo_text(ui.political_combo, d.political_status)
        set_combo_text(ui.education_combo, d.education)
        ui.degree_edit.setText(d.degree or "")
        ui.school_edit.setText(d.school_major or "")
        ui.phone_edit.setText(d.phone or "")
        ui.email_edit.setText(d.email or "")
        set_combo_text(ui.unit_combo, d.unit)
        ui.post_edit.setText(d.post or "")
        set_combo_text(ui.category_combo, d.category)
        set_date(ui.arbitrator_since_edit, d.arbitrator_since)
        ui.cert_no_edit.setText(d.arbitrator_cert_no or "")
        ui.years_spin.setValue(d.years_in_service or 0)
        ui.cases_spin.setValue(d.cases_handled or 0)
        ui.expertise_edit.setText("、".join(d.expertise or []))
        ui.intention_edit.setPlainText(d.intention or "")
        ui.zyh_check.setChecked(bool(d.zyh_registered))
        ui.zyh_id_edit.setText(d.zyh_id or "")
        ui.recommended_edit.setText(d.recommended_by or "")
        set_date(ui.joined_edit, d.joined_on)
        ui.status_combo.setCurrentIndex(max(0, ui.status_combo.findData(d.status)))
        set_date(ui.left_edit, d.left_on)
        ui.resume_edit.setPlainText(d.resume or "")
        ui.achievements_edit.setPlainText(d.achievements or "")
        ui.remark_edit.setPlainText(d.remark or "")

    def data(self) -> VolunteerData:
        ui = self.ui
        expertise = [x.strip() for x in ui.expertise_edit.text().replace(",", "、").replace("，", "、").split("、")]
        return VolunteerData(
            id=self.volunteer_id, uuid=self._uuid, name=ui.name_edit.text(), id_number=ui.id_number_edit.text(),
            ethnicity=ui.ethnicity_combo.currentText(), political_status=ui.political_combo.currentText(),
            education=ui.education_combo.currentText(), degree=ui.degree_edit.text(), school_major=ui.school_edit.text(),
            unit=ui.unit_combo.currentText(), post=ui.post_edit.text(), category=ui.category_combo.currentText(),
            arbitrator_since=get_date(ui.arbitrator_since_edit), arbitrator_cert_no=ui.cert_no_edit.text(),
            years_in_service=ui.years_spin.value() or None, cases_handled=ui.cases_spin.value() or None,
            phone=ui.phone_edit.text(), email=ui.email_edit.text(), expertise=[x for x in expertise if x],
            intention=ui.intention_edit.toPlainText(), zyh_registered=ui.zyh_check.isChecked(),
            zyh_id=ui.zyh_id_edit.text(), recommended_by=ui.recommended_edit.text(), joined_on=get_date(ui.joined_edit),
            status=ui.status_combo.currentData() or VolunteerStatus.ACTIVE.value, left_on=get_date(ui.left_edit),
            resume=ui.resume_edit.toPlainText(), achievements=ui.achievements_edit.toPlainText(),
            remark=ui.remark_edit.toPlainText(),
        )

    # --- live feedback ----------------------------------------------------------------------------------
    def _update_derived(self) -> None:
        text = self.ui.id_number_edit.text().strip()
        warning = ""
        if not text:
            derived = ""
        else:
            try:
                info = check_id_number(text, "身份证号码", today=self.service.today())
            except ValidationError as exc:
                derived = str(exc) if len(text) >= 18 else self.tr("身份证号码：还需输入{n}位").format(n=18 - len(text))
            else:
                age = age_on(info.birth_date, self.service.today())
                derived = self.tr("出生日期：{b}　性别：{g}　年龄：{a}周岁").format(
                    b=format_date_cn(info.birth_date), g=info.gender, a=age)
                warning = age_warning(info.birth_date, self.service.today(), self._age_limit) or ""
                if warning:
                    warning = self.tr("提示：{w}。仍可保存。").format(w=warning)
        self.ui.derived_label.setText(derived)
        self.ui.age_warning_label.setText(warning)
        self.ui.age_warning_label.setVisible(bool(warning))

    def _status_changed(self) -> None:
        left = self.ui.status_combo.currentData() == VolunteerStatus.LEFT.value
        self.ui.left_edit.setEnabled(left)
        if left and get_date(self.ui.left_edit) is None:
            set_date(self.ui.left_edit, self.service.today())
        if not left:
            set_date(self.ui.left_edit, None)

    # --- 照片 --------------------------------------------------------------------------------------------
    def choose_photo(self, path: str | None = None) -> bool:
        """选择照片…: read a picture (asked for when ``path`` is None); it is saved with the form."""
        if path is None:
            start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
            path, _filter = QFileDialog.getOpenFileName(self, self.tr("选择照片"), start, self.tr(self.PHOTO_FILTER))
            if not path:
                return False
        try:
            photo = prepare_photo(path)
        except ValidationError as exc:
            self._refused(exc)
            return False
        self.photo_changed = True
        self._show_photo(photo)
        return True

    def clear_photo(self) -> None:
        self.photo_changed = self.photo_changed or self.photo is not None
        self._show_photo(None)

    def _show_photo(self, photo: bytes | None) -> None:
        self.photo = photo
        label = self.ui.photo_label
        pixmap = QPixmap()
        if photo and pixmap.loadFromData(photo):
            label.setPixmap(pixmap.scaled(label.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                          Qt.TransformationMode.SmoothTransformation))
        else:
            label.setPixmap(QPixmap())
            label.setText(self.tr("照片（2寸）\n未添加"))
        self.ui.photo_clear_button.setEnabled(photo is not None)

    # --- saving -----------------------------------------------------------------------------------------
    def save(self) -> bool:
        photo = self.photo if self.photo_changed else ...
        return self._save_with(lambda: self.service.save_volunteer(self.data(), photo=photo))


# --- contacted enterprise -------------------------------------------------------------------------------


class ContactDialog(_FormDialog):
    FIELD_WIDGETS = {
        "联系企业": "enterprise_edit", "企业名称": "new_name_edit", "单位名称": "new_name_edit",
        "统一社会信用代码": "new_code_edit",
        "企业联系电话": "new_phone_edit", "联系电话": "new_phone_edit", "建立联系时间": "from_edit",
        "联系截止时间": "to_edit",
    }

    def __init__(self, service: VolunteerService, volunteer_id: int, contact_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_ContactDialog()
        self.ui.setupUi(self)
        scroll_body(self, keep_last=2)  # the fields scroll; the message line and 保存/取消 stay visible
        self.service = service
        self.volunteer_id = volunteer_id
        self.contact_id = contact_id
        self.saved_id: int | None = None
        self.warnings: tuple[str, ...] = ()
        ui = self.ui
        vol = service.read(get_volunteer, volunteer_id)
        ui.volunteer_label.setText(self.tr("志愿者：{n}（{u}）").format(n=vol.name, u=vol.unit or ""))
        fill_combo(ui.reason_combo, CONTACT_REASONS, "")
        fill_combo(ui.mode_combo, SERVICE_MODES, "")
        fill_combo(ui.content_combo, SERVICE_CONTENTS, "")
        today = service.today()
        ui.from_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        set_date(ui.from_edit, today)
        setup_optional_date(ui.to_edit, "（仍在联系）")
        self.suggestions = EnterpriseSuggestions(
            ui.enterprise_edit, lambda text: self.service.read(enterprise_choices, text, limit=30))
        ui.enterprise_edit.textChanged.connect(lambda _t: self._update_info())
        self.suggestions.completer.activated.connect(lambda _t: self._update_info())
        ui.existing_radio.toggled.connect(self._mode_changed)
        self._wire_buttons()
        if contact_id is not None:
            self._load()
        self._mode_changed()
        self._loaded()

    def _load(self) -> None:
        row = next((c for c in self.service.read(list_contacts, volunteer_id=self.volunteer_id)
                    if c.id == self.contact_id), None)
        if row is None:
            show_error(self.ui.message_label, ValueError(self.tr("找不到这条联系记录，可能已被删除。")))
            return
        self.setWindowTitle(self.tr("编辑联系企业"))
        self.suggestions._ids[row.enterprise_name] = row.enterprise_id
        self.ui.enterprise_edit.setText(row.enterprise_name)
        self.ui.new_radio.setEnabled(False)
        set_date(self.ui.from_edit, row.from_date)
        set_date(self.ui.to_edit, row.to_date)
        set_combo_text(self.ui.reason_combo, row.reason)
        set_combo_text(self.ui.mode_combo, row.service_mode)
        set_combo_text(self.ui.content_combo, row.service_content)
        self.ui.remark_edit.setText(row.remark or "")

    def _mode_changed(self) -> None:
        existing = self.ui.existing_radio.isChecked()
        self.ui.enterprise_edit.setEnabled(existing)
        for name in ("new_name_edit", "new_code_edit", "new_address_edit", "new_contact_edit", "new_phone_edit"):
            getattr(self.ui, name).setEnabled(not existing)
        self._update_info()

    def _update_info(self) -> None:
        if not self.ui.existing_radio.isChecked():
            self.ui.enterprise_info_label.setText("")
            return
        eid = self.suggestions._ids.get(self.ui.enterprise_edit.text().strip())
        if eid is None:
            self.ui.enterprise_info_label.setText("")
            return
        others = [c.volunteer_name for c in self.service.read(list_contacts, enterprise_id=eid, active_only=True,
                                                               as_of=self.service.today())
                  if c.volunteer_id != self.volunteer_id]
        self.ui.enterprise_info_label.setText(
            self.tr("该企业目前还由{names}联系。").format(names="、".join(dict.fromkeys(others))) if others
            else self.tr("目前没有其他志愿者联系该企业。"))

    def data(self) -> ContactInput:
        ui = self.ui
        data = ContactInput(
            volunteer_id=self.volunteer_id, from_date=get_date(ui.from_edit), to_date=get_date(ui.to_edit),
            reason=ui.reason_combo.currentText(), service_mode=ui.mode_combo.currentText(),
            service_content=ui.content_combo.currentText(), remark=ui.remark_edit.text(),
        )
        if ui.existing_radio.isChecked():
            data.enterprise_id = self.suggestions.selected_id()
            if data.enterprise_id is None:
                text = ui.enterprise_edit.text().strip()
                raise ValidationError("联系企业", self.tr("联系企业：企业名录中没有“{t}”，请从输入时的提示中选择，或选择“新建企业”。")
                                      .format(t=text) if text else self.tr("联系企业：请选择一家企业"))
        else:
            data.new_enterprise = EnterpriseInput(
                name=ui.new_name_edit.text(), credit_code=ui.new_code_edit.text(), address=ui.new_address_edit.text(),
                contact_name=ui.new_contact_edit.text(), contact_phone=ui.new_phone_edit.text())
        return data

    def save(self) -> bool:
        return self._save_with(lambda: self.service.save_contact(self.data(), self.contact_id))
