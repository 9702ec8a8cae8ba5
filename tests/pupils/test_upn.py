"""UPN check letters: DfE data standard, as worked in DOMAIN.md 6.3."""

import pytest
from django.core.exceptions import ValidationError

from pupils.upn import check_letter, is_temporary, is_valid_upn, normalise_upn, validate_upn


def test_permanent_upn_from_the_python_stdnum_documentation_is_valid():
    # Sum of products 93, 93 mod 23 = 1 -> B.
    assert check_letter("801200005001") == "B"
    assert is_valid_upn("B801200005001")


def test_the_supplier_help_articles_worked_example_is_invalid():
    # The article says Q; the products sum to 266 and 266 mod 23 = 13 -> P.
    assert not is_valid_upn("B207000016049")
    assert not is_valid_upn("Q207000016049")
    assert check_letter("207000016049") == "P"
    assert is_valid_upn("P207000016049")


def test_temporary_upn_uses_the_final_letters_value():
    # Final letter A = 0: sum 80, 80 mod 23 = 11 -> M.
    assert is_valid_upn("M80120000500A")
    assert is_temporary("M80120000500A")
    # Final letter B = 1 adds 13: sum 93 -> B.
    assert is_valid_upn("B80120000500B")
    assert not is_valid_upn("M80120000500B")


def test_dfe_mtc_scoring_of_letters_as_zero_is_not_followed():
    # Scoring the final B as 0 would give M; the data standard gives B.
    assert not is_valid_upn("M80120000500B")


@pytest.mark.parametrize("letter", ["I", "O", "S"])
def test_letters_i_o_and_s_are_never_valid(letter):
    assert not is_valid_upn(f"{letter}801200005001")
    assert not is_valid_upn(f"M80120000500{letter}")


@pytest.mark.parametrize(
    "value",
    ["", "B80120000500", "B8012000050011", "8801200005001", "B80120000A001", "BB01200005001"],
)
def test_wrong_shapes_are_refused(value):
    assert not is_valid_upn(value)


def test_spaces_and_lower_case_are_normalised():
    assert normalise_upn(" b801 2000 05001 ") == "B801200005001"
    assert is_valid_upn("b801 2000 05001")


def test_validator_says_what_is_wrong():
    with pytest.raises(ValidationError, match="check letter"):
        validate_upn("A801200005001")
    with pytest.raises(ValidationError, match="13 characters"):
        validate_upn("B8012")
    with pytest.raises(ValidationError, match="I, O or S"):
        validate_upn("M80120000500O")
    validate_upn("B801200005001")


def test_every_tail_has_exactly_one_valid_check_letter():
    tail = "873400025017"
    valid = [c for c in "ABCDEFGHJKLMNPQRTUVWXYZ" if is_valid_upn(c + tail)]
    assert valid == [check_letter(tail)]


@pytest.mark.parametrize(
    "value",
    [
        "B٨٠١٢٠٠٠٠٥٠٠١",  # Arabic-Indic digits: str.isdigit() says yes
        "B8012000050٠1",  # one of them among ASCII digits
        "B８０１２００００５００１",  # fullwidth digits
        "Ｂ801200005001",  # a fullwidth letter
        "M80120000500Ａ",
    ],
)
def test_only_ascii_letters_and_digits_make_a_upn(value):
    assert not is_valid_upn(value)
    with pytest.raises(ValidationError):
        validate_upn(value)


def test_check_letter_refuses_non_ascii_digits():
    with pytest.raises(ValueError):
        check_letter("٨٠١٢٠٠٠٠٥٠٠١")
