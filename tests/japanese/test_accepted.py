"""The accepted-answer syntax authors write."""

from __future__ import annotations

import pytest

from app.japanese.accepted import AcceptedSyntaxError, check, expand, expand_all


@pytest.mark.parametrize(
    ("entry", "answers"),
    [
        ("食べます", ["食べます"]),
        ("(私は)毎朝パンを食べます。", ["私は毎朝パンを食べます。", "毎朝パンを食べます。"]),
        ("毎朝[パン|ご飯]を食べます。", ["毎朝パンを食べます。", "毎朝ご飯を食べます。"]),
        (
            "(私は)[パン|ご飯]を食べます",
            ["私はパンを食べます", "私はご飯を食べます", "パンを食べます", "ご飯を食べます"],
        ),
        ("[big|large|huge]", ["big", "large", "huge"]),
        ("(honorable) older brother", ["honorable older brother", "older brother"]),
        ("（私は）学生です", ["（私は）学生です"]),  # full-width brackets are not syntax
    ],
)
def test_expansion(entry: str, answers: list[str]) -> None:
    assert list(expand(entry)) == answers


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("(私は毎朝", "never closed"),
        ("パン]を", "no opening bracket"),
        ("[パン]", "alternatives are written"),
        ("[パン|]", "alternatives are written"),
        ("[パン|(ご飯)]", "nested"),
        ("()", "optional part"),
        ("パン|ご飯", "belongs inside"),
        ("( )", "optional part"),
    ],
)
def test_malformed_syntax_is_explained(entry: str, reason: str) -> None:
    with pytest.raises(AcceptedSyntaxError, match=reason):
        expand(entry)
    assert reason in (check(entry) or "")


def test_entries_are_merged_without_repeats() -> None:
    assert expand_all(["[a|b]", "b", "c"]) == ("a", "b", "c")
