"""Tests for app.services.validation (forms.md §11, domain.md §8)."""

from __future__ import annotations

import pickle
import random
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal

import pytest

from app.services.validation import (
    CreditCodeInfo,
    IdNumberInfo,
    ValidationError,
    age_on,
    check_credit_code,
    check_date_order,
    check_id_number,
    check_phone,
    credit_code_check_char,
    employer_type_from_credit_code,
    excel_serial_to_date,
    id_check_char,
    mask_id_number,
    mask_phone,
    normalize_text,
    org_code_check_char,
    parse_amount,
    parse_amount_optional,
    parse_bool,
    parse_bool_optional,
    parse_date,
    parse_date_optional,
    parse_int,
    parse_int_optional,
)

TODAY = date(2025, 6, 15)


# ---------------------------------------------------------------------------
# Independent reference implementations (written from the standards' definitions,
# not from the module's tables) used to generate extra valid numbers.
# ---------------------------------------------------------------------------


def ref_id_check(first17: str) -> str:
    # GB 11643: W_i = 2^(17-i) mod 11 over positions i = 0..16; check value
    # a18 satisfies (S + a18) ≡ 1 (mod 11), i.e. a18 = (12 - S mod 11) mod 11, 10 → X.
    s = sum(int(c) * (2 ** (17 - i) % 11) for i, c in enumerate(first17))
    v = (12 - s % 11) % 11
    return "X" if v == 10 else str(v)


def make_id(address: str, birth: str, seq: str) -> str:
    body = address + birth + seq
    assert len(body) == 17
    return body + ref_id_check(body)


USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def ref_uscc_check(first17: str) -> str:
    s = sum(USCC_CHARSET.index(c) * (3**i % 31) for i, c in enumerate(first17))
    return USCC_CHARSET[(31 - s % 31) % 31]


def ref_org_check(body8: str) -> str:
    weights = [3, 7, 9, 10, 5, 8, 4, 2]
    vals = [int(c) if c.isdigit() else ord(c) - 55 for c in body8]
    c9 = 11 - sum(v * w for v, w in zip(vals, weights, strict=True)) % 11
    return {10: "X", 11: "0"}.get(c9, str(c9))


def make_uscc(prefix2: str, region: str, org8: str, *, good_org: bool = True) -> str:
    org9 = org8 + ref_org_check(org8)
    if not good_org:
        # a different digit that is still a legal USCC character
        org9 = org8 + ("1" if org9[-1] != "1" else "2")
    body = prefix2 + region + org9
    assert len(body) == 17
    return body + ref_uscc_check(body)


def test_reference_implementations_agree_with_spec_vectors():
    assert ref_id_check("11010519491231002") == "X"
    assert ref_id_check("44052418800101001") == "4"
    assert ref_uscc_check("91350100M000100Y4") == "3"
    assert ref_org_check("M000100Y") == "4"


# ---------------------------------------------------------------------------
# ValidationError, normalize_text
# ---------------------------------------------------------------------------


def test_validation_error_attributes():
    err = ValidationError("身份证号", "身份证号：校验位错误，应为 X")
    assert isinstance(err, ValueError)
    assert err.field == "身份证号"
    assert err.message == "身份证号：校验位错误，应为 X"
    assert str(err) == err.message
    clone = pickle.loads(pickle.dumps(err))
    assert (clone.field, clone.message, str(clone)) == (err.field, err.message, str(err))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  abc  ", "abc"),
        ("ａｂｃ１２３", "abc123"),
        ("ＡＢＣ", "ABC"),
        ("１２，３４５．６７", "12,345.67"),
        ("张\u3000三", "张 三"),
        ("a  \t\n b", "a b"),
        ("\u3000\u3000前后\u3000", "前后"),
        ("（备注）：＋－", "(备注):+-"),
        ("中文不变", "中文不变"),
        (123, "123"),
        ("a\u00a0b", "a b"),
    ],
)
def test_normalize_text(raw, expected):
    assert normalize_text(raw) == expected


# ---------------------------------------------------------------------------
# 身份证号
# ---------------------------------------------------------------------------


def test_id_spec_vector_standard_example():
    info = check_id_number("11010519491231002X", today=TODAY)
    assert isinstance(info, IdNumberInfo)
    assert info.number == "11010519491231002X"
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "女"  # sequence 002 is even
    assert info.province_code == "11"
    assert info.address_code == "110105"
    assert info.province_name == "北京市"
    assert info.warnings == ()


def test_id_spec_vector_1880_needs_lower_birth_floor():
    # 440524188001010014 is the standard's own example; its checksum is valid, but the
    # person was born in 1880, so the default 1900 floor rejects it.
    assert id_check_char("44052418800101001") == "4"
    info = check_id_number("440524188001010014", today=TODAY, min_birth_year=1800)
    assert info.birth_date == date(1880, 1, 1)
    assert info.gender == "男"
    assert info.province_code == "44"
    assert any("超过100周岁" in w for w in info.warnings)
    with pytest.raises(ValidationError) as exc:
        check_id_number("440524188001010014", today=TODAY)
    assert "身份证号" in exc.value.message and "1900" in exc.value.message


def test_id_spec_vector_bad_check_digit_says_expected_char():
    with pytest.raises(ValidationError) as exc:
        check_id_number("110105194912310021", today=TODAY)
    err = exc.value
    assert err.field == "身份证号"
    assert err.message.startswith("身份证号：")
    assert "校验位错误" in err.message
    assert "应为 X" in err.message


def test_id_check_char_rejects_bad_input():
    for bad in ("", "1234", "1101051949123100X", "110105194912310021"):
        with pytest.raises(ValueError):
            id_check_char(bad)


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 11010519491231002X ",
        "110105 19491231 002X",
        "１１０１０５１９４９１２３１００２Ｘ",
        "１１０１０５１９４９１２３１００２ｘ",
        "110105\u300019491231\u3000002X",
    ],
)
def test_id_accepts_lowercase_fullwidth_and_spaces(raw):
    assert check_id_number(raw, today=TODAY).number == "11010519491231002X"


def test_id_15_digit_is_converted_with_warning():
    info = check_id_number("110105491231002", today=TODAY)
    assert info.number == "11010519491231002X"
    assert info.birth_date == date(1949, 12, 31)
    assert info.gender == "女"
    assert len(info.warnings) == 1
    assert "15位" in info.warnings[0] and "11010519491231002X" in info.warnings[0]


def test_id_15_digit_male_and_bad_date():
    info = check_id_number("370303800101031", today=TODAY)
    assert info.number == make_id("370303", "19800101", "031")
    assert info.gender == "男"
    with pytest.raises(ValidationError, match="不是有效日期"):
        check_id_number("370303800230031", today=TODAY)


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("   ", "不能为空"),
        ("1101051949123100", "18位"),
        ("1101051949123100211", "18位"),
        ("11010519491231", "现在是14位"),
        ("11010519491231002A", "只能由数字组成"),
        ("1101051949-231002X", "只能由数字组成"),
        ("身份证号码", "只能由数字组成"),
        ("1101051949X231002X", "最后一位"),
        ("11010549123100X", "最后一位"),
    ],
)
def test_id_format_errors(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        check_id_number(raw, today=TODAY)
    assert exc.value.field == "身份证号"
    assert exc.value.message.startswith("身份证号：")
    assert fragment in exc.value.message


@pytest.mark.parametrize(
    "province",
    [
        "00",
        "10",
        "16",
        "20",
        "24",
        "30",
        "38",
        "40",
        "47",
        "55",
        "60",
        "66",
        "70",
        "72",
        "80",
        "84",
        "90",
        "99",
    ],
)
def test_id_invalid_province_rejected(province):
    number = make_id(province + "0101", "19900101", "123")
    with pytest.raises(ValidationError) as exc:
        check_id_number(number, today=TODAY)
    assert "身份证号" in exc.value.message
    assert province in exc.value.message
    assert "省级" in exc.value.message


@pytest.mark.parametrize(
    "province",
    ["11", "12", "15", "21", "23", "31", "37", "41", "46", "50", "54", "61", "65", "71", "81", "82"],
)
def test_id_valid_provinces_accepted_and_unknown_county_not_checked(province):
    # "9999" is not a real prefecture/county code: only the province is checked.
    number = make_id(province + "9999", "19900101", "123")
    info = check_id_number(number, today=TODAY)
    assert info.province_code == province
    assert info.address_code == province + "9999"


@pytest.mark.parametrize(
    "birth", ["19900230", "19901301", "19900001", "19900100", "19000229", "20230229", "19991231"[:6] + "32"]
)
def test_id_impossible_birth_date(birth):
    number = make_id("120101", birth, "011")
    with pytest.raises(ValidationError) as exc:
        check_id_number(number, today=TODAY)
    assert "身份证号" in exc.value.message
    assert "出生日期" in exc.value.message and "不是有效日期" in exc.value.message


def test_id_residence_permit_prefixes_accepted():
    # 港澳台居民居住证 use 810000 / 820000 / 830000 and the same checksum (forms.md §11.1)
    for address, name in [("810000", "香港"), ("820000", "澳门"), ("830000", "台湾")]:
        info = check_id_number(make_id(address, "19900101", "123"), today=TODAY)
        assert info.address_code == address and name in info.province_name


def test_id_leap_day_birth_is_valid():
    info = check_id_number(make_id("120101", "20000229", "011"), today=TODAY)
    assert info.birth_date == date(2000, 2, 29)


def test_id_future_birth_date_rejected():
    number = make_id("120101", "20250616", "011")
    with pytest.raises(ValidationError) as exc:
        check_id_number(number, today=TODAY)
    assert "晚于今天" in exc.value.message and "身份证号" in exc.value.message
    # born today is not in the future
    assert check_id_number(make_id("120101", "20250615", "011"), today=TODAY).birth_date == TODAY


def test_id_minor_gets_warning_not_error():
    info = check_id_number(make_id("370303", "20100101", "022"), today=TODAY)
    assert info.birth_date == date(2010, 1, 1)
    assert any("未满16周岁" in w for w in info.warnings)
    adult = check_id_number(make_id("370303", "20090615", "022"), today=TODAY)  # exactly 16
    assert adult.warnings == ()


def test_id_gender_from_sequence_parity():
    for seq, gender in [
        ("001", "男"),
        ("002", "女"),
        ("019", "男"),
        ("990", "女"),
        ("555", "男"),
        ("000", "女"),
    ]:
        assert check_id_number(make_id("120104", "19850512", seq), today=TODAY).gender == gender


def test_id_custom_field_label_in_messages():
    with pytest.raises(ValidationError) as exc:
        check_id_number("110105194912310021", field="申请人身份证号", today=TODAY)
    assert exc.value.field == "申请人身份证号"
    assert exc.value.message.startswith("申请人身份证号：")


def test_id_generated_numbers_every_wrong_check_char_rejected():
    rng = random.Random(20240506)
    provinces = ["11", "12", "13", "31", "37", "44", "50", "65"]
    for _ in range(60):
        birth = date(1950, 1, 1).toordinal() + rng.randrange(0, 365 * 60)
        birth_s = date.fromordinal(birth).strftime("%Y%m%d")
        address = rng.choice(provinces) + f"{rng.randrange(0, 10000):04d}"
        seq = f"{rng.randrange(0, 1000):03d}"
        good = make_id(address, birth_s, seq)
        info = check_id_number(good, today=TODAY)
        assert info.number == good
        assert info.birth_date == date.fromordinal(birth)
        for wrong in "0123456789X":
            if wrong == good[-1]:
                continue
            with pytest.raises(ValidationError, match=f"应为 {good[-1]}"):
                check_id_number(good[:-1] + wrong, today=TODAY)


def test_id_single_digit_typo_is_always_detected():
    good = "11010519491231002X"
    for i in range(17):
        for d in "0123456789":
            if d == good[i]:
                continue
            typo = good[:i] + d + good[i + 1 :]
            with pytest.raises(ValidationError):
                check_id_number(typo, today=TODAY)


# ---------------------------------------------------------------------------
# age_on
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "on", "age"),
    [
        (date(1990, 5, 6), date(2024, 5, 5), 33),
        (date(1990, 5, 6), date(2024, 5, 6), 34),
        (date(1990, 5, 6), date(2024, 12, 31), 34),
        (date(2000, 2, 29), date(2023, 2, 28), 22),
        (date(2000, 2, 29), date(2023, 3, 1), 23),
        (date(2000, 2, 29), date(2024, 2, 29), 24),
        (date(2024, 1, 1), date(2024, 1, 1), 0),
        (date(2008, 6, 16), date(2024, 6, 15), 15),
        (date(2008, 6, 15), date(2024, 6, 15), 16),
    ],
)
def test_age_on(birth, on, age):
    assert age_on(birth, on) == age


def test_age_on_accepts_datetime():
    assert age_on(datetime(1990, 5, 6, 23, 0), datetime(2024, 5, 6, 0, 1)) == 34


# ---------------------------------------------------------------------------
# 统一社会信用代码
# ---------------------------------------------------------------------------


def test_credit_code_spec_vector():
    info = check_credit_code("91350100M000100Y43")
    assert isinstance(info, CreditCodeInfo)
    assert info.code == "91350100M000100Y43"
    assert info.registration_dept == "工商/市场监管"
    assert info.category == "企业"
    assert info.region_code == "350100"
    assert info.org_code == "M000100Y4"
    assert info.warnings == ()
    assert credit_code_check_char("91350100M000100Y4") == "3"
    assert org_code_check_char("M000100Y") == "4"


@pytest.mark.parametrize(
    "raw",
    [
        "91350100m000100y43",
        " 91350100M000100Y43 ",
        "9135 0100 M000 100Y 43",
        "９１３５０１００Ｍ０００１００Ｙ４３",
    ],
)
def test_credit_code_normalisation(raw):
    assert check_credit_code(raw).code == "91350100M000100Y43"


def test_credit_code_bad_check_char_says_expected():
    with pytest.raises(ValidationError) as exc:
        check_credit_code("91350100M000100Y44")
    err = exc.value
    assert err.field == "统一社会信用代码"
    assert err.message.startswith("统一社会信用代码：")
    assert "校验位错误" in err.message and "应为 3" in err.message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100Y433", "现在是19位"),
        ("91350100M000100I43", "I"),
        ("91350100O000100Y43", "O"),
        ("91350100S000100Y43", "S"),
        ("91350100V000100Y43", "V"),
        ("91350100Z000100Y43", "Z"),
        ("91350100M0001-0Y43", "-"),
        ("91350100M00010中Y43", "中"),
    ],
)
def test_credit_code_format_errors(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        check_credit_code(raw, field="用人单位代码")
    assert exc.value.field == "用人单位代码"
    assert exc.value.message.startswith("用人单位代码：")
    assert fragment in exc.value.message


@pytest.mark.parametrize(
    ("prefix", "dept", "category", "employer_type"),
    [
        ("91", "工商/市场监管", "企业", "企业"),
        ("92", "工商/市场监管", "个体工商户", "个体工商户"),
        ("93", "工商/市场监管", "农民专业合作社", "农民专业合作社"),
        ("11", "机构编制", "机关", "机关"),
        ("12", "机构编制", "事业单位", "事业单位"),
        ("13", "机构编制", "群众团体", "其他"),
        ("51", "民政", "社会团体", "社会团体"),
        ("52", "民政", "民办非企业单位", "民办非企业单位"),
        ("53", "民政", "基金会", "基金会"),
        ("35", "司法行政", "仲裁委员会", "其他"),
        ("81", "工会", "基层工会", "其他"),
        ("N2", "农业", "村级集体经济组织", "其他"),
        ("Y1", "其他", "其他", "其他"),
    ],
)
def test_credit_code_categories(prefix, dept, category, employer_type):
    code = make_uscc(prefix, "120101", "MA05L3K7")
    info = check_credit_code(code)
    assert info.registration_dept == dept
    assert info.category == category
    assert info.region_code == "120101"
    assert info.org_code == "MA05L3K7" + ref_org_check("MA05L3K7")
    assert info.warnings == ()
    assert employer_type_from_credit_code(code) == employer_type


def test_credit_code_bad_inner_org_code_is_warning_only():
    code = make_uscc("92", "370303", "L1234567", good_org=False)
    info = check_credit_code(code)
    assert info.category == "个体工商户"
    assert len(info.warnings) == 1
    assert "组织机构代码" in info.warnings[0]
    assert "统一社会信用代码" in info.warnings[0]


def test_credit_code_region_and_unknown_codes_are_warnings():
    info = check_credit_code(make_uscc("91", "990000", "12345678"))
    assert any("行政区划码" in w for w in info.warnings)
    assert check_credit_code(make_uscc("11", "100000", "12345678")).warnings == ()  # national level
    info = check_credit_code(make_uscc("B1", "120101", "12345678"))
    assert info.registration_dept == "未知" and info.category == "其他"
    assert any("登记管理部门码" in w for w in info.warnings)
    info = check_credit_code(make_uscc("94", "120101", "12345678"))
    assert info.category == "其他"
    assert any("机构类别码" in w for w in info.warnings)


def test_credit_code_generated_every_wrong_check_char_rejected():
    rng = random.Random(32100)
    org_chars = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    for _ in range(40):
        prefix = rng.choice(["91", "92", "12", "52"])
        region = rng.choice(["120101", "120116", "370303", "110105", "440300"])
        org8 = "".join(rng.choice(org_chars) for _ in range(8))
        code = make_uscc(prefix, region, org8)
        assert check_credit_code(code).code == code
        for wrong in USCC_CHARSET:
            if wrong != code[-1]:
                with pytest.raises(ValidationError, match=f"应为 {code[-1]}"):
                    check_credit_code(code[:-1] + wrong)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("91350100M000100Y43", "企业"),
        ("92120101MA05L3K7XX", "个体工商户"),
        ("93xxxx", "农民专业合作社"),
        ("11", "机关"),
        ("12110000400000000X", "事业单位"),
        ("51", "社会团体"),
        ("52", "民办非企业单位"),
        ("53", "基金会"),
        ("59", "其他"),
        ("31", "其他"),
        ("Y1", "其他"),
        ("", "其他"),
        (None, "其他"),
        ("９２１２", "个体工商户"),
    ],
)
def test_employer_type_from_credit_code(code, expected):
    assert employer_type_from_credit_code(code) == expected


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("19912345678", "19912345678"),
        ("138 1234 5678", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("86-13812345678", "13812345678"),
        ("8613812345678", "13812345678"),
        ("008613812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),
        ("＋８６　１３８１２３４５６７８", "13812345678"),
        ("022-12345678", "022-12345678"),
        ("02212345678", "02212345678"),
        ("0533-1234567", "0533-1234567"),
        ("0533-12345678", "0533-12345678"),
        ("010-12345678-123", "010-12345678-123"),
        ("０２２－１２３４５６７８", "022-12345678"),
        ("022—12345678", "022-12345678"),
        ("(022)12345678", "022-12345678"),
        ("（022）12345678", "022-12345678"),
        (" 022 - 12345678 ", "022-12345678"),
    ],
)
def test_check_phone_valid(raw, expected):
    assert check_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        (None, "不能为空"),
        ("12812345678", "第二位"),
        ("10012345678", "第二位"),
        ("1381234567", "格式不正确"),
        ("138123456789", "格式不正确"),
        ("12345678", "格式不正确"),
        ("22-12345678", "格式不正确"),
        ("022-123456", "格式不正确"),
        ("022-123456789", "格式不正确"),
        ("010-12345678-1234567", "格式不正确"),
        ("abc", "格式不正确"),
        ("+1 4155550100", "格式不正确"),
    ],
)
def test_check_phone_invalid(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        check_phone(raw)
    assert exc.value.field == "联系电话"
    assert exc.value.message.startswith("联系电话：")
    assert fragment in exc.value.message


def test_check_phone_custom_label():
    with pytest.raises(ValidationError) as exc:
        check_phone("123", field="手机号码")
    assert exc.value.message.startswith("手机号码：")


# ---------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (date(2023, 3, 9), date(2023, 3, 9)),
        (datetime(2023, 3, 9, 14, 30), date(2023, 3, 9)),
        ("2023-03-09", date(2023, 3, 9)),
        ("2023-3-9", date(2023, 3, 9)),
        ("2023年3月9日", date(2023, 3, 9)),
        ("2023年03月09日", date(2023, 3, 9)),
        ("2023年3月9号", date(2023, 3, 9)),
        ("2023年3月9", date(2023, 3, 9)),
        ("2023.3.9", date(2023, 3, 9)),
        ("2023.03.09", date(2023, 3, 9)),
        ("2023/03/09", date(2023, 3, 9)),
        ("2023/3/9", date(2023, 3, 9)),
        ("20230309", date(2023, 3, 9)),
        ("２０２３年３月９日", date(2023, 3, 9)),
        ("２０２３－０３－０９", date(2023, 3, 9)),
        ("２０２３．３．９", date(2023, 3, 9)),
        ("  2023 年 3 月 9 日 ", date(2023, 3, 9)),
        ("2023 - 03 - 09", date(2023, 3, 9)),
        ("\u30002023-03-09\u3000", date(2023, 3, 9)),
        ("2023-03-09 00:00:00", date(2023, 3, 9)),
        ("2023-03-09T14:30:00", date(2023, 3, 9)),
        ("2023/3/9 0:00", date(2023, 3, 9)),
        ("2023年3月9日 14:30", date(2023, 3, 9)),
        ("2024-02-29", date(2024, 2, 29)),
        (45000, date(2023, 3, 15)),
        (45000.0, date(2023, 3, 15)),
        (45000.75, date(2023, 3, 15)),
        (Decimal("45000"), date(2023, 3, 15)),
        ("45000", date(2023, 3, 15)),
        ("４５０００", date(2023, 3, 15)),
        ("45000.5", date(2023, 3, 15)),
        (36526, date(2000, 1, 1)),
        (43831, date(2020, 1, 1)),
        (44927, date(2023, 1, 1)),
        (20230309, date(2023, 3, 9)),
        (20230309.0, date(2023, 3, 9)),
    ],
)
def test_parse_date_accepts(raw, expected):
    result = parse_date(raw, "受理日期")
    assert result == expected
    assert type(result) is date


@pytest.mark.parametrize(
    ("serial", "expected"),
    [
        (1, date(1900, 1, 1)),
        (2, date(1900, 1, 2)),
        (31, date(1900, 1, 31)),
        (59, date(1900, 2, 28)),
        (61, date(1900, 3, 1)),
        (62, date(1900, 3, 2)),
        (366, date(1900, 12, 31)),
        (367, date(1901, 1, 1)),
        (36526, date(2000, 1, 1)),
        (45000, date(2023, 3, 15)),
        (45000.999, date(2023, 3, 15)),
        (2958465, date(9999, 12, 31)),
    ],
)
def test_excel_serial_to_date(serial, expected):
    assert excel_serial_to_date(serial) == expected


@pytest.mark.parametrize("serial", [0, -1, 0.5, 60, 60.5])
def test_excel_serial_to_date_rejects(serial):
    with pytest.raises(ValueError):
        excel_serial_to_date(serial)


def test_parse_date_small_excel_serials_and_serial_60():
    assert parse_date(59) == date(1900, 2, 28)
    assert parse_date(61) == date(1900, 3, 1)
    with pytest.raises(ValidationError) as exc:
        parse_date(60, "出生日期")
    assert exc.value.message.startswith("出生日期：") and "1900年2月29日" in exc.value.message


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        ("", "不能为空"),
        ("   ", "不能为空"),
        (None, "不能为空"),
        ("2023-02-30", "日期不存在"),
        ("2023年2月29日", "日期不存在"),
        ("2023/13/01", "日期不存在"),
        ("20230230", "日期不存在"),
        (20231301, "日期不存在"),
        ("2023-3", "无法识别"),
        ("2023年3月", "无法识别"),
        ("23-3-9", "无法识别"),
        ("2023-03/09", "无法识别"),
        ("昨天", "无法识别"),
        ("abc", "无法识别"),
        ("1234", "无法识别"),
        ("9999", "无法识别"),
        ("123456", "无法识别"),
        ("45000.5.1", "无法识别"),
        (True, "无法识别"),
        (0, "超出范围"),
        (-5, "超出范围"),
        (100000, "超出范围"),
        (float("nan"), "无法识别"),
        ("1899-12-31", "超出合理范围"),
        ("2101-01-01", "超出合理范围"),
    ],
)
def test_parse_date_rejects(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        parse_date(raw, "结案日期")
    assert exc.value.field == "结案日期"
    assert exc.value.message.startswith("结案日期：")
    assert fragment in exc.value.message


def test_parse_date_default_label():
    with pytest.raises(ValidationError) as exc:
        parse_date("abc")
    assert exc.value.field == "日期" and exc.value.message.startswith("日期：")


def test_parse_date_future():
    assert parse_date("2025-06-16", today=TODAY) == date(2025, 6, 16)  # allowed by default
    assert parse_date("2025-06-15", "受理日期", allow_future=False, today=TODAY) == TODAY
    with pytest.raises(ValidationError) as exc:
        parse_date("2025年6月16日", "受理日期", allow_future=False, today=TODAY)
    assert exc.value.message.startswith("受理日期：")
    assert "2025年6月16日" in exc.value.message and "晚于今天" in exc.value.message
    # default today is the real date
    with pytest.raises(ValidationError):
        parse_date("2099-01-01", allow_future=False)


def test_parse_date_optional():
    assert parse_date_optional(None) is None
    assert parse_date_optional("") is None
    assert parse_date_optional("\u3000 ") is None
    assert parse_date_optional("2023.3.9") == date(2023, 3, 9)
    with pytest.raises(ValidationError, match="回访日期"):
        parse_date_optional("2023-02-30", "回访日期")
    with pytest.raises(ValidationError):
        parse_date_optional("2025-07-01", allow_future=False, today=TODAY)


def test_check_date_order():
    check_date_order(date(2024, 1, 1), date(2024, 1, 1), "受理日期", "结案日期")
    check_date_order(date(2024, 1, 1), date(2024, 2, 1), "受理日期", "结案日期")
    check_date_order(None, date(2024, 2, 1), "受理日期", "结案日期")
    check_date_order(date(2024, 1, 1), None, "受理日期", "结案日期")
    with pytest.raises(ValidationError) as exc:
        check_date_order(date(2024, 2, 1), date(2024, 1, 31), "受理日期", "结案日期")
    assert exc.value.field == "结案日期"
    assert exc.value.message == "结案日期不能早于受理日期"
    with pytest.raises(ValidationError):
        check_date_order(datetime(2024, 2, 1, 8), datetime(2024, 1, 31, 9), "申请日期", "受理日期")


# ---------------------------------------------------------------------------
# Amounts
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "fen"),
    [
        (0, 0),
        (12000, 1_200_000),
        (Decimal("12000.5"), 1_200_050),
        (Decimal("12000.50"), 1_200_050),
        (Decimal("0.01"), 1),
        (Decimal("12.500"), 1250),
        (0.1, 10),
        (0.07, 7),
        (1234.56, 123_456),
        (19.99, 1999),
        (1e6, 100_000_000),
        ("0", 0),
        ("0.00", 0),
        ("-0", 0),
        ("12000", 1_200_000),
        ("12,000.50", 1_200_050),
        ("1,234,567.89", 123_456_789),
        ("12000元", 1_200_000),
        ("12000.5元", 1_200_050),
        ("12,000.00 元", 1_200_000),
        ("￥1,234.5", 123_450),
        ("¥1234.5", 123_450),
        ("￥ 1 234.5", 123_450),
        ("人民币12000元", 1_200_000),
        ("RMB 100", 10_000),
        ("100 CNY", 10_000),
        ("１２，０００．５０", 1_200_050),
        ("１２０００元", 1_200_000),
        ("1.2万", 1_200_000),
        ("1.2万元", 1_200_000),
        ("3万", 3_000_000),
        ("0.5万元", 500_000),
        ("1.2345万", 1_234_500),
        ("1.234567万", 1_234_567),
        ("１．２万元", 1_200_000),
        (".5", 50),
        ("+100", 10_000),
        ("  88.8  ", 8880),
        (10**12, 10**14),
        ("1000000000000", 10**14),
    ],
)
def test_parse_amount_accepts(raw, fen):
    result = parse_amount(raw)
    assert result == fen
    assert type(result) is int


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (None, "不能为空"),
        ("", "不能为空"),
        ("  ", "不能为空"),
        (-1, "不能为负数"),
        ("-100", "不能为负数"),
        ("-0.01", "不能为负数"),
        (Decimal("-5"), "不能为负数"),
        (-0.5, "不能为负数"),
        ("12.345", "两位小数"),
        (Decimal("0.001"), "两位小数"),
        (0.1 + 0.2, "两位小数"),
        ("1.2345678万", "两位小数"),
        ("abc", "不是有效的金额"),
        ("12元5角", "不是有效的金额"),
        ("1,2", "不是有效的金额"),
        ("12,50", "不是有效的金额"),
        ("1,2345.00", "不是有效的金额"),
        ("12.", "不是有效的金额"),
        ("1e5", "不是有效的金额"),
        ("--5", "不是有效的金额"),
        ("五百元", "不是有效的金额"),
        ("1.2.3", "不是有效的金额"),
        (True, "不是有效的金额"),
        (float("nan"), "不是有效的金额"),
        (float("inf"), "不是有效的金额"),
        (Decimal("NaN"), "不是有效的金额"),
        (10**12 + 1, "过大"),
        ("1000000000000.01", "过大"),
        ("100000001万", "过大"),
    ],
)
def test_parse_amount_rejects(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        parse_amount(raw, "经济补偿金")
    assert exc.value.field == "经济补偿金"
    assert exc.value.message.startswith("经济补偿金：")
    assert fragment in exc.value.message


def test_parse_amount_default_label():
    with pytest.raises(ValidationError) as exc:
        parse_amount("abc")
    assert exc.value.message.startswith("金额：")


def test_parse_amount_optional():
    assert parse_amount_optional(None) is None
    assert parse_amount_optional("") is None
    assert parse_amount_optional("\u3000") is None
    assert parse_amount_optional("0") == 0
    assert parse_amount_optional("1.2万元") == 1_200_000
    with pytest.raises(ValidationError, match="协议金额"):
        parse_amount_optional("-1", "协议金额")


# ---------------------------------------------------------------------------
# Integers and booleans
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12, 12),
        (0, 0),
        (12.0, 12),
        (Decimal("12"), 12),
        ("12", 12),
        (" 12 ", 12),
        ("１２", 12),
        ("12人", 12),
        ("12 人", 12),
        ("１２人", 12),
        ("3家", 3),
        ("5次", 5),
        ("1,200", 1200),
        ("12.0", 12),
        ("-3", -3),
        ("+7", 7),
    ],
)
def test_parse_int_accepts(raw, expected):
    assert parse_int(raw, "人数") == expected


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (None, "不能为空"),
        ("", "不能为空"),
        ("abc", "不是整数"),
        ("12.5", "不是整数"),
        (12.5, "不是整数"),
        (Decimal("1.5"), "不是整数"),
        ("12万", "不是整数"),
        ("十二", "不是整数"),
        ("12e3", "不是整数"),
        ("1,2", "不是整数"),
        (True, "不是整数"),
        (float("nan"), "不是整数"),
    ],
)
def test_parse_int_rejects(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        parse_int(raw, "涉及人数")
    assert exc.value.field == "涉及人数"
    assert exc.value.message.startswith("涉及人数：")
    assert fragment in exc.value.message


def test_parse_int_bounds():
    assert parse_int("10", "人数", minimum=10, maximum=10) == 10
    with pytest.raises(ValidationError) as exc:
        parse_int("9人", "人数", minimum=10)
    assert "人数：" in exc.value.message and "不能小于10" in exc.value.message
    with pytest.raises(ValidationError) as exc:
        parse_int(101, "年龄", maximum=100)
    assert "年龄：" in exc.value.message and "不能大于100" in exc.value.message
    with pytest.raises(ValidationError):
        parse_int("-1", "人数", minimum=0)


def test_parse_int_optional():
    assert parse_int_optional(None, "人数") is None
    assert parse_int_optional(" ", "人数") is None
    assert parse_int_optional("5人", "人数", minimum=1) == 5
    with pytest.raises(ValidationError):
        parse_int_optional("0", "人数", minimum=1)


@pytest.mark.parametrize(
    "raw",
    [
        True,
        1,
        1.0,
        "是",
        "√",
        "✓",
        "Y",
        "y",
        "yes",
        "YES",
        "Yes",
        "true",
        "TRUE",
        "1",
        "有",
        "Ｙ",
        "ｙｅｓ",
        " 是 ",
    ],
)
def test_parse_bool_true(raw):
    assert parse_bool(raw, "是否集体争议") is True


@pytest.mark.parametrize(
    "raw",
    [False, 0, 0.0, "否", "×", "N", "n", "no", "NO", "false", "False", "0", "无", "Ｎ", "０", "没有"],
)
def test_parse_bool_false(raw):
    assert parse_bool(raw, "是否集体争议") is False


@pytest.mark.parametrize(
    ("raw", "fragment"),
    [
        (None, "不能为空"),
        ("", "不能为空"),
        ("也许", "无法识别"),
        ("2", "无法识别"),
        (2, "无法识别"),
        ("yes no", "无法识别"),
    ],
)
def test_parse_bool_rejects(raw, fragment):
    with pytest.raises(ValidationError) as exc:
        parse_bool(raw, "是否集体争议")
    assert exc.value.message.startswith("是否集体争议：")
    assert fragment in exc.value.message


def test_parse_bool_optional():
    assert parse_bool_optional(None, "是否") is None
    assert parse_bool_optional("", "是否") is None
    assert parse_bool_optional("是", "是否") is True
    assert parse_bool_optional("否", "是否") is False


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("11010519491231002X", "110105********002X"),
        ("11010519491231002x", "110105********002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "110105********002X"),
        ("110105491231002", "110105*****1002"),
        ("E12345678", "E1*****78"),
        ("H123", "H**3"),
        ("12", "**"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_id_number(raw, masked):
    assert mask_id_number(raw) == masked


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        ("138 1234 5678", "138****5678"),
        ("+86 13812345678", "138****5678"),
        ("022-12345678", "022-****5678"),
        ("0533-1234567", "0533-***4567"),
        ("010-12345678-123", "010-****5678-123"),
        ("12345678", "123*5678"),
        ("123", "*23"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


# ---------------------------------------------------------------------------
# Every error is Chinese and names the field
# ---------------------------------------------------------------------------

LABEL = "测试字段"
BAD_CALLS = [
    lambda: check_id_number("123", LABEL),
    lambda: check_id_number("110105194912310021", LABEL),
    lambda: check_id_number("", LABEL),
    lambda: check_credit_code("123", LABEL),
    lambda: check_credit_code("91350100M000100Y44", LABEL),
    lambda: check_phone("123", LABEL),
    lambda: parse_date("abc", LABEL),
    lambda: parse_date("2023-02-30", LABEL),
    lambda: parse_date_optional("x", LABEL),
    lambda: parse_amount("-1", LABEL),
    lambda: parse_amount("abc", LABEL),
    lambda: parse_amount_optional("1.001", LABEL),
    lambda: parse_int("abc", LABEL),
    lambda: parse_int("5", LABEL, minimum=6),
    lambda: parse_bool("maybe", LABEL),
    lambda: check_date_order(date(2024, 2, 1), date(2024, 1, 1), "开始日期", LABEL),
]


@pytest.mark.parametrize("call", BAD_CALLS)
def test_every_error_is_chinese_and_names_the_field(call):
    with pytest.raises(ValidationError) as exc:
        call()
    err = exc.value
    assert err.field == LABEL
    assert LABEL in err.message
    assert str(err) == err.message
    assert any("\u4e00" <= ch <= "\u9fff" for ch in err.message.replace(LABEL, ""))


def test_module_imports_neither_qt_nor_sqlalchemy():
    code = (
        "import sys, app.services.validation, app.services.formatting; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'sqlalchemy')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
