"""The 志愿汇上传 tab: service records not yet uploaded to 「志愿汇」, filtered by volunteer and quarter; the
selection is marked uploaded in one step (one transaction, audited) and the list exported for the upload.

A mixin of :class:`~app.ui.pages.ledgers.page.LedgersPage`; it uses the page's ``ui``, ``read``/``write``,
``notify`` and ``export_kind``.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QAbstractItemView

from app.services.ledgers import mark_uploaded, upload_list
from app.services.validation import ValidationError
from app.services.volunteers import volunteer_choices
from app.ui.models.ledger_models import UploadModel
from app.ui.pages.ledgers.common import QUARTER_NAMES, fit_columns, proxy_for, selected_rows, setup_view


class ZyhMixin:
    """志愿汇上传 of :class:`LedgersPage`."""

    def _setup_zyh(self) -> None:
        ui = self.ui
        self.upload_model = UploadModel(self)
        self.upload_proxy = proxy_for(self, self.upload_model)
        setup_view(ui.zyh_view, self.upload_proxy, stretch=8)
        ui.zyh_view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        ui.zyh_year_combo.addItem("全部年度", None)
        for y in range(self.today().year, self.today().year - 6, -1):
            ui.zyh_year_combo.addItem(f"{y}年", y)
        ui.zyh_quarter_combo.addItem("全年", None)
        for q, name in enumerate(QUARTER_NAMES, 1):
            ui.zyh_quarter_combo.addItem(name, q)
        for combo in (ui.zyh_volunteer_combo, ui.zyh_year_combo, ui.zyh_quarter_combo):
            combo.currentIndexChanged.connect(lambda _i: self.refresh_zyh())
        ui.zyh_view.selectionModel().selectionChanged.connect(lambda *_a: self._zyh_selection_changed())
        ui.zyh_select_all_button.clicked.connect(ui.zyh_view.selectAll)
        ui.zyh_mark_button.clicked.connect(lambda _c=False: self.mark_selected_uploaded())
        ui.zyh_export_button.clicked.connect(lambda _c=False: self.export_zyh())
        self._zyh_selection_changed()

    def _fill_zyh_volunteers(self) -> None:
        combo = self.ui.zyh_volunteer_combo
        current = combo.currentData()
        combo.blockSignals(True)
        combo.clear()
        combo.addItem("全部志愿者", None)
        for vid, label in self.read(volunteer_choices, include_left=True):
            combo.addItem(label, vid)
        combo.setCurrentIndex(max(0, combo.findData(current)))
        combo.blockSignals(False)

    def zyh_filters(self) -> dict[str, Any]:
        ui = self.ui
        year, quarter = ui.zyh_year_combo.currentData(), ui.zyh_quarter_combo.currentData()
        return {"volunteer_id": ui.zyh_volunteer_combo.currentData(), "year": year,
                "quarter": quarter if year is not None else None}

    def refresh_zyh(self) -> None:
        ui = self.ui
        ui.zyh_quarter_combo.setEnabled(ui.zyh_year_combo.currentData() is not None)
        try:
            rows = self.read(upload_list, **self.zyh_filters())
        except ValidationError as exc:
            self.notify(exc.message)
            rows = []
        self.upload_model.set_rows(rows)
        if rows:
            fit_columns(ui.zyh_view)
        records = len({r.record_id for r in rows})
        hours = sum(r.minutes for r in {r.record_id: r for r in rows}.values()) / 60
        ui.zyh_count_label.setText(
            f"未上传 {records} 条记录、{len(rows)} 行，合计 {hours:g} 小时" if rows else "没有未上传的服务记录")
        ui.zyh_export_button.setEnabled(bool(rows))
        self._zyh_selection_changed()

    def _zyh_selection_changed(self) -> None:
        ids = self.selected_record_ids()
        self.ui.zyh_mark_button.setEnabled(bool(ids))
        self.ui.zyh_mark_button.setText(f"标记为已上传（{len(ids)}条）" if ids else "标记为已上传")

    def selected_record_ids(self) -> list[int]:
        return sorted({r.record_id for r in selected_rows(self.ui.zyh_view) if r is not None})

    def mark_selected_uploaded(self) -> int:
        """Mark the records of the selected rows uploaded today (one transaction); returns how many."""
        ids = self.selected_record_ids()
        if not ids:
            self.notify("请先在列表中选择已在志愿汇录入的服务记录。")
            return 0
        marked = self.write(mark_uploaded, ids, on=self.today(), user=self.user)
        self.refresh_zyh()
        self.notify(f"已将 {marked} 条服务记录标记为已上传志愿汇（{self.today().isoformat()}）。")
        return marked

    def export_zyh(self) -> None:
        f = self.zyh_filters()
        params: dict[str, Any] = {"date": self.today()}
        if f["volunteer_id"] is not None:
            params["volunteer"] = str(f["volunteer_id"])
        if f["year"] is not None:
            params["year"] = f["year"]
        if f["quarter"] is not None:
            params["quarter"] = f["quarter"]
        self.export_kind("zyh", "zhiyuanhui-upload", params)
