"""The registry of export kinds (名册、台账、统计表、附件…).

Each module in ``app/exports/kinds/`` describes one kind and registers it at import time::

    KIND = register(ExportKind(
        name="organization-list", title="调解组织名册", fmt="xlsx",
        description="…", options=(ExportOption("region", "行政区划名称"),), run=run,
    ))

The UI's export page and the command line list :func:`all_kinds` after :func:`load_builtin_kinds`
and call :func:`run_export`. Nothing here imports docx, openpyxl or Qt at import time.

Every kind's ``run`` is wrapped when the kind is made (issue 20): while it runs, its document
properties (:class:`app.exports.docmeta.DocInfo`: the kind's Chinese title, subject and author from
the parameters or ``request.describe(...)``, the 「公文字体」 setting) are the current ones the engines
save with, and the file it returns is finished afterwards — a DOCX by
:func:`app.exports.docx_engine.package.finish_docx_file` (fonts, parts, properties), an XLSX's
properties by :func:`app.exports.docprops.finish_properties_file` — rewritten only when needed.

PyInstaller note: the kind modules are found with :mod:`pkgutil` at run time, so the bundle must
collect them explicitly (``collect_submodules("app.exports.kinds")`` in build.spec).
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.errors import OutputError
from app.core.progress import CancelToken, ProgressCallback, report

OPTION_KINDS = frozenset({"str", "int", "year", "quarter", "org", "bool", "date"})
FORMATS = frozenset({"docx", "xlsx"})
KINDS_PACKAGE = "app.exports.kinds"


#: An export failed for a reason the user can act on; the message is Chinese and shown as is.
ExportError = OutputError


@dataclass(frozen=True)
class ExportOption:
    name: str
    help: str
    required: bool = False
    kind: str = "str"  # 'str', 'int', 'year', 'quarter', 'org', 'bool', 'date'

    def __post_init__(self) -> None:
        if self.kind not in OPTION_KINDS:
            raise ValueError(f"ExportOption {self.name!r}: unknown kind {self.kind!r}")


@dataclass(frozen=True)
class ExportKind:
    name: str
    title: str
    fmt: str  # 'docx' | 'xlsx'
    description: str
    options: tuple[ExportOption, ...]
    run: Callable[[ExportRequest], Path]
    aliases: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.fmt not in FORMATS:
            raise ValueError(f"ExportKind {self.name!r}: unknown format {self.fmt!r}")
        names = [o.name for o in self.options]
        if len(names) != len(set(names)):
            raise ValueError(f"ExportKind {self.name!r}: duplicate option names")
        if not getattr(self.run, "finishes_output", False):
            object.__setattr__(self, "run", _finishing(self, self.run))

    @property
    def suffix(self) -> str:
        return "." + self.fmt

    def option(self, name: str) -> ExportOption | None:
        return next((o for o in self.options if o.name == name), None)


@dataclass
class ExportRequest:
    session_factory: Any
    out: Path
    params: dict[str, Any]
    progress: ProgressCallback | None = None
    cancel: CancelToken = field(default_factory=CancelToken)

    #: The kind's own document properties (``subject``, ``author``, ``description``), see :meth:`describe`.
    properties: dict[str, str] = field(default_factory=dict)

    #: What the user should know about the written file (e.g. 「“四、典型事例”未填写，已留空白供手写」);
    #: the CLI prints them on stderr, the UI may show them. See :meth:`warn`.
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        """Add a warning about the export (Chinese, shown to the user as is)."""
        if message not in self.warnings:
            self.warnings.append(message)

    def describe(self, **values: str | None) -> None:
        """Tell the saved file's properties more than the parameters do, e.g.
        ``request.describe(subject=case_no, author=org_name)``; call before the file is written."""
        self.properties.update({k: str(v) for k, v in values.items() if v})

    def report(self, done: int, total: int | None, stage: str) -> None:
        """Forward to the progress callback, if any."""
        report(self.progress, done, total, stage)

    def check_cancel(self) -> None:
        """Raise :class:`~app.core.progress.ExportCancelled` if the user cancelled."""
        self.cancel.raise_if_cancelled()


def _finishing(kind: ExportKind, raw: Callable[[ExportRequest], Path]) -> Callable[[ExportRequest], Path]:
    """``raw`` run with the kind's document properties current, its output finished afterwards."""

    @functools.wraps(raw)
    def run(request: ExportRequest) -> Path:
        from app.exports.docmeta import export_info, info_for_export

        _restrict(kind, request)  # the user's rights: masked IDs without 「查看完整身份证号」 (issue 16)
        extra = getattr(request, "properties", None)
        info = info_for_export(kind.title, kind.description, getattr(request, "params", None) or {},
                               getattr(request, "session_factory", None),
                               extra if isinstance(extra, dict) else None)
        with export_info(info):
            out = raw(request)
        finish_output(kind.fmt, out, info)
        return out

    run.finishes_output = True  # type: ignore[attr-defined]
    return run


def _restrict(kind: ExportKind, request: ExportRequest) -> None:
    params = getattr(request, "params", None)
    if isinstance(params, dict) and getattr(request, "session_factory", None) is not None:
        from app.services.auth import restricted_export_params

        request.params = restricted_export_params(request.session_factory, params, [o.name for o in kind.options])


def finish_output(fmt: str, out: Any, info: Any) -> bool:
    """Finish an export's written file (see the module docstring); True when it was rewritten."""
    try:
        path = Path(out)
    except TypeError:
        return False
    if not path.is_file() or not zipfile.is_zipfile(path):
        return False
    if fmt == "docx":
        from app.exports.docx_engine.package import finish_docx_file

        return finish_docx_file(path, info)
    from app.exports.docprops import finish_properties_file

    return finish_properties_file(path, info)


_lock = threading.RLock()
_kinds: dict[str, ExportKind] = {}
_aliases: dict[str, str] = {}
_builtins_loaded = False


def register(kind: ExportKind) -> ExportKind:
    """Add (or replace, when a module is reloaded) an export kind; returns it for ``KIND = register(…)``."""
    with _lock:
        for alias in (kind.name, *kind.aliases):
            owner = _aliases.get(alias, alias if alias in _kinds else None)
            if owner is not None and owner != kind.name:
                raise ValueError(f"export kind name/alias {alias!r} already used by {owner!r}")
        old = _kinds.get(kind.name)
        if old is not None:
            for alias in old.aliases:
                _aliases.pop(alias, None)
        _kinds[kind.name] = kind
        for alias in kind.aliases:
            _aliases[alias] = kind.name
    return kind


def unregister(name: str) -> None:
    """Remove a kind (tests use this to clean up after themselves)."""
    with _lock:
        kind = _kinds.pop(name, None)
        if kind is not None:
            for alias in kind.aliases:
                _aliases.pop(alias, None)


def get_kind(name: str) -> ExportKind:
    """The kind called ``name`` (or one of its aliases); ``KeyError`` with a Chinese message if none."""
    with _lock:
        kind = _kinds.get(name) or _kinds.get(_aliases.get(name, ""))
    if kind is None:
        raise KeyError(f"未知的导出类型：{name}")
    return kind


def all_kinds() -> list[ExportKind]:
    """Every registered kind, sorted by name."""
    with _lock:
        return sorted(_kinds.values(), key=lambda k: k.name)


def load_builtin_kinds() -> None:
    """Import every module of ``app.exports.kinds`` (each registers itself). Cheap after the first call."""
    global _builtins_loaded
    with _lock:
        if _builtins_loaded:
            return
        try:
            package = importlib.import_module(KINDS_PACKAGE)
        except ModuleNotFoundError as exc:
            if exc.name != KINDS_PACKAGE:
                raise
            _builtins_loaded = True
            return
        for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda i: i.name):
            if not info.name.startswith("_"):
                importlib.import_module(f"{KINDS_PACKAGE}.{info.name}")
        _builtins_loaded = True


def run_export(name: str, request: ExportRequest) -> Path:
    """Check the required options of kind ``name`` and run it; returns the written file."""
    kind = get_kind(name)
    missing = [o for o in kind.options if o.required and request.params.get(o.name) in (None, "")]
    if missing:
        labels = "、".join(o.help or o.name for o in missing)
        raise ExportError(f"缺少必填项：{labels}")
    request.cancel.raise_if_cancelled()
    return kind.run(request)
