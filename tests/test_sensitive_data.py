import pytest

VALID_IDS = ["11010519491231002X", "110105194912310029"[:17] + "X", "440524188001010014"]


def test_resident_id_check_character(sensitive_data):
    assert sensitive_data.resident_id_check_char("11010519491231002") == "X"
    assert sensitive_data.is_resident_id("11010519491231002X")
    assert sensitive_data.is_resident_id("11010519491231002x")
    assert not sensitive_data.is_resident_id("110105194912310021"), "wrong check digit"
    assert not sensitive_data.is_resident_id("11010519491331002X"), "month 13"
    assert not sensitive_data.is_resident_id("1101051949123100"), "too short"


@pytest.mark.parametrize(
    "number, valid",
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("6222021234567890128", True),
        ("0000000000000", False),
        ("79927398713", False),  # Luhn-valid but only 11 digits
    ],
)
def test_bank_card(sensitive_data, number, valid):
    assert sensitive_data.is_bank_card(number) is valid


@pytest.mark.parametrize(
    "text, kinds",
    [
        ("ID 11010519491231002X please", ["resident_id"]),
        ("身份证号11010519491231002X", ["resident_id"]),
        ("card 4111 1111 1111 1111", ["bank_card"]),
        ("card 4111-1111-1111-1111", ["bank_card"]),
        ("银行卡6222021234567890128", ["bank_card"]),
        ("card 4111111111111111, ID 11010519491231002X", ["resident_id", "bank_card"]),
        ("", []),
        (None, []),
        ("budget 150000-200000, 200 staff", []),
        ("call +86 138 0013 8000 or +8613800138000", []),
        ("mobile 13800138000", []),
        ("invoice 20240301-0001, order 1234567890", []),
        ("ID with wrong check digit 110105194912310021", []),
        ("card with a bad checksum 4111 1111 1111 1112", []),
    ],
)
def test_find_sensitive_numbers(sensitive_data, text, kinds):
    assert sensitive_data.find_sensitive_numbers(text) == kinds


def test_id_number_not_reported_as_card_too(sensitive_data):
    # whatever its Luhn sum, an 18-character ID number is reported once, as an ID
    for number in ("11010519491231002X", "440524188001010014"):
        if sensitive_data.is_resident_id(number):
            assert sensitive_data.find_sensitive_numbers(number) == ["resident_id"]
