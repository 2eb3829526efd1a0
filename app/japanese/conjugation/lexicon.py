"""From a written word to what conjugating it needs: its class and its quirks.

MeCab (through our tokenizer) knows the class of most words as they are written. Words
written in kana alone are where it guesses wrong most often, because a bare かく or まつ
reads as well as an adverb or a name, so for those we put the word into a frame that
only a verb or adjective fits (かきます, あつくない) and ask again.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from app.japanese.conjugation._kana import (
    GODAN_ROWS,
    I_OR_E_ROW,
    GodanRow,
    is_kana,
    is_katakana,
    to_hiragana,
)
from app.japanese.conjugation.forms import WORD_CLASSES, ConjugationError
from app.japanese.tokenizer import Token, tokenize

Quirk = Literal["iku", "aru", "honorific", "tou", "kureru", "bound-suru", "yoi", "onaji"]


@dataclass(frozen=True, slots=True)
class Lexeme:
    """A word ready to conjugate.

    ``text`` is what the rules work on: hiragana when the word was written all in
    katakana (``katakana`` says to turn the results back), and a na-adjective without
    the だ or な it may have been given with.
    """

    text: str
    word_class: str
    quirk: Quirk | None = None
    katakana: bool = False


# The honorific godan verbs whose masu-stem and imperative end in い (いらっしゃいます).
_HONORIFIC_ENDINGS = (
    "いらっしゃる",
    "おっしゃる",
    "仰る",
    "くださる",
    "下さる",
    "なさる",
    "為さる",
)
_IKU_ENDINGS = ("行く", "逝く", "往く", "ていく", "でいく", "てゆく", "でゆく")
# No other verb ends in あ + る, so this also catches 書いてある and 駅にある.
_ARU_ENDINGS = ("ある", "有る", "在る")
# These keep う before te/ta (問うて, 乞うた) instead of っ.
_TOU_ENDINGS = ("問う", "請う", "乞う", "恋う")
_KURERU_ENDINGS = ("てくれる", "でくれる")
# i-adjectives that MeCab splits into a verb and the negative ない.
_LEXICALISED_I_ADJECTIVES = frozenset(
    ("つまらない", "詰まらない", "くだらない", "下らない", "たまらない", "堪らない")
)

_PART_OF_SPEECH = {
    "godan": "verb",
    "ichidan": "verb",
    "suru": "verb",
    "kuru": "verb",
    "i-adj": "i-adj",
    "na-adj": "na-adj",
}

_CTYPE_CLASSES = (
    ("五段", "godan"),
    ("上一段", "ichidan"),
    ("下一段", "ichidan"),
    ("助動詞-レル", "ichidan"),  # れる／られる, as in 食べられる
    ("サ行変格", "suru"),
    ("カ行変格", "kuru"),
)


def normalise(word: str) -> str:
    """NFKC (half-width katakana, full-width letters) and no spaces anywhere."""
    return "".join(unicodedata.normalize("NFKC", word).split())


@lru_cache(maxsize=4096)
def analyse(word: str, word_class: str | None = None) -> Lexeme:
    """Find the class (or check the one given) and quirks of a word in dictionary form.

    Raises ConjugationError for a word that is not a verb or adjective, or that cannot
    be of the class given.
    """
    text = normalise(word)
    if not text:
        raise ConjugationError("no word given")
    if word_class is not None and word_class not in WORD_CLASSES:
        raise ConjugationError(
            f"unknown class {word_class!r}; expected one of {', '.join(WORD_CLASSES)}"
        )
    katakana = is_katakana(text)
    plain = to_hiragana(text) if katakana else text
    if word_class is None:
        cls = _detect(text, plain)
    else:
        cls = word_class
        _check_part_of_speech(text, cls)

    if cls == "na-adj":
        # The stem of a na-adjective never changes, so it keeps the script it came in.
        stem = _without_copula(text)
        quirk: Quirk | None = "onaji" if stem in ("同じ", "おなじ", "オナジ") else None
        return Lexeme(stem, cls, quirk)

    if plain.endswith("ずる") and cls in ("suru", "godan"):
        raise ConjugationError(f"{text} is a classical ずる verb; give its じる form instead")
    if not _fits(plain, cls):
        raise ConjugationError(f"{text} cannot be {_describe(cls)} in dictionary form")
    return Lexeme(plain, cls, _quirk(plain, cls), katakana)


def _check_part_of_speech(text: str, cls: str) -> None:
    """Refuse a class that MeCab's one-word reading contradicts (きれい as an i-adjective).

    Within verbs the caller has the last word, since that is what the class is for: いる
    is ichidan (居る) to MeCab, godan (要る) when the author says so.
    """
    tokens = tokenize(text)
    seen = _class_of(tokens) if len(tokens) == 1 else None
    if seen is not None and _PART_OF_SPEECH[seen] != _PART_OF_SPEECH[cls]:
        raise ConjugationError(f"{text} is {_describe(seen)}, not {_describe(cls)}")


def _detect(text: str, plain: str) -> str:
    if plain in _LEXICALISED_I_ADJECTIVES:
        return "i-adj"
    # MeCab splits a kana word it does not know into odd pieces (まける → ま + ける), so a
    # split reading of a kana-only word is the last resort, after the frames.
    deferred: str | None = None
    for candidate in dict.fromkeys((text, plain)):
        tokens = tokenize(candidate)
        cls = _class_of(tokens)
        if cls is None or not _fits(plain, cls):  # うる read as 得る, an ichidan verb
            continue
        if len(tokens) == 1 or not all(map(is_kana, candidate)):
            return cls
        deferred = deferred or cls
    cls = _probe(plain) or deferred
    if cls is not None:
        return cls
    tokens = tokenize(text)
    if len(tokens) == 1 and "サ変" in tokens[0].pos[2]:
        raise ConjugationError(f"{text} is a noun, not a verb (did you mean {text}する?)")
    raise ConjugationError(f"{text} is not a verb or adjective in dictionary form")


# Dictionary and attributive forms are spelt alike; MeCab picks either for a bare word.
_PLAIN_FORMS = ("終止形", "連体形")


def _class_of(tokens: tuple[Token, ...]) -> str | None:
    """The class of the word these tokens spell, judged by the last one (持って + いく)."""
    if not tokens:
        return None
    last, before = tokens[-1], tokens[:-1]
    pos = last.pos[0]
    if pos in ("動詞", "助動詞") and last.conjugation_form.startswith(_PLAIN_FORMS):
        # A 助動詞 only counts when it conjugates like a verb (食べさせる), not ない or ます.
        cls = _verb_class(last)
        if cls is not None:
            return cls
    if pos == "形容詞" and last.conjugation_form.startswith(_PLAIN_FORMS):
        # 高く + ない is the negative of 高い, not an adjective of its own.
        if before and before[-1].pos[0] in ("動詞", "形容詞", "助動詞"):
            return None
        return "i-adj"
    if _is_na_stem(last):
        return "na-adj"
    if pos == "助動詞" and last.lemma == "だ" and last.surface in ("だ", "な") and before:
        return "na-adj" if _is_na_stem(before[-1]) else None
    return None


def _verb_class(token: Token) -> str | None:
    for ctype, cls in _CTYPE_CLASSES:
        if token.conjugation_type.startswith(ctype):
            return cls
    return None


def _is_na_stem(token: Token) -> bool:
    return token.pos[0] == "形状詞" or (token.pos[0] == "名詞" and "形状詞可能" in token.pos[2])


def _probe(plain: str) -> str | None:
    """Put the word in frames only one class fits (かきます, あつくない) and ask again."""
    last, stem = plain[-1], plain[:-1]
    if last in GODAN_ROWS and stem:
        tokens = tokenize(plain + "こと")
        if _spells(tokens[:-1], plain) and tokens[-1].surface == "こと":
            cls = _class_of(tokens[:-1])
            if cls in ("godan", "ichidan", "suru", "kuru") and _fits(plain, cls):
                return cls
        row = GODAN_ROWS[last]
        ichidan = last == "る" and _fits(plain, "ichidan")
        for ichidan_tail, godan_tail in (("ます", row.i + "ます"), ("れば", row.e + "ば")):
            if ichidan and _in_frame(stem, ichidan_tail, _is_verb("ichidan")):
                return "ichidan"
            if _in_frame(stem + godan_tail[0], godan_tail[1:], _is_verb("godan", row)):
                return "godan"
    if last == "い" and stem:
        for head, tail in (("く", "ない"), ("く", "て"), ("かっ", "た")):
            if _in_frame(stem + head, tail, lambda t: t.pos[0] == "形容詞"):
                return "i-adj"
    if any(_in_frame(plain, tail, _is_na_stem) for tail in ("だ", "な")):
        return "na-adj"
    return None


def _is_verb(cls: str, row: GodanRow | None = None) -> Callable[[Token], bool]:
    def accept(token: Token) -> bool:
        if token.pos[0] != "動詞" or _verb_class(token) != cls:
            return False
        # 吸う in a frame must come back as a ワ行 verb, not as 済む (すいます).
        return row is None or token.conjugation_type == f"五段-{row.unidic_row}"

    return accept


def _in_frame(head: str, tail: str, accept: Callable[[Token], bool]) -> bool:
    """Whether MeCab reads ``head`` in ``head + tail`` as one word ending that ``accept``s.

    The word must stand on its own: 高くな + くない reads as 高く + なく + ない, the
    negative of 高い, which is no adjective of its own.
    """
    spelled = ""
    tokens = tokenize(head + tail)
    for i, token in enumerate(tokens):
        spelled += token.surface
        if spelled == head:
            leans = i > 0 and tokens[i - 1].pos[0] in ("動詞", "形容詞", "助動詞")
            return accept(token) and not (leans and token.pos[0] == "形容詞")
        if len(spelled) > len(head):
            return False
    return False


def _spells(tokens: tuple[Token, ...], text: str) -> bool:
    return bool(tokens) and "".join(t.surface for t in tokens) == text


def _without_copula(text: str) -> str:
    if len(text) > 1 and text[-1] in "だな":
        last = tokenize(text)[-1]
        if last.pos[0] == "助動詞" and last.lemma == "だ":
            return text[:-1]
    return text


def _fits(plain: str, cls: str) -> bool:
    """Whether a word of this shape can be of this class (catches a wrong "class")."""
    if cls in ("godan", "ichidan") and (plain == "来る" or plain.endswith(("て来る", "で来る"))):
        return False  # 来る read きたる is godan, but no N5/N4 word; 出来る stays ichidan
    if cls == "godan":
        return len(plain) > 1 and plain[-1] in GODAN_ROWS
    if cls == "ichidan":
        return (
            len(plain) > 1
            and plain[-1] == "る"
            and (not is_kana(plain[-2]) or plain[-2] in I_OR_E_ROW)
        )
    if cls == "suru":
        return plain.endswith("する")
    if cls == "kuru":
        return plain.endswith(("来る", "くる")) and not plain.endswith("出来る")
    if cls == "i-adj":
        return len(plain) > 1 and plain[-1] == "い"
    return True  # na-adj: any noun-like stem


def _quirk(plain: str, cls: str) -> Quirk | None:
    if cls == "godan":
        return _godan_quirk(plain)
    if cls == "ichidan" and (plain in ("くれる", "呉れる") or plain.endswith(_KURERU_ENDINGS)):
        return "kureru"
    if cls == "suru" and plain != "する":
        # 愛する, 察する: one token for MeCab, unlike 勉強 + する. Their potential is not
        # 愛できる, so the engine leaves it out rather than teach a wrong form.
        tokens = tokenize(plain)
        if len(tokens) == 1 and tokens[0].conjugation_type == "サ行変格":
            return "bound-suru"
    if cls == "i-adj" and plain.endswith("いい"):
        # いい itself, or a compound of it (かっこいい), but not かわいい.
        last = tokenize(plain)[-1]
        if plain == "いい" or (last.surface == "いい" and last.lemma == "良い"):
            return "yoi"
    return None


def _godan_quirk(plain: str) -> Quirk | None:
    if plain.endswith(_HONORIFIC_ENDINGS):
        return "honorific"
    if plain.endswith(_IKU_ENDINGS) or plain in ("いく", "ゆく"):
        return "iku"
    if plain.endswith(_ARU_ENDINGS):
        return "aru"
    if plain.endswith(_TOU_ENDINGS):
        return "tou"
    return None


def _describe(cls: str) -> str:
    return {
        "godan": "a godan verb",
        "ichidan": "an ichidan verb",
        "suru": "a する verb",
        "kuru": "a 来る verb",
        "i-adj": "an i-adjective",
        "na-adj": "a na-adjective",
    }[cls]
