"""Text basics the checker stands on: normalisation, scripts and kana folding.

Learners type on phones and laptops with and without a Japanese IME, so the same answer
arrives in full-width or half-width forms, with stray spaces and with or without the
final 。. Everything that is always forgiven (GRADING.md) is removed here, once.
"""

from __future__ import annotations

import re
import unicodedata

# Punctuation and brackets that never change an answer (GRADING.md, "always forgiven").
# After NFKC, full-width ！？（） have become ASCII, so both forms are covered.
FORGIVEN_PUNCTUATION = frozenset(
    "。、．，！？!?.,・()（）「」『』[]【】〈〉《》\"'“”‘’〜~…‥:;：；-‐"
)
_SPACES = re.compile(r"\s+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_DROP_PUNCTUATION = str.maketrans(dict.fromkeys(FORGIVEN_PUNCTUATION))
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")

_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KATAKANA = re.compile(r"[\u30a0-\u30ff\u31f0-\u31ff]")
_KANJI = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff々〆ヶ]")
_LATIN = re.compile(r"[A-Za-zĀāĪīŪūĒēŌōÂâÎîÛûÊêÔô']")

# A vowel kana lengthens the sound before it when the vowels pair up as UniDic writes
# them with ー (オウ, オオ, エイ, エエ, アア, イイ, ウウ). One regular expression does it.
_ROWS_BY_VOWEL = {
    "a": "アカガサザタダナハバパマヤラワァャヮ",
    "i": "イキギシジチヂニヒビピミリィ",
    "u": "ウクグスズツヅヌフブプムユルゥュヴ",
    "e": "エケゲセゼテデネヘベペメレェ",
    "o": "オコゴソゾトドノホボポモヨロヲォョ",
}
_LENGTHENED_BY = {"a": "ア", "i": "イ", "u": "ウ", "e": "イエ", "o": "ウオ"}
_LONG_VOWEL = re.compile(
    "|".join(f"(?<=[{kana}])[{_LENGTHENED_BY[vowel]}]" for vowel, kana in _ROWS_BY_VOWEL.items())
)


def clean(text: str) -> str:
    """NFKC, no control characters, no surrogates, single spaces: the form everything
    else starts from."""
    text = text.encode("utf-8", "replace").decode("utf-8") if _has_surrogates(text) else text
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub("", text)
    return _SPACES.sub(" ", text).strip()


def _has_surrogates(text: str) -> bool:
    return _SURROGATE.search(text) is not None


def normalise_japanese(text: str) -> str:
    """The answer with every always-forgiven difference removed: width, spaces and
    punctuation, and Arabic or kanji numerals (7時 = 七時). What is left is what the
    learner wrote."""
    kept = _drop_forgiven(clean(text))
    # Dropping a space can bring a combining mark next to a letter (O ̄ → Ō): compose again.
    kept = _drop_forgiven(unicodedata.normalize("NFKC", kept))
    return _DIGITS.sub(_kanji_numeral, kept)


def loanword_variant(word: str) -> str | None:
    """The other standard spelling of a long loanword, with or without its final ー
    (サーバ and サーバー, コンピュータ and コンピューター); None for other words."""
    if not _LOANWORD.fullmatch(word) or word.endswith("ーー"):
        return None
    # Only longer words (コンピュータ, プリンタ): コーヒ for コーヒー is simply wrong.
    if sum(ch not in "ーァィゥェォャュョッヮ" for ch in word) < 3:
        return None
    return word[:-1] if word.endswith("ー") else word + "ー"


_DIGITS = re.compile(r"[0-9]{1,8}")
_KANJI_DIGITS = "〇一二三四五六七八九"
_LOANWORD = re.compile(r"[ァ-ヺ][ァ-ヺー]{2,}")


def _kanji_numeral(match: re.Match[str]) -> str:
    """Write a number as kanji numerals, as dictionaries and references do (25 → 二十五)."""
    n = int(match.group())
    if n == 0:
        return "〇"
    out = ""
    for unit_value, unit in ((10**4, "万"),):
        if n >= unit_value:
            out += _below_10000(n // unit_value) + unit
            n %= unit_value
    return out + (_below_10000(n) if n else "")


def _below_10000(n: int) -> str:
    out = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            out += ("" if digit == 1 else _KANJI_DIGITS[digit]) + unit
    return out + (_KANJI_DIGITS[n] if n else "")


def _drop_forgiven(text: str) -> str:
    return _SPACES.sub("", text.translate(_DROP_PUNCTUATION))


def is_blank(text: str) -> bool:
    return normalise_japanese(text) == ""


def has_kanji(text: str) -> bool:
    return _KANJI.search(text) is not None


def has_kana(text: str) -> bool:
    return _HIRAGANA.search(text) is not None or _KATAKANA.search(text) is not None


def has_katakana(text: str) -> bool:
    return _KATAKANA.search(text.replace("ー", "")) is not None


def is_japanese(text: str) -> bool:
    """Has at least one kana or kanji: the learner wrote Japanese (perhaps mixed)."""
    return has_kana(text) or has_kanji(text)


def has_latin(text: str) -> bool:
    return _LATIN.search(text) is not None


def kanji_count(text: str) -> int:
    return len(_KANJI.findall(text))


# Katakana and hiragana sit 0x60 apart in Unicode (ァ..ヶ, ぁ..ゖ); ー and ヷ-ヺ have no
# hiragana. A translate table does the folding in C, on the checker's hottest path.
_KATA_TO_HIRA = str.maketrans(
    {**{chr(c): chr(c - 0x60) for c in range(0x30A1, 0x30F7)}, "ヽ": "ゝ", "ヾ": "ゞ"}
)
_HIRA_TO_KATA = str.maketrans(
    {**{chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)}, "ゝ": "ヽ", "ゞ": "ヾ"}
)


def to_hiragana(text: str) -> str:
    """Fold katakana to hiragana (ー stays) so that パン and ぱん compare equal."""
    return text.translate(_KATA_TO_HIRA)


def to_katakana(text: str) -> str:
    return text.translate(_HIRA_TO_KATA)


def fold_long_vowels(katakana: str) -> str:
    """Write every lengthened vowel as ー, as UniDic's pronunciation field does:
    ベンキョウ → ベンキョー, センセイ → センセー, オオキイ → オーキー. Applied to both sides
    of a comparison, it makes ou/oo/ō spellings of a long vowel meet."""
    return _LONG_VOWEL.sub("ー", katakana)


_SAME_SOUND = str.maketrans({"ヲ": "オ", "ヂ": "ジ", "ヅ": "ズ"})


def pronunciation_key(kana: str) -> str:
    """Katakana as it sounds, long vowels folded: two spellings of one pronunciation share
    it (を and お, ぢ and じ, おう and おお all sound alike)."""
    return fold_long_vowels(to_katakana(kana).translate(_SAME_SOUND))
