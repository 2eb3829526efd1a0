"""CNIC numbers as trainees type them."""

from __future__ import annotations

import pytest

from app.lib.cnic import InvalidCNICError, format_cnic, normalise_cnic


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
