"""Compare every export kind as written by two source trees from the same database.

    .venv/bin/python bench/compare_exports.py --old-tree /tmp/old_tree --db demo.db [--new-tree .]
        [--work DIR] [--cases-per-state 1] [--only KIND ...] [--keep]

Used to show that a restructuring changed no export: the old tree (e.g. ``git archive 22a0fa6 | tar -x``)
and the new tree each run the same list of exports (every kind from ``python -m app export --list``, with
fixed parameters such as ``year=2025``; the case kinds for a few cases of every closing state, the
organization kinds for a few organizations) against their own copy of ``--db`` (a tree whose schema head is
newer upgrades its copy; the original is never touched). Each tree runs in its own process with
``PYTHONPATH=<tree>`` (this file re-runs itself with ``--worker``), using the tree's export registry directly
as the command line does.

Then, job by job:

* both refused → the two messages are compared;
* one refused, one wrote a file → a difference;
* DOCX → the text of the body in order (paragraphs, and table cells row by row, nested tables included),
  headers and footers, and the number of inline pictures; python-docx;
* XLSX → the sheet names, then every sheet cell by cell (openpyxl values, formulas as written) and the
  merged ranges; in ``_manifest`` the rows ``generated_at`` and ``app_version`` are ignored.

Document properties (title, subject, author, …) are compared too but only reported as "properties", they
do not fail the run. Exit status 0 when the contents are equal, 1 otherwise. Differences are printed per
job with the first few differing places; ``--keep`` leaves the written files in ``--work``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
IGNORED_MANIFEST_KEYS = frozenset({"generated_at", "app_version"})
IGNORED_PROPERTIES = frozenset({"created", "modified", "last_printed", "revision", "lastModifiedBy",
                                "last_modified_by"})
DATE_KEYS = frozenset({"date_from", "date_to", "as_of", "date"})
MAX_SHOWN = 8
#: Error classes that are one class under two names (app.exports.registry.ExportError is
#: app.core.errors.OutputError since the restructuring).
ERROR_ALIASES = {"ExportError": "OutputError"}


# ---------------------------------------------------------------------------------------------- plan

def _query(db: Path, sql: str, *args) -> list[tuple]:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def pick_cases(db: Path, per_state: int) -> list[str]:
    """Case ids covering every (status, closing type) pair, plus cases with several sessions/visits."""
    chosen: list[int] = []
    for status, close_type in _query(db, "SELECT DISTINCT status, close_type FROM cases WHERE deleted_at IS NULL "
                                         "ORDER BY 1, 2"):
        rows = _query(db, "SELECT id FROM cases WHERE deleted_at IS NULL AND status = ? AND close_type IS ? "
                          "ORDER BY id LIMIT ?", status, close_type, per_state)
        chosen.extend(r[0] for r in rows)
    extra = _query(db, "SELECT case_id FROM mediation_sessions GROUP BY case_id HAVING count(*) > 1 "
                       "ORDER BY case_id LIMIT 1")
    extra += _query(db, "SELECT case_id FROM return_visits GROUP BY case_id ORDER BY case_id LIMIT 1")
    extra += _query(db, "SELECT id FROM cases WHERE deleted_at IS NULL AND is_collective ORDER BY id LIMIT 1")
    chosen.extend(r[0] for r in extra)
    return [str(i) for i in dict.fromkeys(chosen)]


#: Cases each document kind applies to (so that it writes rather than refuses), a few of each.
KIND_CASES = {
    "agreement": "SELECT case_id FROM agreements ORDER BY case_id LIMIT 4",
    "rejection-notice": "SELECT id FROM cases WHERE status = 'rejected' ORDER BY id LIMIT 3",
    "termination-notice": "SELECT id FROM cases WHERE close_type IN ('terminated', 'failed') ORDER BY id LIMIT 3",
    "return-visit": "SELECT DISTINCT case_id FROM return_visits ORDER BY case_id LIMIT 3",
    "oral-application": "SELECT id FROM cases WHERE apply_mode = 'oral' ORDER BY id LIMIT 3",
    "mediation-record": ("SELECT case_id FROM mediation_sessions GROUP BY case_id "
                         "ORDER BY count(*) DESC, case_id LIMIT 3"),
    "typical-case": "SELECT id FROM cases WHERE close_type = 'agreed' ORDER BY id DESC LIMIT 2",
}


def build_plan(db: Path, kinds: list[dict], per_state: int) -> list[dict]:
    """The export jobs: ``{"id", "kind", "fmt", "params"}`` for every kind, parameters fixed."""
    cases = pick_cases(db, per_state)
    orgs = [str(r[0]) for r in _query(db, "SELECT id FROM organizations ORDER BY id")]
    volunteer = _query(db, "SELECT id FROM volunteers ORDER BY id LIMIT 1")
    vol = str(volunteer[0][0]) if volunteer else None
    jobs: list[dict] = []

    def add(kind: str, params: dict, label: str = "") -> None:
        fmt = next((k["fmt"] for k in kinds if k["name"] == kind), None)
        if fmt is None:
            return
        jobs.append({"id": f"{kind}{'@' + label if label else ''}", "kind": kind, "fmt": fmt, "params": params})

    for k in kinds:
        names = {o["name"] for o in k["options"]}
        kind = k["name"]
        if "case" in names:
            own = [str(r[0]) for r in _query(db, KIND_CASES[kind])] if kind in KIND_CASES else []
            for case in dict.fromkeys(cases + own):
                add(kind, {"case": case}, f"case{case}")
            if "mask" in names and cases:
                add(kind, {"case": cases[-1], "mask": "false"}, f"case{cases[-1]}-nomask")
            if "real_names" in names and cases:
                add(kind, {"case": cases[-1], "real_names": "true"}, f"case{cases[-1]}-real")
            if "session" in names and own:
                add(kind, {"case": own[0], "session": 2}, f"case{own[0]}-session2")
            continue
        if kind == "nil-report":
            for org in orgs[:3]:
                add(kind, {"org": org, "year": 2025}, f"org{org}-2025")
                add(kind, {"org": org, "year": 2025, "quarter": 2}, f"org{org}-2025Q2")
                add(kind, {"org": org, "year": 2025, "month": 3}, f"org{org}-2025M3")
                add(kind, {"org": org, "year": 2023, "quarter": 2}, f"org{org}-2023Q2")  # no cases: written
                add(kind, {"org": org, "year": 2023, "month": 5, "note": "本月无案件"}, f"org{org}-2023M5")
            continue
        if kind in ("gold-assessment", "recommendation-letter", "work-report"):
            for org in orgs:
                add(kind, {"org": org, "year": 2025}, f"org{org}-2025")
            continue
        if kind == "quarterly-summary":
            for q in (1, 2, 3, 4):
                add(kind, {"year": 2025, "quarter": q, "date": "2026-01-10"}, f"2025Q{q}")
            continue
        if kind == "statistics-table":
            add(kind, {"year": 2025}, "2025")
            for q in (1, 4):
                add(kind, {"year": 2025, "quarter": q}, f"2025Q{q}")
            add(kind, {"year": 2025, "month": 6}, "2025M6")
            add(kind, {"year": 2025, "by_org": "true"}, "2025-by-org")
            add(kind, {"year": 2025, "split": "quarter"}, "2025-split-quarter")
            add(kind, {"year": 2025, "org": orgs[0]}, f"2025-org{orgs[0]}")
            add(kind, {"date_from": "2024-03-01", "date_to": "2025-02-28"}, "range")
            add(kind, {"year": 2025, "by_org": "maybe"}, "bad-bool")
            continue
        if kind == "case-ledger":
            add(kind, {"year": 2025}, "2025")
            add(kind, {"year": 2025, "quarter": 3, "org": orgs[0]}, f"2025Q3-org{orgs[0]}")
            add(kind, {"year": 2025, "full_info": "true"}, "2025-full")
            add(kind, {"overdue": "true"}, "overdue")
            add(kind, {"search": "有限公司"}, "search-company")  # the search text (db.sortkeys.search_text)
            add(kind, {"search": "李"}, "search-name")
            continue
        if kind == "mediator-roster":
            add(kind, {}, "all")
            add(kind, {"include_left": "true", "full_info": "true"}, "left-full")
            add(kind, {"org": orgs[0]}, f"org{orgs[0]}")
            continue
        if kind == "organization-ledger":
            add(kind, {"year": 2025}, "2025")
            add(kind, {"year": 2025, "active_only": "true"}, "2025-active")
            continue
        if kind == "enterprise-roster":
            add(kind, {"as_of": "2025-12-31"}, "2025")
            add(kind, {"as_of": "2025-12-31", "full_info": "true"}, "2025-full")
            continue
        if kind == "volunteer-form":
            if vol:
                add(kind, {"volunteer": vol, "date": "2026-01-10"}, f"vol{vol}")
            add(kind, {"all": "true", "date": "2026-01-10"}, "all")
            continue
        if "year" in names:
            add(kind, {"year": 2025}, "2025")
        add(kind, {}, "defaults")
    return jobs


# -------------------------------------------------------------------------------------------- worker

def worker(plan_file: Path, db: Path, out_dir: Path, result_file: Path) -> int:
    """Run in a tree's process: list the kinds (``plan_file`` missing) or run the jobs of the plan."""
    import datetime as dt

    from app.exports.registry import ExportRequest, all_kinds, get_kind, load_builtin_kinds

    load_builtin_kinds()
    if not plan_file.exists():
        kinds = [{"name": k.name, "fmt": k.fmt, "options": [{"name": o.name, "kind": o.kind} for o in k.options]}
                 for k in all_kinds()]
        result_file.write_text(json.dumps(kinds, ensure_ascii=False), encoding="utf-8")
        return 0

    from db.session import open_database

    opened = open_database(db, create=False)
    results: dict[str, dict] = {}
    try:
        for job in json.loads(plan_file.read_text(encoding="utf-8")):
            params = {k: (dt.date.fromisoformat(v) if k in DATE_KEYS and isinstance(v, str) else v)
                      for k, v in job["params"].items()}
            out = out_dir / f"{job['id']}.{job['fmt']}"
            try:
                kind = get_kind(job["kind"])
                path = kind.run(ExportRequest(session_factory=opened.session_factory, out=out, params=params))
                results[job["id"]] = {"ok": True, "file": str(path)}
            except Exception as exc:  # noqa: BLE001 — every refusal is part of the comparison
                name = ERROR_ALIASES.get(type(exc).__name__, type(exc).__name__)
                results[job["id"]] = {"ok": False, "error": f"{name}: {exc}"}
    finally:
        opened.engine.dispose()
    result_file.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


def run_tree(tree: Path, python: str, plan: Path, db: Path, out_dir: Path, result: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(tree), QT_QPA_PLATFORM="offscreen")
    cmd = [python, str(Path(__file__).resolve()), "--worker", str(plan), str(db), str(out_dir), str(result)]
    proc = subprocess.run(cmd, cwd=tree, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"worker failed in {tree}:\n{proc.stdout}\n{proc.stderr}")


# ------------------------------------------------------------------------------------------- reading

def _block_items(parent):
    """Paragraphs and tables of a body/cell/header in document order."""
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    doc_element = getattr(parent, "element", None)
    element = doc_element.body if doc_element is not None and hasattr(doc_element, "body") else parent._element
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            yield Paragraph(child, parent)
        elif tag == "tbl":
            yield Table(child, parent)


def _docx_lines(container, where: str) -> list[tuple[str, str]]:
    from docx.text.paragraph import Paragraph

    lines: list[tuple[str, str]] = []
    p_no = t_no = 0
    for item in _block_items(container):
        if isinstance(item, Paragraph):
            p_no += 1
            lines.append((f"{where} ¶{p_no}", item.text))
            continue
        t_no += 1
        for r, row in enumerate(item.rows, 1):
            for c, cell in enumerate(row.cells, 1):
                lines.extend(_docx_lines(cell, f"{where} 表{t_no} r{r}c{c}"))
    return lines


def read_docx(path: Path) -> tuple[list[tuple[str, str]], dict]:
    from docx import Document

    doc = Document(str(path))
    lines = _docx_lines(doc, "正文")
    for s, section in enumerate(doc.sections, 1):
        for name in ("header", "footer", "first_page_header", "first_page_footer"):
            part = getattr(section, name)
            if not part.is_linked_to_previous:
                lines.extend(_docx_lines(part, f"节{s}{name}"))
    lines.append(("inline pictures", str(len(doc.inline_shapes))))
    cp = doc.core_properties
    props = {k: getattr(cp, k) for k in ("title", "subject", "author", "keywords", "comments", "category",
                                          "language", "content_status", "identifier", "version")}
    return lines, {k: v for k, v in props.items() if k not in IGNORED_PROPERTIES}


def read_xlsx(path: Path) -> tuple[list[tuple[str, str]], dict]:
    from openpyxl import load_workbook

    wb = load_workbook(str(path))
    lines: list[tuple[str, str]] = [("sheets", " | ".join(wb.sheetnames))]
    for ws in wb.worksheets:
        manifest = ws.title == "_manifest"
        for row in ws.iter_rows():
            if manifest and row and str(row[0].value) in IGNORED_MANIFEST_KEYS:
                continue
            for cell in row:
                if cell.value is not None:
                    lines.append((f"{ws.title}!{cell.coordinate}", repr(cell.value)))
        merged = sorted(str(r) for r in ws.merged_cells.ranges)
        lines.append((f"{ws.title} merged", " ".join(merged)))
    p = wb.properties
    props = {k: getattr(p, k) for k in ("title", "subject", "creator", "keywords", "description", "category",
                                         "language")}
    return lines, props


def diff_lines(old: list[tuple[str, str]], new: list[tuple[str, str]], *, by_place: bool) -> list[str]:
    """Human-readable differences of two located-text lists. ``by_place`` (XLSX): a cell is equal only at the
    same coordinate; else (DOCX) the texts are aligned in order and the locations only label them."""
    import difflib

    out: list[str] = []
    keys = (lambda items: list(items)) if by_place else (lambda items: [t for _, t in items])
    sm = difflib.SequenceMatcher(a=keys(old), b=keys(new), autojunk=False)
    old_loc = {loc for loc, _ in old}
    for op, a0, a1, b0, b1 in sm.get_opcodes():
        if op == "equal":
            continue
        a = old[a0:a1]
        b = new[b0:b1]
        for i in range(max(len(a), len(b))):
            left = a[i] if i < len(a) else None
            right = b[i] if i < len(b) else None
            if by_place:
                shown = [f"{side[0]} = {side[1]}" if side else "∅" for side in (left, right)]
                out.append(f"{shown[0]}  →  {shown[1]}")
                continue
            loc = (left or right)[0]
            if right and right[0] not in old_loc:
                loc = right[0]
            out.append(f"{loc}: {left[1] if left else '∅'!s}  →  {right[1] if right else '∅'!s}")
    return out


def compare(job: dict, old: dict, new: dict) -> tuple[list[str], list[str]]:
    """(content differences, property differences) of one job."""
    if not old["ok"] or not new["ok"]:
        if not old["ok"] and not new["ok"]:
            return ([] if old["error"] == new["error"] else [f"refusal: {old['error']}  →  {new['error']}"]), []
        left = old.get("error") or "written"
        right = new.get("error") or "written"
        return [f"outcome: {left}  →  {right}"], []
    reader = read_docx if job["fmt"] == "docx" else read_xlsx
    old_lines, old_props = reader(Path(old["file"]))
    new_lines, new_props = reader(Path(new["file"]))
    props = [f"{k}: {old_props.get(k)!r}  →  {new_props.get(k)!r}" for k in sorted(set(old_props) | set(new_props))
             if old_props.get(k) != new_props.get(k)]
    return diff_lines(old_lines, new_lines, by_place=job["fmt"] == "xlsx"), props


# ---------------------------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--old-tree", type=Path, required=True)
    ap.add_argument("--new-tree", type=Path, default=REPO)
    ap.add_argument("--db", type=Path, required=True, help="the database both trees export from (copied)")
    ap.add_argument("--python", default=sys.executable, help="interpreter for both trees")
    ap.add_argument("--work", type=Path, help="folder for the copies and files (default: a temporary one)")
    ap.add_argument("--cases-per-state", type=int, default=1)
    ap.add_argument("--only", nargs="*", help="only these kinds")
    ap.add_argument("--keep", action="store_true", help="keep --work")
    ap.add_argument("--reuse", action="store_true", help="compare the files already in --work (no exports)")
    args = ap.parse_args(argv)

    work = args.work or Path(tempfile.mkdtemp(prefix="compare-exports-"))
    work.mkdir(parents=True, exist_ok=True)
    trees = {"old": args.old_tree.resolve(), "new": args.new_tree.resolve()}
    try:
        kinds_file = work / "kinds.json"
        run_tree(trees["new"], args.python, work / "no-plan.json", args.db, work, kinds_file)
        kinds = json.loads(kinds_file.read_text(encoding="utf-8"))
        run_tree(trees["old"], args.python, work / "no-plan.json", args.db, work, kinds_file)
        old_names = {k["name"] for k in json.loads(kinds_file.read_text(encoding="utf-8"))}
        if args.only:
            kinds = [k for k in kinds if k["name"] in args.only]
        missing = sorted({k["name"] for k in kinds} ^ old_names) if not args.only else []
        plan = build_plan(args.db, kinds, args.cases_per_state)
        plan_file = work / "plan.json"
        plan_file.write_text(json.dumps(plan, ensure_ascii=False, indent=1), encoding="utf-8")
        results = {}
        for side, tree in trees.items():
            if args.reuse and (work / f"{side}.json").exists():
                results[side] = json.loads((work / f"{side}.json").read_text(encoding="utf-8"))
                continue
            db_copy = work / f"{side}.db"
            shutil.copyfile(args.db, db_copy)
            out_dir = work / side
            out_dir.mkdir(exist_ok=True)
            run_tree(tree, args.python, plan_file, db_copy, out_dir, work / f"{side}.json")
            results[side] = json.loads((work / f"{side}.json").read_text(encoding="utf-8"))

        failed = 0
        if missing:
            failed += 1
            print(f"kinds only in one tree: {', '.join(missing)}")
        for job in plan:
            content, props = compare(job, results["old"][job["id"]], results["new"][job["id"]])
            if content:
                failed += 1
                print(f"\n✗ {job['id']} {job['params']}: {len(content)} difference(s)")
                for line in content[:MAX_SHOWN]:
                    print(f"    {line}")
                if len(content) > MAX_SHOWN:
                    print(f"    … {len(content) - MAX_SHOWN} more")
            if props:
                print(f"  properties {job['id']}: " + "; ".join(props))
        written = sum(1 for r in results["new"].values() if r["ok"])
        print(f"\n{len(plan)} exports ({written} written by the new tree), {failed} with differences in content")
        return 1 if failed else 0
    finally:
        if not args.keep and args.work is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) == 6 and sys.argv[1] == "--worker":
        sys.path[0] = os.getcwd()  # the tree, not this file's folder
        sys.exit(worker(*(Path(a) for a in sys.argv[2:])))
    sys.exit(main())
