"""The 劳动关系协调员 and 社会组织 tabs: lists, add / edit / delete dialogs, import (kinds ``coordinators`` and
``social-orgs`` of the import wizard) and export; the coordinators as of a date (who was in the pool that
day, or everyone), the social organizations with their figures by industry and by size.

Mixins of :class:`~app.ui.pages.ledgers.page.LedgersPage`; they use the page's ``ui``, ``read``/``write``,
``notify``, ``confirm``, ``open_dialog``, ``add_import`` and ``export_kind``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from app.services.ledgers import (
    CERT_LEVELS,
    delete_coordinator,
    delete_social_org,
    list_coordinators,
    list_social_orgs,
    social_org_figures,
)
from app.ui.dialogs.ledgers import CoordinatorDialog, SocialOrgDialog
from app.ui.dialogs.ledgers.form import date_of, set_date_edit
from app.ui.models.ledger_models import COL_COORD_UNIT, CoordinatorModel, FigureModel, SocialOrgModel
from app.ui.pages.ledgers.common import current_row, fit_columns, proxy_for, setup_view
from app.ui.widgets.fit_screen import keep_splitter, rows_height


class CoordinatorsMixin:
    """劳动关系协调员 of :class:`LedgersPage`."""

    def _setup_coordinators(self) -> None:
        ui = self.ui
        self.coordinator_model = CoordinatorModel(self)
        setup_view(ui.coordinator_view, proxy_for(self, self.coordinator_model), stretch=COL_COORD_UNIT)
        set_date_edit(ui.coord_as_of_edit, self.today())
        ui.coord_level_combo.addItem("全部", None)
        for level in (*CERT_LEVELS, "未取得"):
            ui.coord_level_combo.addItem(level, level)
        ui.coord_as_of_edit.dateChanged.connect(lambda _d: self.refresh_coordinators())
        ui.coord_include_left_check.toggled.connect(lambda _v: self.refresh_coordinators())
        ui.coord_level_combo.currentIndexChanged.connect(lambda _i: self.refresh_coordinators())
        ui.coordinator_view.doubleClicked.connect(lambda _i: self.edit_coordinator())
        ui.coordinator_view.selectionModel().selectionChanged.connect(lambda *_a: self._coordinator_selected())
        ui.new_coordinator_button.clicked.connect(lambda _c=False: self.new_coordinator())
        ui.edit_coordinator_button.clicked.connect(lambda _c=False: self.edit_coordinator())
        ui.delete_coordinator_button.clicked.connect(lambda _c=False: self.delete_selected_coordinator())
        ui.export_coordinators_button.clicked.connect(lambda _c=False: self.export_coordinators())
        self.import_coordinators_button = self.add_import(
            ui.new_coordinator_button, "coordinators", "导入协调员…", self.refresh_coordinators)
        self._coordinator_selected()

    def coordinator_as_of(self) -> date:
        return date_of(self.ui.coord_as_of_edit)

    def refresh_coordinators(self) -> None:
        ui = self.ui
        on = self.coordinator_as_of()
        include_left = ui.coord_include_left_check.isChecked()
        rows = self.read(list_coordinators, on=on, include_left=include_left,
                         cert_level=ui.coord_level_combo.currentData())
        self.coordinator_model.as_of = on
        self.coordinator_model.set_rows(rows)
        if rows:
            fit_columns(ui.coordinator_view, 220)
        certified = sum(1 for r in rows if r.cert_level)
        ui.coord_count_label.setText(
            f"{'共' if include_left else '在库'} {len(rows)} 人，其中持证 {certified} 人" if rows else "没有协调员")
        self._coordinator_selected()

    def selected_coordinator(self) -> Any:
        return current_row(self.ui.coordinator_view)

    def _coordinator_selected(self) -> None:
        chosen = self.selected_coordinator() is not None
        self.ui.edit_coordinator_button.setEnabled(chosen)
        self.ui.delete_coordinator_button.setEnabled(chosen)

    def new_coordinator(self) -> Any:
        return self.open_dialog(CoordinatorDialog(self.sf, None, self, user=self.user, today=self.today()),
                                self.refresh_coordinators, "劳动关系协调员")

    def edit_coordinator(self) -> Any:
        row = self.selected_coordinator()
        if row is None:
            return None
        return self.open_dialog(CoordinatorDialog(self.sf, row, self, user=self.user, today=self.today()),
                                self.refresh_coordinators, f"劳动关系协调员 {row.name}")

    def delete_selected_coordinator(self) -> bool:
        row = self.selected_coordinator()
        if row is None or not self.confirm("删除劳动关系协调员", f"删除 {row.name} 及其培训、推荐记录？"
                                                         "（不再担任协调员的人员，一般填写退出日期即可，不必删除。）"):
            return False
        self.write(delete_coordinator, row.id, user=self.user)
        self.refresh_coordinators()
        self.notify(f"已删除劳动关系协调员 {row.name}。")
        return True

    def export_coordinators(self) -> None:
        params: dict[str, Any] = {"as_of": self.coordinator_as_of()}
        if self.ui.coord_include_left_check.isChecked():
            params["include_left"] = True
        self.export_kind("coordinators", "coordinator-ledger", params)


class SocialOrgsMixin:
    """社会组织 of :class:`LedgersPage`."""

    def _setup_social_orgs(self) -> None:
        ui = self.ui
        self.social_model = SocialOrgModel(self)
        setup_view(ui.social_view, proxy_for(self, self.social_model), stretch=SocialOrgModel.COL_NAME)
        self.industry_model = FigureModel("所属行业", self)
        self.size_model = FigureModel("规模", self)
        for view, model in ((ui.industry_view, self.industry_model), (ui.size_view, self.size_model)):
            setup_view(view, proxy_for(self, model))
            view.setSortingEnabled(False)
        ui.social_splitter.setStretchFactor(0, 3)
        ui.social_splitter.setStretchFactor(1, 2)
        keep_splitter(ui.social_splitter, (rows_height(ui.social_view, 3), 120),
                      store=self.settings, name="ledgers/social_splitter")
        ui.social_view.doubleClicked.connect(lambda _i: self.edit_social_org())
        ui.social_view.selectionModel().selectionChanged.connect(lambda *_a: self._social_selected())
        ui.new_social_button.clicked.connect(lambda _c=False: self.new_social_org())
        ui.edit_social_button.clicked.connect(lambda _c=False: self.edit_social_org())
        ui.delete_social_button.clicked.connect(lambda _c=False: self.delete_selected_social_org())
        ui.export_social_button.clicked.connect(lambda _c=False: self.export_kind(
            "social", "social-org-ledger", {"as_of": self.today()}))
        ui.export_figures_button.clicked.connect(lambda _c=False: self.export_kind(
            "social", "social-org-figures", {"as_of": self.today()}))
        self.import_social_button = self.add_import(
            ui.new_social_button, "social-orgs", "导入社会组织…", self.refresh_social_orgs)
        self._social_selected()

    def refresh_social_orgs(self) -> None:
        ui = self.ui
        rows = self.read(list_social_orgs)
        self.social_model.set_rows(rows)
        if rows:
            fit_columns(ui.social_view, 220)
        figures = self.read(social_org_figures)
        self.industry_model.set_figures(figures["industry"])
        self.size_model.set_figures(figures["size"])
        for view in (ui.industry_view, ui.size_view):
            view.resizeColumnsToContents()
        staff = sum(r.staff or 0 for r in rows)
        ui.social_count_label.setText(f"共 {len(rows)} 个组织，工作人员 {staff} 人" if rows else "没有登记社会组织")
        self._social_selected()

    def selected_social_org(self) -> Any:
        return current_row(self.ui.social_view)

    def _social_selected(self) -> None:
        chosen = self.selected_social_org() is not None
        self.ui.edit_social_button.setEnabled(chosen)
        self.ui.delete_social_button.setEnabled(chosen)

    def new_social_org(self) -> Any:
        return self.open_dialog(SocialOrgDialog(self.sf, None, self, user=self.user, today=self.today()),
                                self.refresh_social_orgs, "社会组织")

    def edit_social_org(self) -> Any:
        row = self.selected_social_org()
        if row is None:
            return None
        return self.open_dialog(SocialOrgDialog(self.sf, row, self, user=self.user, today=self.today()),
                                self.refresh_social_orgs, row.name)

    def delete_selected_social_org(self) -> bool:
        row = self.selected_social_org()
        if row is None or not self.confirm("删除社会组织", f"删除“{row.name}”及其满意度调查、购买服务项目记录？"):
            return False
        self.write(delete_social_org, row.id, user=self.user)
        self.refresh_social_orgs()
        self.notify(f"已删除“{row.name}”。")
        return True
