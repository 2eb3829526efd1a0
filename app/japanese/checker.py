"""The answer checker: one entry point for every kind of typed answer (GRADING.md).

Quiz pages, the question editor's preview, the exam and ``python -m app.japanese grade``
all call ``check``. It is pure: strings in, a ``Verdict`` out, nothing recorded.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

from app.japanese.accepted import AcceptedSyntaxError, expand_all
from app.japanese.answer import Answer, Reading, read_answer
from app.japanese.diagnosis import diagnose
from app.japanese.feedback import Feedback, Verdict, correct, feedback, incorrect
from app.japanese.kanji_readings import is_other_reading, reads_as
from app.japanese.meaning import check_meaning
from app.japanese.reference import Reference, analyse
from app.japanese.text import (
    has_katakana,
    kanji_count,
    normalise_japanese,
    pronunciation_key,
    to_hiragana,
)

KINDS = ("reading", "meaning", "word", "conjugation", "sentence")
_KATAKANA_RUN = re.compile(r"[ァ-ヺー]+")


class CheckError(ValueError):
    """The question itself cannot be checked (unknown kind, bad accepted answers)."""


def check(kind: str, accepted: Iterable[str], answer: str, *, prompt: str | None = None) -> Verdict:
    """Grade one answer. Raises ``CheckError`` only for a broken question, never for
    anything a learner can type."""
    if kind not in KINDS:
        raise CheckError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    accepted = tuple(a for a in accepted if isinstance(a, str))
    if not accepted:
        raise CheckError("no accepted answers")
    try:
        variants = expand_all(accepted)
    except AcceptedSyntaxError as error:
        raise CheckError(str(error)) from None
    if not isinstance(answer, str):
        answer = ""
    if kind == "meaning":
        return check_meaning(variants, answer)
    if kind == "reading":
        return check_reading(variants, answer, prompt=prompt)
    return check_japanese(variants, answer, kind=kind)


# ---- reading: kana for a word written in kanji -------------------------------------------


def check_reading(variants: tuple[str, ...], answer: str, *, prompt: str | None) -> Verdict:
    given = read_answer(answer)
    if given.is_empty:
        return incorrect(feedback("empty"))
    if given.is_english:
        return incorrect(feedback("not-japanese"), retry=True)
    if given.too_long:
        return incorrect(feedback("wrong-word", message_id="too-long"))
    if not given.from_romaji and any(kanji_count(r.text) for r in given.readings):
        return incorrect(feedback("script", message_id="script-kanji"), retry=True)
    expected = [normalise_japanese(v) for v in variants]
    wanted = {to_hiragana(e): e for e in expected}
    wanted_prons = {pronunciation_key(e): e for e in expected}
    for reading in given.readings:
        kana = to_hiragana(reading.text)
        if kana in wanted:
            return _reading_match(wanted[kana], reading.text, given)
        if given.from_romaji and pronunciation_key(kana) in wanted_prons:
            return _reading_match(wanted_prons[pronunciation_key(kana)], reading.text, given)
    got = given.readings[0].text if given.readings else given.normal
    kana = to_hiragana(got)
    retry = (prompt is not None and reads_as(normalise_japanese(prompt), kana)) or is_other_reading(
        to_hiragana(expected[0]), kana, prompt
    )
    message = "other-reading" if retry else "wrong-reading"
    return incorrect(
        feedback("wrong-word", expected=expected[0], got=got, message_id=message), retry=retry
    )


def _reading_match(expected: str, got: str, given: Answer) -> Verdict:
    items: list[Feedback] = []
    if given.from_romaji:
        items.append(feedback("romaji", got=expected))
    elif got != expected:
        items.append(feedback("script", expected=expected, got=got))
    return correct(*items, matched=expected)


# ---- word, conjugation and sentence --------------------------------------------------------


def check_japanese(variants: tuple[str, ...], answer: str, *, kind: str) -> Verdict:
    sentence = kind == "sentence"
    given = read_answer(answer)
    if given.is_empty:
        return incorrect(feedback("empty"))
    if given.is_english:
        return incorrect(feedback("not-japanese"))
    if given.too_long:
        code = "extra-word" if kind == "sentence" else "wrong-word"
        return incorrect(feedback(code, message_id="too-long"))
    references = [analyse(v, sentence=sentence) for v in variants]
    for reference in references:  # written exactly as accepted: nothing more to work out
        if given.normal in reference.surfaces:
            return correct(matched=reference.text)
    for reading in given.readings:
        for reference in references:
            verdict = _match(reference, reading, given)
            if verdict is not None:
                return verdict
    best_reading, best_reference, similarity = _closest(given.readings, references)
    items = diagnose(best_reference, best_reading.text, kind=kind)
    spelling = _spelling_only(best_reference, best_reading, given)
    if spelling is not None:
        items = [spelling]
    # Some credit for a near miss, never enough to round up to right.
    score = round(min(0.9, similarity * 0.5), 2)
    return incorrect(*items, score=score, matched=best_reference.text)


def _match(reference: Reference, reading: Reading, given: Answer) -> Verdict | None:
    """Correct (with informational feedback) if the answer is this reference, however
    spelt; None otherwise."""
    text = reading.text
    same_sounds = (
        bool(reading.readings & reference.readings)
        or bool(reading.readings & reference.all_readings)
        or (given.from_romaji and bool(reading.prons & reference.prons))
    )
    if text not in reference.surfaces and not same_sounds:
        return None
    if text not in reference.surfaces and not _kanji_words_agree(reference, reading):
        return None  # a homophone written with other kanji (橋 for 箸) is another word
    items: list[Feedback] = []
    if given.from_romaji:
        items.append(feedback("romaji", got=text))
    elif text not in reference.surfaces:
        items += _script_notes(reference, text)
    return correct(*items, matched=reference.text)


def _kanji_words_agree(reference: Reference, reading: Reading) -> bool:
    """Every kanji word in the answer is a word of the reference (kanji may be used where
    the reference has kana, but only for the same word)."""
    return not reading.has_kanji or all(
        token.lemma in reference.lemmas or token.surface in reference.text
        for token in reading.tokens
        if kanji_count(token.surface)
    )


def _script_notes(reference: Reference, text: str) -> list[Feedback]:
    items: list[Feedback] = []
    if kanji_count(text) < kanji_count(reference.text):
        items.append(feedback("kana-spelling", expected=reference.text, got=text))
    for run in _KATAKANA_RUN.findall(reference.text):
        if run != "ー" and run not in text and to_hiragana(run) in text:
            items.append(feedback("script", expected=run, got=to_hiragana(run)))
    if has_katakana(text):
        for run in _KATAKANA_RUN.findall(text):
            hira = to_hiragana(run)
            if run != "ー" and run not in reference.text and hira in reference.text:
                items.append(feedback("script", expected=hira, got=run))
    return items


def _spelling_only(reference: Reference, reading: Reading, given: Answer) -> Feedback | None:
    """Sounds right but is spelt wrong in kana: は written わ, を written お, せんせえ."""
    if given.from_romaji or reading.first_pron not in reference.written_prons:
        return None
    for wrong, right in (("わ", "は"), ("お", "を"), ("え", "へ")):
        if wrong in reading.text and right in reference.text:
            return feedback("particle", expected=right, got=wrong, message_id="particle-spelling")
    return feedback("wrong-word", expected=reference.text, got=reading.text)


def _closest(
    readings: tuple[Reading, ...], references: list[Reference]
) -> tuple[Reading, Reference, float]:
    """The reading of the answer and the reference that are most alike (to explain the
    difference against), with how alike they are (0 to 1)."""
    best: tuple[float, Reading, Reference] | None = None
    for reading in readings:
        mine = min(reading.readings, default=reading.text)
        for reference in references:
            theirs = min(reference.readings, default=reference.text)
            score = difflib.SequenceMatcher(None, mine, theirs, autojunk=False).ratio()
            if best is None or score > best[0]:
                best = (score, reading, reference)
    assert best is not None  # there is always at least one reading and one reference
    return best[1], best[2], best[0]


# ---- JSON Lines, for the command line and outside tools -------------------------------------


def grade_line(line: str) -> dict[str, Any]:
    """One line of ``python -m app.japanese grade``: a verdict or an error, never a raise."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as error:
        return {"id": None, "error": f"not valid JSON: {error.msg}"}
    if not isinstance(item, dict):
        return {"id": None, "error": "each line must be a JSON object"}
    item_id = item.get("id")
    missing = [f for f in ("kind", "accepted", "answer") if f not in item]
    if missing:
        return {"id": item_id, "error": f"missing field: {', '.join(missing)}"}
    accepted = item["accepted"]
    if isinstance(accepted, str):
        accepted = [accepted]
    if not isinstance(accepted, list) or not all(isinstance(a, str) for a in accepted):
        return {"id": item_id, "error": "accepted must be a list of strings"}
    if not isinstance(item["answer"], str):
        return {"id": item_id, "error": "answer must be a string"}
    try:
        verdict = check(item["kind"], accepted, item["answer"], prompt=item.get("prompt"))
    except CheckError as error:
        return {"id": item_id, "error": str(error)}
    return {"id": item_id, **verdict.to_dict()}


def grade_jsonl(lines: Iterable[str]) -> Iterator[str]:
    for line in lines:
        if line.strip():
            yield json.dumps(grade_line(line), ensure_ascii=False)
