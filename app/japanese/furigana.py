"""Furigana: Japanese text as ruby segments, their HTML, and whole-text readings.

Readings come from the tokenizer (UniDic), corrected where its first choice is not what a
learner is taught: UniDic reads 私 as わたくし, 日本 as にっぽん and 四時 as よんじ, and it
leaves sound changes between a number and its counter (一本 いっぽん, 三分 さんぷん) to
the reader. Word corrections are the small tables below, numbers and counters are
:mod:`app.japanese.numbers`; anything they do not cover is the author's to fix with
``{漢字|かんじ}``, which always wins over the engine.

Malformed author syntax never raises here: a ``{`` that does not open a well-formed
``{base|reading}`` is shown as the characters it is, because a page must render even when
an author slips. Loaders call :func:`check_syntax` first and refuse the file instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from app.japanese.numbers import NumberSpan, find_number, read_number
from app.japanese.text import has_kana, to_hiragana
from app.japanese.tokenizer import Token, tokenize

__all__ = ["Segment", "check_syntax", "plain_text", "reading", "segments", "to_html"]

# Whitespace is excluded so that "{ }" or a brace in prose can never swallow a line.
_AUTHOR_RUBY = re.compile(r"\{([^{}|\s]+)\|([^{}|\s]+)\}")
_KANA_READING = re.compile(r"[\u3041-\u3096\u309d\u309e\u30a1-\u30fa\u30fc-\u30fe]+")
# What sits under the ruby. Wider than text.has_kanji, which the checker relies on as it
# is: 〇 (二〇二六) and the small ヵ (三ヵ月) behave like kanji here, and kanji outside the
# Basic Multilingual Plane (𠮟る) need their reading as much as any other.
_KANJI_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff々〆〇ヶヵ"
_KANJI_LIKE = re.compile(f"[{_KANJI_CLASS}]")
_RUNS = re.compile(f"[{_KANJI_CLASS}]+|[^{_KANJI_CLASS}]+")


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of text and its ruby; ``reading`` is None for text that needs none."""

    text: str
    reading: str | None


@dataclass(frozen=True, slots=True)
class _Piece:
    """A segment plus how it sounds, which ``reading()`` needs even where no ruby is shown."""

    segment: Segment
    kana: str


def _has_kanji_like(text: str) -> bool:
    """Whether ``text`` has a character that takes ruby (see ``_KANJI_CLASS``)."""
    return _KANJI_LIKE.search(text) is not None


# --- author syntax ----------------------------------------------------------------------


def _author_runs(text: str) -> Iterator[tuple[str, str | None]]:
    """Yield (plain text, None) and (base, reading) runs; malformed syntax stays plain."""
    cursor = 0
    for match in _AUTHOR_RUBY.finditer(text):
        if match.start() > cursor:
            yield text[cursor : match.start()], None
        yield match.group(1), match.group(2)
        cursor = match.end()
    if cursor < len(text):
        yield text[cursor:], None


def plain_text(text: str, *, use_readings: bool = False) -> str:
    """Text without author syntax: each ``{base|reading}`` becomes its base, or its reading.

    ``use_readings=True`` is for speech, so that audio says what the author wrote above
    the kanji rather than the speech engine's guess.
    """
    return "".join(
        (ruby if use_readings else base) if ruby is not None else base
        for base, ruby in _author_runs(text)
    )


def check_syntax(text: str, *, first_line: int = 1) -> list[str]:
    """Problems with author furigana, as "line L, column C: reason" (1-based).

    ``first_line`` is the file line ``text`` starts on, so a loader that strips front matter
    can still point at the right line. An empty list means every brace is well formed.
    """
    problems: list[str] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        well_formed = {m.start(): m for m in _AUTHOR_RUBY.finditer(line)}
        column = 0
        while column < len(line):
            match = well_formed.get(column)
            if match is not None:
                if not _KANA_READING.fullmatch(match.group(2)):
                    problems.append(
                        f"line {number}, column {column + 1}: the reading "
                        f"{match.group(2)!r} is not written in kana"
                    )
                column = match.end()
                continue
            char = line[column]
            if char == "}":
                problems.append(f"line {number}, column {column + 1}: '}}' without a '{{'")
            elif char == "{":
                reason, resume = _brace_problem(line, column)
                problems.append(f"line {number}, column {column + 1}: {reason}")
                column = resume
            column += 1
    return problems


def _brace_problem(line: str, start: int) -> tuple[str, int]:
    """Why the ``{`` at ``start`` does not open a well-formed ``{base|reading}``.

    Also returns where scanning resumes: past the closing ``}`` when there is one, so that
    brace is not reported a second time.
    """
    end = line.find("}", start + 1)
    nested = line.find("{", start + 1)
    if end == -1:
        return "'{' is not closed on this line; write {漢字|かんじ}", start
    if nested != -1 and nested < end:
        return "'{' inside another '{'; furigana cannot nest", start
    body = line[start + 1 : end]
    if "|" not in body:
        reason = f"'{{{body}}}' has no '|'; write {{漢字|かんじ}}"
    elif body.count("|") > 1:
        reason = f"'{{{body}}}' has more than one '|'"
    elif not body.split("|")[0].strip():
        reason = "the text before '|' is empty"
    elif not body.split("|")[1].strip():
        reason = f"the reading of {body.split('|')[0]!r} is empty"
    else:
        reason = "spaces are not allowed inside {漢字|かんじ}"
    return reason, end


# --- readings the dictionary gets wrong for learners --------------------------------------

# UniDic's first choice is a valid reading but not the one N5/N4 textbooks teach.
_LEARNER_READINGS = {"私": "わたし", "日本": "にほん", "明日": "あした"}
# お父さん: UniDic reads 父 as ちち whatever follows.
_FAMILY_BEFORE_SAN = {"父": "とう", "母": "かあ", "兄": "にい", "姉": "ねえ"}
# 何 is なん before t-, d- and n- sounds (but not に), なに elsewhere.
_NAN_BEFORE = frozenset("たちつてとだぢづでどなぬねの")


def _word_reading(tokens: tuple[Token, ...], i: int) -> str:
    """The hiragana reading of tokens[i], with the context UniDic does not apply."""
    token = tokens[i]
    before = tokens[i - 1] if i > 0 else None
    after = tokens[i + 1] if i + 1 < len(tokens) else None
    surface = token.surface
    if surface in _LEARNER_READINGS:
        return _LEARNER_READINGS[surface]
    if surface in _FAMILY_BEFORE_SAN and after is not None and after.surface in ("さん", "ちゃん"):
        return _FAMILY_BEFORE_SAN[surface]
    if surface == "日" and before is not None and before.surface.endswith("曜"):
        return "び"  # 月曜日: UniDic leaves 日 as ひ
    if (
        surface == "人"
        and token.pos[0] == "接尾辞"
        and before is not None
        and (before.pos[2] == "地名" or before.surface == "外国")
    ):
        return "じん"  # 日本人, パキスタン人: UniDic says にん
    if surface == "何":
        following = to_hiragana(after.reading or after.surface) if after else ""
        return "なん" if following[:1] in _NAN_BEFORE else "なに"
    return to_hiragana(token.reading)


# --- putting it together ------------------------------------------------------------------


def _align(surface: str, kana: str) -> list[_Piece]:
    """Split one word's reading over its kanji runs, leaving okurigana outside the ruby.

    The kana in the surface anchor the match (食べる + たべる → 食|た, べる). When the
    word mixes kanji with digits or letters, or the reading does not fit the spelling,
    the whole word gets the whole reading rather than a wrong split.
    """
    if not _has_kanji_like(surface):
        return [_Piece(Segment(surface, None), to_hiragana(surface))]
    if not kana:
        return [_Piece(Segment(surface, None), surface)]
    runs = _RUNS.findall(surface)
    if any(not _has_kanji_like(run) and not all(has_kana(ch) for ch in run) for run in runs):
        return [_Piece(Segment(surface, kana), kana)]
    pattern = "".join(
        "(.+?)" if _has_kanji_like(run) else re.escape(to_hiragana(run)) for run in runs
    )
    match = re.fullmatch(pattern, to_hiragana(kana))
    if match is None or len(runs) == 1:
        return [_Piece(Segment(surface, kana), kana)]
    groups = iter(match.groups())
    pieces = []
    for run in runs:
        if _has_kanji_like(run):
            ruby = next(groups)
            pieces.append(_Piece(Segment(run, ruby), ruby))
        else:
            pieces.append(_Piece(Segment(run, None), to_hiragana(run)))
    return pieces


def _number_pieces(tokens: tuple[Token, ...], start: int, span: NumberSpan) -> list[_Piece]:
    """Pieces for a number and the counter after it (三本 → 三|さん, 本|ぼん)."""
    after_month = start > 0 and tokens[start - 1].surface.endswith("月")
    said = read_number(span.number, span.counter, after_month=after_month)
    if said.whole:
        return _align(span.number + (span.counter or ""), said.whole)
    pieces = _align(span.counter, said.counter) if span.counter and said.counter else []
    if _has_kanji_like(span.number):
        return [_Piece(Segment(span.number, said.number), said.number), *pieces]
    return [_Piece(Segment(span.number, None), said.number), *pieces]


def _plain_pieces(text: str) -> Iterator[_Piece]:
    """Pieces for text without author syntax, keeping the spaces MeCab drops."""
    tokens = tokenize(text)
    starts: list[int] = []
    cursor = 0
    for token in tokens:
        found = text.find(token.surface, cursor)
        if found == -1:  # never expected; keep the rest visible rather than lose it
            break
        starts.append(found)
        cursor = found + len(token.surface)
    tokens = tokens[: len(starts)]
    ends = [s + len(t.surface) for s, t in zip(starts, tokens, strict=True)]
    attached = [j > 0 and starts[j] == ends[j - 1] for j in range(len(tokens))]

    cursor = i = 0
    while i < len(tokens):
        if starts[i] > cursor:
            gap = text[cursor : starts[i]]
            yield _Piece(Segment(gap, None), gap)
        span = find_number(tokens, i, attached)
        if span is None:
            yield from _align(tokens[i].surface, _word_reading(tokens, i))
            i += 1
        else:
            yield from _number_pieces(tokens, i, span)
            i += span.length
        cursor = ends[i - 1]
    if cursor < len(text):
        yield _Piece(Segment(text[cursor:], None), text[cursor:])


@lru_cache(maxsize=2048)
def _analyse(text: str) -> tuple[_Piece, ...]:
    """Every piece of ``text``, neighbouring pieces without ruby joined into one."""
    pieces: list[_Piece] = []
    for base, ruby in _author_runs(text):
        if ruby is None:
            pieces.extend(_plain_pieces(base))
        else:
            pieces.extend(
                _align(base, ruby) if _has_kanji_like(base) else [_Piece(Segment(base, ruby), ruby)]
            )
    joined: list[_Piece] = []
    for piece in pieces:
        if not piece.segment.text:
            continue
        if joined and piece.segment.reading is None and joined[-1].segment.reading is None:
            last = joined.pop()
            piece = _Piece(
                Segment(last.segment.text + piece.segment.text, None), last.kana + piece.kana
            )
        joined.append(piece)
    return tuple(joined)


def segments(text: str) -> list[Segment]:
    """Ruby segments of ``text``: kanji runs with hiragana readings, everything else bare.

    The segments' texts joined give ``plain_text(text)``: nothing is lost or reordered.
    """
    return [piece.segment for piece in _analyse(text)]


def reading(text: str) -> str:
    """The whole text in hiragana, for audio and search; digits are read, は stays は."""
    return "".join(to_hiragana(piece.kana) for piece in _analyse(text))


def to_html(text: str, *, known_kanji: Callable[[str], bool] | None = None) -> Markup:
    """``<ruby>食<rt>た</rt></ruby>べる``: the text as HTML with furigana, all escaped.

    ``known_kanji`` lets a trainee hide furigana above kanji they have learnt: a segment
    whose kanji all satisfy it is shown bare. Without it, every kanji gets its reading.
    """
    parts = []
    for segment in segments(text):
        bare = segment.reading is None or (
            known_kanji is not None
            and _has_kanji_like(segment.text)
            and all(known_kanji(ch) for ch in _kanji_proper(segment.text))
        )
        if bare:
            parts.append(escape(segment.text))
        else:
            parts.append(Markup("<ruby>%s<rt>%s</rt></ruby>") % (segment.text, segment.reading))
    return Markup("").join(parts)


def _kanji_proper(text: str) -> list[str]:
    """The ideographs in text: 々 and ヶ are marks, not kanji anyone learns."""
    return [ch for ch in text if _KANJI_LIKE.match(ch) and ch not in "々〆ヶヵ"]
