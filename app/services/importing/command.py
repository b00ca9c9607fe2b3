"""``python -m app import KIND FILE --db PATH …``: the command-line import (exit codes 0 / 1 / 2)."""

from __future__ import annotations

import sys
from pathlib import Path

EXIT_OK = 0
EXIT_REJECTED = 1
EXIT_UNREADABLE = 2
SHOW_PROBLEMS = 30


#: what the services say to the user, and how to do it on the command line (the wizard's text names no option)
CLI_HINTS = (("导入时选择调解组织", "（命令行用 --org）"),)


def cli_message(message: str) -> str:
    """A service's message as the command line prints it: with the option that does what it asks."""
    for words, hint in CLI_HINTS:
        if words in message and hint not in message:
            return message + hint
    return message


def import_command(
    session_factory,
    kind: str,
    file: Path,
    *,
    org: str | None = None,
    sheet: str | None = None,
    dry_run: bool = False,
    report: Path | None = None,
    valid_only: bool = False,
    duplicates: str = "update",
    header_rows: tuple[int, int] | None = None,
    out=None,
    err=None,
) -> int:
    """Run one import and print what happened; returns the exit code (``out``/``err``: the streams, by default
    ``sys.stdout``/``sys.stderr`` as they are at the call)."""
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    from app.services.importing.engine import ImportOptions, build_preview, commit, load_sheet
    from app.services.importing.manifest import read_file_manifest
    from app.services.importing.reader import ImportFileError
    from app.services.importing.report import write_report
    from app.services.importing.submissions import register_nil_report

    options = ImportOptions(organization=org, duplicates=duplicates, valid_only=valid_only, dry_run=dry_run)
    try:
        manifest = read_file_manifest(file)
        if manifest is not None and manifest.nil:
            if dry_run:
                print(f"零上报文件：{manifest.sender_label}，{manifest.period_label}（试运行，未登记）", file=out)
                return EXIT_OK
            sub = register_nil_report(session_factory, file)
            print(f"已登记零上报：{sub.organization_name}，{manifest.period_label or sub.period}", file=out)
            return EXIT_OK
        plan = load_sheet(file, kind, sheet, session_factory=session_factory, header_rows=header_rows)
    except ImportFileError as exc:
        print(exc.message, file=err)
        return EXIT_UNREADABLE
    last = [-1]

    def progress(done: int, total: int, text: str) -> None:
        pct = int(done * 100 / total) if total else 0
        if total and pct // 20 != last[0] // 20:
            last[0] = pct
            print(f"{text}", file=err, flush=True)

    cols = "、".join(f"{c.letter}“{c.text}”" for c in plan.header.columns if c.index not in plan.mapping and c.parts)
    print(f"工作表“{plan.sheet}”：表头在{plan.header.rows_text}，"
          f"识别出 {len(plan.mapping)} 列" + (f"；未导入的列：{cols}" if cols else ""), file=out)
    preview = build_preview(session_factory, plan, options, progress=progress)
    result = commit(session_factory, preview, options, progress=progress)
    if preview.organization_name:
        print(f"调解组织：{preview.organization_name}", file=out)
    print(preview.summary(), file=out)
    print(result.summary(), file=out)
    errors = [p for p in result.problems if p.level == "error"]
    warnings = [p for p in result.problems if p.level != "error"]
    for p in errors[:SHOW_PROBLEMS]:
        value = f"“{p.value}”" if p.value else ""
        print(f"  {p.where}{value}：{cli_message(p.message)}", file=err)
    if len(errors) > SHOW_PROBLEMS:
        print(f"  ……另有 {len(errors) - SHOW_PROBLEMS} 个问题" + ("，见报告" if report else "，用 --report 输出完整清单"), file=err)
    if warnings:
        print(f"提醒 {len(warnings)} 条" + ("（见报告）" if report else "（用 --report 查看）"), file=out)
    if report is not None:
        write_report(result, report)
        print(f"报告已保存：{report}", file=out)
    if errors and not result.committed and not dry_run and not valid_only and not preview.fatal:
        print("有错误的行，没有导入任何数据。请改正后重试，或加 --valid-only 只导入没有错误的行。", file=err)
    return EXIT_OK if result.all_imported else EXIT_REJECTED
