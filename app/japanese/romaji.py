"""Romaji typed by learners without a Japanese keyboard, turned into kana.

Hepburn, Kunrei and wāpuro spellings are all accepted. Some romaji can be read two ways
(``kinyoubi`` is きんようび or きにょうび; ``gennin`` is げんにん or げんいん), so the
conversion returns every reading and the checker accepts the answer when any matches.
Display romaji (kana → Hepburn) uses pykakasi, loaded only when first needed: it costs
about a third of a second and a hundred megabytes per process.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pykakasi

from app.japanese._lazy import Lazy

MAX_CANDIDATES = 16

_VOWELS = {"a": "あ", "i": "い", "u": "う", "e": "え", "o": "お"}
_ROWS = {
    "k": "かきくけこ",
    "g": "がぎぐげご",
    "s": "さしすせそ",
    "z": "ざじずぜぞ",
    "t": "たちつてと",
    "d": "だぢづでど",
    "n": "なにぬねの",
    "h": "はひふへほ",
    "b": "ばびぶべぼ",
    "p": "ぱぴぷぺぽ",
    "m": "まみむめも",
    "r": "らりるれろ",
}
_YOON = {"a": "ゃ", "u": "ゅ", "o": "ょ", "e": "ぇ"}


def _syllables() -> dict[str, str]:
    table: dict[str, str] = dict(_VOWELS)
    for consonant, kana in _ROWS.items():
        for vowel, ch in zip("aiueo", kana, strict=True):
            table[consonant + vowel] = ch
        i_kana = kana[1]
        for vowel in "auo":  # kya, gyu, ... (Kunrei sya/zya/tya too)
            table[consonant + "y" + vowel] = i_kana + _YOON[vowel]
    table.update(
        {
            "ya": "や", "yu": "ゆ", "yo": "よ", "wa": "わ", "wo": "を", "wi": "うぃ", "we": "うぇ",
            "shi": "し", "chi": "ち", "tsu": "つ", "fu": "ふ", "ji": "じ",
            "sha": "しゃ", "shu": "しゅ", "sho": "しょ", "she": "しぇ",
            "cha": "ちゃ", "chu": "ちゅ", "cho": "ちょ", "che": "ちぇ",
            "cya": "ちゃ", "cyu": "ちゅ", "cyo": "ちょ",
            "ja": "じゃ", "ju": "じゅ", "jo": "じょ", "je": "じぇ",
            "jya": "じゃ", "jyu": "じゅ", "jyo": "じょ",
            "dya": "ぢゃ", "dyu": "ぢゅ", "dyo": "ぢょ",
            "fa": "ふぁ", "fi": "ふぃ", "fe": "ふぇ", "fo": "ふぉ",
            "ti": "ち", "tu": "つ", "hu": "ふ", "si": "し", "zi": "じ", "di": "ぢ", "du": "づ",
            "thi": "てぃ", "dhi": "でぃ", "tyi": "てぃ", "dyi": "でぃ",
            "va": "ゔぁ", "vi": "ゔぃ", "vu": "ゔ", "ve": "ゔぇ", "vo": "ゔぉ",
            "xa": "ぁ", "xi": "ぃ", "xu": "ぅ", "xe": "ぇ", "xo": "ぉ",
            "la": "ぁ", "li": "ぃ", "lu": "ぅ", "le": "ぇ", "lo": "ぉ",
            "xya": "ゃ", "xyu": "ゅ", "xyo": "ょ", "lya": "ゃ", "lyu": "ゅ", "lyo": "ょ",
            "xtsu": "っ", "xtu": "っ", "ltsu": "っ", "ltu": "っ", "xwa": "ゎ",
        }
    )  # fmt: skip
    return table


SYLLABLES = _syllables()
_LONGEST = max(len(key) for key in SYLLABLES)
# A macron or circumflex lengthens the vowel: ō may stand for おう or おお. Before
# parsing, each becomes its plain vowel plus a private marker for the added kana.
_LONG_VOWELS = {
    "ā": "a\ue000", "â": "a\ue000", "ī": "i\ue001", "î": "i\ue001", "ū": "u\ue002",
    "û": "u\ue002", "ē": "e\ue003", "ê": "e\ue003", "ō": "o\ue004", "ô": "o\ue004",
}  # fmt: skip
_LENGTHENERS = {
    "\ue000": ("あ",), "\ue001": ("い",), "\ue002": ("う",), "\ue003": ("い", "え"),
    "\ue004": ("う", "お"),
}  # fmt: skip
_NASAL_BEFORE = set("bpm")  # shimbun: m before b, p, m is ん
# Kunrei ti/di/tu/du are also how Hepburn writes the loanword sounds ティ, ディ, トゥ, ドゥ.
_LOANWORD_SOUNDS = {"ti": "てぃ", "di": "でぃ", "tu": "とぅ", "du": "どぅ"}


# English words that happen to spell valid romaji ("had eaten" reads はでぁてん): a
# multi-word answer containing one of them is English, not romaji.
ENGLISH_WORDS = frozenset(
    {
        "the", "had", "has", "have", "is", "are", "was", "were", "and", "of", "in", "on",
        "at", "it", "you", "she", "we", "they", "my", "your", "his", "her", "this", "that",
        "with", "for", "not", "do", "does", "did", "will", "be", "been", "eaten", "ate",
        "eat", "am", "can",
    }
)  # fmt: skip


def looks_english(text: str) -> bool:
    words = text.lower().split()
    return len(words) > 1 and any(word.strip(".,!?") in ENGLISH_WORDS for word in words)


def is_romaji_text(text: str) -> bool:
    """Only Latin letters, macrons, apostrophes, hyphens and spaces."""
    letters = [ch for ch in text if not ch.isspace()]
    return bool(letters) and all(
        ("a" <= ch.lower() <= "z") or ch.lower() in _LONG_VOWELS or ch in "'-" for ch in letters
    )


def to_kana(text: str) -> list[str]:
    """Every hiragana reading of a romaji text, most literal first; [] if it is not romaji
    (English, say). Spaces between words are dropped; ``-`` is the long-vowel mark ー."""
    if looks_english(text):
        return []
    romaji = unicodedata.normalize("NFC", "".join(text.split())).lower()
    if not romaji or not is_romaji_text(romaji):
        return []
    for long_vowel, spelled in _LONG_VOWELS.items():
        romaji = romaji.replace(long_vowel, spelled)
    return list(_parse(romaji))


@lru_cache(maxsize=8192)
def _parse(romaji: str) -> tuple[str, ...]:
    if not romaji:
        return ("",)
    results: list[str] = []

    def extend(prefix: str, rest: str) -> None:
        for tail in _parse(rest):
            if len(results) >= MAX_CANDIDATES:
                return
            results.append(prefix + tail)

    head = romaji[0]
    if head in _LENGTHENERS:
        for kana in _LENGTHENERS[head]:
            extend(kana, romaji[1:])
        return tuple(results)
    if head == "-":
        extend("ー", romaji[1:])
        return tuple(results)
    if head == "'":
        return _parse(romaji[1:]) if romaji[1:] else ()
    if head == "n":
        _parse_n(romaji, extend)
        return tuple(dict.fromkeys(results))
    if head == "m" and len(romaji) > 1 and romaji[1] in _NASAL_BEFORE:
        extend("ん", romaji[1:])
    # A doubled consonant (kk, tt, tch) is the small っ.
    if (
        len(romaji) > 1
        and head not in "aiueon"
        and (romaji[1] == head or (head == "t" and romaji[1] == "c"))
    ):
        extend("っ", romaji[1:])
    for size in range(min(_LONGEST, len(romaji)), 0, -1):
        kana = SYLLABLES.get(romaji[:size])
        if kana is not None:
            extend(kana, romaji[size:])
            if romaji[:size] in _LOANWORD_SOUNDS:  # paatii: ティ, not only Kunrei ち
                extend(_LOANWORD_SOUNDS[romaji[:size]], romaji[size:])
    return tuple(dict.fromkeys(results))


def _parse_n(romaji: str, extend) -> None:  # type: ignore[no-untyped-def]
    """ん is the hard part: nn, n', n before a consonant or at the end; n before a vowel
    or y may start な/にゃ or be ん (kinyoubi)."""
    rest = romaji[1:]
    if not rest:
        extend("ん", "")
        return
    nxt = rest[0]
    if nxt == "'":
        extend("ん", rest[1:])
        return
    if nxt == "n":
        after = rest[1:]
        extend("ん", after)  # nn = ん (wāpuro); but "onna" is ん + な:
        if after and (after[0] in "aiueo" or after[0] == "y"):
            for size in (3, 2):
                kana = SYLLABLES.get(rest[:size])
                if kana is not None:
                    extend("ん" + kana, rest[size:])
        return
    if nxt in "aiueo" or nxt == "y":
        for size in (3, 2):
            kana = SYLLABLES.get(romaji[:size])
            if kana is not None:
                extend(kana, romaji[size:])
        extend("ん", rest)
        return
    extend("ん", rest)


# ---- kana → Hepburn, for display ----------------------------------------------------


def _build_kakasi() -> pykakasi.Kakasi:
    import pykakasi  # lazy: see the module docstring

    return pykakasi.kakasi()


_kakasi: Lazy[pykakasi.Kakasi] = Lazy(_build_kakasi)


def to_hepburn(text: str) -> str:
    """Hepburn romaji for display (食べます → tabemasu), words separated by spaces."""
    parts = _kakasi.get().convert(text)
    return " ".join(part["hepburn"] for part in parts if part["hepburn"].strip())
