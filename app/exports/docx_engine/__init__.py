"""DOCX documents in the GB/T 9704-2012 layout (党政机关公文格式), on python-docx, and docxtpl templates.

Layout facts (shared/spec/forms.md §9, §12): A4, margins top 37 / bottom 35 / left 28 / right 26 mm
(text area 156 × 225 mm); body 3号 (16 pt) 仿宋_GB2312 with 22 lines a page (exact line spacing
28.9 pt) and a 2-character first-line indent; title 2号 (22 pt) 方正小标宋简体 centred; heading levels
「一、」 黑体, 「（一）」 楷体, 「1.」/「（1）」 仿宋; 「附件N」 3号黑体 flush left on line 1 with the
attachment title on line 3; page numbers 「— N —」 in 4号宋体, odd pages right and even pages left,
one character in.

Chinese text needs the East Asian font slot (``w:rFonts/@w:eastAsia``): Word and LibreOffice pick
the font for Hanzi from it, and ``run.font.name`` only sets the Latin slots. Every helper here sets
both, and :func:`ensure_east_asian_fonts` fills in any run that still lacks one before saving.

Templates are data, never code: :func:`render_template` renders in Jinja2's immutable sandbox and
refuses a template that reaches past the fields it is given (see ``templates``).

Every document is finished at save time for Word and WPS on any office PC (issue 20; ``package``,
``fonttable``): the faces follow the 「公文字体」 setting (GB2312 faces or those Windows ships), each East
Asian font is declared with charset 86 and an altName, the theme's East Asian fonts are set, no Japanese
fonts, thumbnail or customXml parts remain, and an export's properties are Chinese.

Modules: ``layout`` (numbers and low-level run/paragraph helpers; the bottom module), ``document``
(new document, page numbers, content), ``tables``, ``fonts`` (ensure_east_asian_fonts), ``sandbox``
(the template check), ``fonttable`` and ``package`` (finishing the saved zip: fonts, parts, properties),
``templates`` (save_docx, render_template). They import python-docx, app.core, app.exports.docmeta and
app.exports.docprops, and each other only downwards (never app.exports.registry: it calls ``package``). This ``__init__`` re-exports what callers use.
"""

from __future__ import annotations

from app.exports.docx_engine.document import (
    _add_field,
    _break_run,
    _fill_page_number_footer,
    _has_content,
    _setup_defaults,
    _setup_section,
    add_attachment_label,
    add_blank_line,
    add_body,
    add_heading_cn,
    add_page_break,
    add_page_numbers,
    add_signature,
    add_title,
    heading_number,
    new_document,
)
from app.exports.docx_engine.fonts import _style_east_asia, ensure_east_asian_fonts
from app.exports.docx_engine.fonttable import FONT_FACTS, facts_for, is_cjk_name
from app.exports.docx_engine.layout import (
    BODY_SIZE_PT,
    FOOTER_DISTANCE_MM,
    HEADER_DISTANCE_MM,
    LEVEL_FONTS,
    LINE_PITCH_PT,
    MARGIN_BOTTOM_MM,
    MARGIN_LEFT_MM,
    MARGIN_RIGHT_MM,
    MARGIN_TOP_MM,
    PAGE_HEIGHT_MM,
    PAGE_WIDTH_MM,
    PPR_ORDER,
    SIZE_2HAO,
    SIZE_3HAO,
    SIZE_4HAO,
    SIZE_XIAO4,
    TEXT_WIDTH_MM,
    TITLE_LINE_PT,
    _add_text_run,
    _cn_numeral,
    _exact_spacing,
    _format_date_cn,
    _set_indent,
    _set_rfonts,
    _set_szcs,
    _set_val,
    _text_width_chars,
    ppr_successors,
    set_run_font,
)
from app.exports.docx_engine.package import finish_docx_bytes, finish_docx_file, finish_docx_parts, write_docx
from app.exports.docx_engine.tables import (
    _ALIGN,
    _border_el,
    _fill_cell,
    _set_row_flags,
    _set_table_borders,
    add_table,
)
from app.exports.docx_engine.templates import DocxImage, render_docx_template, render_template, save_docx

__all__ = [
    "BODY_SIZE_PT",
    "FOOTER_DISTANCE_MM",
    "HEADER_DISTANCE_MM",
    "LEVEL_FONTS",
    "LINE_PITCH_PT",
    "MARGIN_BOTTOM_MM",
    "MARGIN_LEFT_MM",
    "MARGIN_RIGHT_MM",
    "MARGIN_TOP_MM",
    "PAGE_HEIGHT_MM",
    "PAGE_WIDTH_MM",
    "PPR_ORDER",
    "SIZE_2HAO",
    "SIZE_3HAO",
    "SIZE_4HAO",
    "SIZE_XIAO4",
    "TEXT_WIDTH_MM",
    "TITLE_LINE_PT",
    "DocxImage",
    "FONT_FACTS",
    "facts_for",
    "finish_docx_bytes",
    "finish_docx_file",
    "finish_docx_parts",
    "is_cjk_name",
    "write_docx",
    "add_attachment_label",
    "add_blank_line",
    "add_body",
    "add_heading_cn",
    "add_page_break",
    "add_page_numbers",
    "add_signature",
    "add_table",
    "add_title",
    "ensure_east_asian_fonts",
    "heading_number",
    "new_document",
    "ppr_successors",
    "render_docx_template",
    "render_template",
    "save_docx",
    "set_run_font",
    # private helpers the tests and tools reach for
    "_ALIGN",
    "_add_field",
    "_add_text_run",
    "_border_el",
    "_break_run",
    "_cn_numeral",
    "_exact_spacing",
    "_fill_cell",
    "_fill_page_number_footer",
    "_format_date_cn",
    "_has_content",
    "_set_indent",
    "_set_rfonts",
    "_set_row_flags",
    "_set_szcs",
    "_set_table_borders",
    "_set_val",
    "_setup_defaults",
    "_setup_section",
    "_style_east_asia",
    "_text_width_chars",
]
