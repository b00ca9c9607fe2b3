"""The command line: argument parsing (messages in Chinese) and the headless sub-commands.

Every failure a user can cause ends as one Chinese line on stderr and a non-zero exit code, never a
traceback (``run_command`` turns known errors into messages; anything unexpected is reported as
``内部错误`` with the details logged).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from app.core.version import APP_NAME, __version__
from db.engines import database_arg, is_database_url  # --db: a file path or a postgresql:// URL

EXIT_USAGE = 2
EXIT_FAILURE = 1

# argparse builds its messages with the module-level ``_`` (gettext); give it Chinese ones.
_ARGPARSE_ZH = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示此帮助并退出",
    "the following arguments are required: %s": "缺少必需的参数：%s",
    "unrecognized arguments: %s": "无法识别的参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "无效的选项 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "取值无效：%(value)r",
    "expected one argument": "需要一个参数值",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "ambiguous option: %(option)s could match %(matches)s": "选项不明确：%(option)s 可能是 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出以下参数之一：%s",
}


def _zh(message: str) -> str:
    return _ARGPARSE_ZH.get(message, message)


argparse._ = _zh  # type: ignore[attr-defined]


class CliError(Exception):
    """A user-facing command-line failure (Chinese message, exit code)."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


class ChineseArgumentParser(argparse.ArgumentParser):
    def error(self, message: str):  # noqa: D401 — argparse API
        raise CliError(f"参数错误：{message}（用 --help 查看用法）", EXIT_USAGE)


YEAR_MIN, YEAR_MAX = 2000, 2100


def _year(value: str) -> int:
    if not re.fullmatch(r"\d{4}", value.strip()) or not YEAR_MIN <= int(value) <= YEAR_MAX:
        raise argparse.ArgumentTypeError(f"年份应在 {YEAR_MIN}–{YEAR_MAX} 之间，例如 2026，而不是“{value}”")
    return int(value)


def _quarter(value: str) -> int:
    if value.strip() not in {"1", "2", "3", "4"}:
        raise argparse.ArgumentTypeError(f"季度应为 1–4，而不是 {value!r}")
    return int(value)


def _month(value: str) -> int:
    if not value.strip().isdigit() or not 1 <= int(value) <= 12:
        raise argparse.ArgumentTypeError(f"月份应为 1–12，而不是 {value!r}")
    return int(value)


def _positive_int(value: str) -> int:
    if not value.strip().isdigit():
        raise argparse.ArgumentTypeError(f"应为非负整数，而不是 {value!r}")
    return int(value)


def _date(value: str):
    from app.services.validation import ValidationError, parse_date

    try:
        return parse_date(value, "日期")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def build_parser() -> ChineseArgumentParser:
    parser = ChineseArgumentParser(
        prog="python -m app",
        description=f"{APP_NAME}：劳动人事争议调解案件台账、青年仲裁员志愿服务、调解组织档案与官方表格导出。"
        "不带子命令时打开图形界面。",
    )
    parser.add_argument("--db", type=database_arg, help="数据库文件（默认在用户数据文件夹中）")
    parser.add_argument("--version", action="store_true", help="显示版本号并退出")
    sub = parser.add_subparsers(dest="command", metavar="子命令", parser_class=ChineseArgumentParser)

    demo = sub.add_parser("demo", help="生成演示数据（确定性，可复现）")
    demo.add_argument("--db", type=database_arg, required=True, help="要填充的数据库文件（不存在则新建）")
    demo.add_argument("--seed", type=_positive_int, default=1, help="随机种子（默认 1）")
    demo.add_argument("--cases", type=_positive_int, default=2000, help="案件数量（默认 2000）")

    export = sub.add_parser("export", help="导出官方表格（DOCX / XLSX）")
    export.add_argument("kind", nargs="?", help="导出类型，用 --list 查看")
    export.add_argument("--list", action="store_true", help="列出所有导出类型")
    export.add_argument("--db", type=database_arg, help="数据库文件")
    export.add_argument("--out", type=Path, help="输出文件路径")
    export.add_argument("--org", help="调解组织（编号或名称）")
    export.add_argument("--year", type=_year, help="年度")
    export.add_argument("--quarter", type=_quarter, help="季度 1–4")
    export.add_argument("--month", type=_month, help="月份 1–12")
    export.add_argument("--from", dest="date_from", type=_date, help="起始日期")
    export.add_argument("--to", dest="date_to", type=_date, help="截止日期")
    export.add_argument("--case", help="案件（编号或案号）")
    export.add_argument("--volunteer", help="志愿者（编号或姓名）")
    export.add_argument("--as-of", dest="as_of", type=_date, help="名册截至日期（如附件2）")
    export.add_argument("--all", action="store_true", help="全部（如全部志愿者）")
    export.add_argument("--full-info", action="store_true", help="导出完整身份证号和电话（默认脱敏）")
    export.add_argument(
        "--param", action="append", default=[], metavar="键=值", help="其他导出参数，可重复，如 --param region=和平区"
    )

    imp = sub.add_parser("import", help="导入 Excel 台账、名册或下级报送的文件")
    imp.add_argument("kind", choices=["cases", "enterprises", "volunteers", "services", "mediators", "key-tasks",
                                      "coordinators", "social-orgs"],
                     metavar="类型", help="cases（调解案件）、enterprises（企业名录）、volunteers（志愿者及联系企业）、"
                     "services（志愿服务记录）、mediators（调解员名册）、key-tasks（重点任务清单）、"
                     "coordinators（劳动关系协调员台账）、social-orgs（协调劳动关系社会组织台账）")
    imp.add_argument("file", type=Path, metavar="文件", help="要导入的 .xlsx、.xls、.csv、.htm/.html、.xml 或 .et 文件")
    imp.add_argument("--db", type=database_arg, required=True, help="数据库文件")
    imp.add_argument("--org", help="文件未注明时，数据所属的调解组织（编号或名称）")
    imp.add_argument("--sheet", help="工作表名称（默认第一个）")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入数据库")
    imp.add_argument("--report", type=Path, metavar="OUT.xlsx", help="把逐行结果和问题清单保存为 Excel")
    imp.add_argument("--valid-only", action="store_true", help="有错误的行跳过，其余照常导入（默认有错误时全部不导入）")
    imp.add_argument("--duplicates", choices=["update", "skip"], default="update",
                     help="库中已有的记录：update 按文件更新（默认），skip 跳过")
    imp.add_argument("--header-rows", metavar="4-5", help="手动指定表头所在的行（如 3 或 4-5）")

    stats = sub.add_parser("stats", help="输出统计数字")
    stats.add_argument("--db", type=database_arg, required=True, help="数据库文件")
    stats.add_argument("--json", action="store_true", help="以 JSON 输出")
    stats.add_argument("--year", type=_year)
    stats.add_argument("--quarter", type=_quarter)
    stats.add_argument("--month", type=_month)
    stats.add_argument("--from", dest="date_from", type=_date)
    stats.add_argument("--to", dest="date_to", type=_date)
    stats.add_argument("--org", help="调解组织（编号或名称）")

    backup = sub.add_parser("backup", help="备份数据库（程序打开时也可以安全备份）")
    backup.add_argument("--db", type=database_arg, required=True, help="要备份的数据库文件")
    backup.add_argument("--out", type=Path, required=True, help="备份文件，或保存备份的文件夹（自动命名）")

    restore = sub.add_parser("restore", help="从备份恢复数据库（程序须先关闭）")
    restore.add_argument("--db", type=database_arg, required=True, help="要恢复的数据库文件")
    restore.add_argument("--from", dest="backup", type=Path, required=True, help="备份文件")
    restore.add_argument("--yes", action="store_true", help="确认用备份替换当前数据（当前数据先另存到 backups 文件夹）")

    transfer = sub.add_parser("transfer", help="复制整个数据库（SQLite 文件 ⇄ PostgreSQL），按 UUID 合并，可重复执行")
    transfer.add_argument("--from", dest="source", type=database_arg, required=True, help="源：数据库文件或 postgresql://…")
    transfer.add_argument("--to", dest="target", type=database_arg, required=True, help="目标：数据库文件或 postgresql://…")

    chart = sub.add_parser("chart", help="绘制统计图（PNG / SVG）")
    chart.add_argument(
        "kind",
        choices=("success-rate", "by-organization", "by-type", "volume", "on-time", "volunteer-services"),
        metavar="图表类型",
        help="success-rate（调解成功率趋势）、by-organization（各组织成功率）、by-type（按争议类型）、"
        "volume（案件量与劳动者人数）、on-time（按期结案率）、volunteer-services（志愿服务）",
    )
    chart.add_argument("--db", type=database_arg, required=True, help="数据库文件")
    chart.add_argument("--out", type=Path, required=True, help="输出图片（.png 或 .svg）")
    chart.add_argument("--year", type=_year, help="年度（默认今年）")
    chart.add_argument("--quarter", type=_quarter, help="季度 1–4")
    chart.add_argument("--month", type=_month, help="月份 1–12")
    chart.add_argument("--from", dest="date_from", type=_date, help="起始日期")
    chart.add_argument("--to", dest="date_to", type=_date, help="截止日期")
    chart.add_argument("--org", help="调解组织（编号或名称）")
    chart.add_argument("--by", choices=("month", "quarter"), help="趋势图按月或按季度（默认：两年以内按月）")
    return parser


# ---------------------------------------------------------------------------------------------
# Sub-commands


BUSY_MESSAGE = "数据库正被另一个调解工作台窗口或程序使用，{hint}：{db}"


def _write_lock(db: Path, hint: str = "请稍后重试"):
    """The single-writer lock of ``db`` — the one the GUI holds for its whole session — or one Chinese line.

    Every command that writes takes it before the database is even opened (opening may migrate)."""
    from app.services.dblock import DatabaseLock, DatabaseLocked
    from db.check import check_writable

    if is_database_url(db):  # a PostgreSQL server: many writers, the server serialises them (no lock file)
        return _NoLock()
    path = db.expanduser().resolve()
    check_writable(path)  # 只读 / 文件夹不能写入 said before a lock file is made
    try:
        return DatabaseLock(path).acquire()
    except DatabaseLocked as exc:
        if exc.busy:
            raise CliError(BUSY_MESSAGE.format(hint=hint, db=path)) from None
        raise CliError(str(exc)) from None


class _NoLock:
    def release(self) -> None:
        pass


def _open_existing(db: Path | str | None):
    from db.session import DatabaseError, open_database

    if db is None:
        raise CliError("请用 --db 指定数据库文件", EXIT_USAGE)
    if not is_database_url(db) and not db.exists():
        raise CliError(f"数据库文件不存在：{db}")
    try:
        return open_database(db, create=False)
    except DatabaseError as exc:
        raise CliError(str(exc)) from exc


DEMO_LABELS = {
    "organizations": "调解组织",
    "mediators": "调解员",
    "enterprises": "企业",
    "volunteers": "志愿者",
    "volunteer_contacts": "联系企业",
    "service_records": "志愿服务记录",
    "satisfaction_surveys": "满意度调查",
    "cases": "调解案件",
    "case_parties": "当事人",
    "mediation_sessions": "调解记录",
    "agreements": "调解协议",
    "return_visits": "回访记录",
}


def cmd_demo(args: argparse.Namespace) -> int:
    from app.demo import generate_demo
    from db.session import DatabaseError, open_database

    lock = _write_lock(args.db)
    try:
        try:
            opened = open_database(args.db)
        except DatabaseError as exc:
            raise CliError(str(exc)) from exc
        try:
            last = [-1]

            def progress(done: int, total: int, stage: str) -> None:
                pct = int(done * 100 / total) if total else 100
                if pct // 10 != last[0] // 10 or done == total:
                    last[0] = pct
                    print(f"{stage} {pct}%", file=sys.stderr, flush=True)

            summary = generate_demo(opened.session_factory, seed=args.seed, cases=args.cases, progress=progress)
        except ValueError as exc:
            raise CliError(str(exc)) from exc
        finally:
            opened.engine.dispose()
    finally:
        lock.release()
    print(f"演示数据已生成：{opened.url or opened.path}")
    for key, label in DEMO_LABELS.items():
        print(f"  {label}：{getattr(summary, key, 0)}")
    return 0


def _export_params(args: argparse.Namespace) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for key in ("org", "year", "quarter", "month", "date_from", "date_to", "case", "volunteer", "as_of"):
        value = getattr(args, key)
        if value is not None:
            params[key] = value
    if args.all:
        params["all"] = True
    if args.full_info:
        params["full_info"] = True
    for item in args.param:
        if "=" not in item:
            raise CliError(f"--param 的格式应为 键=值，而不是 {item!r}", EXIT_USAGE)
        key, value = item.split("=", 1)
        params[key.strip()] = value.strip()
    return params


def cmd_export(args: argparse.Namespace) -> int:
    from app.exports.registry import ExportRequest, all_kinds, get_kind, load_builtin_kinds

    load_builtin_kinds()
    if args.list:
        for kind in all_kinds():
            alias = f"（别名：{'、'.join(kind.aliases)}）" if kind.aliases else ""
            print(f"{kind.name}\t{kind.fmt.upper()}\t{kind.title}{alias}")
        return 0
    if not args.kind:
        raise CliError("请给出导出类型，或用 --list 查看全部类型", EXIT_USAGE)
    try:
        kind = get_kind(args.kind)
    except KeyError as exc:
        names = "、".join(k.name for k in all_kinds())
        raise CliError(f"未知的导出类型：{args.kind}（可用：{names}）", EXIT_USAGE) from exc
    if args.out is None:
        raise CliError(f"请用 --out 指定输出文件，例如 --out 名册.{kind.fmt}", EXIT_USAGE)
    out = args.out.expanduser().resolve()
    if out.suffix.lower() != f".{kind.fmt}":
        raise CliError(f"输出文件的扩展名应为 .{kind.fmt}：{out.name}", EXIT_USAGE)
    if not out.parent.is_dir():
        raise CliError(f"输出文件夹不存在：{out.parent}")
    from db.files import refuse_output_over

    refuse_output_over(out, database=args.db, what="导出文件")
    params = _export_params(args)
    missing = [opt.name for opt in kind.options if opt.required and opt.name not in params]
    if missing:
        raise CliError(f"导出“{kind.title}”缺少参数：{'、'.join('--' + m for m in missing)}", EXIT_USAGE)
    opened = _open_existing(args.db)
    try:
        result = kind.run(request := ExportRequest(session_factory=opened.session_factory, out=out, params=params))
    finally:
        opened.engine.dispose()
    print(f"已导出：{result}")
    for warning in request.warnings:
        print(f"注意：{warning}", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    header_rows = None
    if args.header_rows:
        m = re.fullmatch(r"\s*(\d+)\s*(?:[-–~]\s*(\d+))?\s*", args.header_rows)
        if not m:
            raise CliError(f"--header-rows 应写成 4 或 4-5，而不是 {args.header_rows!r}", EXIT_USAGE)
        header_rows = (int(m.group(1)), int(m.group(2) or m.group(1)))
    if args.report is not None and args.report.suffix.lower() != ".xlsx":
        raise CliError(f"报告文件的扩展名应为 .xlsx：{args.report.name}", EXIT_USAGE)
    if args.report is not None:
        from db.files import refuse_output_over

        refuse_output_over(args.report, database=args.db, inputs=[args.file], what="导入报告")
    if (is_database_url(args.db) or args.db.exists()) and not args.dry_run:  # a dry run writes nothing: no lock needed
        lock = _write_lock(args.db)
    else:
        lock = None
    try:
        return _run_import(args, header_rows)
    finally:
        if lock is not None:
            lock.release()


def _run_import(args: argparse.Namespace, header_rows: tuple[int, int] | None) -> int:
    from app.services.importing.command import import_command

    opened = _open_existing(args.db)
    try:
        if args.org:
            from app.services.organizations import find_organization

            with opened.session_factory() as s:
                try:
                    find_organization(s, args.org)
                except ValueError as exc:
                    raise CliError(str(exc), EXIT_USAGE) from None
        return import_command(
            opened.session_factory, args.kind, args.file, org=args.org, sheet=args.sheet, dry_run=args.dry_run,
            report=args.report, valid_only=args.valid_only, duplicates=args.duplicates, header_rows=header_rows,
        )
    finally:
        opened.engine.dispose()


def cmd_stats(args: argparse.Namespace) -> int:
    try:
        from app.services import stats as stats_service
    except ImportError as exc:
        raise CliError("统计功能尚未提供（将由统计图表模块实现）") from exc
    opened = _open_existing(args.db)
    try:
        figures = stats_service.compute_from_args(opened.session_factory, args)
    finally:
        opened.engine.dispose()
    if args.json:
        print(json.dumps(figures, ensure_ascii=False, indent=2, default=str))
    else:
        for key, value in figures.items():
            print(f"{key}\t{value}")
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    from app.charts import figures as charts
    from app.services import stats as stats_service

    out = args.out.expanduser().resolve()
    if out.suffix.lower() not in (".png", ".svg"):
        raise CliError(f"输出文件的扩展名应为 .png 或 .svg：{out.name}", EXIT_USAGE)
    if not out.parent.is_dir():
        raise CliError(f"输出文件夹不存在：{out.parent}")
    opened = _open_existing(args.db)
    try:
        figures = stats_service.compute_from_args(opened.session_factory, args)
    finally:
        opened.engine.dispose()
    fig = charts.draw(args.kind, figures, granularity=args.by or charts.default_granularity(figures))
    charts.save_figure(fig, out)
    print(f"已保存：{out}")
    return 0


def _existing_database_file(path: Path) -> None:
    """This program's database, to read, and not damaged (checked without SQLAlchemy: nothing is migrated)."""
    from db.session import diagnose, quick_check

    if is_database_url(path):
        raise CliError("PostgreSQL 数据库请由管理员用 pg_dump / pg_restore 备份和恢复")
    if not path.exists():
        raise CliError(f"数据库文件不存在：{path}")
    diagnose(path, create=False, write=False)
    quick_check(path)  # 「数据库已损坏，请从备份恢复」 rather than a failed copy


def cmd_backup(args: argparse.Namespace) -> int:
    from app.services.backup import backup_database, default_backup_name

    _existing_database_file(args.db)
    out = args.out / default_backup_name() if args.out.is_dir() else args.out
    from db.files import refuse_output_over

    refuse_output_over(out, database=args.db, what="备份文件")
    started = time.perf_counter()
    done = backup_database(args.db, out)
    size = done.stat().st_size / 1024 / 1024
    print(f"已备份：{done}（{size:.1f} MB，用时 {time.perf_counter() - started:.1f} 秒）")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from app.services.backup import check_backup_file, restore_database
    from app.services.backup.restore import check_restore_target

    if is_database_url(args.db):
        raise CliError("PostgreSQL 数据库请由管理员用 pg_dump / pg_restore 备份和恢复")
    check_restore_target(args.db, args.backup)  # this program's database (damaged is what restore is for)
    revision = check_backup_file(args.backup)
    if not args.yes:
        raise CliError(f"备份“{args.backup.name}”可以恢复（结构版本 {revision}）。确认用它替换当前数据，请加 --yes", EXIT_USAGE)
    lock = _write_lock(args.db, "请先关闭调解工作台再恢复")
    try:
        before = restore_database(args.backup, args.db)
    finally:
        lock.release()
    print(f"已从备份恢复：{args.db}；恢复前的数据另存为：{before}")
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    from app.services.transfer import TransferError, format_report, transfer_databases
    from db.engines import display_url

    try:
        report = transfer_databases(args.source, args.target)
    except TransferError as exc:
        raise CliError(str(exc)) from exc
    names = [display_url(x) if is_database_url(x) else str(x) for x in (args.source, args.target)]
    print(f"已复制：{names[0]} → {names[1]}")
    print("\n".join(format_report(report)))
    return 0


COMMANDS = {"demo": cmd_demo, "export": cmd_export, "import": cmd_import, "stats": cmd_stats, "chart": cmd_chart,
            "backup": cmd_backup, "restore": cmd_restore, "transfer": cmd_transfer}


def known_errors() -> tuple[type[BaseException], ...]:
    """Exception types whose message is already a Chinese sentence for the user."""
    errors: list[type[BaseException]] = [CliError]
    try:
        from app.core.progress import ExportCancelled
        from app.exports.registry import ExportError

        errors += [ExportError, ExportCancelled]
    except ImportError:
        pass
    try:
        from app.services.validation import ValidationError

        errors.append(ValidationError)
    except ImportError:
        pass
    from app.services.backup import BackupError
    from db.check import DatabaseError

    errors += [DatabaseError, BackupError]
    return tuple(errors)


def run_command(args: argparse.Namespace) -> int:
    try:
        return COMMANDS[args.command](args)
    except KeyboardInterrupt:
        print("已中断", file=sys.stderr)
        return 130
    except Exception as exc:  # every failure becomes one Chinese line
        if isinstance(exc, known_errors()):
            print(str(exc), file=sys.stderr)
            return getattr(exc, "code", EXIT_FAILURE) if isinstance(exc, CliError) else EXIT_FAILURE
        if isinstance(exc, PermissionError):
            print(f"没有权限写入或读取文件：{exc.filename}", file=sys.stderr)
            return EXIT_FAILURE
        if isinstance(exc, OSError):
            print(f"文件操作失败：{exc.strerror or exc}（{exc.filename or ''}）", file=sys.stderr)
            return EXIT_FAILURE
        import logging

        from app.core.redact import redact_text
        from db.check import explain_sqlite_error  # 已损坏 / 只读 / 磁盘已满 … in one line

        database = _database_failure(exc) or explain_sqlite_error(exc, getattr(args, "db", None))
        if database is not None:  # a busy database or a conflicting write: one line, details (redacted) logged
            logging.getLogger(__name__).warning("database failure in command %s", args.command, exc_info=exc)
            print(database, file=sys.stderr)
            return EXIT_FAILURE
        logging.getLogger(__name__).exception("unexpected error in command %s", args.command)
        first_line = (str(exc).strip().splitlines() or [""])[0]
        print(redact_text(f"内部错误：{type(exc).__name__}: {first_line}"), file=sys.stderr)
        return EXIT_FAILURE


def _database_failure(exc: BaseException) -> str | None:
    """One Chinese line for SQLite's 'database is locked' / a constraint failure anywhere in ``exc``'s chain."""
    import sqlite3

    seen: set[int] = set()
    todo: list[BaseException | None] = [exc]
    while todo:
        e = todo.pop()
        if e is None or id(e) in seen:
            continue
        seen.add(id(e))
        if isinstance(e, sqlite3.OperationalError) and ("locked" in str(e) or "busy" in str(e)):
            return "数据库正被另一个调解工作台窗口或程序使用，请稍后重试"
        if isinstance(e, sqlite3.IntegrityError):
            return "数据库中已有相同的记录（数据冲突），本次操作未完成。若另一个程序正在写入该数据库，请稍后重试"
        todo += [getattr(e, "orig", None), e.__cause__, e.__context__]
    return None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def print_version() -> None:
    print(f"{APP_NAME} {__version__}")
