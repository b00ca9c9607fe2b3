"""Templates are data, never code: the Jinja2 environment every DOCX template is rendered in.

:class:`TemplateSandbox` is Jinja2's :class:`~jinja2.sandbox.ImmutableSandboxedEnvironment` (no access to
``_private`` or ``__dunder__`` attributes, no calls that change lists or dicts) that in addition checks
each template part docxtpl hands it (body, headers, footers, footnotes, properties) before compiling it:
every name a placeholder looks up must be a field of the context it is rendered with (or a name the
template itself binds: ``{% for a in applicants %}``, ``loop``), and no attribute or item may start with
``_``. Jinja's globals (``cycler``, ``lipsum``, ``range`` …) are removed. A template that breaks a rule
is refused with :class:`TemplateRefused`, whose Chinese message names the file and the placeholder:
「模板“case-agreement.docx”含有不允许的内容：{{ cycler.__init__… }}」.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from jinja2 import nodes
from jinja2.exceptions import SecurityError, TemplateSyntaxError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from app.core.errors import OutputError as ExportError

#: Names a template may use without the context giving them (Jinja's loop variable).
BUILTIN_NAMES = frozenset({"loop"})
#: How much of the offending placeholder the message shows.
SHOWN_CHARS = 40

_TAG_RE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.S)
_XML_TAG_RE = re.compile(r"<[^>]+>")
_QUOTED_RE = re.compile(r"'([^']+)'")


class TemplateRefused(ExportError):
    """A template uses something outside the fields it is given (the message is one Chinese line)."""


def _plain(xml_line: str) -> str:
    """The text of one line of template XML (tags removed, the few entities Word writes undone)."""
    text = _XML_TAG_RE.sub("", xml_line)
    return (
        text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", '"')
        .replace("&apos;", "'")
        .replace("&amp;", "&")
    )


def _shorten(tag: str) -> str:
    tag = " ".join(tag.split())
    if len(tag) <= SHOWN_CHARS:
        return tag
    closing = tag[-2:]
    return tag[: SHOWN_CHARS - 3].rstrip() + "… " + closing


def _placeholder(source: str, lineno: int | None, words: Iterable[str] = ()) -> str:
    """The placeholder on template line ``lineno`` that mentions one of ``words`` (else the first one)."""
    lines = source.splitlines()
    if lineno is None or not 0 < lineno <= len(lines):
        candidates = _TAG_RE.findall(_plain(source))
    else:
        candidates = _TAG_RE.findall(_plain(lines[lineno - 1]))
    for word in words:
        for tag in candidates:
            if word and word in tag:
                return _shorten(tag)
    return _shorten(candidates[0]) if candidates else ""


def _bound_names(tree: nodes.Template) -> set[str]:
    """Names the template binds itself: loop targets, ``set``, macro and call-block parameters."""
    return {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}


def _violations(tree: nodes.Template, allowed: set[str]) -> Iterable[tuple[int, str]]:
    """(line, word) of every name outside ``allowed`` and every ``_`` attribute or item."""
    for node in tree.find_all((nodes.Name, nodes.Getattr, nodes.Getitem, nodes.Filter)):
        if isinstance(node, nodes.Name):
            if node.ctx == "load" and node.name not in allowed:
                yield node.lineno, node.name
        elif isinstance(node, nodes.Getattr):
            if node.attr.startswith("_"):
                yield node.lineno, node.attr
        elif isinstance(node, nodes.Getitem):
            arg = node.arg
            if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                yield node.lineno, arg.value
        elif node.name == "attr":
            for arg in node.args:
                if isinstance(arg, nodes.Const) and isinstance(arg.value, str) and arg.value.startswith("_"):
                    yield node.lineno, arg.value


class TemplateSandbox(ImmutableSandboxedEnvironment):
    """The sandbox for one template file rendered with a context holding ``fields``."""

    def __init__(self, template_name: str, fields: Iterable[str]) -> None:
        super().__init__(autoescape=True)
        self.globals.clear()
        self.template_name = template_name
        self.fields = frozenset(str(f) for f in fields)
        self.sources: list[str] = []

    def refuse(self, placeholder: str) -> TemplateRefused:
        return TemplateRefused(f"模板“{self.template_name}”含有不允许的内容：{placeholder}")

    def from_string(self, source: Any, globals: Any = None, template_class: Any = None) -> Any:  # noqa: A002
        if isinstance(source, str):
            self.sources.append(source)
            try:
                tree = self.parse(source)
            except TemplateSyntaxError:
                pass  # compiled below, where Jinja reports it as before
            else:
                allowed = set(self.fields) | BUILTIN_NAMES | _bound_names(tree)
                for lineno, word in _violations(tree, allowed):
                    raise self.refuse(_placeholder(source, lineno, [word]) or word)
        return super().from_string(source, globals, template_class)

    def refusal_for(self, exc: SecurityError) -> TemplateRefused:
        """The Chinese refusal for a sandbox violation found while rendering."""
        lineno = _template_line(exc.__traceback__)
        source = self.sources[-1] if self.sources else ""
        words = _QUOTED_RE.findall(str(exc))
        return self.refuse(_placeholder(source, lineno, words) or str(exc))


def _template_line(tb: TracebackType | None) -> int | None:
    """The template line of the innermost template frame (Jinja rewrites tracebacks to name it)."""
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
