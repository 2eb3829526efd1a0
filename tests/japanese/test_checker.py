"""The checker's promises beyond the case table: it never raises on anything a learner
can type, stays fast on hostile input, explains in plain words and refuses broken items."""

from __future__ import annotations

import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.japanese.checker import KINDS, CheckError, check
from app.japanese.feedback import ERROR_CODES

SENTENCE = ["(私は)毎朝[パン|ご飯]を食べます。"]

HOSTILE = [
    "",
    " ",
    "x" * 10_000,
    "あ" * 10_000,
    "\x00\x01\x02\x1b[31m",
    "🙂🙂🙂",
    "パン🙂を食べます",
    "\ud800パン",
    "(((",
    "[パン|",
    "ｐａｎ ｗｏ ｔａｂｅｍａｓｕ",
    "わたしは pan を tabemasu",
    "<script>alert(1)</script>",
    "؟ میں روٹی کھاتا ہوں",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("answer", HOSTILE)
def test_hostile_answers_get_a_verdict_quickly(kind: str, answer: str) -> None:
    start = time.perf_counter()
    verdict = check(kind, SENTENCE if kind != "meaning" else ["to eat"], answer)
    assert time.perf_counter() - start < 0.5
    if not verdict.correct:
        assert verdict.codes
        assert verdict.codes[0] in ERROR_CODES
    assert all(item.message for item in verdict.feedback)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), answer=st.text(max_size=80))
def test_any_text_gets_a_verdict_never_an_exception(kind: str, answer: str) -> None:
    verdict = check(
        kind, ["駅で友達に会いました。"] if kind != "meaning" else ["(to) meet"], answer
    )
    assert verdict.correct in (True, False)
    assert 0.0 <= verdict.score <= 1.0


@pytest.mark.parametrize(
    ("kind", "accepted", "reason"),
    [
        ("haiku", ["x"], "unknown kind"),
        ("sentence", [], "no accepted answers"),
        ("sentence", ["(私は毎朝"], "never closed"),
        ("word", ["パン]"], "no opening bracket"),
    ],
)
def test_a_broken_question_is_a_clear_error(kind: str, accepted: list[str], reason: str) -> None:
    with pytest.raises(CheckError, match=reason):
        check(kind, accepted, "パン")


@pytest.mark.parametrize(
    ("accepted", "answer", "first_code", "expected", "got"),
    [
        (["駅で友達に会いました。"], "駅に友達に会いました", "particle", "で", "に"),
        (["パンを食べます。"], "ご飯を食べます", "wrong-word", "パン", "ご飯"),
        (["パンを食べます。"], "パンをたくさん食べます", "extra-word", None, "たくさん"),
        (["毎朝パンを食べます。"], "パンを食べます", "missing-word", "毎朝", None),
        (["食べました。"], "たべます", "tense", "食べました", "たべます"),
    ],
)
def test_feedback_names_the_differing_parts_in_the_learners_script(
    accepted, answer, first_code, expected, got
) -> None:
    item = check("sentence", accepted, answer).feedback[0]
    assert item.code == first_code
    assert item.expected == expected
    assert item.got == got


def test_messages_are_plain_and_translatable() -> None:
    item = check("sentence", ["駅で友達に会いました。"], "駅に友達に会いました").feedback[0]
    assert item.message == "Check the particle: use で here, not に."
    marked = item.message_in(lambda text: "» " + text)  # the web layer passes its gettext
    assert marked == "» Check the particle: use で here, not に."


def test_an_overlong_answer_is_refused_without_tokenising_it() -> None:
    start = time.perf_counter()
    verdict = check("sentence", SENTENCE, "パンを食べます" * 2000)
    assert time.perf_counter() - start < 0.05
    assert not verdict.correct
    assert verdict.feedback[0].message == "This answer is much longer than it should be."


def test_retry_for_another_real_reading_of_the_kanji() -> None:
    other = check("reading", ["にほんじん"], "にほんにん", prompt="日本人")
    assert other.retry
    assert other.feedback[0].message_id == "other-reading"
    made_up = check("reading", ["にほんじん"], "にほんぱん", prompt="日本人")
    assert not made_up.retry
