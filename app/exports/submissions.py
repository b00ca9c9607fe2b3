"""Exports for the 报送 between townships and the district: the stamped file a township sends, the district's combined files.

- :func:`prepare_submission` runs an export (case-ledger, enterprise-roster, mediator-roster) for one
  organization and period and stamps its manifest with the sender, region code, period and a checksum;
- :func:`combined_outputs` writes the district's combined 附件2 roster, case ledger and statistics table (a
  column per organization) for a period.

The rules (which parameters limit an export to an organization and period, the manifest's entries, the
periods) are in :mod:`app.services.importing.submissions`; this module only runs the exports with them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from app.exports.registry import ExportRequest, load_builtin_kinds, run_export
from app.services.importing.manifest import period_label, stamp_manifest
from app.services.importing.submissions import REPORT_KINDS, export_params, period_range, sender_entries


def prepare_submission(
    session_factory: sessionmaker[Session],
    kind: str,
    org_key: int | str,
    period: str,
    out: Path | str,
    *,
    params: dict[str, Any] | None = None,
    progress=None,
    cancel=None,
) -> Path:
    """Export ``kind`` for ``org`` and ``period`` and stamp it for sending upward; returns the file."""
    from app.services.organizations import find_organization

    if kind not in REPORT_KINDS:
        raise ValueError(f"“{kind}”不是报送的名册或台账（可用：{'、'.join(REPORT_KINDS)}）")
    period_range(period)
    with session_factory() as s:
        org = find_organization(s, org_key)
        s.expunge(org)
    load_builtin_kinds()
    request = ExportRequest(session_factory, Path(out), export_params(kind, org, period, params), progress=progress)
    if cancel is not None:
        request.cancel = cancel
    path = run_export(kind, request)
    stamp_manifest(path, sender_entries(org, period))
    return path


def combined_outputs(session_factory: sessionmaker[Session], period: str, folder: Path | str, *, region: str = "") -> dict[str, Path]:
    """The district's combined files for ``period``: 附件2 roster, case ledger, and the statistics table with a
    column per organization (the ``statistics-table`` export with ``by_org``)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lo, hi = period_range(period)
    label = period_label(period)
    load_builtin_kinds()
    out: dict[str, Path] = {}
    out["enterprise-roster"] = run_export("enterprise-roster", ExportRequest(
        session_factory, folder / f"{region}联系企业名册（汇总）{label}.xlsx", {"as_of": hi, "region": region}))
    out["case-ledger"] = run_export("case-ledger", ExportRequest(
        session_factory, folder / f"{region}调解案件登记台账（汇总）{label}.xlsx", {"date_from": lo, "date_to": hi}))
    stats_params: dict[str, Any] = {"by_org": True, "split": "none", "year": lo.year}
    if len(period) == 6:
        stats_params["quarter"] = int(period[5])
    elif len(period) == 7:
        stats_params["month"] = int(period[5:])
    out["statistics-table"] = run_export("statistics-table", ExportRequest(
        session_factory, folder / f"{region}劳动人事争议调解情况统计表（分组织）{label}.xlsx", stats_params))
    return out


__all__ = ["combined_outputs", "prepare_submission"]
