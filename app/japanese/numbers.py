"""Numbers and counters, read the way learners are taught to read them.

UniDic reads a number and the counter after it as two words, each as it sounds alone, and
leaves the sound changes between them to the reader: it gives いち + ほん for 一本 where a
learner says いっぽん, さん + ふん for 三分 (さんぷん), よん + じ for 四時 (よじ), にじゅう
+ さい for 二十歳 (はたち). It takes 三本 for the surname みもと and gives digits such as
1,000 no reading at all. Furigana that disagree with the textbook teach the wrong thing, so
the rules learners are taught live here, as tables that can be read and extended, apart
from the tokenizer and the ruby layout in :mod:`app.japanese.furigana`.

Two steps: :func:`find_number` picks a number and its counter out of a token sequence,
and :func:`read_number` says how they sound together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from app.japanese.tokenizer import Token

__all__ = [
    "NumberReading",
    "NumberSpan",
    "find_number",
    "is_counter",
    "number_kana",
    "parse_number",
    "read_number",
]

_ARABIC_DIGITS = {str(d): d for d in range(10)} | {chr(0xFF10 + d): d for d in range(10)}
_DIGITS = _ARABIC_DIGITS | dict(zip("〇一二三四五六七八九", range(10), strict=True)) | {"零": 0}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10**4, "億": 10**8}
_NUMBER_CHARS = frozenset(_DIGITS) | frozenset(_SMALL_UNITS) | frozenset(_BIG_UNITS)
_NUMBER_THEN_REST = re.compile(f"([{''.join(sorted(_NUMBER_CHARS))}]+)(.+)")
_THREE_DIGITS = re.compile(r"[0-9０-９]{3}")
_ONES = ("", "いち", "に", "さん", "よん", "ご", "ろく", "なな", "はち", "きゅう")
_HUNDREDS = {1: "ひゃく", 3: "さんびゃく", 6: "ろっぴゃく", 8: "はっぴゃく"}
_THOUSANDS = {1: "せん", 3: "さんぜん", 8: "はっせん"}

_GEMINATE_ALL = ("いち", "ろく", "はち", "じゅう", "ゃく")  # ゃく: ひゃく, びゃく, ぴゃく
_GEMINATE_SOME = ("いち", "はち", "じゅう")
_P_ROW = dict(zip("はひふへほ", "ぱぴぷぺぽ", strict=True))
_VOICED = dict(
    zip(
        "かきくけこさしすせそたちつてとはひふへほ",
        "がぎぐげござじずぜぞだぢづでどばびぶべぼ",
        strict=True,
    )
)
_DAYS = {
    2: "ふつか",
    3: "みっか",
    4: "よっか",
    5: "いつか",
    6: "むいか",
    7: "なのか",
    8: "ようか",
    9: "ここのか",
    10: "とおか",
    14: "じゅうよっか",
    20: "はつか",
    24: "にじゅうよっか",
}
_NATIVE = dict(
    zip(
        range(1, 10),
        (
            "ひとつ",
            "ふたつ",
            "みっつ",
            "よっつ",
            "いつつ",
            "むっつ",
            "ななつ",
            "やっつ",
            "ここのつ",
        ),
        strict=True,
    )
)


@dataclass(frozen=True, slots=True)
class _Counter:
    """How a counter reads after a number.

    ``geminate``: number endings that become っ (いち → いっ); after them an h- counter
    becomes p- (いっぽん). ``after_n``: after ん, "p" makes h- into p- (さんぷん), "b"
    voices it except after よん (さんぼん, よんほん), "v" voices it after さん and なん only
    (さんがい). ``last_digit``: the form a final 4, 7 or 9 takes (よじ, しちがつ, くじ).
    ``whole``: numbers read as one word with the counter (ふつか, ひとり, はたち).
    """

    reading: str
    geminate: tuple[str, ...] = ()
    after_n: str = ""
    last_digit: dict[int, str] = field(default_factory=dict)
    whole: dict[int, str] = field(default_factory=dict)


_KAGETSU = _Counter("かげつ", _GEMINATE_ALL)
_COUNTERS = {
    "時": _Counter("じ", last_digit={4: "よ", 7: "しち", 9: "く"}),
    "時間": _Counter("じかん", last_digit={4: "よ", 9: "く"}),
    "分": _Counter("ふん", _GEMINATE_ALL, "p"),
    "分間": _Counter("ふんかん", _GEMINATE_ALL, "p"),
    "人": _Counter("にん", last_digit={4: "よ"}, whole={1: "ひとり", 2: "ふたり"}),
    "日": _Counter("にち", last_digit={7: "しち", 9: "く"}, whole=_DAYS),
    "月": _Counter("がつ", last_digit={4: "し", 7: "しち", 9: "く"}),
    "年": _Counter("ねん", last_digit={4: "よ"}),
    "年間": _Counter("ねんかん", last_digit={4: "よ"}),
    "円": _Counter("えん", last_digit={4: "よ"}),
    "歳": _Counter("さい", _GEMINATE_SOME, whole={20: "はたち"}),
    "才": _Counter("さい", _GEMINATE_SOME, whole={20: "はたち"}),
    "冊": _Counter("さつ", _GEMINATE_SOME),
    "週間": _Counter("しゅうかん", _GEMINATE_SOME),
    "足": _Counter("そく", _GEMINATE_SOME, "v"),
    "本": _Counter("ほん", _GEMINATE_ALL, "b"),
    "杯": _Counter("はい", _GEMINATE_ALL, "b"),
    "匹": _Counter("ひき", _GEMINATE_ALL, "b"),
    "泊": _Counter("はく", _GEMINATE_ALL, "p"),
    "個": _Counter("こ", _GEMINATE_ALL),
    "回": _Counter("かい", _GEMINATE_ALL),
    "課": _Counter("か", _GEMINATE_ALL),
    "階": _Counter("かい", _GEMINATE_ALL, "v"),
    "軒": _Counter("けん", _GEMINATE_ALL, "v"),
    "か月": _KAGETSU,
    "ヶ月": _KAGETSU,
    "ヵ月": _KAGETSU,
    "カ月": _KAGETSU,
    "箇月": _KAGETSU,
    "つ": _Counter("つ", whole=_NATIVE),
    **{
        c: _Counter(r)
        for c, r in zip("枚台番度号", ("まい", "だい", "ばん", "ど", "ごう"), strict=True)
    },
}


class NumberSpan(NamedTuple):
    """A number found in a token sequence, the counter after it, and the tokens they take."""

    number: str
    counter: str | None
    length: int


@dataclass(frozen=True, slots=True)
class NumberReading:
    """How a number and its counter sound together, in hiragana.

    ``whole`` is set when the two are one word that cannot be split between them (二日
    ふつか, 一人 ひとり, 二十歳 はたち); ``number`` and ``counter`` are then empty.
    Otherwise they are each part's reading with the sound changes applied (一本: いっ,
    ぽん); ``counter`` is None when there is no counter.
    """

    number: str
    counter: str | None = None
    whole: str | None = None


def is_counter(text: str) -> bool:
    """Whether ``text`` is a counter whose sound changes after a number are known."""
    return text in _COUNTERS


def parse_number(text: str) -> int | None:
    """The value of 二千二十六, 3万, 1,000 or 二〇二六; None when it is not a number."""
    text = text.replace(",", "").replace("，", "")
    if text and all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))  # positional: 二〇二六
    total = section = 0
    pending: int | None = None
    for ch in text:
        if ch in _DIGITS:
            pending = (pending or 0) * 10 + _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (1 if pending is None else pending) * _SMALL_UNITS[ch]
            pending = None
        elif ch in _BIG_UNITS:
            section += pending or 0
            total += (section or 1) * _BIG_UNITS[ch]
            section, pending = 0, None
        else:
            return None
    return total + section + (pending or 0) if text else None


def number_kana(n: int) -> str:
    """How a number is said on its own: 2026 → にせんにじゅうろく."""
    if n == 0:
        return "れい"
    if n >= 10**12:
        return "".join(_ONES[int(d)] or "れい" for d in str(n))  # read digit by digit
    oku, man, rest = n // 10**8, n // 10**4 % 10**4, n % 10**4
    return "".join(
        (
            _below_10000(oku) + "おく" if oku else "",
            _below_10000(man) + "まん" if man else "",
            _below_10000(rest),
        )
    )


def _below_10000(n: int) -> str:
    thousands, hundreds, tens, ones = n // 1000, n // 100 % 10, n // 10 % 10, n % 10
    return "".join(
        (
            _THOUSANDS.get(thousands, _ONES[thousands] + "せん") if thousands else "",
            _HUNDREDS.get(hundreds, _ONES[hundreds] + "ひゃく") if hundreds else "",
            ("" if tens == 1 else _ONES[tens]) + "じゅう" if tens else "",
            _ONES[ones],
        )
    )


def read_number(
    number: str, counter: str | None = None, *, after_month: bool = False
) -> NumberReading:
    """How ``number`` (三, 30, 二〇二六 or 何) and the ``counter`` after it are read.

    ``after_month`` says the number follows a month (四月一日), where 一日 is ついたち, the
    first of the month, rather than いちにち, one day. A counter :func:`is_counter` does not
    know is treated as no counter.

    Raises ValueError when ``number`` is neither a number nor 何.
    """
    value = None if number == "何" else parse_number(number)
    if value is None and number != "何":
        raise ValueError(f"not a number: {number!r}")
    said = "なん" if value is None else number_kana(value)
    spec = _COUNTERS.get(counter) if counter else None
    if spec is None:
        return NumberReading(said)
    whole = spec.whole.get(value) if value is not None else None
    if counter == "日" and value == 1:
        whole = "ついたち" if after_month else "いちにち"
    if whole:
        return NumberReading("", "", whole)
    said, counter_kana = _with_counter(said, value, spec)
    return NumberReading(said, counter_kana)


def _with_counter(number: str, value: int | None, counter: _Counter) -> tuple[str, str]:
    """Apply the sound changes between a number's reading and its counter's."""
    reading = counter.reading
    last = value % 10 if value is not None else 0
    if last and last in counter.last_digit and number.endswith(_ONES[last]):
        number = number[: -len(_ONES[last])] + counter.last_digit[last]
    if counter.geminate and number.endswith(counter.geminate):
        number = number[:-1] + "っ"
        reading = _P_ROW.get(reading[0], reading[0]) + reading[1:]
    elif number.endswith("ん") and (
        (counter.after_n == "p" and reading[0] in _P_ROW)
        or (counter.after_n == "b" and not number.endswith("よん"))
        or (counter.after_n == "v" and number.endswith(("さん", "なん")))
    ):
        first = (
            _P_ROW[reading[0]] if counter.after_n == "p" else _VOICED.get(reading[0], reading[0])
        )
        reading = first + reading[1:]
    return number, reading


def find_number(tokens: Sequence[Token], i: int, attached: Sequence[bool]) -> NumberSpan | None:
    """The number starting at tokens[i] and the counter after it; None if there is none.

    ``attached[j]`` says tokens[j] follows tokens[j - 1] with nothing between them: a
    space ends a number. MeCab splits 二十四 into 二十 and 四, and 1,000 at the comma, so
    adjacent numeral tokens are read together.
    """
    token = tokens[i]
    if not _is_number_token(token):
        # UniDic takes 三本 for a surname; a number and a counter is far likelier.
        split = _NUMBER_THEN_REST.fullmatch(token.surface)
        if token.pos[1] == "固有名詞" and split and split.group(2) in _COUNTERS:
            return NumberSpan(split.group(1), split.group(2), 1)
        return None
    j = i + 1
    while j < len(tokens) and attached[j]:
        if _is_number_token(tokens[j]):
            j += 1
        elif _is_thousands(tokens, j):
            j += 2
        else:
            break
    number = "".join(t.surface for t in tokens[i:j])
    if number != "何" and parse_number(number) is None:
        return None
    if j < len(tokens) and attached[j] and tokens[j].surface in _COUNTERS:
        return NumberSpan(number, tokens[j].surface, j - i + 1)
    return NumberSpan(number, None, j - i)


def _is_number_token(token: Token) -> bool:
    if token.surface == "何":
        return token.pos[1] == "数詞"  # UniDic tags 何 as a numeral before a counter
    digits_only = all(ch in _ARABIC_DIGITS for ch in token.surface)
    return all(ch in _NUMBER_CHARS for ch in token.surface) and (
        token.pos[1] == "数詞" or digits_only
    )


def _is_thousands(tokens: Sequence[Token], i: int) -> bool:
    """Whether tokens[i] is the comma of 1,000 (followed by three digits)."""
    return (
        tokens[i].surface in (",", "，")
        and i + 1 < len(tokens)
        and _THREE_DIGITS.fullmatch(tokens[i + 1].surface) is not None
    )
