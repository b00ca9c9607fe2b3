"""Validation and normalisation of user input (no Qt, no database).

Every check either returns a clean value or raises :class:`ValidationError`, whose
``message`` is a complete Chinese sentence that names the field, so the UI and the
importers can show it as it is.  Warnings (things that are probably fine but worth a
look) are returned inside the result objects, never raised.

Algorithms and test vectors: forms.md §11 (GB 11643 身份证号, GB 32100 统一社会信用代码,
phones), domain.md §8 (dates, amounts).  Amounts are handled as integer 分 (fen) and
parsed with :mod:`decimal` only — never with float arithmetic.

The package: :mod:`.text` (:class:`ValidationError`, normalisation; the base every other module imports),
:mod:`.ids` (身份证号), :mod:`.credit_codes` (统一社会信用代码, 组织机构代码), :mod:`.phones`, :mod:`.dates`,
:mod:`.numbers` (amounts, integers), :mod:`.bools` and :mod:`.masking`.  This ``__init__`` only re-exports.
Outside the package it may import only the standard library and :mod:`app.services.formatting` (no Qt, no
SQLAlchemy: the first window and the importers load it early).
"""

from app.services.validation.bools import parse_bool, parse_bool_optional
from app.services.validation.credit_codes import (
    CREDIT_CATEGORIES,
    CREDIT_DEPARTMENTS,
    CreditCodeInfo,
    check_credit_code,
    credit_code_check_char,
    employer_type_from_credit_code,
    org_code_check_char,
    uscc_check_char,
)
from app.services.validation.dates import (
    MAX_YEAR,
    MIN_YEAR,
    check_date_order,
    excel_serial_to_date,
    parse_date,
    parse_date_optional,
)
from app.services.validation.ids import (
    MAX_PLAUSIBLE_AGE,
    MIN_WORKING_AGE,
    PROVINCE_CODES,
    IdNumberInfo,
    age_on,
    check_id_number,
    id_check_char,
)
from app.services.validation.masking import mask_id_number, mask_phone
from app.services.validation.numbers import (
    MAX_AMOUNT_YUAN,
    parse_amount,
    parse_amount_optional,
    parse_int,
    parse_int_optional,
)
from app.services.validation.phones import check_phone
from app.services.validation.text import ValidationError, limited_text, long_text, normalize_text, short_text

__all__ = [
    "ValidationError",
    "normalize_text",
    "short_text",
    "long_text",
    "limited_text",
    "IdNumberInfo",
    "id_check_char",
    "check_id_number",
    "age_on",
    "MIN_WORKING_AGE",
    "MAX_PLAUSIBLE_AGE",
    "CreditCodeInfo",
    "CREDIT_CATEGORIES",
    "CREDIT_DEPARTMENTS",
    "credit_code_check_char",
    "uscc_check_char",
    "org_code_check_char",
    "check_credit_code",
    "employer_type_from_credit_code",
    "check_phone",
    "excel_serial_to_date",
    "parse_date",
    "parse_date_optional",
    "check_date_order",
    "MIN_YEAR",
    "MAX_YEAR",
    "parse_amount",
    "parse_amount_optional",
    "MAX_AMOUNT_YUAN",
    "parse_int",
    "parse_int_optional",
    "parse_bool",
    "parse_bool_optional",
    "mask_id_number",
    "mask_phone",
    "PROVINCE_CODES",
]
