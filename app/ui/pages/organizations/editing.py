"""New / edit / delete on the 组织档案 page: organizations and their mediator roster.

A mixin of :class:`~app.ui.pages.organizations.page.OrganizationsPage`; it uses the page's ``ui`` and state."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from app.services import mediators as mediator_service
from app.services import organizations as org_service
from app.ui.dialogs.mediator_dialog import MediatorDialog
from app.ui.dialogs.organization_dialog import OrganizationDialog
from app.ui.models.organization_models import ID_ROLE


class EditingMixin:
    """Organization and mediator dialogs of :class:`OrganizationsPage`."""

    # --- organizations: new / edit / delete ---------------------------------------------------------
    def new_organization(self) -> OrganizationDialog:
        dlg = OrganizationDialog(self.sf, None, self)
        dlg.accepted.connect(lambda: self._org_saved(dlg))
        dlg.open()
        return dlg

    def edit_selected(self) -> OrganizationDialog | None:
        org_id = self.selected_id()
        if org_id is None:
            return None
        dlg = OrganizationDialog(self.sf, org_id, self)
        dlg.accepted.connect(lambda: self._org_saved(dlg))
        dlg.open()
        return dlg

    def _org_saved(self, dlg: OrganizationDialog) -> None:
        message = self.tr("已保存：{name}").format(name=dlg.ui.name_edit.text().strip())
        if dlg.warnings:
            message += "（提示：" + "；".join(dlg.warnings) + "）"
        self.set_status(message)
        self.refresh(select_id=dlg.saved_id)

    def delete_selected(self, *, confirm: bool = True) -> bool:
        row = self.selected_row()
        if row is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除调解组织"),
                self.tr("确定删除“{name}”吗？其调解员名册、金牌称号和自评记录将一并删除。").format(name=row.name),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            name = org_service.delete_organization(self.sf, row.id)
        except org_service.ActionRefused as exc:
            self.set_status(str(exc))
            QMessageBox.warning(self, self.tr("不能删除"), str(exc))
            return False
        self.set_status(self.tr("已删除：{name}").format(name=name))
        self.refresh()
        return True

    # --- roster ------------------------------------------------------------------------------------
    def selected_mediator_id(self) -> int | None:
        view = self.ui.mediator_view
        if not view.selectionModel().hasSelection():
            return None
        return self.mediator_proxy.data(view.currentIndex(), ID_ROLE)

    def new_mediator(self) -> MediatorDialog | None:
        org_id = self.selected_id()
        if org_id is None:
            return None
        return self._open_mediator(MediatorDialog(self.sf, org_id, None, self))

    def edit_mediator(self) -> MediatorDialog | None:
        mid = self.selected_mediator_id()
        if mid is None:
            return None
        return self._open_mediator(MediatorDialog(self.sf, None, mid, self))

    def _open_mediator(self, dlg: MediatorDialog) -> MediatorDialog:
        def saved() -> None:
            self.load_mediators()
            self._after_change(self.tr("已保存调解员：{name}").format(name=dlg.ui.name_edit.text().strip()),
                               dlg.warnings)

        dlg.accepted.connect(saved)
        dlg.open()
        return dlg

    def delete_mediator(self, *, confirm: bool = True) -> bool:
        mid = self.selected_mediator_id()
        if mid is None:
            return False
        if confirm:
            answer = QMessageBox.question(
                self, self.tr("删除调解员"),
                self.tr("确定删除这名调解员吗？误录的记录才需要删除；不再任职的，请在编辑中填写离任日期。"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            name = mediator_service.delete_mediator(self.sf, mid)
        except org_service.ActionRefused as exc:
            self.set_status(str(exc))
            QMessageBox.warning(self, self.tr("不能删除"), str(exc))
            return False
        self.load_mediators()
        self._after_change(self.tr("已删除调解员：{name}").format(name=name))
        return True

