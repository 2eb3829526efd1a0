"""The JLPT blueprints as data, and forms assembled from a pool by them."""

from __future__ import annotations

import pytest

from app.exam.blueprint import JLPT, MOCK, blueprint_for, scaled_minutes
from app.exam.forms import Candidate, assemble, candidate_of, load_pool
from app.models import Item
from tests import test_mock_exam as mock_exam


def test_full_blueprints_follow_the_jlpt_since_2020() -> None:
    minutes = {lvl: [s.minutes for s in JLPT[lvl].sections] for lvl in ("N5", "N4")}
    assert minutes == {"N5": [20, 40, 30], "N4": [25, 55, 35]}
    assert [s.id for s in JLPT["N5"].sections] == ["vocabulary", "grammar-reading", "listening"]
    n5_vocabulary = [p.skill for p in JLPT["N5"].sections[0].parts]
    n4_vocabulary = [p.skill for p in JLPT["N4"].sections[0].parts]
    assert "usage" not in n5_vocabulary
    assert n4_vocabulary[-1] == "usage"
    assert all(bp.use == "exam" and bp.kind == "certification" for bp in JLPT.values())


@pytest.mark.parametrize("level", ["N5", "N4"])
def test_the_mock_is_shorter_with_the_same_sections_and_types(level: str) -> None:
    full, mock = JLPT[level], MOCK[level]
    assert (mock.use, mock.kind) == ("practice", "mock")
    assert [s.id for s in mock.sections] == [s.id for s in full.sections]
    for short, long in zip(mock.sections, full.sections, strict=True):
        assert [p.skill for p in short.parts] == [p.skill for p in long.parts]
        assert 0 < short.count < long.count
        assert short.minutes == scaled_minutes(long, short.count) < long.minutes
    assert [s.count for s in mock.sections] == [10, 12, 6]


def test_minutes_scale_with_the_item_count_rounded_up() -> None:
    vocabulary = JLPT["N5"].sections[0]  # 21 items in 20 minutes
    assert scaled_minutes(vocabulary, 10) == 10  # 9.52 rounded up
    assert scaled_minutes(vocabulary, 21) == 20
    assert scaled_minutes(vocabulary, 1) == 1


def test_unknown_level_or_kind_has_no_blueprint() -> None:
    with pytest.raises(KeyError):
        blueprint_for("N3", "mock")
    with pytest.raises(KeyError):
        blueprint_for("N5", "placement")


# ---- assembly ---------------------------------------------------------------------------


def item(id_: str, section: str, type_: str, *tags: str, **fields) -> Candidate:  # type: ignore[no-untyped-def]
    return Candidate(id=id_, section=section, type=type_, tags=frozenset(tags), **fields)


def n5_pool() -> list[Candidate]:
    """Enough practice-like items for an N5 mock, with difficulties spread out."""
    pool = []
    for i in range(12):
        b = (i - 6) / 2
        pool += [
            item(f"kr{i}", "vocabulary", "reading", "kanji-reading", difficulty=b),
            item(f"or{i}", "vocabulary", "choice", "orthography", difficulty=b),
            item(f"cv{i}", "vocabulary", "word", "vocabulary", difficulty=b),
            item(f"pa{i}", "vocabulary", "meaning", difficulty=b),
            item(f"gf{i}", "grammar-reading", "choice", "te-form", difficulty=b),
            item(f"sc{i}", "grammar-reading", "ordering", "te-form", difficulty=b),
            item(f"tg{i}", "grammar-reading", "sentence", difficulty=b),
        ]
    for p in range(4):
        for task in ("task", "point", "utterance", "quick-response"):
            pool.append(item(f"li-{task}{p}", "listening", "listening", task))
        for kind, tag in (("st", "memo"), ("mt", "diary"), ("ir", "information-retrieval")):
            for q in range(2):
                pool.append(
                    item(f"{kind}{p}-{q}", "grammar-reading", "reading-comprehension", tag,
                         passage_id=f"n5-{kind}{p}", order=("r.yaml", p * 10 + q))
                )  # fmt: skip
    return pool


def by_part(form) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {p["skill"]: p["items"] for s in form.sections for p in s["parts"]}


def test_a_form_matches_the_blueprint_and_is_repeatable() -> None:
    form = assemble(MOCK["N5"], n5_pool(), seed=7)
    assert form.short == {}
    parts = by_part(form)
    assert all(i.startswith("kr") for i in parts["kanji-reading"])
    assert all(i.startswith("or") for i in parts["orthography"])
    assert all(i.startswith("pa") for i in parts["paraphrase"])
    assert all(i.startswith("sc") for i in parts["sentence-composition"])
    assert all(i.startswith("li-task") for i in parts["task"])
    assert [len(parts[p.skill]) for s in MOCK["N5"].sections for p in s.parts] == [
        p.count for s in MOCK["N5"].sections for p in s.parts
    ]
    assert len(set(form.item_ids())) == len(form.item_ids()) == 28
    assert assemble(MOCK["N5"], n5_pool(), seed=7).sections == form.sections
    assert assemble(MOCK["N5"], n5_pool(), seed=8).sections != form.sections


def test_items_sharing_a_passage_stay_together_first_question_first() -> None:
    for seed in range(20):
        parts = by_part(assemble(MOCK["N5"], n5_pool(), seed=seed))
        for skill in ("short-text", "mid-text", "information-retrieval"):
            ids = parts[skill]
            assert len(ids) == 2
            assert ids == [ids[0][:-1] + "0", ids[0][:-1] + "1"], (seed, ids)


def test_difficulty_is_balanced_across_the_pool() -> None:
    """Three kanji-reading items from twelve spread from -3 to 2.5: one from each third."""
    for seed in range(30):
        chosen = by_part(assemble(MOCK["N5"], n5_pool(), seed=seed))["kanji-reading"]
        numbers = sorted(int(i[2:]) for i in chosen)
        assert numbers[0] < 4 <= numbers[1] < 8 <= numbers[2], (seed, numbers)


def test_an_items_tags_include_its_listening_task_and_none_difficulty_counts_as_zero() -> None:
    listening = Item(
        id="n5-l-1", type="listening", level="N5", section="listening", use="practice",
        data={"skills": ["shopping"], "task": "point"}, difficulty=None,
        source_path="x.yaml", position=3,
    )  # fmt: skip
    made = candidate_of(listening)
    assert made.tags == {"shopping", "point"}
    assert made.difficulty == 0.0
    assert made.order == ("x.yaml", 3)


def test_units_are_drawn_in_order_of_difficulty() -> None:
    pool = [c for c in n5_pool() if not c.id.startswith("kr")]
    pool += [item("kr-hard", "vocabulary", "reading", "kanji-reading", difficulty=5.0)]
    pool += [item("kr-easy", "vocabulary", "reading", "kanji-reading", difficulty=-5.0)]
    pool += [item("kr-mid", "vocabulary", "reading", "kanji-reading", difficulty=0.0)]
    chosen = by_part(assemble(MOCK["N5"], pool, seed=1))["kanji-reading"]
    assert chosen == ["kr-easy", "kr-mid", "kr-hard"]


def test_items_seen_in_earlier_attempts_are_avoided_while_others_remain() -> None:
    first = assemble(MOCK["N5"], n5_pool(), seed=3)
    second = assemble(MOCK["N5"], n5_pool(), seen=first.item_ids(), seed=3)
    assert set(first.item_ids()).isdisjoint(second.item_ids())
    seen_all = [c.id for c in n5_pool()]
    third = assemble(MOCK["N5"], n5_pool(), seen=seen_all, seed=3)
    assert third.short == {}  # seen items are used when nothing unseen is left


def test_a_short_type_borrows_from_its_section_and_a_short_section_is_reported() -> None:
    pool = [c for c in n5_pool() if not c.id.startswith(("or", "li-"))]
    form = assemble(MOCK["N5"], pool, seed=2)
    parts = by_part(form)
    assert len(parts["orthography"]) == 3
    assert all(i.startswith("kr") for i in parts["orthography"])  # borrowed kanji reading
    assert form.short == {"listening": 6}


def test_a_tagged_item_never_stands_in_for_another_type() -> None:
    """An item tagged as one question type of its section does not fill another by its
    item type: a choice item tagged orthography is never a contextual-vocabulary item."""
    pool = [c for c in n5_pool() if not c.id.startswith("cv")]
    parts = by_part(assemble(MOCK["N5"], pool, seed=4))
    assert not any(i.startswith("or") for i in parts["contextual-vocabulary"])


# ---- the real question bank fills the full certification form ---------------------------

# The mock exam's fixtures: the project's question bank, checked once and loaded per test.
real_bank, curriculum = mock_exam.real_bank, mock_exam.curriculum


def test_the_real_bank_fills_the_full_certification_form_at_both_levels(app, curriculum) -> None:
    """Every question type of the full N5 and N4 forms is filled from the loaded `exam`
    items, with any seed (the full form borrows nothing and may not be short)."""
    with app.app_context():
        pools = {level: load_pool(level, "exam") for level in ("N5", "N4")}
    for level, pool in pools.items():
        blueprint = blueprint_for(level, "certification")
        for seed in range(5):
            form = assemble(blueprint, pool, seed=seed)
            assert not form.short, (level, seed, form.short)
            parts = by_part(form)
            assert [len(parts[p.skill]) for s in blueprint.sections for p in s.parts] == [
                p.count for s in blueprint.sections for p in s.parts
            ], (level, seed)
            assert len(set(form.item_ids())) == len(form.item_ids()) == blueprint.count

    # The longer texts and the information retrieval at both levels: a second attempt
    # (and a third) gets other items than the attempts before it, whatever the seed.
    for level, pool in pools.items():
        blueprint = blueprint_for(level, "certification")
        for seed in range(3):
            seen: list[str] = []
            earlier: dict[str, list[set[str]]] = {"mid-text": [], "information-retrieval": []}
            for _attempt in range(3):
                form = assemble(blueprint, pool, seen=seen, seed=seed)
                assert not form.short, (level, seed, form.short)
                parts = by_part(form)
                for part, before in earlier.items():
                    items = set(parts[part])
                    assert all(items.isdisjoint(b) for b in before), (level, part, seed)
                    before.append(items)
                seen += form.item_ids()
