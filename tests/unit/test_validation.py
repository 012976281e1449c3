"""Tests for gridworker_shared.domain.validation (ID numbers, phones, names, dates)."""

from __future__ import annotations

import ast
import pickle
import string
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from gridworker_shared.domain import validation
from gridworker_shared.domain.validation import (
    CONTEXT,
    ID_PROVINCE_CODES,
    MSG_BIRTH_DATE_EMPTY,
    MSG_BIRTH_DATE_FUTURE,
    MSG_BIRTH_DATE_TOO_EARLY,
    MSG_ID_BIRTH_DATE_FUTURE,
    MSG_ID_BIRTH_DATE_INVALID,
    MSG_ID_BIRTH_DATE_TOO_EARLY,
    MSG_ID_CHECKSUM,
    MSG_ID_EMPTY,
    MSG_ID_FORMAT,
    MSG_ID_LENGTH,
    MSG_ID_OLD_15,
    MSG_ID_PROVINCE,
    MSG_LANDLINE_AREA_CODE,
    MSG_LANDLINE_CHARS,
    MSG_LANDLINE_EXTENSION,
    MSG_LANDLINE_LOCAL_LENGTH,
    MSG_MOBILE_LENGTH,
    MSG_MOBILE_NOT_DIGITS,
    MSG_MOBILE_PREFIX,
    MSG_NAME_CHAR,
    MSG_NAME_DOT,
    MSG_NAME_EMPTY,
    MSG_NAME_TOO_LONG,
    MSG_PHONE_EMPTY,
    MSG_PHONE_INVALID,
    QT_TRANSLATE_NOOP,
    SEX_FEMALE,
    SEX_MALE,
    ValidationError,
    id_birth_date,
    id_check_char,
    id_sex,
    mask_id_number,
    normalize_digits,
    normalize_text,
    validate_birth_date,
    validate_id_number,
    validate_landline,
    validate_mobile,
    validate_optional_phone,
    validate_person_name,
    validate_phone,
)

TODAY = date(2024, 6, 1)

# Written out independently of the module, from GB 11643 / GB/T 2260.
PROVINCES = [
    *("11", "12", "13", "14", "15", "21", "22", "23"),
    *("31", "32", "33", "34", "35", "36", "37"),
    *("41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54"),
    *("61", "62", "63", "64", "65", "71", "81", "82", "83", "91"),
]

# Published in GB 11643-1999 itself; checksum verified by hand:
# 1*7+1*9+0*10+1*5+0*8+5*4+1*2+9*1+4*6+9*3+1*7+2*9+3*10+1*5+0*8+0*4+2*2 = 167, 167 % 11 = 2 -> "X".
BEIJING_SAMPLE = "11010519491231002X"
# Also from GB 11643-1999 (sum 195, 195 % 11 = 8 -> "4"), but born 1880, which the app rejects.
GUANGDONG_SAMPLE_1880 = "440524188001010014"
# Jiangsu, Suqian Sucheng district (321302); checksums computed by hand:
# 3*7+2*9+1*10+3*5+0*8+2*4+1*2+9*1+9*6+0*3+0*7+3*9+0*10+7*5+1*8+2*4+3*2 = 221, 221 % 11 = 1 -> "0".
JIANGSU_MALE = "321302199003071230"
# 3*7+2*9+1*10+3*5+0*8+2*4+1*2+9*1+8*6+5*3+1*7+1*9+2*10+0*5+0*8+0*4+4*2 = 190, 190 % 11 = 3 -> "9".
JIANGSU_FEMALE = "321302198511200049"


def make_id(first17: str) -> str:
    return first17 + id_check_char(first17)


def iso7064_mod11_2(first17: str) -> str:
    """Independent reference: ISO 7064 MOD 11-2, on which GB 11643 is based."""
    total = sum(int(d) * (2 ** (17 - i) % 11) for i, d in enumerate(first17))
    value = (12 - total % 11) % 11
    return "X" if value == 10 else str(value)


def raises(template: str, field: str, func: object, /, *args: object, **kwargs: object) -> ValidationError:
    assert callable(func)
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    assert info.value.template == template, info.value.message
    assert info.value.field == field
    return info.value


# --- QT_TRANSLATE_NOOP and ValidationError -------------------------------------------


def test_translate_noop_returns_text() -> None:
    assert QT_TRANSLATE_NOOP("validation", "Hello") == "Hello"
    assert CONTEXT == "validation"


def _message_constants() -> dict[str, ast.Call]:
    source = Path(validation.__file__).read_text(encoding="utf-8")
    calls: dict[str, ast.Call] = {}
    for node in ast.parse(source).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
        elif isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            name, value = node.targets[0].id, node.value
        else:
            continue
        if name.startswith("MSG_"):
            assert isinstance(value, ast.Call), name
            calls[name] = value
    return calls


def test_every_message_is_a_literal_lupdate_call() -> None:
    calls = _message_constants()
    assert len(calls) >= 20
    for name, call in calls.items():
        assert isinstance(call.func, ast.Name) and call.func.id == "QT_TRANSLATE_NOOP", name
        assert len(call.args) == 2, name
        context, text = call.args
        assert isinstance(context, ast.Constant) and context.value == "validation", name
        assert isinstance(text, ast.Constant) and isinstance(text.value, str), name
        assert getattr(validation, name) == text.value
        assert name in validation.__all__


def test_messages_are_english_format_templates() -> None:
    for name in _message_constants():
        template: str = getattr(validation, name)
        assert template[0].isupper() and template.endswith("."), name
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in template), name
        for _, field, spec, conversion in string.Formatter().parse(template):
            if field is not None:
                assert field.isidentifier() and not spec and not conversion, name


def test_validation_error_attributes() -> None:
    error = ValidationError("id_number", MSG_ID_CHECKSUM, expected="X")
    assert isinstance(error, ValueError)
    assert error.field == "id_number"
    assert error.template == MSG_ID_CHECKSUM
    assert error.params == {"expected": "X"}
    assert error.message == "The check character does not match; expected X. Check the number for a typo."
    assert str(error) == error.message
    assert "id_number" in repr(error)


def test_validation_error_without_params() -> None:
    error = ValidationError("name", MSG_NAME_EMPTY)
    assert error.params == {}
    assert str(error) == "Enter a name."


def test_validation_error_pickles() -> None:
    error = ValidationError("phone", MSG_MOBILE_LENGTH, length=10)
    copy = pickle.loads(pickle.dumps(error))
    assert isinstance(copy, ValidationError)
    assert (copy.field, copy.template, copy.params) == ("phone", MSG_MOBILE_LENGTH, {"length": 10})
    assert str(copy) == "A mobile number has 11 digits; this one has 10."


# --- Normalisation ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  张三  ", "张三"),
        ("张\u3000\u3000三", "张 三"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
        ("a \t\n b", "a b"),
        ("１２３", "123"),
        ("\u200b张\u200c三\u200d\ufeff", "张三"),
        ("\u00a0x\u00a0", "x"),
        ("", ""),
        ("\u3000 \t", ""),
    ],
)
def test_normalize_text(raw: str, expected: str) -> None:
    assert normalize_text(raw) == expected


@given(st.text())
def test_normalize_text_is_idempotent_and_tidy(raw: str) -> None:
    once = normalize_text(raw)
    assert normalize_text(once) == once
    assert once == once.strip()
    assert "  " not in once
    assert not any(ch in once for ch in "\u200b\u200c\u200d\ufeff\u3000")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 1234 5678", "13812345678"),
        ("１３８－１２３４－５６７８", "13812345678"),
        ("138-1234-5678", "13812345678"),
        ("138–1234—5678", "13812345678"),
        ("(0527) 8436.1234", "052784361234"),
        ("（０５２７）８４３６１２３４", "052784361234"),
        ("+86 138\u30001234\u200b5678", "+8613812345678"),
        ("", ""),
    ],
)
def test_normalize_digits(raw: str, expected: str) -> None:
    assert normalize_digits(raw) == expected


# --- ID numbers: valid ------------------------------------------------------------------


def test_hand_computed_check_chars() -> None:
    assert id_check_char(BEIJING_SAMPLE[:17]) == "X"
    assert id_check_char(GUANGDONG_SAMPLE_1880[:17]) == "4"
    assert id_check_char(JIANGSU_MALE[:17]) == "0"
    assert id_check_char(JIANGSU_FEMALE[:17]) == "9"


@pytest.mark.parametrize("number", [BEIJING_SAMPLE, JIANGSU_MALE, JIANGSU_FEMALE])
def test_valid_id_numbers(number: str) -> None:
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number) == number  # default "today" is the real date


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002x",
        " 11010519491231002X ",
        "110105 19491231 002X",
        "１１０１０５ １９４９１２３１００２ｘ",
        "１１０１０５１９４９１２３１００２Ｘ",
        "110105\u300019491231\u3000002X",
        "\u200b11010519491231002X\ufeff",
        "110105\t19491231\n002X",
    ],
)
def test_id_number_is_normalised(raw: str) -> None:
    assert validate_id_number(raw, today=TODAY) == BEIJING_SAMPLE


@pytest.mark.parametrize(
    "first17",
    [
        "32130219900307123",  # Suqian, Sucheng
        "32132219780815002",  # Suqian, Shuyang
        "32010219650101432",  # Nanjing
        "32130220000229007",  # 2000 is a leap year
        "32130219000101001",  # earliest accepted date
        "65010219880808123",  # Urumqi
        "83000019950505001",  # Taiwan residents
        "91000019700101001",  # foreigners
    ],
)
def test_generated_ids(first17: str) -> None:
    number = make_id(first17)
    assert validate_id_number(number, today=TODAY) == number
    assert id_check_char(first17) == iso7064_mod11_2(first17)


def test_birth_date_today_is_accepted() -> None:
    number = make_id("321302" + TODAY.strftime("%Y%m%d") + "001")
    assert validate_id_number(number, today=TODAY) == number


def test_id_birth_date_and_sex() -> None:
    assert id_birth_date(BEIJING_SAMPLE) == date(1949, 12, 31)
    assert id_sex(BEIJING_SAMPLE) == SEX_FEMALE == "female"  # 17th digit 2
    assert id_birth_date(JIANGSU_MALE) == date(1990, 3, 7)
    assert id_sex(JIANGSU_MALE) == SEX_MALE == "male"  # 17th digit 3
    assert id_birth_date(JIANGSU_FEMALE) == date(1985, 11, 20)
    assert id_sex(JIANGSU_FEMALE) == "female"  # 17th digit 4
    assert id_sex("１１０１０５ １９４９１２３１００２ｘ") == "female"


def test_id_birth_date_and_sex_reject_invalid_numbers() -> None:
    with pytest.raises(ValidationError):
        id_birth_date("11010519491231003X")
    with pytest.raises(ValidationError):
        id_sex("123")


@pytest.mark.parametrize("bad", ["", "123", "1101051949123100", "1101051949123100X", "110105194912310022"])
def test_id_check_char_rejects_bad_input(bad: str) -> None:
    with pytest.raises(ValueError):
        id_check_char(bad)


# --- ID numbers: invalid ---------------------------------------------------------------


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "\u200b"])
def test_id_empty(raw: str) -> None:
    raises(MSG_ID_EMPTY, "id_number", validate_id_number, raw)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("11010519491231002", 17),
        ("11010519491231002X1", 19),
        ("1", 1),
        ("110105-19491231-002X", 20),
        ("11010519491231a", 15),  # 15 characters but not the old 15-digit format
    ],
)
def test_id_wrong_length(raw: str, length: int) -> None:
    error = raises(MSG_ID_LENGTH, "id_number", validate_id_number, raw)
    assert error.params == {"length": length}
    assert str(length) in error.message


@pytest.mark.parametrize("raw", ["110105491231002", "１１０１０５４９１２３１００２", "110105 491231 002"])
def test_id_old_15_digit(raw: str) -> None:
    raises(MSG_ID_OLD_15, "id_number", validate_id_number, raw)


@pytest.mark.parametrize(
    "raw",
    [
        "11010519491231002A",
        "1101051949123100XX",
        "X1010519491231002X",
        "1101051949I231002X",
        "11010519491231002?",
        "١١٠١٠٥١٩٤٩١٢٣١٠٠٢X",  # Arabic-Indic digits are not ID digits
    ],
)
def test_id_format(raw: str) -> None:
    error = raises(MSG_ID_FORMAT, "id_number", validate_id_number, raw)
    assert error.message == "An ID number has 17 digits followed by a digit or X."


@pytest.mark.parametrize("province", ["00", "10", "16", "20", "24", "30", "38", "40", "47", "49", "55"])
def test_id_bad_province(province: str) -> None:
    number = make_id(province + "010519491231002")
    error = raises(MSG_ID_PROVINCE, "id_number", validate_id_number, number, today=TODAY)
    assert error.params == {"code": province}


@pytest.mark.parametrize("province", ["60", "66", "70", "72", "80", "84", "90", "92", "99"])
def test_id_bad_province_high(province: str) -> None:
    number = make_id(province + "010519491231002")
    raises(MSG_ID_PROVINCE, "id_number", validate_id_number, number, today=TODAY)


def test_province_codes_match_the_standard() -> None:
    assert set(PROVINCES) == ID_PROVINCE_CODES


@pytest.mark.parametrize(
    ("birth", "text"),
    [
        ("19490230", "1949-02-30"),
        ("19491301", "1949-13-01"),
        ("19490001", "1949-00-01"),
        ("19490100", "1949-01-00"),
        ("20230229", "2023-02-29"),
        ("19000229", "1900-02-29"),  # 1900 was not a leap year
        ("00000000", "0000-00-00"),
    ],
)
def test_id_birth_date_not_a_date(birth: str, text: str) -> None:
    number = make_id("321302" + birth + "123")
    error = raises(MSG_ID_BIRTH_DATE_INVALID, "id_number", validate_id_number, number, today=TODAY)
    assert error.params == {"date": text}
    assert text in error.message


@pytest.mark.parametrize(("birth", "text"), [("18991231", "1899-12-31"), ("18000101", "1800-01-01")])
def test_id_birth_date_too_early(birth: str, text: str) -> None:
    number = make_id("321302" + birth + "123")
    error = raises(MSG_ID_BIRTH_DATE_TOO_EARLY, "id_number", validate_id_number, number, today=TODAY)
    assert error.params == {"date": text}


def test_published_1880_sample_is_rejected_as_too_early() -> None:
    error = raises(MSG_ID_BIRTH_DATE_TOO_EARLY, "id_number", validate_id_number, GUANGDONG_SAMPLE_1880)
    assert error.params == {"date": "1880-01-01"}


def test_id_birth_date_in_future() -> None:
    tomorrow = TODAY + timedelta(days=1)
    number = make_id("321302" + tomorrow.strftime("%Y%m%d") + "123")
    error = raises(MSG_ID_BIRTH_DATE_FUTURE, "id_number", validate_id_number, number, today=TODAY)
    assert error.params == {"date": "2024-06-02"}
    # far future, with the real date as "today"
    raises(MSG_ID_BIRTH_DATE_FUTURE, "id_number", validate_id_number, make_id("32130229990101123"))


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("11010519491231002" + "0", "X"),
        ("11010519491231002" + "9", "X"),
        ("32130219900307123" + "X", "0"),
        ("32130219900307123" + "x", "0"),
        ("32130219851120004" + "0", "9"),
        ("11010519491231003X", "8"),  # one digit changed: 167 + 1*2 = 169, 169 % 11 = 4 -> "8"
        ("11010519491231020X", "6"),  # last two swapped: 167 - (0*4+2*2) + (2*4+0*2) = 171, % 11 = 6 -> "6"
    ],
)
def test_id_checksum(number: str, expected: str) -> None:
    error = raises(MSG_ID_CHECKSUM, "id_number", validate_id_number, number, today=TODAY)
    assert error.params["expected"] == expected
    assert error.message == (f"The check character does not match; expected {expected}. Check the number for a typo.")


def test_id_check_order() -> None:
    # bad province wins over a bad date and a bad checksum
    raises(MSG_ID_PROVINCE, "id_number", validate_id_number, "990105194902300020", today=TODAY)
    # bad date wins over a bad checksum
    raises(MSG_ID_BIRTH_DATE_INVALID, "id_number", validate_id_number, "110105194902300020", today=TODAY)
    # format wins over a bad province
    raises(MSG_ID_FORMAT, "id_number", validate_id_number, "99010519491231002A", today=TODAY)


def test_id_custom_field() -> None:
    raises(MSG_ID_EMPTY, "guardian_id", validate_id_number, "", field="guardian_id")


# --- ID numbers: properties ---------------------------------------------------------------


def _digits(size: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=size, max_size=size)


valid_ids = st.builds(
    lambda province, region, birth, seq: make_id(province + region + birth.strftime("%Y%m%d") + seq),
    st.sampled_from(PROVINCES),
    _digits(4),
    st.dates(min_value=date(1900, 1, 1), max_value=TODAY),
    _digits(3),
)


@given(valid_ids)
@example(BEIJING_SAMPLE)
@example(JIANGSU_MALE)
def test_any_well_formed_id_validates(number: str) -> None:
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number.lower(), today=TODAY) == number
    assert id_check_char(number[:17]) == iso7064_mod11_2(number[:17]) == number[17]
    assert id_birth_date(number) == date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    assert id_sex(number) == ("male" if int(number[16]) % 2 else "female")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_matches_iso7064(first17: str) -> None:
    assert id_check_char(first17) == iso7064_mod11_2(first17)


def _structurally_valid(number: str) -> bool:
    if number[:2] not in PROVINCES:
        return False
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= birth <= TODAY


@given(valid_ids, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_changing_any_single_character_fails(number: str, position: int, replacement: str) -> None:
    assume(replacement != number[position])
    assume(position == 17 or replacement != "X")
    mutated = number[:position] + replacement + number[position + 1 :]
    with pytest.raises(ValidationError) as info:
        validate_id_number(mutated, today=TODAY)
    if _structurally_valid(mutated):
        assert info.value.template == MSG_ID_CHECKSUM
        assert info.value.params["expected"] == iso7064_mod11_2(mutated[:17])


@given(valid_ids, st.integers(min_value=0, max_value=15))
def test_swapping_adjacent_digits_fails(number: str, position: int) -> None:
    assume(number[position] != number[position + 1])
    swapped = number[:position] + number[position + 1] + number[position] + number[position + 2 :]
    with pytest.raises(ValidationError):
        validate_id_number(swapped, today=TODAY)


@given(valid_ids, st.lists(st.sampled_from([" ", "\u3000", "\u200b"]), min_size=18, max_size=18))
def test_spaces_anywhere_are_ignored(number: str, gaps: list[str]) -> None:
    spaced = "".join(ch + gap for ch, gap in zip(number, gaps, strict=True))
    assert validate_id_number(spaced, today=TODAY) == number


# --- Masking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        (BEIJING_SAMPLE, "110***********002X"),
        (JIANGSU_MALE, "321***********1230"),
        ("１１０１０５ １９４９１２３１００２Ｘ", "110***********002X"),
        ("110105491231002", "110********1002"),
        ("12345678", "123*5678"),
        ("1234567", "1*****7"),
        ("123", "1*3"),
        ("12", "**"),
        ("1", "*"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_mask_id_number(raw: str, masked: str) -> None:
    assert mask_id_number(raw) == masked


@given(valid_ids)
def test_mask_keeps_length_and_hides_the_birth_date(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert set(masked[3:-4]) == {"*"}


@given(st.text(alphabet=string.ascii_letters + string.digits, max_size=30))
def test_mask_never_shows_more_than_seven_characters(raw: str) -> None:
    masked = mask_id_number(raw)
    assert len(masked) == len(raw)
    assert sum(ch != "*" for ch in masked) <= min(7, max(0, len(raw) - 1))


# --- Mobile phones -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13812345678",
        "138 1234 5678",
        "138-1234-5678",
        "138 - 1234 - 5678",
        "+86 138 1234 5678",
        "+86-138-1234-5678",
        "+8613812345678",
        "(+86) 13812345678",
        "8613812345678",
        "86 138 1234 5678",
        "008613812345678",
        "0086 138 1234 5678",
        "１３８１２３４５６７８",
        "１３８－１２３４－５６７８",
        "＋８６ １３８ １２３４ ５６７８",
        "138\u30001234\u30005678",
        " 13812345678 ",
    ],
)
def test_valid_mobile(raw: str) -> None:
    assert validate_mobile(raw) == "13812345678"
    assert validate_phone(raw) == "13812345678"


@pytest.mark.parametrize(
    "number",
    ["13012345678", "14512345678", "15912345678", "16612345678", "17712345678", "18812345678", "19912345678"],
)
def test_all_mobile_prefixes(number: str) -> None:
    assert validate_mobile(number) == number


@pytest.mark.parametrize("raw", ["", "  ", "\u3000", "- -"])
def test_mobile_empty(raw: str) -> None:
    raises(MSG_PHONE_EMPTY, "phone", validate_mobile, raw)
    raises(MSG_PHONE_EMPTY, "phone", validate_phone, raw)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("138123456789", 12),
        ("1381234567", 10),
        ("138 1234 567", 10),
        ("+86 138 1234 567", 10),
        ("+86", 0),
        ("1", 1),
    ],
)
def test_mobile_wrong_length(raw: str, length: int) -> None:
    error = raises(MSG_MOBILE_LENGTH, "phone", validate_mobile, raw)
    assert error.params == {"length": length}
    raises(MSG_MOBILE_LENGTH, "phone", validate_phone, raw)


@pytest.mark.parametrize(("raw", "prefix"), [("12812345678", "12"), ("10012345678", "10"), ("11012345678", "11")])
def test_mobile_bad_prefix(raw: str, prefix: str) -> None:
    error = raises(MSG_MOBILE_PREFIX, "phone", validate_mobile, raw)
    assert error.params == {"prefix": prefix}
    raises(MSG_MOBILE_PREFIX, "phone", validate_phone, raw)


@pytest.mark.parametrize(
    ("raw", "char"),
    [
        ("138abcd5678", "a"),
        ("138 1234 567o", "o"),
        ("+1 415 555 0100", "+"),
        ("13812345678#", "#"),
        ("phone", "p"),
    ],
)
def test_mobile_non_digits(raw: str, char: str) -> None:
    error = raises(MSG_MOBILE_NOT_DIGITS, "contact_phone", validate_mobile, raw, field="contact_phone")
    assert error.params == {"char": char}


@st.composite
def formatted_mobiles(draw: st.DrawFn) -> tuple[str, str]:
    number = "1" + draw(st.sampled_from("3456789")) + draw(_digits(9))
    sep = draw(st.sampled_from(["", " ", "-", "－", "\u3000", " - "]))
    prefix = draw(st.sampled_from(["", "+86", "+86 ", "0086 ", "86", "(+86)"]))
    text = prefix + number[:3] + sep + number[3:7] + sep + number[7:]
    if draw(st.booleans()):  # full-width
        text = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    return text, number


@given(formatted_mobiles())
def test_formatted_mobiles_validate(case: tuple[str, str]) -> None:
    text, number = case
    assert validate_mobile(text) == number
    assert validate_phone(text) == number
    assert validate_optional_phone(text) == number


# --- Landlines -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0527-84361234", "0527-84361234"),
        ("(0527)84361234", "0527-84361234"),
        ("(0527) 8436 1234", "0527-84361234"),
        ("0527 8436 1234", "0527-84361234"),
        ("0527-8436-1234", "0527-84361234"),
        ("052784361234", "0527-84361234"),
        ("025-52345678", "025-52345678"),
        ("02552345678", "025-52345678"),
        ("010 6512 3456", "010-65123456"),
        ("0512-6512345", "0512-6512345"),
        ("84361234", "84361234"),
        ("8436 1234", "84361234"),
        ("8436123", "8436123"),
        ("025-52345678-123", "025-52345678-123"),
        ("025-52345678转123", "025-52345678-123"),
        ("025-52345678 转 123", "025-52345678-123"),
        ("025-52345678转分机123", "025-52345678-123"),
        ("025-52345678 ext 123", "025-52345678-123"),
        ("025-52345678 Ext. 123", "025-52345678-123"),
        ("025-52345678 x1", "025-52345678-1"),
        ("025-52345678-123456", "025-52345678-123456"),
        ("0527 8436 1234 88", "0527-84361234-88"),
        ("84361234-12", "84361234-12"),
        ("84361234转12", "84361234-12"),
        ("8436123-1", "8436123-1"),  # a 7-digit number is complete; "-1" is an extension
        ("0512-6512345-12", "0512-6512345-12"),
        ("052784361234-123", "0527-84361234-123"),
        ("025 523 45678", "025-52345678"),
        ("０５２７－８４３６１２３４", "0527-84361234"),
        ("（０５２７）８４３６１２３４", "0527-84361234"),
        ("０２５－５２３４５６７８转１２３", "025-52345678-123"),
        ("\u200b0527-84361234 ", "0527-84361234"),
    ],
)
def test_valid_landline(raw: str, expected: str) -> None:
    assert validate_landline(raw) == expected
    assert validate_landline(expected) == expected
    assert validate_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", " ", "\u3000"])
def test_landline_empty(raw: str) -> None:
    raises(MSG_PHONE_EMPTY, "phone", validate_landline, raw)


@pytest.mark.parametrize(
    ("raw", "length"),
    [
        ("025-123456", 6),
        ("025-523456789", 9),
        ("0527-843612", 6),
        ("0527", 0),
        ("843612", 6),
        ("025-1234-56789", 9),
        ("13812345678", 11),
    ],
)
def test_landline_local_length(raw: str, length: int) -> None:
    error = raises(MSG_LANDLINE_LOCAL_LENGTH, "phone", validate_landline, raw)
    assert error.params == {"length": length}


@pytest.mark.parametrize(
    ("raw", "area_code"),
    [
        ("00-52345678", "00"),
        ("05-52345678", "05"),
        ("05271-1234567", "05271"),
        ("0", "0"),
        ("0012345678", "0012"),
    ],
)
def test_landline_bad_area_code(raw: str, area_code: str) -> None:
    error = raises(MSG_LANDLINE_AREA_CODE, "phone", validate_landline, raw)
    assert error.params == {"area_code": area_code}


@pytest.mark.parametrize(
    "raw",
    [
        "025-52345678-1234567",
        "025-52345678转",
        "025-52345678转1234567",
        "025-52345678 ext abc",
        "025-52345678-12转3",
    ],
)
def test_landline_bad_extension(raw: str) -> None:
    raises(MSG_LANDLINE_EXTENSION, "phone", validate_landline, raw)
    raises(MSG_LANDLINE_EXTENSION, "phone", validate_phone, raw)


@pytest.mark.parametrize(
    ("raw", "char"),
    [
        ("phone", "p"),
        ("xyz", "x"),
        ("0527/84361234", "/"),
        ("+86 025 12345678", "+"),
        ("电话0527-84361234", "电"),
    ],
)
def test_landline_bad_characters(raw: str, char: str) -> None:
    error = raises(MSG_LANDLINE_CHARS, "phone", validate_landline, raw)
    assert error.params == {"char": char}


@st.composite
def formatted_landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(st.sampled_from(["", "010", "021", "025", "0527", "0512", "0991"]))
    local = draw(st.sampled_from("23456789")) + draw(_digits(draw(st.sampled_from([6, 7]))))
    extension = draw(st.sampled_from(["", "1", "123", "123456"]))
    if area:
        area_text = draw(st.sampled_from([f"{area}-", f"({area})", f"{area} ", f"（{area}）", area]))
    else:
        area_text = ""
    if len(local) == 8 and draw(st.booleans()):
        local_text = local[:4] + draw(st.sampled_from([" ", "-", ""])) + local[4:]
    else:
        local_text = local
    ext_text = draw(st.sampled_from(["-", "转", " ext ", " 转 ", "x"])) + extension if extension else ""
    text = area_text + local_text + ext_text
    if draw(st.booleans()):
        text = "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)
    expected = "-".join(part for part in (area, local, extension) if part)
    return text, expected


@given(formatted_landlines())
def test_formatted_landlines_validate(case: tuple[str, str]) -> None:
    text, expected = case
    assert validate_landline(text) == expected
    assert validate_landline(expected) == expected
    assert validate_phone(text) == expected


# --- Phones: either kind ---------------------------------------------------------------------


@pytest.mark.parametrize("raw", ["abc", "xyz", "电话", "8436", "843612345", "?", "none"])
def test_phone_neither_mobile_nor_landline(raw: str) -> None:
    error = raises(MSG_PHONE_INVALID, "phone", validate_phone, raw)
    assert error.message == "Enter an 11-digit mobile number (13x–19x) or a landline such as 0527-84361234."


def test_phone_keeps_specific_landline_messages_when_an_area_code_is_given() -> None:
    raises(MSG_LANDLINE_LOCAL_LENGTH, "phone", validate_phone, "025-123")
    raises(MSG_LANDLINE_AREA_CODE, "phone", validate_phone, "00-52345678")
    raises(MSG_LANDLINE_CHARS, "phone", validate_phone, "0527-8436abcd")


def test_twelve_digits_starting_86_are_not_taken_for_a_country_code() -> None:
    error = raises(MSG_MOBILE_LENGTH, "phone", validate_mobile, "861381234567")
    assert error.params == {"length": 12}
    raises(MSG_PHONE_INVALID, "phone", validate_phone, "861381234567")


def test_phone_reports_mistyped_mobiles_as_mobiles() -> None:
    raises(MSG_MOBILE_LENGTH, "phone", validate_phone, "1381234567")
    raises(MSG_MOBILE_LENGTH, "phone", validate_phone, "12345")
    raises(MSG_MOBILE_PREFIX, "phone", validate_phone, "12012345678")
    raises(MSG_MOBILE_NOT_DIGITS, "phone", validate_phone, "1381234567a")


def test_phone_custom_field() -> None:
    raises(MSG_PHONE_INVALID, "emergency_phone", validate_phone, "abc", field="emergency_phone")
    raises(MSG_MOBILE_PREFIX, "emergency_phone", validate_phone, "12812345678", field="emergency_phone")
    raises(MSG_LANDLINE_EXTENSION, "emergency_phone", validate_phone, "84361234转x", field="emergency_phone")


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", None])
def test_optional_phone_blank(raw: str | None) -> None:
    assert validate_optional_phone(raw) == ""


def test_optional_phone_values() -> None:
    assert validate_optional_phone("138 1234 5678") == "13812345678"
    assert validate_optional_phone("(0527)84361234") == "0527-84361234"
    raises(MSG_PHONE_INVALID, "phone2", validate_optional_phone, "abc", field="phone2")


# --- Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("张三", "张三"),
        (" 张三 ", "张三"),
        ("张　三", "张三"),
        ("张 三", "张三"),
        ("欧阳娜娜", "欧阳娜娜"),
        ("王", "王"),
        ("阿卜杜·热合曼", "阿卜杜·热合曼"),
        ("阿卜杜•热合曼", "阿卜杜·热合曼"),
        ("阿卜杜．热合曼", "阿卜杜·热合曼"),
        ("阿卜杜・热合曼", "阿卜杜·热合曼"),
        ("阿卜杜.热合曼", "阿卜杜·热合曼"),
        ("阿卜杜 · 热合曼", "阿卜杜·热合曼"),
        ("买买提·艾力·吐尔逊", "买买提·艾力·吐尔逊"),
        ("John Smith", "John Smith"),
        ("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
        ("  John   Smith ", "John Smith"),
        ("Lü Xiaoming", "Lü Xiaoming"),
        ("José", "José"),
        ("\u200b张三", "张三"),
        ("𠮷野家", "𠮷野家"),  # CJK extension B
        ("李〇", "李〇"),
        ("A", "A"),
    ],
)
def test_valid_person_name(raw: str, expected: str) -> None:
    assert validate_person_name(raw) == expected
    assert validate_person_name(expected) == expected


@pytest.mark.parametrize("raw", ["", "   ", "\u3000", "\u200b"])
def test_name_empty(raw: str) -> None:
    raises(MSG_NAME_EMPTY, "name", validate_person_name, raw)


def test_name_length_limits() -> None:
    assert validate_person_name("张" * 30) == "张" * 30
    error = raises(MSG_NAME_TOO_LONG, "name", validate_person_name, "张" * 31)
    assert error.params == {"max_length": 30, "length": 31}
    assert validate_person_name("a" * 30) == "a" * 30


@pytest.mark.parametrize(
    ("raw", "char"),
    [
        ("张3", "3"),
        ("张三1号", "1"),
        ("张三１", "1"),
        ("O'Brien", "'"),
        ("Jean-Pierre", "-"),
        ("张三!", "!"),
        ("张三@x", "@"),
        ("John Smith.", "."),
        ("Иван", "И"),
        ("김철수", "김"),
        ("张_三", "_"),
        ("张三😀", "😀"),
    ],
)
def test_name_bad_character(raw: str, char: str) -> None:
    error = raises(MSG_NAME_CHAR, "resident_name", validate_person_name, raw, field="resident_name")
    assert error.params == {"char": char}
    assert f'"{char}"' in error.message


@pytest.mark.parametrize("raw", ["·张三", "张三·", "张··三", "• 张三", "·", "张三 •"])
def test_name_misplaced_dot(raw: str) -> None:
    raises(MSG_NAME_DOT, "name", validate_person_name, raw)


name_chars = st.sampled_from(list("张三李四阿卜杜热合曼abcXYZü ·•．・.　1-"))


@given(st.text(alphabet=name_chars, max_size=35))
def test_valid_names_are_stable(raw: str) -> None:
    try:
        name = validate_person_name(raw)
    except ValidationError as error:
        assert error.field == "name"
        return
    assert validate_person_name(name) == name
    assert 1 <= len(name) <= 30
    assert name == name.strip() and "  " not in name
    assert not any(ch.isdigit() for ch in name)


# --- Birth dates ---------------------------------------------------------------------------------


def test_valid_birth_dates() -> None:
    assert validate_birth_date(date(1949, 10, 1), today=TODAY) == date(1949, 10, 1)
    assert validate_birth_date(date(1900, 1, 1), today=TODAY) == date(1900, 1, 1)
    assert validate_birth_date(TODAY, today=TODAY) == TODAY
    assert validate_birth_date(date(2000, 1, 1)) == date(2000, 1, 1)
    assert validate_birth_date(datetime(1990, 3, 7, 12, 30), today=TODAY) == date(1990, 3, 7)


def test_birth_date_empty() -> None:
    raises(MSG_BIRTH_DATE_EMPTY, "birth_date", validate_birth_date, None)


def test_birth_date_too_early() -> None:
    error = raises(MSG_BIRTH_DATE_TOO_EARLY, "birth_date", validate_birth_date, date(1899, 12, 31), today=TODAY)
    assert error.params == {"date": "1899-12-31"}


def test_birth_date_in_future() -> None:
    error = raises(MSG_BIRTH_DATE_FUTURE, "dob", validate_birth_date, date(2024, 6, 2), field="dob", today=TODAY)
    assert error.params == {"date": "2024-06-02"}
    raises(MSG_BIRTH_DATE_FUTURE, "birth_date", validate_birth_date, date.today() + timedelta(days=1))


@given(st.dates())
def test_birth_date_property(value: date) -> None:
    if date(1900, 1, 1) <= value <= TODAY:
        assert validate_birth_date(value, today=TODAY) == value
    else:
        with pytest.raises(ValidationError):
            validate_birth_date(value, today=TODAY)


# --- Misc --------------------------------------------------------------------------------------------


def test_all_exports_exist() -> None:
    for name in validation.__all__:
        assert hasattr(validation, name), name


def test_error_messages_format_for_every_raised_error() -> None:
    samples: list[tuple[object, str]] = [
        (validate_id_number, "1"),
        (validate_id_number, "110105491231002"),
        (validate_mobile, "12812345678"),
        (validate_landline, "0"),
        (validate_person_name, "张3"),
    ]
    for func, raw in samples:
        assert callable(func)
        with pytest.raises(ValidationError) as info:
            func(raw)
        assert "{" not in info.value.message


@pytest.mark.parametrize("raw", ["025-12345678", "0527-1234567", "12345678"])
def test_landline_local_number_does_not_start_with_0_or_1(raw: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate_landline(raw)
    assert e.value.template == validation.MSG_LANDLINE_LOCAL_START


@pytest.mark.parametrize("raw", ["1381234", "13812345"])
def test_short_number_starting_with_1_is_a_mistyped_mobile(raw: str) -> None:
    with pytest.raises(ValidationError) as e:
        validate_phone(raw)
    assert e.value.template == MSG_MOBILE_LENGTH and e.value.params == {"length": len(raw)}
