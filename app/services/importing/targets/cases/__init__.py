"""Target ``cases``: 调解案件, from the case-ledger export (forms.md §6.9) or an office's own 台账.

Historic cases arrive in every state (closed, archived, rejected …): the state follows from the columns
(受理结果, 结案日期 and 结案方式, 卷宗号), the due date is the file's 调解截止日 (else computed like the case
service does), and the agreement, performance and return visit are recorded from their columns.

A row matches a case already in the database by 记录标识, else by case number in the same organization,
else by the applicant's ID number and the received date. ID numbers and phones masked by the export are
never written: a new case gets none, an existing case keeps its full number (a disagreement is reported).
The 备注 of the export also carries 延期原因, 仲裁案号, 回访 and 归档日期; they are read back into their fields.
The 调解组织 column names each row's organization (the wizard's choice only fills rows that name none).

Open cases: a blank 结案方式, or one of the editable open-case words (调解中, 在办, 未结 …;
:mod:`app.services.importing.open_words`), means not closed; 受理 is inferred from a mediator or a 调解日期 (which
also becomes a session on record). A case repeated in the file (same 记录标识, case number, ID number and date,
or parties and date) is imported once, the later row reported 「…与第N行重复」.

Every applicant is read: 「张三、李四」 in 申请人, and the hidden 其他申请人 columns of the export (:mod:`.applicants`);
an applicant the database has and the file leaves out is kept and reported, never removed.

The package: :mod:`.applicants` (the list of applicants of a row, compared with the database's),
:mod:`.fields` (columns, keyword tables, compound-column readers), :mod:`.checking` (prepare and
one row), :mod:`.matching` (resolve against the database), :mod:`.inserting` (write; new cases in bulk),
:mod:`.updating` (the ORM update of one case) and :mod:`.target` (:class:`CaseTarget` and ``TARGET``). The
modules import :mod:`.fields` and the lower import modules, never each other in a circle; this ``__init__``
only re-exports.
"""

from app.services.importing.targets.cases.fields import (
    AUTO_MEDIATOR_NOTE,
    CLOSE_FUZZY,
    DISPUTE_FUZZY,
    FIELDS,
    FORMATS,
    LABELS,
    MODE_FUZZY,
    PARTY_KEYS,
    PERF_FUZZY,
    SOURCE_FUZZY,
    SUCCESS,
    diffs_needed,
)
from app.services.importing.targets.cases.target import TARGET, CaseTarget

__all__ = [
    "AUTO_MEDIATOR_NOTE",
    "CLOSE_FUZZY",
    "DISPUTE_FUZZY",
    "FIELDS",
    "FORMATS",
    "LABELS",
    "MODE_FUZZY",
    "PARTY_KEYS",
    "PERF_FUZZY",
    "SOURCE_FUZZY",
    "SUCCESS",
    "TARGET",
    "CaseTarget",
    "diffs_needed",
]
