"""Generate the editable per-case DOCX templates (docxtpl / Jinja2) into resources/templates/.

    .venv/bin/python tools/make_templates.py [--out resources/templates]

The files are laid out with the GB/T 9704 helpers of app/exports/docx_engine.py (A4, 37/35/28/26 mm
margins, 2号小标宋 title, 3号仿宋 body, 「— N —」 page numbers) and carry Jinja placeholders such as
``{{ case.no }}`` or ``{{ agreement.amount_text }}``; app/exports/case_data.py:case_context lists every
field. An office may open a generated file in Word or WPS, change wording and layout, and save it under
the same name: the export uses whatever is there. Rules when editing (docxtpl):

* keep each ``{{ … }}`` in one piece of uniformly formatted text (do not format half of a placeholder);
* ``{%tr for x in list %}`` and ``{%tr endfor %}`` each sit alone in a table row of their own, and
  ``{%p for … %}`` / ``{%p endfor %}`` / ``{%p if … %}`` / ``{%p endif %}`` alone in a paragraph;
* the two paragraphs in the styles 「落款单位」 and 「落款日期」 are re-indented at export time so that
  the organization's name is centred over the date, the date 4 characters from the right (GB/T 9704
  §7.3.5.1, sealed documents).

Layouts are PROPOSED (shared/spec/forms.md §6.4–§6.8); replace them with the client's official ones
when available.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from docx.oxml import OxmlElement  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402

from app.exports.docx_engine import (  # noqa: E402
    add_blank_line,
    add_body,
    add_heading_cn,
    add_page_break,
    add_signature,
    add_title,
    new_document,
    ppr_successors,
    save_docx,
)
from tools.case_template_tables import delivery_receipt, form_table, signature_table  # noqa: E402
from tools.template_helpers import (  # noqa: E402
    FIXED_TIME,
    SIGN_DATE_STYLE,
    SIGN_NAME_STYLE,
    C,
    add_paragraph_styles,
    tag_row,
)
from tools.template_helpers import line as _line  # noqa: E402

#: The templates this script writes (file name → kind name in app/exports/kinds/case_documents.py).
TEMPLATES = {
    "case-acceptance-form.docx": "acceptance-form",
    "case-oral-application.docx": "oral-application",
    "case-mediation-record.docx": "mediation-record",
    "case-agreement.docx": "agreement",
    "case-rejection-notice.docx": "rejection-notice",
    "case-termination-notice.docx": "termination-notice",
    "case-return-visit.docx": "return-visit",
}
BLANK = "　" * 8  # room to sign by hand

# --- paragraph helpers ---------------------------------------------------------------------------

#: a body paragraph of runs (3号); keep-with-next is written, off unless asked
line = partial(_line, keep_next=False)


def tag(doc, text: str):
    """A paragraph holding only a docxtpl ``{%p … %}`` tag (it disappears when rendered)."""
    return line(doc, text)


def body(doc, text: str):
    """A body paragraph, first line indented 2 characters (GB/T 9704)."""
    return add_body(doc, text)


def case_number_line(doc, text: str = "{{ case.no }}"):
    """The case number under the title, right-aligned as on court and arbitration documents."""
    p = line(doc, text, align="right")
    return p


def signature(doc, name: str, date: str):
    """Issuer and date, sealed layout (GB/T 9704 §7.3.5.1); re-indented for the real name at export."""
    name_p, date_p = add_signature(doc, name, date, sealed=True)
    # keep the blank lines left for the seal on the same page as the name
    prev = name_p._p.getprevious()
    while prev is not None and prev.tag == qn("w:p") and not "".join(prev.itertext()).strip():
        ppr = prev.get_or_add_pPr()
        if ppr.find(qn("w:keepNext")) is None:
            ppr.insert_element_before(OxmlElement("w:keepNext"), *ppr_successors("w:keepNext"))
        prev = prev.getprevious()
    name_p.style = doc.styles[SIGN_NAME_STYLE]
    date_p.style = doc.styles[SIGN_DATE_STYLE]
    return name_p, date_p




# --- the documents -------------------------------------------------------------------------------


def acceptance_form(doc) -> None:
    """受理登记表 (forms.md §6.4): one bordered table."""
    add_title(doc, "劳动人事争议调解受理登记表", blank_before=False, blank_after=False)
    line(doc, "调解组织：{{ org.name }}", align="left")
    w = [34, 44, 34, 44]
    form_table(
        doc,
        w,
        [
            [C("登记编号", 1, "label"), C("{{ case.no }}", 3, "value")],
            [
                C("收到申请日期", 1, "label"),
                C("{{ case.received_on }}", 1, "center"),
                C("申请方式", 1, "label"),
                C("{{ case.apply_mode }}", 1, "center"),
            ],
            [C("案件来源", 1, "label"), C("{{ case.source }}", 3, "value")],
            tag_row("{%tr for a in applicants %}", 4),
            [C("申请人", 1, "label"), C("{{ a.brief }}", 3, "value")],
            tag_row("{%tr endfor %}", 4),
            tag_row("{%tr for r in respondents %}", 4),
            [C("被申请人", 1, "label"), C("{{ r.brief }}", 3, "value")],
            tag_row("{%tr endfor %}", 4),
            [
                C("涉及劳动者人数", 1, "label"),
                C("{{ case.workers }}", 1, "center"),
                C("是否集体争议", 1, "label"),
                C("{{ case.is_collective }}", 1, "center"),
            ],
            [C("争议类型", 1, "label"), C("{{ case.dispute_types }}", 3, "value")],
            (30, [C("请求事项", 1, "label"), C("{{ claims_text }}", 3, "value")]),
            [C("请求金额", 1, "label"), C("{{ case.claim_amount_text }}", 3, "value")],
            [C("对方是否\n同意调解", 1, "label"), C("{{ case.other_party_consent }}", 3, "value")],
            (20, [C("受理意见", 1, "label"), C("{{ case.accept_opinion }}", 3, "value")]),
            [C("指定调解员", 1, "label"), C("{{ mediators_text }}", 3, "value")],
            (
                20,
                [
                    C("登记人\n（签名）", 1, "label"),
                    C("", 1, "value"),
                    C("负责人\n（审批）", 1, "label"),
                    C("", 1, "value"),
                ],
            ),
            (26, [C("调解组织\n（印章）", 1, "label"), C("（盖章）\n{{ blank_date }}", 3, "right")]),
        ],
    )


def oral_application(doc) -> None:
    """口头申请记录 (law art. 12): the applicant's details, the matters in dispute, reasons, time, signature."""
    add_title(doc, "劳动人事争议调解口头申请记录", blank_before=False, blank_after=False)
    case_number_line(doc)
    line(doc, ("黑体", "申请时间："), "{{ case.received_on }}")
    line(doc, ("黑体", "受理机构："), "{{ org.name }}")
    add_heading_cn(doc, "申请人基本情况", 1, number=1)
    tag(doc, "{%p for a in applicants %}")
    line(doc, "{{ a.desc }}", indent=2)
    tag(doc, "{%p if a.agent %}")
    body(doc, "委托代理人：{{ a.agent }}。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if case.collective %}")
    body(doc, "本案为集体争议，涉及劳动者{{ case.workers }}人，以上为推举的代表人。")
    tag(doc, "{%p endif %}")
    add_heading_cn(doc, "被申请人基本情况", 1, number=2)
    tag(doc, "{%p for r in respondents %}")
    line(doc, "{{ r.desc }}", indent=2)
    tag(doc, "{%p if r.legal_rep_line %}")
    body(doc, "法定代表人（主要负责人）：{{ r.legal_rep_line }}。")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    add_heading_cn(doc, "申请调解的争议事项", 1, number=3)
    tag(doc, "{%p for c in claims %}")
    body(doc, "{{ c.line }}")
    tag(doc, "{%p endfor %}")
    body(doc, "请求金额合计：{{ case.claim_amount_text }}。")
    add_heading_cn(doc, "事实与理由", 1, number=4)
    body(doc, "{{ case.facts }}")
    add_heading_cn(doc, "口头申请记录", 1, number=5)
    body(doc, "{{ case.oral_record }}")
    body(doc, "以上记录已向申请人宣读（或经申请人阅看），申请人确认与其陈述一致。")
    add_blank_line(doc)
    signature_table(
        doc,
        [
            ("申请人（签名或按指印）：", "{{ blank_date }}"),
            ("记录人（签名）：", "{{ blank_date }}"),
        ],
        widths_mm=(100, 56),
    )
    signature(doc, "{{ org.name }}", "{{ case.received_on }}")


def mediation_record(doc) -> None:
    """调解记录 (forms.md §6.5): header table, then one record per session (each on its own pages)."""
    add_title(doc, "劳动人事争议调解记录", blank_before=False, blank_after=False)
    case_number_line(doc)
    w = [30, 48, 30, 48]
    form_table(
        doc,
        w,
        [
            [C("争议类型", 1, "label"), C("{{ case.dispute_types }}", 3, "value")],
            [C("申请人", 1, "label"), C("{{ applicant_display }}", 3, "value")],
            [C("被申请人", 1, "label"), C("{{ respondent_names }}", 3, "value")],
            [
                C("调解员", 1, "label"),
                C("{{ mediators_text }}", 1, "value"),
                C("收到申请日期", 1, "label"),
                C("{{ case.received_on }}", 1, "center"),
            ],
        ],
    )
    tag(doc, "{%p for s in sessions %}")
    tag(doc, "{%p if not loop.first %}")
    add_page_break(doc)
    tag(doc, "{%p endif %}")
    add_blank_line(doc)
    add_heading_cn(doc, "{{ s.title }}（{{ s.date }}）", 1)
    form_table(
        doc,
        w,
        [
            [
                C("时间", 1, "label"),
                C("{{ s.time }}", 1, "value"),
                C("调解方式", 1, "label"),
                C("{{ s.mode }}", 1, "center"),
            ],
            [C("地点", 1, "label"), C("{{ s.place }}", 3, "value")],
            [C("参加人", 1, "label"), C("{{ s.participants }}", 3, "value")],
            [
                C("调解员（主持）", 1, "label"),
                C("{{ lead_mediator }}", 1, "value"),
                C("记录人", 1, "label"),
                C("{{ s.recorder }}", 1, "center"),
            ],
        ],
    )
    add_blank_line(doc)
    line(doc, ("黑体", "告知事项："), indent=2, keep_next=True)
    body(
        doc,
        "调解员告知双方当事人：调解遵循自愿、合法、公正的原则，当事人可以随时要求终止调解；"
        "调解一般不公开进行，调解员对调解中知悉的个人隐私和商业秘密负有保密义务；当事人认为调解员"
        "与本争议有利害关系或者可能影响公正调解的，有权申请回避；调解应当自收到调解申请之日起十五日内"
        "结束，双方同意的可以延长。当事人是否申请回避？",
    )
    line(doc, ("黑体", "调解情况："), indent=2, keep_next=True)
    body(doc, "{{ s.record }}")
    line(doc, ("黑体", "调解结果："), "{{ s.result }}", indent=2)
    line(doc, ("黑体", "下一步工作："), "{{ s.next_step }}", indent=2)
    body(doc, "以上记录已阅，无误。").paragraph_format.keep_with_next = True
    signature_table(
        doc,
        [
            ("申请人（签名）：", "被申请人（签名或盖章）："),
            ("调解员（签名）：", "记录人（签名）："),
            ("", "{{ s.date }}"),
        ],
    )
    tag(doc, "{%p endfor %}")


def agreement(doc) -> None:
    """调解协议书 (forms.md §6.6)."""
    add_title(doc, "劳动人事争议调解协议书", blank_before=False, blank_after=False)
    case_number_line(doc)
    tag(doc, "{%p for a in applicants %}")
    line(doc, ("黑体", "申请人："), "{{ a.desc }}", indent=2)
    tag(doc, "{%p if a.agent %}")
    line(doc, ("黑体", "委托代理人："), "{{ a.agent }}。", indent=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if case.collective %}")
    body(doc, "（本案为集体争议，涉及劳动者{{ case.workers }}人，以上为推举的代表人。）")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for r in respondents %}")
    line(doc, ("黑体", "被申请人："), "{{ r.desc }}", indent=2)
    tag(doc, "{%p if r.legal_rep_line %}")
    line(doc, ("黑体", "法定代表人（主要负责人）："), "{{ r.legal_rep_line }}。", indent=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p if r.agent %}")
    line(doc, ("黑体", "委托代理人："), "{{ r.agent }}。", indent=2)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    add_heading_cn(doc, "争议事项", 1, number=1)
    body(
        doc,
        "申请人{{ applicant_display }}与被申请人{{ respondent_names }}因{{ case.dispute_type }}争议，"
        "于{{ case.received_on }}向{{ org.self_ref }}申请调解，{{ org.self_ref }}于{{ case.accepted_on }}受理。"
        "申请人的调解请求：",
    )
    tag(doc, "{%p for c in claims %}")
    body(doc, "{{ c.line }}")
    tag(doc, "{%p endfor %}")
    body(doc, "经{{ org.self_ref }}调解，双方当事人自愿达成如下协议：")
    add_heading_cn(doc, "协议内容", 1, number=2)
    tag(doc, "{%p for t in agreement.terms %}")
    body(doc, "{{ t }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if agreement.payment_clause %}")
    body(doc, "{{ agreement.payment_clause }}")
    tag(doc, "{%p endif %}")
    body(
        doc,
        "本协议自双方当事人签名或者盖章、调解员签名并加盖调解组织印章之日起生效。"
        "本协议一式三份，双方当事人各执一份，{{ org.self_ref }}留存一份，具有同等效力。",
    )
    add_heading_cn(doc, "告知事项", 1, number=3)
    body(doc, "{{ agreement.notice_clause }}")
    add_blank_line(doc)
    signature_table(
        doc,
        [
            ("申请人（签名或按指印）：", "{{ blank_date }}"),
            ("被申请人（盖章）：", ""),
            ("法定代表人或委托代理人（签名）：", "{{ blank_date }}"),
            ("调解员（签名）：", "{{ blank_date }}"),
        ],
        widths_mm=(100, 56),
    )
    signature(doc, "{{ org.name }}", "{{ agreement.signed_on }}")


def rejection_notice(doc) -> None:
    """不予受理通知书 + 送达回证 (forms.md §6.7)."""
    add_title(doc, "不予受理通知书", blank_before=False, blank_after=False)
    case_number_line(doc)
    line(doc, "{{ applicant_names }}：")
    body(
        doc,
        "{{ applicant_you }}于{{ case.received_on }}向{{ org.self_ref }}提出的与{{ respondent_names }}之间的"
        "{{ case.dispute_type }}争议调解申请，经审查，{{ rejection.reason }}。{{ org.self_ref }}决定不予受理。",
    )
    body(
        doc,
        "如对该劳动人事争议仍有异议，{{ applicant_you }}可以自知道或者应当知道其权利被侵害之日起一年内，"
        "依法向有管辖权的劳动人事争议仲裁委员会申请仲裁。",
    )
    body(doc, "特此通知。")
    signature(doc, "{{ org.name }}", "{{ rejection.notice_on }}")
    delivery_receipt(doc, "不予受理通知书", "applicant_recipients")


def termination_notice(doc) -> None:
    """终止调解通知书 + 送达回证 for both parties (forms.md §6.7)."""
    add_title(doc, "终止调解通知书", blank_before=False, blank_after=False)
    case_number_line(doc)
    line(doc, "申请人{{ applicant_names }}、被申请人{{ respondent_names }}：")
    body(
        doc,
        "申请人{{ applicant_display }}与被申请人{{ respondent_names }}因{{ case.dispute_type }}争议，"
        "于{{ case.received_on }}向{{ org.self_ref }}申请调解，{{ org.self_ref }}于{{ termination.accepted_on }}受理。"
        "{{ termination.because }}，{{ org.self_ref }}决定于{{ termination.closed_on }}终止调解。",
    )
    body(
        doc,
        "当事人可以自知道或者应当知道其权利被侵害之日起一年内，依法向有管辖权的劳动人事争议仲裁委员会申请仲裁。",
    )
    body(doc, "特此通知。")
    signature(doc, "{{ org.name }}", "{{ termination.closed_on }}")
    delivery_receipt(doc, "终止调解通知书")


def return_visit(doc) -> None:
    """回访记录 (forms.md §6.8)."""
    add_title(doc, "劳动人事争议调解回访记录", blank_before=False, blank_after=False)
    line(doc, "调解组织：{{ org.name }}")
    w = [34, 44, 34, 44]
    form_table(
        doc,
        w,
        [
            [C("案号", 1, "label"), C("{{ case.no }}", 3, "value")],
            [C("申请人", 1, "label"), C("{{ applicant_display }}", 3, "value")],
            [C("被申请人", 1, "label"), C("{{ respondent_names }}", 3, "value")],
            [C("协议金额", 1, "label"), C("{{ agreement_amount }}", 3, "value")],
            [
                C("履行期限", 1, "label"),
                C("{{ agreement_deadline }}", 1, "center"),
                C("结案日期", 1, "label"),
                C("{{ case.closed_on }}", 1, "center"),
            ],
            [C("调解员", 1, "label"), C("{{ mediators_text }}", 3, "value")],
            [
                C("回访时间", 1, "label"),
                C("{{ v.date }}", 1, "center"),
                C("回访人", 1, "label"),
                C("{{ v.visitor }}", 1, "center"),
            ],
            [C("回访方式", 1, "label"), C("{{ v.way_boxes }}", 3, "value")],
            [C("回访对象", 1, "label"), C("{{ v.target }}", 3, "value")],
            [C("履行情况", 1, "label"), C("{{ v.perf_status }}", 3, "value")],
            [C("当事人满意度", 1, "label"), C("{{ v.satisfaction_boxes }}", 3, "value")],
            (40, [C("当事人意见", 1, "label"), C("{{ v.feedback }}", 3, "text")]),
            [C("后续措施", 1, "label"), C("{{ v.follow_up }}", 3, "value")],
            (
                22,
                [
                    C("回访人签名", 1, "label"),
                    C("", 1, "value"),
                    C("日期", 1, "label"),
                    C("{{ v.date }}", 1, "center"),
                ],
            ),
        ],
    )


BUILDERS = {
    "case-acceptance-form.docx": acceptance_form,
    "case-oral-application.docx": oral_application,
    "case-mediation-record.docx": mediation_record,
    "case-agreement.docx": agreement,
    "case-rejection-notice.docx": rejection_notice,
    "case-termination-notice.docx": termination_notice,
    "case-return-visit.docx": return_visit,
}


def build(name: str, out_dir: Path) -> Path:
    doc = new_document()
    add_paragraph_styles(doc)
    BUILDERS[name](doc)
    props = doc.core_properties
    props.created = props.modified = FIXED_TIME
    props.title = TEMPLATES[name]
    props.comments = "调解工作台文书模板（PROPOSED 版式，可在 Word/WPS 中修改；双花括号内为数据占位符）"
    return _stable_zip(save_docx(doc, out_dir / name))


def _stable_zip(path: Path) -> Path:
    """Rewrite the .docx with fixed member timestamps, so that regenerating an unchanged template gives
    the same bytes (no spurious changes in version control)."""
    with zipfile.ZipFile(path) as zin:
        members = [(info, zin.read(info)) for info in zin.infolist()]
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in members:
            fixed = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            zout.writestr(fixed, data)
    tmp.replace(path)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "resources" / "templates")
    parser.add_argument("names", nargs="*", help="only these templates (file names)")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name in args.names or BUILDERS:
        path = build(name, args.out)
        print(f"wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
