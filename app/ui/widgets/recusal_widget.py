"""回避核查: which young-arbitrator volunteers contact, contacted or served an enterprise.

Layout from ``forms/volunteer_recusal.ui``. Type an enterprise's full name or its 18-character credit code
(suggestions come from the enterprise directory) and press 核查; :meth:`RecusalWidget.check` can also be
called with an enterprise id, e.g. from a case's employer. The table lists each contact period (red:
contacting now) and volunteers who served the enterprise without a contact. The service call is
:func:`app.services.volunteers.recusal_check`.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHeaderView, QWidget

from app.services.volunteers import (
    RecusalHit,
    VolunteerService,
    enterprise_choices,
    find_enterprise,
    recusal_check,
)
from app.ui.forms.ui_volunteer_recusal import Ui_RecusalWidget
from app.ui.models.volunteer_models import EnterpriseSuggestions, RecusalModel

_CODE_RE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


class RecusalWidget(QWidget):
    checked = Signal(list)  # the hits of the last check

    def __init__(self, service: VolunteerService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_RecusalWidget()
        self.ui.setupUi(self)
        self.service = service
        self.hits: list[RecusalHit] = []
        self.model = RecusalModel(self)
        self.ui.hits_view.setModel(self.model)
        self.ui.hits_view.setSortingEnabled(False)  # the service's order: current contacts first
        self.ui.hits_view.verticalHeader().setVisible(False)
        header = self.ui.hits_view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.suggestions = EnterpriseSuggestions(
            self.ui.query_edit, lambda text: self.service.read(enterprise_choices, text, limit=30))
        self.ui.check_button.clicked.connect(self.check_query)
        self.ui.query_edit.returnPressed.connect(self.check_query)

    def check_query(self) -> list[RecusalHit]:
        """Check what is typed: a credit code if it looks like one, else a full name."""
        text = self.ui.query_edit.text().strip()
        if not text:
            self._show([], self.tr("请输入企业名称或统一社会信用代码。"))
            return []
        compact = re.sub(r"\s+", "", text).upper()
        if _CODE_RE.match(compact):
            return self.check(credit_code=compact, shown=text)
        return self.check(enterprise_id=self.suggestions.selected_id(), name=text, shown=text)

    def check(self, enterprise_id: int | None = None, name: str | None = None, credit_code: str | None = None,
              *, shown: str | None = None) -> list[RecusalHit]:
        today = self.service.today()
        hits = self.service.read(recusal_check, enterprise_id, name, credit_code, today=today)
        shown = shown or name or credit_code or ""
        if hits:
            active = sum(1 for h in hits if h.active)
            names = "、".join(dict.fromkeys(h.volunteer_name for h in hits))
            text = self.tr("“{e}”与{n}名青年仲裁员志愿者有联系（其中{a}人目前仍在联系）：{names}。"
                           "他们办理涉及该企业的仲裁案件时应当回避。").format(
                e=hits[0].enterprise_name, n=len({h.volunteer_id for h in hits}), a=active, names=names)
        else:
            known = enterprise_id is not None or self.service.read(
                lambda s: find_enterprise(s, credit_code=credit_code, name=name)) is not None
            if known:
                text = self.tr("没有青年仲裁员志愿者联系或服务过“{e}”，无需回避。").format(e=shown)
            else:
                text = self.tr("企业名录中没有“{e}”。请输入企业全称或统一社会信用代码，"
                               "或从输入时出现的提示中选择。").format(e=shown)
        self._show(hits, text)
        return hits

    def _show(self, hits: list[RecusalHit], text: str) -> None:
        self.hits = list(hits)
        self.model.set_rows(self.hits)
        self.ui.result_label.setText(text)
        self.ui.result_label.setProperty("role", "warning" if hits else "status")
        self.ui.result_label.style().unpolish(self.ui.result_label)
        self.ui.result_label.style().polish(self.ui.result_label)
        self.checked.emit(self.hits)
