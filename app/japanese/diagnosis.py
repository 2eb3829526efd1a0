"""Why a Japanese answer is wrong: align it with the reference, word by word, and name
each difference with its GRADING.md code.

Kana answers are hard to split into words (MeCab reads まいあさ as interjections), so
before splitting, the spans of the answer that read like the reference's kanji words are
written with those kanji ("kanjified"). The answer is then split and aligned with the
reference; each difference keeps the learner's own spelling for ``got``.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from app.japanese.feedback import Feedback, feedback
from app.japanese.readings import sounds_of
from app.japanese.reference import Reference, is_particle
from app.japanese.text import has_kanji, to_hiragana
from app.japanese.tokenizer import Token, tokenize

PREDICATE_POS = ("動詞", "形容詞", "助動詞")
NOUN_POS = ("名詞", "代名詞", "接尾辞", "接頭辞", "形状詞")
# Conjugated forms of these start with other kana than the dictionary form (来る: きます,
# こない; いい: よくない), so a form of them is recognised by these openings too.
STEM_OPENINGS = {
    "来る": "来きくこ",
    "為る": "しすせさ",
    "良い": "良よい",
    "いい": "良よい",
    "無い": "あな",
}


@dataclass(frozen=True)
class Piece:
    """A token of the (kanjified) answer, with the learner's own spelling of it."""

    token: Token
    original: str


def kanjify(answer: str, reference: Reference) -> list[Piece]:
    """Split the answer into words, guided by the reference's kanji words."""
    hira = to_hiragana(answer)
    replacements: list[tuple[int, int, str]] = []
    cursor = 0
    for token in reference.tokens:
        if not has_kanji(token.surface):
            continue
        best: tuple[int, int] | None = None
        for sound in sounds_of(token):
            if len(sound.reading) < 2:
                continue
            start = hira.find(sound.reading, cursor)
            if start != -1 and (best is None or start < best[0]):
                best = (start, start + len(sound.reading))
        if best is not None:
            replacements.append((best[0], best[1], token.surface))
            cursor = best[1]
    text_parts: list[str] = []
    origin: list[tuple[int, int]] = []  # for each char of the new text: its original span
    position = 0
    for start, end, surface in replacements:
        for i in range(position, start):
            text_parts.append(answer[i])
            origin.append((i, i + 1))
        text_parts.append(surface)
        origin.extend([(start, end)] * len(surface))
        position = end
    for i in range(position, len(answer)):
        text_parts.append(answer[i])
        origin.append((i, i + 1))
    text = "".join(text_parts)
    pieces: list[Piece] = []
    offset = 0
    for token in tokenize(text):
        spans = origin[offset : offset + len(token.surface)]
        offset += len(token.surface)
        start, end = (spans[0][0], spans[-1][1]) if spans else (0, 0)
        pieces.append(Piece(token, answer[start:end]))
    return pieces


def _key(token: Token) -> str:
    return to_hiragana(token.reading or token.surface)


def _text(tokens: list[Token]) -> str:
    return "".join(t.surface for t in tokens)


def _predicate_start(tokens: list[Token]) -> int:
    """Where the final verb or adjective and its endings begin; a noun or na-adjective
    before a copula belongs to it (静かです, 会社員じゃないです)."""
    i = len(tokens)
    while i > 0 and (tokens[i - 1].pos[0] in PREDICATE_POS or _is_ending(tokens[i - 1])):
        i -= 1
    copula = i < len(tokens) and tokens[i].pos[0] == "助動詞" and tokens[i].lemma in ("だ", "です")
    if copula or (i > 0 and tokens[i - 1].pos[0] == "形状詞"):
        while i > 0 and tokens[i - 1].pos[0] in NOUN_POS:
            i -= 1
    return i


def _align_predicate(ref_predicate: list[Token], ans_tokens: list[Token], start: int) -> int:
    """Move the answer's predicate start back to where the reference's predicate word
    begins, when MeCab split a misconjugated verb oddly (降ています: 降 | て | い | ます)."""
    if not ref_predicate:
        return start
    first = ref_predicate[0].surface[:1]
    for i in range(start - 1, -1, -1):
        if ans_tokens[i].surface[:1] == first:
            return i
        if is_particle(ans_tokens[i]):
            break
    return start


def _is_ending(token: Token) -> bool:
    return token.pos[0] == "助詞" and token.pos[1] in ("接続助詞", "終助詞")


# (feedback code, trait, word when the trait holds, word when it does not)
TRAIT_CODES = (
    ("tense", "past", "past", "nonpast"),
    ("polarity", "negative", "negative", "affirmative"),
    ("politeness", "polite", "polite", "plain"),
)


@dataclass(frozen=True)
class Traits:
    past: bool
    negative: bool
    polite: bool
    signature: tuple[str, ...]  # other endings (たい, られる, て...): the form itself


def traits(tokens: list[Token]) -> Traits:
    past = negative = polite = False
    signature: list[str] = []
    for t in tokens:
        if t.pos[0] == "助動詞":
            if t.lemma == "た":
                past = True
            elif t.lemma in ("ない", "ず", "ぬ"):
                negative = True
            elif t.lemma in ("ます", "です"):
                polite = True
            elif t.lemma == "だ":
                # だった is past; じゃ/で before ない or ありません is just the negative's stem.
                if t.conjugation_form.startswith("連用形-促音便"):
                    past = True
            else:
                signature.append(t.lemma)
        elif t.pos[0] == "形容詞" and t.lemma in ("無い", "ない"):
            negative = True
            if t.conjugation_form.startswith("連用形-促音便"):
                past = True
        elif t.pos[0] == "形容詞" and t.conjugation_form.startswith("連用形-促音便"):
            past = True
        elif _is_ending(t) and t.pos[1] == "接続助詞":
            signature.append("て" if t.surface == "で" else t.surface)  # 読んで is a て-form
    return Traits(past, negative, polite, tuple(signature))


def _content_lemma(tokens: list[Token]) -> str:
    for t in tokens:
        if t.pos[0] in ("動詞", "形容詞", "形状詞", "名詞", "代名詞") and t.lemma not in (
            "無い",
            "有る",
        ):
            return t.lemma
    return tokens[0].lemma if tokens else ""


def same_word(expected: list[Token], got: list[Token]) -> bool:
    """Is ``got`` (perhaps misconjugated) a form of the word in ``expected``?"""
    if not expected or not got:
        return False
    lemma = _content_lemma(expected)
    if lemma == _content_lemma(got):
        return True
    openings = STEM_OPENINGS.get(lemma, "") + expected[0].surface[:1] + _key(expected[0])[:1]
    return got[0].surface[:1] in openings or _key(got[0])[:1] in openings


def compare_predicates(expected: list[Token], got: list[Token], got_text: str) -> list[Feedback]:
    """Tense, polarity and politeness of the same word, or its form, or another word."""
    want, have = traits(expected), traits(got)
    exp_text = _text(expected)
    if not same_word(expected, got):
        return [feedback("wrong-word", expected=exp_text, got=got_text)]
    if want.signature != have.signature:
        return [feedback("conjugation", expected=exp_text, got=got_text)]
    items = [
        feedback(code, expected=exp_text, got=got_text,
                 expected_trait=yes if getattr(want, trait) else no,
                 got_trait=yes if getattr(have, trait) else no)
        for code, trait, yes, no in TRAIT_CODES
        if getattr(want, trait) != getattr(have, trait)
    ]  # fmt: skip
    return items or [feedback("conjugation", expected=exp_text, got=got_text)]


def diagnose(reference: Reference, answer_text: str, *, kind: str) -> list[Feedback]:
    """Every difference between the answer and one reference, best explanation first."""
    pieces = kanjify(answer_text, reference)
    ref_tokens = list(reference.tokens)
    ans_tokens = [p.token for p in pieces]
    if kind != "sentence":
        return _diagnose_word(ref_tokens, ans_tokens, reference.text, answer_text, kind=kind)
    ref_keys = [_key(t) for t in ref_tokens]
    ans_keys = [_key(t) for t in ans_tokens]
    if sorted(ref_keys) == sorted(ans_keys) and ref_keys != ans_keys:
        particle_swap = all(
            a == b or (is_particle(r) and is_particle(g))
            for a, b, r, g in zip(ref_keys, ans_keys, ref_tokens, ans_tokens, strict=True)
        )
        if not particle_swap:
            return [feedback("word-order", expected=reference.text, got=answer_text)]
        return [
            feedback("particle", expected=r.surface, got=p.original)
            for r, p in zip(ref_tokens, pieces, strict=True)
            if _key(r) != _key(p.token)
        ]

    ref_pred = _predicate_start(ref_tokens)
    ans_pred = _align_predicate(ref_tokens[ref_pred:], ans_tokens, _predicate_start(ans_tokens))
    items: list[Feedback] = []
    matcher = difflib.SequenceMatcher(
        None, ref_keys[:ref_pred], ans_keys[:ans_pred], autojunk=False
    )
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            continue
        expected = ref_tokens[i1:i2]
        got_pieces = pieces[j1:j2]
        got = "".join(p.original for p in got_pieces)
        items.extend(_difference(op, expected, [p.token for p in got_pieces], got))

    expected_pred = ref_tokens[ref_pred:]
    got_pieces = pieces[ans_pred:]
    got_pred = [p.token for p in got_pieces]
    got_pred_text = "".join(p.original for p in got_pieces)
    if [_key(t) for t in expected_pred] != [_key(t) for t in got_pred]:
        if not got_pred:
            items.append(feedback("missing-word", expected=_text(expected_pred)))
        elif not expected_pred:
            items.append(feedback("extra-word", got=got_pred_text))
        else:
            items.extend(compare_predicates(expected_pred, got_pred, got_pred_text))
    if not items:
        items.append(feedback("wrong-word", expected=reference.text, got=answer_text))
    return items


def _diagnose_word(
    expected: list[Token], got: list[Token], expected_text: str, got_text: str, *, kind: str
) -> list[Feedback]:
    """One word or one conjugated form: another form of the same word, or another word."""
    if kind == "conjugation" and same_word(expected, got):
        if not is_well_formed(expected, got):
            return [feedback("conjugation", expected=expected_text, got=got_text)]
        return compare_predicates(expected, got, got_text)
    inflected = any(t.pos[0] in PREDICATE_POS for t in expected)
    if kind == "word" and inflected and got and _content_lemma(expected) == _content_lemma(got):
        return compare_predicates(expected, got, got_text)
    return [feedback("wrong-word", expected=expected_text, got=got_text)]


def is_well_formed(expected: list[Token], got: list[Token]) -> bool:
    """A conjugated answer keeps the verb or adjective MeCab recognises (帰ります has 返る);
    a form that does not exist falls apart into nouns (帰ます: 帰 | ます)."""
    heads = {
        t.lemma
        for t in expected
        if t.pos[0] in ("動詞", "形容詞") and t.lemma not in ("無い", "有る")
    }
    if not heads:
        return True
    return any(t.pos[0] in ("動詞", "形容詞") and t.lemma in heads for t in got)


def _difference(op: str, expected: list[Token], got: list[Token], got_text: str) -> list[Feedback]:
    exp_text = _text(expected)
    only_particles_expected = bool(expected) and all(is_particle(t) for t in expected)
    only_particles_got = bool(got) and all(is_particle(t) for t in got)
    if op == "replace":
        if only_particles_expected and only_particles_got:
            return [feedback("particle", expected=exp_text, got=got_text)]
        # A content word and its particle both differ: name each.
        if (
            len(expected) == len(got) == 2
            and is_particle(expected[1])
            and is_particle(got[1])
            and _key(expected[1]) != _key(got[1])
        ):
            word = (
                []
                if _key(expected[0]) == _key(got[0])
                else [feedback("wrong-word", expected=expected[0].surface, got=got[0].surface)]
            )
            return [*word, feedback("particle", expected=expected[1].surface, got=got[1].surface)]
        if len(got) > len(expected) and _key(got[0]) == _key(expected[0]):
            return [feedback("extra-word", got=got_text)]
        if len(expected) > len(got) and _key(got[0]) == _key(expected[0]):
            return [feedback("missing-word", expected=exp_text)]
        return [feedback("wrong-word", expected=exp_text, got=got_text)]
    if op == "delete":
        if only_particles_expected:
            return [feedback("particle", expected=exp_text, message_id="particle-missing")]
        return [feedback("missing-word", expected=exp_text)]
    if only_particles_got:
        return [feedback("particle", got=got_text, message_id="particle-extra")]
    return [feedback("extra-word", got=got_text)]
