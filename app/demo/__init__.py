"""Realistic, deterministic demo data (演示数据) for trying the app, training and benchmarks.

``generate_demo(session_factory, seed=1, cases=2000)`` fills an empty database with Tianjin-flavoured data
spread over the three years up to ``today``: eight mediation organizations of different kinds with their
mediators and trainings, about 300 enterprises, 25 young-arbitrator volunteers with their contacted
enterprises, service records (about 15 % of volunteer-quarters left without service, as in real life) and
satisfaction surveys, and ``cases`` mediation cases in every state of the workflow (domain.md §3) with
parties, claims, mediators, sessions, agreements, performance, return visits and archive numbers.

Everything is drawn from ``random.Random`` streams derived from ``seed`` (UUIDs included), so the same
seed, case count and ``today`` give the same rows; only the server-side timestamps of a few tables differ.
ID numbers (GB 11643) and unified social credit codes (GB 32100) carry correct check characters from
:mod:`app.services.validation` (the one home of those rules); dates in Chinese come from
:func:`app.services.formatting.format_date_cn` and each case's search text from
:func:`db.sortkeys.search_text`.

Cases and their child rows are written with SQLAlchemy Core ``insert(table)`` executemany in batches of
5,000 cases, with explicit integer keys, inside one transaction (all or nothing); 100,000 cases take well
under a minute. ``PRAGMA synchronous`` is lowered for the load and restored afterwards.

The package holds :mod:`.words` (word lists, the fixed cast of organizations), :mod:`.common` (summary, row
writer, helpers, people generator), the generator parts :mod:`.directory` (enterprises, organizations,
mediators), :mod:`.volunteering`, :mod:`.timeline` (cases, pass 1) and :mod:`.cases` (pass 2), and
:mod:`.builder` (:func:`generate_demo`). It may import app.services, app.core and db; it is imported only
by app.cli, the tests and the benchmarks.
"""

from app.demo.builder import generate_demo
from app.demo.common import BATCH_CASES, DemoSummary, ProgressFn
from app.demo.words import SYSTEM_KEYS, USCC_CHARS
from app.services.validation import id_check_char, uscc_check_char
from app.services.validation import org_code_check_char as _org_code_check

__all__ = [
    "BATCH_CASES",
    "SYSTEM_KEYS",
    "USCC_CHARS",
    "DemoSummary",
    "ProgressFn",
    "_org_code_check",
    "generate_demo",
    "id_check_char",
    "uscc_check_char",
]
