"""The statistics table (forms.md §7.1) with its balance check, and the numbers behind each chart
(:func:`chart_table`). Pure functions of the figures of :func:`app.services.stats.compute`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from app.services.stats.definitions import _rate, format_rate


def balance_check(figs: Mapping[str, Any]) -> dict[str, Any]:
    """上期未结 + 当期受理 = 调解结案 + 期末未结 (rows 1 + 2 = 22 + 28); cases not accepted are outside both
    sides and reported beside them. Also: the by-type and by-organization-kind rows sum to row 2."""
    left = figs["open_start"] + figs["accepted"]
    right = figs["closed"] + figs["open_end"]
    by_type = sum(r["cases"] for r in figs.get("by_type", []))
    by_kind = sum(r["accepted"] for r in figs.get("by_org_kind", []))
    outcome = figs["agreed"] + figs["settled_withdrawn"] + figs["withdrawn"] + figs["failed"] + figs["terminated"]
    ok = left == right and by_type == figs["accepted"] and by_kind == figs["accepted"] and outcome == figs["closed"]
    text = (
        f"上期未结 {figs['open_start']} + 当期受理 {figs['accepted']} = {left}；"
        f"调解结案 {figs['closed']} + 期末未结 {figs['open_end']} = {right}；"
        + ("平衡" if left == right else f"不平衡，相差 {left - right}")
        + f"。不予受理 {figs['rejected']} 件不计入受理数。"
    )
    return {"left": left, "right": right, "difference": left - right, "ok": ok,
            "by_type_total": by_type, "by_org_kind_total": by_kind, "outcome_total": outcome,
            "not_accepted": figs["rejected"], "text": text}


def load_table_spec() -> dict[str, Any]:
    """resources/templates/statistics-table.json: title, rows (with the codes of rows 6–21) and notes."""
    from app.core.paths import resource_path

    path = resource_path("templates", "statistics-table.json")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"找不到统计表配置文件：{path.name}") from None
    except (OSError, ValueError) as exc:
        raise ValueError(f"统计表配置文件 {path.name} 有误：{exc}") from None


def _codes_total(items: Iterable[Mapping[str, Any]], codes: Sequence[str] | None, count_key: str,
                 claimed: set[str]) -> int:
    """Sum of ``count_key`` over ``items`` whose code is in ``codes`` (None: every code not ``claimed``)."""
    if codes is None:
        return sum(int(i[count_key]) for i in items if i["code"] not in claimed)
    return sum(int(i[count_key]) for i in items if i["code"] in codes)


def table_rows(figs: Mapping[str, Any], spec: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """The rows of the 劳动人事争议调解情况统计表 (forms.md §7.1) for one set of figures.

    Each row: ``row`` (行次), ``label``, ``unit``, ``key`` (figure key or None), ``value`` (int, float rate,
    int 分 for money, or None for 「无」), ``kind`` ('count' / 'rate' / 'money' / 'days').
    Rows of type ``codes`` (by dispute type, by organization kind) sum the listed codes; a row with
    ``"codes": "rest"`` takes every code no other row of its group lists, so the group sums to row 2.
    """
    spec = spec or load_table_spec()
    out = []
    groups: dict[str, set[str]] = {}
    for r in spec["rows"]:
        if isinstance(r.get("codes"), list):
            groups.setdefault(r["group"], set()).update(r["codes"])
    for r in spec["rows"]:
        key = r.get("key")
        kind = r.get("kind", "count")
        if "group" in r:
            source = {"by_type": ("by_type", "cases"), "by_org_kind": ("by_org_kind", "accepted")}[r["group"]]
            codes = None if r["codes"] == "rest" else list(r["codes"])
            value: Any = _codes_total(figs[source[0]], codes, source[1], groups.get(r["group"], set()))
        elif "sum" in r:
            value = sum(int(figs[k]) for k in r["sum"])
        else:
            value = figs.get(key)
        out.append({"row": str(r["row"]), "label": r["label"], "unit": r.get("unit", ""), "key": key,
                    "value": value, "kind": kind})
    return out



# =============================================================================================
# Charts: the numbers behind each one


CHART_KINDS: dict[str, str] = {
    "success-rate": "调解成功率趋势",
    "by-organization": "各调解组织调解成功率",
    "by-type": "按争议类型分的受理案件",
    "volume": "案件量与涉及劳动者人数",
    "on-time": "按期结案率",
    "volunteer-services": "各季度志愿服务情况",
}


def chart_table(figs: Mapping[str, Any], kind: str, granularity: str = "month") -> tuple[list[str], list[list[Any]]]:
    """Header and rows of the numbers a chart draws (for the dashboard's table view and clipboard)."""
    s = figs["series"][granularity]
    if kind == "success-rate":
        return (["期间", "调解结案数", "调解成功数", "调解成功率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["success"], s["success_rate"], strict=True)])
    if kind == "on-time":
        return (["期间", "调解结案数", "按期结案数", "按期结案率"],
                [[lbl, c, n, format_rate(r)] for lbl, c, n, r in
                 zip(s["labels"], s["closed"], s["on_time"], s["on_time_rate"], strict=True)])
    if kind == "volume":
        return (["期间", "收到申请", "受理", "调解结案", "涉及劳动者（人）"],
                [list(row) for row in zip(s["labels"], s["received"], s["accepted"], s["closed"], s["workers"],
                                          strict=True)])
    if kind == "by-organization":
        return (["调解组织", "组织类型", "受理数", "调解结案数", "调解成功数", "调解成功率"],
                [[r["name"], r["kind_label"], r["accepted"], r["closed"], r["success"], format_rate(r["success_rate"])]
                 for r in figs["by_organization"]])
    if kind == "by-type":
        total = figs["accepted"]
        return (["争议类型", "受理数", "占比", "涉及劳动者（人）"],
                [[r["label"], r["cases"], format_rate(_rate(r["cases"], total)), r["workers"]] for r in figs["by_type"]])
    if kind == "volunteer-services":
        return (["季度", "服务次数", "服务时长（小时）", "在册志愿者", "开展服务的志愿者", "未履职志愿者", "未履职名单"],
                [[q["label"], q["services"], q["service_hours"], q["volunteers"], q["volunteers_served"],
                  q["missed"], "、".join(q["missed_names"])] for q in figs.get("volunteer_quarters", [])])
    raise ValueError(f"未知的图表类型：{kind}（可用：{'、'.join(CHART_KINDS)}）")

