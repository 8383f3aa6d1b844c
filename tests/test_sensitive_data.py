import pytest

VALID_IDS = ["11010519491231002X", "110105194912310029"[:17] + "X", "440524188001010014"]


def test_resident_id_check_character(sensitive_data):
    assert sensitive_data.resident_id_check_char("11010519491231002") == "X"
    assert sensitive_data.is_resident_id("11010519491231002X")
    assert sensitive_data.is_resident_id("11010519491231002x")
    assert not sensitive_data.is_resident_id("110105194912310021"), "wrong check digit"
    assert not sensitive_data.is_resident_id("11010519491331002X"), "month 13"
    assert not sensitive_data.is_resident_id("1101051949123100"), "too short"
    assert sensitive_data.is_resident_id("440306198511110029")
    assert not sensitive_data.is_resident_id("000105194912310024"), "no province 00"
    assert not sensitive_data.is_resident_id("110105209912310010"), "born in 2099"


@pytest.mark.parametrize(
    "number, valid",
    [
        ("4111111111111111", True),
        ("4111111111111112", False),
        ("6222021234567890128", True),
        ("0000000000000", False),
        ("79927398713", False),  # Luhn-valid but only 11 digits
        ("4111.1111/1111\n1111", True),
        ("378282246310005", True),  # Amex, 15 digits
        ("6901234567892", False),  # Luhn-valid EAN-13 product code: 13-digit cards are Visa's
        ("2023202420252026", False),  # Luhn-valid, but no card starts with 2023
        ("9111010855138505", False),  # Luhn-valid, but 9 is no payment-card prefix
    ],
)
def test_bank_card(sensitive_data, number, valid):
    assert sensitive_data.is_bank_card(number) is valid


# Each must be found, with its kind: the plain forms, then every way of writing a
# number that once hid it (separators, full-width digits, Latin letters, HTML).
POSITIVE = [
    ("ID 11010519491231002X please", ["resident_id"]),
    ("身份证号11010519491231002X", ["resident_id"]),
    ("ID 440306198511110029", ["resident_id"]),
    ("lowercase 11010519491231002x", ["resident_id"]),
    ("身份证 110105 19491231 002X", ["resident_id"]),
    ("ID 110105-19491231-002X", ["resident_id"]),
    ("ID 110105.1949.1231.002X", ["resident_id"]),
    ("ID 110105/19491231/002X", ["resident_id"]),
    ("ID\n110105\n19491231\n002X", ["resident_id"]),
    ("ID 1101 0519 4912 3100 2X", ["resident_id"]),
    ("ID 110105 – 19491231 – 002X", ["resident_id"]),
    ("ID 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 X", ["resident_id"]),
    ("身份证１１０１０５１９４９１２３１００２Ｘ", ["resident_id"]),
    ("身份证１１０１０５－１９４９１２３１－００２ｘ", ["resident_id"]),
    ("ID11010519491231002Xok", ["resident_id"]),
    ("sn440306198511110029abc", ["resident_id"]),
    ("<p>ID 110105<b>19491231</b>002X</p>", ["resident_id"]),
    ("<p>ID 110105<br/>19491231<br>002X</p>", ["resident_id"]),
    ("ID&nbsp;110105&nbsp;19491231&nbsp;002X", ["resident_id"]),
    ("ID 110105\u200b19491231\u200b002X", ["resident_id"]),
    ("王先生 13800138000 11010519491231002X", ["resident_id"]),
    ("card 4111 1111 1111 1111", ["bank_card"]),
    ("card 4111-1111-1111-1111", ["bank_card"]),
    ("银行卡6222021234567890128", ["bank_card"]),
    ("card 6222.0212.3456.7890.128", ["bank_card"]),
    ("card 6222/0212/3456/7890/128", ["bank_card"]),
    ("card\n6222\n0212\n3456\n7890\n128", ["bank_card"]),
    ("卡号６２２２\u3000０２１２\u3000３４５６\u3000７８９０\u3000１２８", ["bank_card"]),
    ("card4111111111111111exp", ["bank_card"]),
    ("Amex 3782 822463 10005", ["bank_card"]),
    ("Mastercard 2221 0000 0000 0009", ["bank_card"]),
    ("Visa 4222222222222", ["bank_card"]),
    ("<div>4111 1111 <b>1111</b> 1111</div>", ["bank_card"]),
    ("<p>4111<br/>1111<br/>1111<br/>1111</p>", ["bank_card"]),
    ("<p>41111111<span>11111111</span></p>", ["bank_card"]),
    ("card 4111 1111 1111 1111 2026-12-02", ["bank_card"]),
    ("card 4 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1", ["bank_card"]),
    ("card 4111111111111111, ID 11010519491231002X", ["resident_id", "bank_card"]),
    ("ID 110105 19491231 002X, 卡 6222-0212-3456-7890-128", ["resident_id", "bank_card"]),
    ("ID 110105 1949-1231.002X", ["resident_id"]),
    ("ID 1101-0519 4912/3100 2X", ["resident_id"]),
    ("card 4111 1111-1111.1111", ["bank_card"]),
    ("card 6222-0212.3456 7890 128", ["bank_card"]),
]

# Each must pass: phone numbers, amounts, dates, order numbers, postcodes, product
# codes, lists of numbers, and numbers that fail the ID or card checks.
NEGATIVE = [
    ("", []),
    (None, []),
    ("call +86 138 0013 8000 or +8613800138000", []),
    ("mobile 13800138000", []),
    ("office 010-6552 9988, fax 010-6552 9989", []),
    ("手机 86 138 0013 8000", []),
    ("0086 138 0013 8000", []),
    ("hotline 400-820-8820 ext. 1234", []),
    ("two mobiles 13800138000 / 13900139000", []),
    ("amount 1,234,567.89 CNY", []),
    ("budget ¥12 000 000", []),
    ("budget 150000-200000, 200 staff", []),
    ("delivery on 2026-12-02", []),
    ("delivery on 2026/12/02", []),
    ("delivery on 20261202", []),
    ("from 2026.12.02 to 2026.12.31", []),
    ("window 2026-12-02 - 2026-12-31", []),
    ("meeting 2026-12-02 14:00-16:00, room 301", []),
    ("order S00042", []),
    ("invoice 20240301-0001, order 1234567890", []),
    ("postcode 100020, Beijing", []),
    ("product code ABC-2026-0042", []),
    ("EAN 6901234567892", []),
    ("years 2023 2024 2025 2026", []),
    ("quantities 1000 2000 3000 4000", []),
    ("quantities 100 200 300 400 500 600", []),
    ("税号 91110108551385082Q", []),
    ("ID with wrong check digit 110105194912310021", []),
    ("ref 11010519491231002", []),
    ("month 13: 110105194913310021", []),
    ("born in 2099: 110105209912310010", []),
    ("no such province: 000105194912310024", []),
    ("card with a bad checksum 4111 1111 1111 1112", []),
    ("<table><tr><td>35000</td><td>12000</td><td>8000</td></tr></table>", []),
    ("金额￥１２３，４５６．７８", []),
    ("1 2 3 4 5 6 7 8 9 10 11 12", []),
    ("&lt;b&gt;1234&lt;/b&gt; 5678", []),
    ("call 010-6552 9988 or 13800138000 / 2026-12-02 4111", []),
    ("numbers 2024-2025 2026.2027 1000/2000", []),
    (
        "Q1: target 1000, actual 950 (95%), YoY +12%, MoM +8%; East 300 -> 330; call Zhang "
        "on 13800138000 before 2026-04-10; order S00042 of ¥1,234,567.89.",
        [],
    ),
]


def test_samples_cover_the_issue():
    assert len(POSITIVE) >= 30 and len(NEGATIVE) >= 30


@pytest.mark.parametrize("text, kinds", POSITIVE)
def test_sensitive_number_found(sensitive_data, text, kinds):
    assert sensitive_data.find_sensitive_numbers(text) == kinds


@pytest.mark.parametrize("text, kinds", NEGATIVE)
def test_ordinary_text_accepted(sensitive_data, text, kinds):
    assert sensitive_data.find_sensitive_numbers(text) == kinds


def test_normalize_text(sensitive_data):
    normalize = sensitive_data.normalize_text
    assert normalize("１２３Ｘ－４") == "123X-4"
    assert normalize("<p>a<b>1</b>2</p><p>3<br/>4</p>") == "\na12\n\n3\n4\n"
    assert normalize("1&nbsp;2&#8203;3 &lt;b&gt;") == "1 23 <b>"
    assert normalize("price < 100 and > 50") == "price < 100 and > 50", "not a tag"


def test_id_number_not_reported_as_card_too(sensitive_data):
    # whatever its Luhn sum, an 18-character ID number is reported once, as an ID
    for number in ("11010519491231002X", "440524188001010014"):
        if sensitive_data.is_resident_id(number):
            assert sensitive_data.find_sensitive_numbers(number) == ["resident_id"]
    # these ID numbers pass the Luhn check, whole or their first 16 digits in groups of four
    for text in ("440306198511110109", "4403 0619 8511 1100 02", "ID4403061985111100 02"):
        assert sensitive_data.find_sensitive_numbers(text) == ["resident_id"], text
