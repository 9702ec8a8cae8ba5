"""The Unique Pupil Number (UPN) and its check letter.

Source: DfE, "Unique pupil numbers (UPNs): guidance for schools and local authorities" and the
DfE common basic data set (CBDS) data standard, as summarised in DOMAIN.md section 6.3:

- 13 characters. A permanent UPN is a check letter and 12 digits; a temporary UPN is a check
  letter, 11 digits and a final letter.
- The check letter: multiply each character in positions 2 to 13 by its position number, a
  temporary UPN's final letter counting as its value in the check-letter table (A=0, B=1 ...),
  add the products, take the sum modulo 23 and map the remainder through the table.
- The table is A to Z without I, O and S, which are never used as the check letter nor as a
  temporary UPN's final letter.

DfE's Multiplication Tables Check code scores any non-digit as 0, which is wrong for temporary
UPNs ending in anything but A; Harbour follows the data standard (the letter's value). We do not
check digits 2 to 4 against the list of local authority codes: the list changes with local
government reorganisation and a wrong code is caught by the check letter only by chance, so a
school keeps the UPN its MIS gave it.
"""

import re

from django.core.exceptions import ValidationError

# 23 letters: the remainder modulo 23 indexes this string.
CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"

# ASCII only: ``\d`` and ``str.isdigit()`` also accept Arabic-Indic, fullwidth and other digits,
# which would pass the check letter ("٠" is worth 0) and then fail in the MIS and the CTF.
_SHAPE = re.compile(r"[A-Z][0-9]{11}[0-9A-Z]", re.ASCII)
_ASCII_DIGITS = frozenset("0123456789")


def normalise_upn(value: str) -> str:
    """Upper case, without the spaces a person may type between groups of digits."""
    return re.sub(r"\s+", "", value or "").upper()


def check_letter(tail: str) -> str:
    """The check letter for the 12 characters that follow it (positions 2 to 13)."""
    if len(tail) != 12:
        raise ValueError("A UPN has 12 characters after the check letter")
    total = 0
    for position, char in enumerate(tail, start=2):
        if char in _ASCII_DIGITS:
            value = int(char)
        elif position == 13 and char in CHECK_LETTERS:
            value = CHECK_LETTERS.index(char)
        else:
            raise ValueError(f"{char!r} cannot appear at position {position} of a UPN")
        total += value * position
    return CHECK_LETTERS[total % 23]


def is_temporary(upn: str) -> bool:
    return normalise_upn(upn)[-1:].isalpha()


def upn_problem(value: str) -> str | None:
    """Why ``value`` is not a valid UPN, in words a teacher can act on; None when it is valid."""
    upn = normalise_upn(value)
    if len(upn) != 13:
        return "A UPN is 13 characters long: a letter, then 12 digits (or 11 digits and a letter)"
    if not _SHAPE.fullmatch(upn):
        return "A UPN is a letter, then 12 digits (or 11 digits and a letter for a temporary UPN)"
    if upn[0] not in CHECK_LETTERS or upn[12] in "IOS":
        return "A UPN never contains the letters I, O or S"
    if check_letter(upn[1:]) != upn[0]:
        return "This UPN's check letter does not match its digits: check it against your MIS"
    return None


def validate_upn(value: str) -> None:
    """A Django validator: raises ValidationError for an invalid UPN."""
    problem = upn_problem(value)
    if problem:
        raise ValidationError(problem, code="invalid_upn")


def is_valid_upn(value: str) -> bool:
    return upn_problem(value) is None
