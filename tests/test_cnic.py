"""CNIC numbers as trainees type them."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.lib.cnic import DOCUMENTED_PATTERN, InvalidCNICError, format_cnic, normalise_cnic


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("35202-1234567-1", "3520212345671"),
        ("3520212345671", "3520212345671"),
        (" 35202 1234567 1 ", "3520212345671"),
        ("۳۵۲۰۲-۱۲۳۴۵۶۷-۱", "3520212345671"),
        ("35202–1234567–1", "3520212345671"),
    ],
)
def test_accepted_spellings(typed: str, digits: str) -> None:
    assert normalise_cnic(typed) == digits


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "3520-1234567-1",
        "35202-1234567-12",
        "35202-123456X-1",
        "abc",
        "３５２０２１２３４５６７１x",
    ],
)
def test_malformed_numbers_are_refused(typed: str) -> None:
    with pytest.raises(InvalidCNICError):
        normalise_cnic(typed)


def test_display_groups_the_digits() -> None:
    assert format_cnic("3520212345671") == "35202-1234567-1"


@given(st.from_regex(DOCUMENTED_PATTERN))
def test_every_number_the_api_document_allows_is_accepted(typed: str) -> None:
    """The OpenAPI pattern never allows what the lookup would refuse."""
    assert len(normalise_cnic(typed)) == 13


@pytest.mark.parametrize(
    ("typed", "documented"),
    [
        ("35202-1234567-1", True),
        ("3520212345671", True),
        ("352021234567-1", True),
        ("35202-12345671", True),
        ("3520-1234567-1", False),
        ("35202--1234567-1", False),
        ("۳۵۲۰۲-۱۲۳۴۵۶۷-۱", False),  # accepted by the lookup, not advertised
    ],
)
def test_the_documented_pattern(typed: str, documented: bool) -> None:
    assert bool(re.fullmatch(DOCUMENTED_PATTERN.strip("^$"), typed)) is documented
