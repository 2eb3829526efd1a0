"""The conjugation engine, as tables of Japanese cases (the way polm/fugashi tests).

Every expected form is written out by hand, never derived from a rule: a rule that is
wrong in the engine must not be wrong in the expectation too. Alternatives are separated
by spaces, the most usual first, exactly in the order the engine must list them.
"""

from __future__ import annotations

import json

import pytest

from app.japanese.conjugation import (
    ADJECTIVE_FORMS,
    FORM_TRAITS,
    VERB_FORMS,
    WORD_CLASSES,
    ConjugationError,
    Drill,
    FormTraits,
    conjugate,
    conjugate_all,
    conjugate_jsonl,
    drills,
    word_class,
)

# A form the word does not have: asking for it is a ConjugationError.
ABSENT = None

# --- Full tables: every verb form ------------------------------------------------------

VERB_TABLES: dict[str, dict[str, str | None]] = {
    "買う": {
        "dictionary": "買う",
        "masu": "買います",
        "masu-negative": "買いません",
        "masu-past": "買いました",
        "masu-past-negative": "買いませんでした",
        "masu-volitional": "買いましょう",
        "te": "買って",
        "ta": "買った",
        "nai": "買わない",
        "nakatta": "買わなかった",
        "tai": "買いたい",
        "potential": "買える",
        "volitional": "買おう",
        "imperative": "買え",
        "prohibitive": "買うな",
        "ba": "買えば",
        "tara": "買ったら",
        "passive": "買われる",
        "causative": "買わせる",
        "causative-passive": "買わせられる 買わされる",
    },
    "書く": {
        "dictionary": "書く",
        "masu": "書きます",
        "masu-negative": "書きません",
        "masu-past": "書きました",
        "masu-past-negative": "書きませんでした",
        "masu-volitional": "書きましょう",
        "te": "書いて",
        "ta": "書いた",
        "nai": "書かない",
        "nakatta": "書かなかった",
        "tai": "書きたい",
        "potential": "書ける",
        "volitional": "書こう",
        "imperative": "書け",
        "prohibitive": "書くな",
        "ba": "書けば",
        "tara": "書いたら",
        "passive": "書かれる",
        "causative": "書かせる",
        "causative-passive": "書かせられる 書かされる",
    },
    "泳ぐ": {
        "dictionary": "泳ぐ",
        "masu": "泳ぎます",
        "masu-negative": "泳ぎません",
        "masu-past": "泳ぎました",
        "masu-past-negative": "泳ぎませんでした",
        "masu-volitional": "泳ぎましょう",
        "te": "泳いで",
        "ta": "泳いだ",
        "nai": "泳がない",
        "nakatta": "泳がなかった",
        "tai": "泳ぎたい",
        "potential": "泳げる",
        "volitional": "泳ごう",
        "imperative": "泳げ",
        "prohibitive": "泳ぐな",
        "ba": "泳げば",
        "tara": "泳いだら",
        "passive": "泳がれる",
        "causative": "泳がせる",
        "causative-passive": "泳がせられる 泳がされる",
    },
    "話す": {
        "dictionary": "話す",
        "masu": "話します",
        "masu-negative": "話しません",
        "masu-past": "話しました",
        "masu-past-negative": "話しませんでした",
        "masu-volitional": "話しましょう",
        "te": "話して",
        "ta": "話した",
        "nai": "話さない",
        "nakatta": "話さなかった",
        "tai": "話したい",
        "potential": "話せる",
        "volitional": "話そう",
        "imperative": "話せ",
        "prohibitive": "話すな",
        "ba": "話せば",
        "tara": "話したら",
        "passive": "話される",
        "causative": "話させる",
        "causative-passive": "話させられる",
    },
    "待つ": {
        "dictionary": "待つ",
        "masu": "待ちます",
        "masu-negative": "待ちません",
        "masu-past": "待ちました",
        "masu-past-negative": "待ちませんでした",
        "masu-volitional": "待ちましょう",
        "te": "待って",
        "ta": "待った",
        "nai": "待たない",
        "nakatta": "待たなかった",
        "tai": "待ちたい",
        "potential": "待てる",
        "volitional": "待とう",
        "imperative": "待て",
        "prohibitive": "待つな",
        "ba": "待てば",
        "tara": "待ったら",
        "passive": "待たれる",
        "causative": "待たせる",
        "causative-passive": "待たせられる 待たされる",
    },
    "死ぬ": {
        "dictionary": "死ぬ",
        "masu": "死にます",
        "masu-negative": "死にません",
        "masu-past": "死にました",
        "masu-past-negative": "死にませんでした",
        "masu-volitional": "死にましょう",
        "te": "死んで",
        "ta": "死んだ",
        "nai": "死なない",
        "nakatta": "死ななかった",
        "tai": "死にたい",
        "potential": "死ねる",
        "volitional": "死のう",
        "imperative": "死ね",
        "prohibitive": "死ぬな",
        "ba": "死ねば",
        "tara": "死んだら",
        "passive": "死なれる",
        "causative": "死なせる",
        "causative-passive": "死なせられる 死なされる",
    },
    "遊ぶ": {
        "dictionary": "遊ぶ",
        "masu": "遊びます",
        "masu-negative": "遊びません",
        "masu-past": "遊びました",
        "masu-past-negative": "遊びませんでした",
        "masu-volitional": "遊びましょう",
        "te": "遊んで",
        "ta": "遊んだ",
        "nai": "遊ばない",
        "nakatta": "遊ばなかった",
        "tai": "遊びたい",
        "potential": "遊べる",
        "volitional": "遊ぼう",
        "imperative": "遊べ",
        "prohibitive": "遊ぶな",
        "ba": "遊べば",
        "tara": "遊んだら",
        "passive": "遊ばれる",
        "causative": "遊ばせる",
        "causative-passive": "遊ばせられる 遊ばされる",
    },
    "読む": {
        "dictionary": "読む",
        "masu": "読みます",
        "masu-negative": "読みません",
        "masu-past": "読みました",
        "masu-past-negative": "読みませんでした",
        "masu-volitional": "読みましょう",
        "te": "読んで",
        "ta": "読んだ",
        "nai": "読まない",
        "nakatta": "読まなかった",
        "tai": "読みたい",
        "potential": "読める",
        "volitional": "読もう",
        "imperative": "読め",
        "prohibitive": "読むな",
        "ba": "読めば",
        "tara": "読んだら",
        "passive": "読まれる",
        "causative": "読ませる",
        "causative-passive": "読ませられる 読まされる",
    },
    # A godan verb in -eru that looks ichidan.
    "帰る": {
        "dictionary": "帰る",
        "masu": "帰ります",
        "masu-negative": "帰りません",
        "masu-past": "帰りました",
        "masu-past-negative": "帰りませんでした",
        "masu-volitional": "帰りましょう",
        "te": "帰って",
        "ta": "帰った",
        "nai": "帰らない",
        "nakatta": "帰らなかった",
        "tai": "帰りたい",
        "potential": "帰れる",
        "volitional": "帰ろう",
        "imperative": "帰れ",
        "prohibitive": "帰るな",
        "ba": "帰れば",
        "tara": "帰ったら",
        "passive": "帰られる",
        "causative": "帰らせる",
        "causative-passive": "帰らせられる 帰らされる",
    },
    "食べる": {
        "dictionary": "食べる",
        "masu": "食べます",
        "masu-negative": "食べません",
        "masu-past": "食べました",
        "masu-past-negative": "食べませんでした",
        "masu-volitional": "食べましょう",
        "te": "食べて",
        "ta": "食べた",
        "nai": "食べない",
        "nakatta": "食べなかった",
        "tai": "食べたい",
        "potential": "食べられる",
        "volitional": "食べよう",
        "imperative": "食べろ 食べよ",
        "prohibitive": "食べるな",
        "ba": "食べれば",
        "tara": "食べたら",
        "passive": "食べられる",
        "causative": "食べさせる",
        "causative-passive": "食べさせられる",
    },
    "見る": {
        "dictionary": "見る",
        "masu": "見ます",
        "masu-negative": "見ません",
        "masu-past": "見ました",
        "masu-past-negative": "見ませんでした",
        "masu-volitional": "見ましょう",
        "te": "見て",
        "ta": "見た",
        "nai": "見ない",
        "nakatta": "見なかった",
        "tai": "見たい",
        "potential": "見られる",
        "volitional": "見よう",
        "imperative": "見ろ 見よ",
        "prohibitive": "見るな",
        "ba": "見れば",
        "tara": "見たら",
        "passive": "見られる",
        "causative": "見させる",
        "causative-passive": "見させられる",
    },
    "する": {
        "dictionary": "する",
        "masu": "します",
        "masu-negative": "しません",
        "masu-past": "しました",
        "masu-past-negative": "しませんでした",
        "masu-volitional": "しましょう",
        "te": "して",
        "ta": "した",
        "nai": "しない",
        "nakatta": "しなかった",
        "tai": "したい",
        "potential": "できる",
        "volitional": "しよう",
        "imperative": "しろ せよ",
        "prohibitive": "するな",
        "ba": "すれば",
        "tara": "したら",
        "passive": "される",
        "causative": "させる",
        "causative-passive": "させられる",
    },
    "勉強する": {
        "dictionary": "勉強する",
        "masu": "勉強します",
        "masu-negative": "勉強しません",
        "masu-past": "勉強しました",
        "masu-past-negative": "勉強しませんでした",
        "masu-volitional": "勉強しましょう",
        "te": "勉強して",
        "ta": "勉強した",
        "nai": "勉強しない",
        "nakatta": "勉強しなかった",
        "tai": "勉強したい",
        "potential": "勉強できる",
        "volitional": "勉強しよう",
        "imperative": "勉強しろ 勉強せよ",
        "prohibitive": "勉強するな",
        "ba": "勉強すれば",
        "tara": "勉強したら",
        "passive": "勉強される",
        "causative": "勉強させる",
        "causative-passive": "勉強させられる",
    },
    "来る": {
        "dictionary": "来る",
        "masu": "来ます",
        "masu-negative": "来ません",
        "masu-past": "来ました",
        "masu-past-negative": "来ませんでした",
        "masu-volitional": "来ましょう",
        "te": "来て",
        "ta": "来た",
        "nai": "来ない",
        "nakatta": "来なかった",
        "tai": "来たい",
        "potential": "来られる",
        "volitional": "来よう",
        "imperative": "来い",
        "prohibitive": "来るな",
        "ba": "来れば",
        "tara": "来たら",
        "passive": "来られる",
        "causative": "来させる",
        "causative-passive": "来させられる",
    },
    "くる": {
        "dictionary": "くる",
        "masu": "きます",
        "masu-negative": "きません",
        "masu-past": "きました",
        "masu-past-negative": "きませんでした",
        "masu-volitional": "きましょう",
        "te": "きて",
        "ta": "きた",
        "nai": "こない",
        "nakatta": "こなかった",
        "tai": "きたい",
        "potential": "こられる",
        "volitional": "こよう",
        "imperative": "こい",
        "prohibitive": "くるな",
        "ba": "くれば",
        "tara": "きたら",
        "passive": "こられる",
        "causative": "こさせる",
        "causative-passive": "こさせられる",
    },
    "行く": {
        "dictionary": "行く",
        "masu": "行きます",
        "masu-negative": "行きません",
        "masu-past": "行きました",
        "masu-past-negative": "行きませんでした",
        "masu-volitional": "行きましょう",
        "te": "行って",
        "ta": "行った",
        "nai": "行かない",
        "nakatta": "行かなかった",
        "tai": "行きたい",
        "potential": "行ける",
        "volitional": "行こう",
        "imperative": "行け",
        "prohibitive": "行くな",
        "ba": "行けば",
        "tara": "行ったら",
        "passive": "行かれる",
        "causative": "行かせる",
        "causative-passive": "行かせられる 行かされる",
    },
    "ある": {
        "dictionary": "ある",
        "masu": "あります",
        "masu-negative": "ありません",
        "masu-past": "ありました",
        "masu-past-negative": "ありませんでした",
        "masu-volitional": "ありましょう",
        "te": "あって",
        "ta": "あった",
        "nai": "ない",
        "nakatta": "なかった",
        "tai": "ありたい",
        "potential": ABSENT,
        "volitional": "あろう",
        "imperative": "あれ",
        "prohibitive": "あるな",
        "ba": "あれば",
        "tara": "あったら",
        "passive": ABSENT,
        "causative": ABSENT,
        "causative-passive": ABSENT,
    },
    # Kana only: the answers stay in kana (かく → かいて).
    "かく": {
        "dictionary": "かく",
        "masu": "かきます",
        "masu-negative": "かきません",
        "masu-past": "かきました",
        "masu-past-negative": "かきませんでした",
        "masu-volitional": "かきましょう",
        "te": "かいて",
        "ta": "かいた",
        "nai": "かかない",
        "nakatta": "かかなかった",
        "tai": "かきたい",
        "potential": "かける",
        "volitional": "かこう",
        "imperative": "かけ",
        "prohibitive": "かくな",
        "ba": "かけば",
        "tara": "かいたら",
        "passive": "かかれる",
        "causative": "かかせる",
        "causative-passive": "かかせられる かかされる",
    },
}

# --- Partial tables: the forms that make a word special -------------------------------

VERB_SPOTS: dict[str, dict[str, str | None]] = {
    # Honorific verbs: masu-stem and imperative in い.
    "いらっしゃる": {
        "masu": "いらっしゃいます",
        "masu-negative": "いらっしゃいません",
        "masu-past": "いらっしゃいました",
        "masu-past-negative": "いらっしゃいませんでした",
        "masu-volitional": "いらっしゃいましょう",
        "te": "いらっしゃって",
        "ta": "いらっしゃった",
        "nai": "いらっしゃらない",
        "nakatta": "いらっしゃらなかった",
        "volitional": "いらっしゃろう",
        "imperative": "いらっしゃい",
        "ba": "いらっしゃれば",
        "tara": "いらっしゃったら",
    },
    "くださる": {
        "masu": "くださいます",
        "masu-negative": "くださいません",
        "masu-past": "くださいました",
        "te": "くださって",
        "ta": "くださった",
        "nai": "くださらない",
        "nakatta": "くださらなかった",
        "imperative": "ください",
        "ba": "くだされば",
        "tara": "くださったら",
    },
    "下さる": {"masu": "下さいます", "imperative": "下さい", "te": "下さって"},
    "なさる": {
        "masu": "なさいます",
        "masu-negative": "なさいません",
        "masu-past": "なさいました",
        "te": "なさって",
        "ta": "なさった",
        "nai": "なさらない",
        "imperative": "なさい",
        "ba": "なされば",
        "tara": "なさったら",
    },
    "おっしゃる": {
        "masu": "おっしゃいます",
        "masu-negative": "おっしゃいません",
        "masu-past": "おっしゃいました",
        "te": "おっしゃって",
        "ta": "おっしゃった",
        "nai": "おっしゃらない",
        "nakatta": "おっしゃらなかった",
        "imperative": "おっしゃい",
        "ba": "おっしゃれば",
        "tara": "おっしゃったら",
    },
    "問う": {
        "masu": "問います",
        "te": "問うて",
        "ta": "問うた",
        "tara": "問うたら",
        "nai": "問わない",
        "volitional": "問おう",
        "passive": "問われる",
    },
    # Ordinary verbs that only look like the irregular ones.
    "歩く": {"te": "歩いて", "ta": "歩いた", "tara": "歩いたら"},
    "聞く": {"te": "聞いて", "nai": "聞かない"},
    "言う": {"te": "言って", "ta": "言った", "nai": "言わない", "masu": "言います"},
    "会う": {"te": "会って", "nai": "会わない", "causative-passive": "会わせられる 会わされる"},
    "かかる": {"te": "かかって", "nai": "かからない"},
    "起きる": {"te": "起きて", "nai": "起きない", "potential": "起きられる"},
    "出る": {"te": "出て", "masu": "出ます", "potential": "出られる"},
    "入る": {"te": "入って", "nai": "入らない", "potential": "入れる"},
    "知る": {"te": "知って", "masu": "知ります", "nai": "知らない"},
    "切る": {"te": "切って", "nai": "切らない"},
    "走る": {"te": "走って", "nai": "走らない", "ba": "走れば"},
    "貸す": {"te": "貸して", "causative-passive": "貸させられる"},
    "出す": {"te": "出して", "causative-passive": "出させられる"},
    "運転する": {
        "masu": "運転します",
        "te": "運転して",
        "nai": "運転しない",
        "potential": "運転できる",
        "causative": "運転させる",
    },
    "散歩する": {"ta": "散歩した", "volitional": "散歩しよう", "ba": "散歩すれば"},
    # Compounds conjugate their last verb and keep the rest.
    "持って来る": {"nai": "持って来ない", "te": "持って来て", "imperative": "持って来い"},
    "持ってくる": {"nai": "持ってこない", "te": "持ってきて", "imperative": "持ってこい"},
    "持っていく": {"te": "持っていって", "ta": "持っていった", "nai": "持っていかない"},
    "書いてある": {"nai": "書いてない", "nakatta": "書いてなかった", "masu": "書いてあります"},
    "くれる": {"imperative": "くれ", "te": "くれて"},
    "教えてくれる": {"imperative": "教えてくれ", "nai": "教えてくれない"},
    # Kana and katakana keep their script.
    "たべる": {"te": "たべて", "nai": "たべない", "potential": "たべられる"},
    "べんきょうする": {"te": "べんきょうして", "potential": "べんきょうできる"},
    "いく": {"te": "いって", "ta": "いった"},
    "のむ": {"te": "のんで", "nai": "のまない"},
    "タベル": {"te": "タベテ", "masu": "タベマス", "nai": "タベナイ"},
    "カク": {"te": "カイテ", "nai": "カカナイ"},
    "サボる": {"te": "サボって", "nai": "サボらない", "masu": "サボります"},
    "ググる": {"te": "ググって", "ta": "ググった", "volitional": "ググろう"},
    "ｶｸ": {"te": "カイテ"},  # half-width katakana comes back full-width
}

ADJECTIVE_TABLES: dict[str, dict[str, str | None]] = {
    "高い": {
        "dictionary": "高い",
        "negative": "高くない",
        "past": "高かった",
        "past-negative": "高くなかった",
        "te": "高くて",
        "adverb": "高く",
        "ba": "高ければ",
        "tara": "高かったら",
        "polite": "高いです",
        "polite-negative": "高くありません 高くないです",
        "polite-past": "高かったです",
        "polite-past-negative": "高くありませんでした 高くなかったです",
        "prenominal": ABSENT,
    },
    "いい": {
        "dictionary": "いい",
        "negative": "よくない",
        "past": "よかった",
        "past-negative": "よくなかった",
        "te": "よくて",
        "adverb": "よく",
        "ba": "よければ",
        "tara": "よかったら",
        "polite": "いいです",
        "polite-negative": "よくありません よくないです",
        "polite-past": "よかったです",
        "polite-past-negative": "よくありませんでした よくなかったです",
        "prenominal": ABSENT,
    },
    "静か": {
        "dictionary": "静かだ",
        "negative": "静かじゃない 静かではない",
        "past": "静かだった",
        "past-negative": "静かじゃなかった 静かではなかった",
        "te": "静かで",
        "adverb": "静かに",
        "ba": "静かなら 静かならば 静かであれば",
        "tara": "静かだったら",
        "polite": "静かです",
        "polite-negative": (
            "静かじゃありません 静かではありません 静かじゃないです 静かではないです"
        ),
        "polite-past": "静かでした",
        "polite-past-negative": (
            "静かじゃありませんでした 静かではありませんでした "
            "静かじゃなかったです 静かではなかったです"
        ),
        "prenominal": "静かな",
    },
}

ADJECTIVE_SPOTS: dict[str, dict[str, str | None]] = {
    "良い": {"negative": "良くない", "past": "良かった", "polite": "良いです"},
    "よい": {"negative": "よくない", "dictionary": "よい"},
    "かっこいい": {"negative": "かっこよくない", "past": "かっこよかった", "ba": "かっこよければ"},
    # Ends in いい but is not いい: no よ.
    "かわいい": {"negative": "かわいくない", "past": "かわいかった"},
    "大きい": {"negative": "大きくない", "te": "大きくて", "adverb": "大きく"},
    "おいしい": {"past": "おいしかった", "polite-past": "おいしかったです"},
    "つまらない": {"negative": "つまらなくない", "past": "つまらなかった"},
    "ない": {"past": "なかった", "te": "なくて"},
    "タカイ": {"negative": "タカクナイ", "past": "タカカッタ"},
    # A na-adjective that ends in い.
    "きれい": {
        "dictionary": "きれいだ",
        "negative": "きれいじゃない きれいではない",
        "prenominal": "きれいな",
        "adverb": "きれいに",
    },
    "元気": {"dictionary": "元気だ", "te": "元気で", "polite-past": "元気でした"},
    "好き": {"prenominal": "好きな", "past": "好きだった"},
    "有名": {"prenominal": "有名な", "tara": "有名だったら"},
    "同じ": {"prenominal": "同じ", "dictionary": "同じだ"},
    "ハンサム": {"dictionary": "ハンサムだ", "negative": "ハンサムじゃない ハンサムではない"},
    # A na-adjective given with its copula.
    "静かだ": {"dictionary": "静かだ", "prenominal": "静かな", "past": "静かだった"},
    "静かな": {"dictionary": "静かだ", "te": "静かで"},
    "げんき": {"dictionary": "げんきだ", "prenominal": "げんきな"},
}


def _cases(tables: dict[str, dict[str, str | None]]) -> list:
    return [
        pytest.param(word, form, expected, id=f"{word}-{form}")
        for word, table in tables.items()
        for form, expected in table.items()
    ]


@pytest.mark.parametrize(
    ("word", "form", "expected"),
    _cases(VERB_TABLES) + _cases(VERB_SPOTS) + _cases(ADJECTIVE_TABLES) + _cases(ADJECTIVE_SPOTS),
)
def test_conjugate(word: str, form: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ConjugationError):
            conjugate(word, form)
    else:
        assert conjugate(word, form) == expected.split()


@pytest.mark.parametrize("word", list(VERB_TABLES))
def test_verb_tables_cover_every_verb_form(word: str) -> None:
    assert tuple(VERB_TABLES[word]) == VERB_FORMS


@pytest.mark.parametrize("word", list(ADJECTIVE_TABLES))
def test_adjective_tables_cover_every_adjective_form(word: str) -> None:
    assert tuple(ADJECTIVE_TABLES[word]) == ADJECTIVE_FORMS


@pytest.mark.parametrize("word", list(VERB_TABLES) + list(ADJECTIVE_TABLES))
def test_conjugate_all_is_the_table(word: str) -> None:
    table = VERB_TABLES.get(word) or ADJECTIVE_TABLES[word]
    expected = {form: forms.split() for form, forms in table.items() if forms is not None}
    result = conjugate_all(word)
    assert result == expected
    assert list(result) == list(expected)  # in the order of GRADING.md


# --- The "Details that settle the edge cases" of GRADING.md ---------------------------


def test_na_adjective_dictionary_form_is_the_plain_predicate() -> None:
    assert conjugate("静か", "dictionary") == ["静かだ"]


@pytest.mark.parametrize("required", ["静かなら", "静かならば"])
def test_na_adjective_ba_forms(required: str) -> None:
    assert required in conjugate("静か", "ba")


@pytest.mark.parametrize(
    ("form", "endings"),
    [
        ("polite-negative", ["じゃありません", "ではありません", "じゃないです", "ではないです"]),
        (
            "polite-past-negative",
            [
                "じゃありませんでした",
                "ではありませんでした",
                "じゃなかったです",
                "ではなかったです",
            ],
        ),
        ("negative", ["じゃない", "ではない"]),
        ("past-negative", ["じゃなかった", "ではなかった"]),
    ],
)
@pytest.mark.parametrize("stem", ["静か", "便利", "元気", "きれい"])
def test_na_adjective_negatives_list_every_standard_form(
    stem: str, form: str, endings: list[str]
) -> None:
    assert conjugate(stem, form) == [stem + ending for ending in endings]


@pytest.mark.parametrize(
    ("word", "form", "expected"),
    [
        ("高い", "polite-negative", ["高くありません", "高くないです"]),
        ("安い", "polite-negative", ["安くありません", "安くないです"]),
        ("高い", "polite-past-negative", ["高くありませんでした", "高くなかったです"]),
        ("いい", "polite-negative", ["よくありません", "よくないです"]),
    ],
)
def test_i_adjective_polite_negative_lists_both(word: str, form: str, expected: list[str]) -> None:
    assert conjugate(word, form) == expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("書く", ["書かせられる", "書かされる"]),
        ("飲む", ["飲ませられる", "飲まされる"]),
        ("待つ", ["待たせられる", "待たされる"]),
        ("買う", ["買わせられる", "買わされる"]),
        ("話す", ["話させられる"]),
        ("貸す", ["貸させられる"]),
        ("探す", ["探させられる"]),
        ("食べる", ["食べさせられる"]),
        ("する", ["させられる"]),
        ("来る", ["来させられる"]),
    ],
)
def test_causative_passive_long_and_short_except_su_verbs(word: str, expected: list[str]) -> None:
    assert conjugate(word, "causative-passive") == expected


@pytest.mark.parametrize(
    ("word", "first"),
    [("食べる", "食べろ"), ("見る", "見ろ"), ("する", "しろ"), ("勉強する", "勉強しろ")],
)
def test_literary_imperative_may_follow_but_never_leads(word: str, first: str) -> None:
    assert conjugate(word, "imperative")[0] == first


@pytest.mark.parametrize(
    ("word", "form", "colloquial"),
    [
        ("見る", "potential", "見れる"),
        ("食べる", "potential", "食べれる"),
        ("来る", "potential", "来れる"),
        ("くる", "potential", "これる"),
        ("起きる", "potential", "起きれる"),
        ("書く", "causative", "書かす"),
        ("食べる", "causative", "食べさす"),
        ("読む", "causative", "読ます"),
    ],
)
def test_no_colloquial_forms(word: str, form: str, colloquial: str) -> None:
    assert colloquial not in conjugate(word, form)


@pytest.mark.parametrize(
    ("word", "form"),
    [
        ("高い", "potential"),
        ("高い", "masu"),
        ("静か", "te-form"),
        ("静か", "causative"),
        ("書く", "adverb"),
        ("書く", "polite"),
        ("書く", "prenominal"),
        ("来る", "past"),
        ("高い", "prenominal"),
        ("いい", "prenominal"),
    ],
)
def test_form_of_the_other_part_of_speech_is_an_error(word: str, form: str) -> None:
    with pytest.raises(ConjugationError):
        conjugate(word, form)


@pytest.mark.parametrize("form", ["", "te-form", "TE", "masu_negative", "future", "て"])
def test_unknown_form_is_an_error(form: str) -> None:
    with pytest.raises(ConjugationError, match="unknown form"):
        conjugate("書く", form)


@pytest.mark.parametrize(
    "word",
    ["本", "ほん", "学生", "私", "東京", "パン", "毎朝", "", " ", "abc", "123", "だ"],
)
def test_a_word_that_is_not_a_verb_or_adjective_is_an_error(word: str) -> None:
    with pytest.raises(ConjugationError):
        conjugate(word, "te")


@pytest.mark.parametrize("word", ["食べます", "書いた", "行こう", "高くない", "食べない"])
def test_a_word_not_in_dictionary_form_is_an_error(word: str) -> None:
    with pytest.raises(ConjugationError):
        word_class(word)


def test_a_noun_that_takes_suru_says_so() -> None:
    with pytest.raises(ConjugationError, match="勉強する"):
        conjugate("勉強", "te")


def test_errors_are_value_errors() -> None:
    assert issubclass(ConjugationError, ValueError)


# --- Word classes ----------------------------------------------------------------------

CLASSES = {
    "godan": (
        "書く 買う 泳ぐ 話す 待つ 死ぬ 遊ぶ 読む 帰る 入る 切る 知る 走る 要る 行く ある 分かる "
        "いらっしゃる おっしゃる くださる なさる 問う 喜ぶ 手伝う 持ち帰る "
        "かく かう まつ きく すう かす うる はなす よむ はいる あそぶ およぐ しぬ ググる"
    ),
    "ichidan": (
        "食べる 見る 起きる 寝る 出る 着る 教える 信じる 落ちる 過ぎる 似る 出かける できる 出来る "
        "いる たべる みる まける ねる おきる タベル"
    ),
    "suru": "する 勉強する 運転する 散歩する 愛する べんきょうする ベンキョウスル",
    "kuru": "来る くる 持って来る 持ってくる クル",
    "i-adj": "高い 大きい いい 良い かっこいい かわいい 美味しい つまらない あつい いたい オイシイ",
    "na-adj": (
        "静か きれい 綺麗 元気 げんき 有名 便利 好き 嫌い 下手 十分 色々 同じ ハンサム "
        "静かだ 静かな"
    ),
}


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        pytest.param(word, cls, id=f"{word}-{cls}")
        for cls, words in CLASSES.items()
        for word in words.split()
    ],
)
def test_word_class(word: str, expected: str) -> None:
    assert word_class(word) == expected


@pytest.mark.parametrize(
    ("word", "cls", "form", "expected"),
    [
        # いる and かえる are written alike in two classes; the class settles them.
        ("いる", "ichidan", "nai", "いない"),
        ("いる", "godan", "nai", "いらない"),
        ("いる", "godan", "te", "いって"),
        ("いる", "godan", "masu", "いります"),
        ("要る", "godan", "nai", "要らない"),
        ("かえる", "godan", "te", "かえって"),
        ("かえる", "godan", "nai", "かえらない"),
        ("かえる", "ichidan", "te", "かえて"),
        ("きる", "ichidan", "te", "きて"),
        ("きる", "godan", "te", "きって"),
        ("しる", "godan", "te", "しって"),
        ("書く", "godan", "te", "書いて"),
        ("静か", "na-adj", "prenominal", "静かな"),
    ],
)
def test_the_class_given_settles_the_word(word: str, cls: str, form: str, expected: str) -> None:
    assert word_class(word, cls) == cls
    assert conjugate(word, form, cls) == [expected]


@pytest.mark.parametrize(
    ("word", "cls"),
    [
        ("書く", "ichidan"),  # an ichidan verb ends in る
        ("話す", "suru"),
        ("来る", "godan"),  # shape fits, but 来る is one of its own
        ("持って来る", "ichidan"),
        ("出来る", "kuru"),  # 出来る is ichidan, not a compound of 来る
        ("静か", "godan"),
        ("高い", "na-adj"),  # MeCab knows 高い is an i-adjective
        ("きれい", "i-adj"),  # ... and that きれい is a na-adjective
        ("食べる", "i-adj"),
        ("書く", "noun"),
        ("書く", "Godan"),
        ("書く", ""),
    ],
)
def test_a_class_that_does_not_fit_is_an_error(word: str, cls: str) -> None:
    with pytest.raises(ConjugationError):
        conjugate(word, "te" if cls != "i-adj" else "negative", cls)


def test_word_classes_are_the_ones_graded() -> None:
    assert WORD_CLASSES == ("godan", "ichidan", "suru", "kuru", "i-adj", "na-adj")


def test_form_names_are_the_ones_graded() -> None:
    assert len(VERB_FORMS) == 20
    assert len(ADJECTIVE_FORMS) == 13
    assert "prenominal" in ADJECTIVE_FORMS
    assert "prenominal" not in VERB_FORMS


# --- Script ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "form", "expected"),
    [
        ("書く", "te", ["書いて"]),
        ("かく", "te", ["かいて"]),
        ("カク", "te", ["カイテ"]),
        ("来る", "nai", ["来ない"]),
        ("くる", "nai", ["こない"]),
        ("クル", "nai", ["コナイ"]),
        ("勉強する", "te", ["勉強して"]),
        ("べんきょうする", "te", ["べんきょうして"]),
        ("高い", "past", ["高かった"]),
        ("たかい", "past", ["たかかった"]),
        ("静か", "te", ["静かで"]),
        ("しずか", "te", ["しずかで"]),
        ("ハンサム", "te", ["ハンサムで"]),  # a katakana stem; だ/で stay hiragana
        ("書 く", "te", ["書いて"]),  # spaces are no part of a word
        ("\u3000書く ", "te", ["書いて"]),
    ],
)
def test_answers_keep_the_script_of_the_word(word: str, form: str, expected: list[str]) -> None:
    assert conjugate(word, form) == expected


def test_a_returned_list_is_the_callers_own() -> None:
    first = conjugate("書く", "te")
    first.append("書きて")
    assert conjugate("書く", "te") == ["書いて"]


# --- Traits ----------------------------------------------------------------------------


def test_every_form_has_traits() -> None:
    assert set(FORM_TRAITS) == set(VERB_FORMS) | set(ADJECTIVE_FORMS)


@pytest.mark.parametrize(
    ("form", "tense", "polarity", "polite"),
    [
        ("dictionary", "nonpast", "affirmative", False),
        ("masu", "nonpast", "affirmative", True),
        ("masu-negative", "nonpast", "negative", True),
        ("masu-past", "past", "affirmative", True),
        ("masu-past-negative", "past", "negative", True),
        ("masu-volitional", None, "affirmative", True),
        ("te", None, "affirmative", False),
        ("ta", "past", "affirmative", False),
        ("nai", "nonpast", "negative", False),
        ("nakatta", "past", "negative", False),
        ("prohibitive", None, "negative", False),
        ("negative", "nonpast", "negative", False),
        ("past", "past", "affirmative", False),
        ("past-negative", "past", "negative", False),
        ("polite", "nonpast", "affirmative", True),
        ("polite-negative", "nonpast", "negative", True),
        ("polite-past", "past", "affirmative", True),
        ("polite-past-negative", "past", "negative", True),
    ],
)
def test_form_traits(form: str, tense: str | None, polarity: str, polite: bool) -> None:
    assert FORM_TRAITS[form] == FormTraits(tense, polarity, polite)


def test_traits_tell_tense_from_politeness() -> None:
    """The checker's question: 食べます for 食べました differs in tense alone."""
    asked, typed = FORM_TRAITS["masu-past"], FORM_TRAITS["masu"]
    assert (asked.polarity, asked.polite) == (typed.polarity, typed.polite)
    assert asked.tense != typed.tense


def test_traits_are_frozen() -> None:
    with pytest.raises(AttributeError):
        FORM_TRAITS["masu"].polite = False  # type: ignore[misc]


# --- Drills ----------------------------------------------------------------------------


def test_drills_for_a_verb_cover_every_form_but_the_one_shown() -> None:
    result = drills("書く")
    assert [d.form for d in result] == list(VERB_FORMS[1:])
    te = next(d for d in result if d.form == "te")
    assert te == Drill("書く", "te", "te-form", ["書いて"])


def test_drills_for_a_na_adjective_ask_for_its_plain_predicate() -> None:
    result = drills("静か")
    assert [d.form for d in result] == list(ADJECTIVE_FORMS)
    assert result[0].answers == ["静かだ"]


def test_drills_for_an_i_adjective_have_no_prenominal() -> None:
    assert [d.form for d in drills("高い")] == list(ADJECTIVE_FORMS[1:-1])


def test_drills_leave_out_forms_a_word_lacks() -> None:
    forms = {d.form for d in drills("ある")}
    assert "potential" not in forms
    assert "nai" in forms


def test_drills_honour_the_class() -> None:
    nai = next(d for d in drills("いる", "godan") if d.form == "nai")
    assert nai.answers == ["いらない"]


def test_every_drill_has_a_label_and_answers() -> None:
    for drill in drills("来る") + drills("いい"):
        assert drill.prompt_form_label
        assert drill.answers


# --- conjugate_jsonl -------------------------------------------------------------------


def _run(*lines: str) -> list[dict]:
    return [json.loads(out) for out in conjugate_jsonl(lines)]


def test_jsonl_answers_each_line_in_order() -> None:
    assert _run(
        '{"id": "q1", "word": "書く", "form": "te"}',
        '{"id": "q2", "word": "かく", "form": "nai"}',
        '{"id": 3, "word": "いる", "form": "nai", "class": "godan"}',
    ) == [
        {"id": "q1", "forms": ["書いて"]},
        {"id": "q2", "forms": ["かかない"]},
        {"id": 3, "forms": ["いらない"]},
    ]


def test_jsonl_writes_japanese_as_is() -> None:
    (out,) = conjugate_jsonl(['{"id": "q", "word": "書く", "form": "te"}'])
    assert out == '{"id": "q", "forms": ["書いて"]}'


def test_jsonl_skips_blank_lines() -> None:
    assert len(_run("", "  \n", '{"id": "q", "word": "書く", "form": "te"}\n')) == 1


def test_jsonl_class_null_is_no_class() -> None:
    assert _run('{"id": "q", "word": "いる", "form": "nai", "class": null}') == [
        {"id": "q", "forms": ["いない"]}
    ]


@pytest.mark.parametrize(
    ("line", "expected_id", "message"),
    [
        ("not json", None, "not valid JSON"),
        ('{"id": "q1", "word": "書く"', None, "not valid JSON"),
        ("[1, 2]", None, "JSON object"),
        ('"書く"', None, "JSON object"),
        ("42", None, "JSON object"),
        ("null", None, "JSON object"),
        ('{"id": NaN, "word": "書く", "form": "te"}', None, "not valid JSON"),
        ("[" * 100_000, None, "not valid JSON"),
        ('{"word": "書く", "form": "te"}', None, "missing field: id"),
        ('{"id": null, "word": "書く", "form": "te"}', None, "missing field: id"),
        ('{"id": "q", "form": "te"}', "q", "missing field: word"),
        ('{"id": "q", "word": "書く"}', "q", "missing field: form"),
        ('{"id": "q"}', "q", "missing field: word, form"),
        ('{"id": "q", "word": 5, "form": "te"}', "q", "word must be a string"),
        ('{"id": "q", "word": "書く", "form": ["te"]}', "q", "form must be a string"),
        ('{"id": "q", "word": "書く", "form": "gerund"}', "q", "unknown form"),
        ('{"id": "q", "word": "書く", "form": "te", "class": "noun"}', "q", "unknown class"),
        ('{"id": "q", "word": "書く", "form": "te", "class": 1}', "q", "unknown class"),
        ('{"id": "q", "word": "本", "form": "te"}', "q", "not a verb or adjective"),
        ('{"id": "q", "word": "", "form": "te"}', "q", "no word"),
        ('{"id": "q", "word": "高い", "form": "potential"}', "q", "verb form"),
        ('{"id": "q", "word": "書く", "form": "adverb"}', "q", "adjective form"),
        ('{"id": "q", "word": "ある", "form": "potential"}', "q", "no standard potential"),
        ('{"id": "q", "word": "書く", "form": "te", "class": "ichidan"}', "q", "ichidan"),
    ],
)
def test_jsonl_errors(line: str, expected_id: str | None, message: str) -> None:
    (answer,) = _run(line)
    assert set(answer) == {"id", "error"}
    assert answer["id"] == expected_id
    assert message in answer["error"]


def test_jsonl_goes_on_after_a_bad_line() -> None:
    answers = _run("oops", '{"id": "q", "word": "高い", "form": "negative"}')
    assert "error" in answers[0]
    assert answers[1] == {"id": "q", "forms": ["高くない"]}


def test_jsonl_output_is_valid_utf8_even_for_a_lone_surrogate_id() -> None:
    (out,) = conjugate_jsonl(['{"id": "\\ud800", "word": "書く", "form": "te"}'])
    out.encode("utf-8")
    assert json.loads(out)["forms"] == ["書いて"]


def test_jsonl_accepts_a_byte_order_mark() -> None:
    assert _run('\ufeff{"id": "q", "word": "書く", "form": "te"}') == [
        {"id": "q", "forms": ["書いて"]}
    ]
