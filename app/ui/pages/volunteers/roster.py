"""The 志愿者名册 tab of the 志愿服务 page: the roster, its filters, and the selected volunteer's contacted
enterprises; new / edit / delete volunteers and contacts.

A mixin of :class:`~app.ui.pages.volunteers.page.VolunteersPage`; it uses the page's ``ui`` and state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTableView

from app.services.formatting import format_date_cn
from app.services.validation import ValidationError
from app.services.volunteers import list_contacts, list_volunteers
from app.ui.dialogs.volunteer_dialog import ContactDialog, VolunteerDialog, get_date
from app.ui.models.volunteer_models import COL_V_NOTES, ID_ROLE, ROW_ROLE
from app.ui.pages.volunteers.common import ALL_UNITS


def _enable(button: Any, enabled: bool, why_not: str) -> None:
    """Enable ``button``, or disable it with ``why_not`` as its tooltip (its own tooltip comes back after)."""
    own = button.property("own_tooltip")
    if own is None:
        own = button.toolTip()
        button.setProperty("own_tooltip", own)
    button.setEnabled(enabled)
    button.setToolTip(own if enabled else why_not)


class RosterMixin:
    """The roster tab of :class:`VolunteersPage`."""

    # =============================================================================================
    # roster

    def _unit_filter(self) -> str | None:
        text = self.ui.unit_combo.currentText()
        return None if not text or text == ALL_UNITS else text

    def refresh_roster(self) -> None:
        ui = self.ui
        selected = self.selected_volunteer_id()
        today = self.service.today()
        rows = self.service.read(list_volunteers, search=ui.search_edit.text(), unit=self._unit_filter(),
                                 status=ui.status_combo.currentData(), duty=ui.duty_combo.currentData(), today=today)
        self.volunteer_model.set_rows(rows)
        if not self._widths_set(ui.volunteer_view):
            self._fit(ui.volunteer_view, COL_V_NOTES)
        over = sum(1 for r in rows if r.over_age)
        missed = sum(1 for r in rows if r.duty_met is False)
        text = self.tr("共{n}人").format(n=len(rows))
        if missed:
            text += self.tr("，本季度未服务{m}人").format(m=missed)
        if over:
            text += self.tr("，超过年龄上限{o}人").format(o=over)
        ui.roster_count_label.setText(text)
        if selected is None and self.volunteer_proxy.rowCount():
            ui.volunteer_view.setCurrentIndex(self.volunteer_proxy.index(0, 0))  # show someone's contacts at once
        else:
            self.select_volunteer(selected)
        self.refresh_contacts()

    @staticmethod
    def _widths_set(view: QTableView) -> bool:
        return bool(view.property("widths_set"))

    @staticmethod
    def _fit(view: QTableView, stretch_col: int | None = None) -> None:
        if view.model().rowCount() == 0:
            return
        view.resizeColumnsToContents()
        for col in range(view.model().columnCount()):
            view.setColumnWidth(col, min(view.columnWidth(col) + 12, 320))
        view.setProperty("widths_set", True)

    def selected_volunteer_id(self) -> int | None:
        index = self.ui.volunteer_view.currentIndex()
        if not index.isValid():
            return None
        return self.volunteer_proxy.data(index, ID_ROLE)

    def select_volunteer(self, volunteer_id: int | None) -> None:
        if volunteer_id is None:
            return
        for row in range(self.volunteer_proxy.rowCount()):
            index = self.volunteer_proxy.index(row, 0)
            if self.volunteer_proxy.data(index, ID_ROLE) == volunteer_id:
                self.ui.volunteer_view.setCurrentIndex(index)
                self.ui.volunteer_view.scrollTo(index)
                return

    def update_roster_buttons(self) -> None:
        """A button that cannot act is disabled, and its tooltip says why."""
        ui = self.ui
        vid = self.selected_volunteer_id()
        cid = self.selected_contact_id() if vid is not None else None
        if vid is not None:
            why_not = ""
        elif self.volunteer_model.rowCount() == 0:
            why_not = self.tr("名册中还没有志愿者：请先新增志愿者")
        else:
            why_not = self.tr("请先在名册中选择一名志愿者")
        for b in (ui.add_contact_button, ui.edit_volunteer_button, ui.delete_volunteer_button,
                  ui.quick_service_button):
            _enable(b, vid is not None, why_not)
        no_contact = why_not or self.tr("请先在联系企业表中选择一家企业")
        for b in (ui.edit_contact_button, ui.end_contact_button, ui.delete_contact_button):
            _enable(b, cid is not None, no_contact)

    def refresh_contacts(self) -> None:
        ui = self.ui
        vid = self.selected_volunteer_id()
        if vid is None:
            self.contact_model.set_rows([])
            ui.contacts_box.setTitle(self.tr("联系企业（请先在上表选择一名志愿者）"))
            ui.contact_warning_label.setVisible(False)
            self.update_roster_buttons()
            return
        as_of = get_date(ui.as_of_edit) or self.service.today()
        rows = self.service.read(list_contacts, volunteer_id=vid, as_of=as_of,
                                 active_only=not ui.show_ended_check.isChecked())
        self.contact_model.set_rows(rows)
        if not self._widths_set(ui.contact_view):
            self._fit(ui.contact_view)
        vol = self.volunteer_proxy.data(ui.volunteer_view.currentIndex(), ROW_ROLE)
        name = vol.name if vol is not None else ""
        active = sum(1 for r in rows if r.active)
        ui.contacts_box.setTitle(self.tr("{n}的联系企业（{d}联系中{a}家）").format(
            n=name, d=format_date_cn(as_of), a=active))
        warnings = [w for w in (vol.warnings if vol else ()) if "联系企业" in w]
        shared = [f"“{r.enterprise_name}”同时由{'、'.join(r.other_volunteers)}联系" for r in rows
                  if r.active and r.other_volunteers]
        text = "；".join(warnings + shared)
        ui.contact_warning_label.setText(text)
        ui.contact_warning_label.setVisible(bool(text))
        self.update_roster_buttons()

    def selected_contact_id(self) -> int | None:
        index = self.ui.contact_view.currentIndex()
        return self.contact_proxy.data(index, ID_ROLE) if index.isValid() else None

    def _open(self, dialog: Any, on_accept: Callable[[Any], None]) -> Any:
        self.dialog = dialog
        dialog.accepted.connect(lambda: on_accept(dialog))
        dialog.open()
        return dialog

    def new_volunteer(self) -> Any:
        return self._open(VolunteerDialog(self.service, parent=self), self._volunteer_saved)

    def edit_volunteer(self) -> Any:
        vid = self.selected_volunteer_id()
        if vid is None:
            return None
        return self._open(VolunteerDialog(self.service, vid, parent=self), self._volunteer_saved)

    def _volunteer_saved(self, dialog: VolunteerDialog) -> None:
        self._saved(self.tr("志愿者信息"), dialog.warnings)
        self._after_change()
        self.select_volunteer(dialog.saved_id)

    def delete_volunteer(self) -> None:
        vid = self.selected_volunteer_id()
        if vid is None:
            return
        vol = self.volunteer_proxy.data(self.ui.volunteer_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除志愿者"), self.tr("确定删除志愿者“{n}”及其联系企业记录吗？").format(n=vol.name)):
            return
        try:
            self.service.delete_volunteer(vid)
        except ValidationError as exc:
            self.notify(str(exc))
            return
        self.notify(self.tr("已删除志愿者“{n}”。").format(n=vol.name))
        self._after_change()

    def add_contact(self) -> Any:
        vid = self.selected_volunteer_id()
        if vid is None:
            return None
        return self._open(ContactDialog(self.service, vid, parent=self), self._contact_saved)

    def edit_contact(self) -> Any:
        vid, cid = self.selected_volunteer_id(), self.selected_contact_id()
        if vid is None or cid is None:
            return None
        return self._open(ContactDialog(self.service, vid, cid, parent=self), self._contact_saved)

    def _contact_saved(self, dialog: ContactDialog) -> None:
        self._saved(self.tr("联系企业"), dialog.warnings)
        self.refresh_roster()
        self._loaded = {self.ui.tabs.currentIndex()}

    def end_contact(self) -> None:
        cid = self.selected_contact_id()
        if cid is None:
            return
        row = self.contact_proxy.data(self.ui.contact_view.currentIndex(), ROW_ROLE)
        today = self.service.today()
        if not self.confirm(self.tr("结束联系"), self.tr("把与“{e}”的联系截止日期设为今天（{d}）吗？").format(
                e=row.enterprise_name, d=format_date_cn(today))):
            return
        try:
            result = self.service.end_contact(cid, today)
        except ValidationError as exc:
            self.notify(str(exc))
            return
        self._saved(self.tr("联系截止日期"), result.warnings)
        self.refresh_roster()

    def delete_contact(self) -> None:
        cid = self.selected_contact_id()
        if cid is None:
            return
        row = self.contact_proxy.data(self.ui.contact_view.currentIndex(), ROW_ROLE)
        if not self.confirm(self.tr("删除联系记录"),
                            self.tr("确定删除与“{e}”的联系记录吗？（企业不再联系时请用“结束联系”，以便保留历史名册）")
                            .format(e=row.enterprise_name)):
            return
        self.service.delete_contact(cid)
        self.notify(self.tr("已删除联系记录。"))
        self.refresh_roster()

