"""Pakistan's Computerised National Identity Card number (CNIC).

Stored as 13 digits so lookups by the recruitment system match however it was typed;
shown in the familiar ``#####-#######-#`` grouping.
"""

from __future__ import annotations

import re

_SEPARATORS = re.compile(r"[\s\-‐‑–—]")
_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")


# The forms the API documents for a CNIC in a path (OpenAPI pattern, ECMA-262 syntax).
# normalise_cnic accepts more (spaces, other dashes, Urdu digits); every string this
# pattern matches it accepts, so a client that checks against the document is never
# refused for the form of the number.
DOCUMENTED_PATTERN = r"^[0-9]{5}-?[0-9]{7}-?[0-9]$"


class InvalidCNICError(ValueError):
    """The text is not a 13-digit CNIC."""


def normalise_cnic(text: str) -> str:
    """Return the 13 digits of a CNIC typed with or without dashes (Urdu digits too)."""
    digits = _SEPARATORS.sub("", text.translate(_DIGITS))
    if len(digits) != 13 or not digits.isascii() or not digits.isdigit():
        raise InvalidCNICError(text)
    return digits


def format_cnic(digits: str) -> str:
    """Group 13 stored digits as ``#####-#######-#``."""
    return f"{digits[:5]}-{digits[5:12]}-{digits[12:]}"
