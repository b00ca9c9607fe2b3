"""设置: read-only facts about this installation (version, data file, settings file, holiday calendar)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtWidgets import QWidget

from app.context import AppContext
from app.paths import resource_path
from app.ui.forms.ui_settings_page import Ui_SettingsPage
from app.ui.settings_store import SettingsStore
from app.version import __version__

HOLIDAY_FILE = "holidays-cn.json"


@dataclass
class HolidayCoverage:
    """Which years the holiday calendar file covers (or why it could not be read)."""

    path: Path
    years: list[int] = field(default_factory=list)
    sources: dict[int, str] = field(default_factory=dict)
    error: str | None = None

    def missing_after(self, year: int) -> list[int]:
        """Years from ``year`` to ``year + 1`` that the file does not cover."""
        return [y for y in (year, year + 1) if y not in self.years]


def read_holiday_coverage(path: Path) -> HolidayCoverage:
    coverage = HolidayCoverage(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        years = data["years"]
        for key, entry in years.items():
            year = int(key)
            coverage.years.append(year)
            if isinstance(entry, dict) and entry.get("source"):
                coverage.sources[year] = str(entry["source"])
    except FileNotFoundError:
        coverage.error = "找不到节假日日历文件。"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        coverage.error = f"节假日日历文件无法读取（{type(exc).__name__}: {exc}）。"
    coverage.years.sort()
    return coverage


class SettingsPage(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        settings: SettingsStore,
        parent: QWidget | None = None,
        holiday_path: Path | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_SettingsPage()
        self.ui.setupUi(self)
        self.ui.version_label.setText(__version__)
        self.ui.db_path_label.setText(str(ctx.db_path))
        self.ui.settings_file_label.setText(settings.file_name)
        self.show_holiday_coverage(
            read_holiday_coverage(holiday_path or resource_path(HOLIDAY_FILE)), today or dt.date.today()
        )

    def show_holiday_coverage(self, coverage: HolidayCoverage, today: dt.date) -> None:
        ui = self.ui
        ui.holiday_file_label.setText(str(coverage.path))
        if coverage.error:
            ui.holiday_years_label.setText(self.tr("无"))
            ui.holiday_sources_label.setText("—")
            ui.holiday_warning_label.setText(
                coverage.error + self.tr("在修复之前，期限只按周一至周五计算工作日。")
            )
            ui.holiday_warning_label.setVisible(True)
            return
        ui.holiday_years_label.setText("、".join(f"{y}年" for y in coverage.years) or self.tr("无"))
        ui.holiday_sources_label.setText(
            "\n".join(f"{y}年：{coverage.sources[y]}" for y in coverage.years if y in coverage.sources) or "—"
        )
        missing = coverage.missing_after(today.year)
        if missing:
            years = "、".join(f"{y}年" for y in missing)
            ui.holiday_warning_label.setText(
                self.tr("日历尚未包含{years}的节假日安排，涉及{years}的期限将只按周一至周五计算工作日"
                        "（不考虑放假和调休）。请在国务院办公厅发布通知后补充。").format(years=years)
            )
        else:
            ui.holiday_warning_label.setText("")
        ui.holiday_warning_label.setVisible(bool(missing))
