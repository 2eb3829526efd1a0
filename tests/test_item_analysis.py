"""Item analysis: figures on a seeded, hand-computed set of answers; flags and their
limits; who counts (first answers, trainees of the viewer's centre); who may look."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from app.analysis import services
from app.analysis.display import shown_item
from app.analysis.stats import (
    MIN_RESPONSES,
    Answer,
    ItemInfo,
    analyse,
    point_biserial,
)
from app.extensions import db
from app.models import (
    Dispute,
    ExamAnswer,
    ExamAttempt,
    Item,
    PracticeSession,
    Response,
    Role,
    User,
)

X = "n5-wa-desu-001"  # choice: は を に で, key は (from small_curriculum)
Y = "n5-wa-desu-002"  # sentence, typed (from small_curriculum)
Z = "n5-exam-animal-001"  # choice: いぬ ねこ とり さかな, key ねこ (answered in exams)
T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def add_exam_item() -> None:
    db.session.add(
        Item(
            id=Z,
            type="choice",
            level="N5",
            section="vocabulary",
            use="exam",
            data={
                "id": Z,
                "type": "choice",
                "level": "N5",
                "section": "vocabulary",
                "use": "exam",
                "prompt": "{猫|ねこ}は どれですか。",
                "options": ["いぬ", "ねこ", "とり", "さかな"],
                "answer": "ねこ",
                "explanation": "猫 is ねこ.",
            },
            source_path="question_bank/N5/exam/animals.yaml",
            position=0,
            content_hash="0" * 64,
        )
    )


def practise(user: User, item_id: str, answer: Any, correct: bool, ms: int | None,
             when: datetime, retry: bool = False) -> Response:  # fmt: skip
    session = PracticeSession(user_id=user.id, kind="lesson", item_ids=[item_id], started_at=when)
    db.session.add(session)
    db.session.flush()
    response = Response(
        session_id=session.id, user_id=user.id, item_id=item_id, client_key=f"k{session.id}",
        answer=answer, correct=correct, score=float(correct), retry=retry, feedback=[],
        response_ms=ms, created_at=when,
    )  # fmt: skip
    db.session.add(response)
    db.session.flush()
    return response


def sit(user: User, answers: dict[str, tuple[Any, bool]], when: datetime,
        status: str = "finished") -> None:  # fmt: skip
    attempt = ExamAttempt(
        user_id=user.id, level="N5", kind="mock", status=status, seed=1, form=[],
        started_at=when,
    )  # fmt: skip
    db.session.add(attempt)
    db.session.flush()
    for item_id, (given, correct) in answers.items():
        db.session.add(
            ExamAnswer(
                attempt_id=attempt.id,
                item_id=item_id,
                section="vocabulary",
                answer=given,
                correct=correct,
                saved_at=when,
            )
        )
    db.session.flush()


def dispute(response: Response, status: str = "open", note: str = "") -> None:
    db.session.add(
        Dispute(
            response_id=response.id,
            item_id=response.item_id,
            user_id=response.user_id,
            note=note,
            status=status,
        )
    )


@pytest.fixture
def seeded(app: Flask, small_curriculum, make_user, make_centre) -> dict[str, User]:
    """Five trainees at the Lahore centre (P1–P5), one at another centre (P6), and an
    instructor who tried an item: the set the hand computations below are made on.

    First answers (1 right, 0 wrong; X and Y in practice, Z in finished mock exams):

        person  X         Y              Z
        P1      1 は      1              1 ねこ
        P2      1 は      1              0 いぬ
        P3      0 を      0 学生でした    1 ねこ
        P4      1 は      0 学生でした    1 ねこ
        P5      0 に      0 がくせい      0 (option 0: いぬ)
    """
    people = {f"P{n}": make_user(Role.TRAINEE, name=f"Trainee {n}") for n in range(1, 6)}
    people["P6"] = make_user(Role.TRAINEE, name="Trainee 6", centre_=make_centre("Karachi"))
    people["staff"] = make_user(Role.INSTRUCTOR, name="Instructor")
    with app.app_context():
        add_exam_item()
        p = {k: db.session.get(User, u.id) for k, u in people.items()}
        for who, x, ok, ms in [("P1", "は", 1, 4000), ("P2", "は", 1, 6000), ("P3", "を", 0, 8000),
                               ("P4", "は", 1, 2000), ("P5", "に", 0, 10000)]:  # fmt: skip
            practise(p[who], X, x, bool(ok), ms, at(0))
        # Later answers never count: P1 practises X again (wrong), P3 meets X in an exam (right).
        practise(p["P1"], X, "を", False, 1000, at(60))
        sit(p["P3"], {X: ("は", True)}, at(120))
        for who, y, ok, ms in [("P1", "学生です。", 1, 3000), ("P2", "学生です。", 1, 4000),
                               ("P3", "学生でした", 0, 7000), ("P4", "学生でした", 0, 9000),
                               ("P5", "がくせい", 0, None)]:  # fmt: skip
            response = practise(p[who], Y, y, bool(ok), ms, at(10))
            if who == "P3":
                dispute(response, note="でした is fine")
            if who == "P5":
                dispute(response, status="rejected")
        # A first try sent back for another go (wrong script) is no answer: P4's next one counts.
        practise(p["P4"], Y, "gakusei", False, 500, at(5), retry=True)
        for who, z, ok in [("P1", "ねこ", 1), ("P2", "いぬ", 0), ("P3", "ねこ", 1),
                           ("P4", "ねこ", 1), ("P5", 0, 0)]:  # fmt: skip
            sit(p[who], {Z: (z, bool(ok))}, at(30))
        # An invalidated attempt is void, even though it came first.
        sit(p["P2"], {Z: ("ねこ", True)}, at(20), status="invalidated")
        # Another centre's trainee and a member of staff: not counted for Lahore's staff.
        practise(p["P6"], X, "で", False, 5000, at(0))
        dispute(practise(p["P6"], Y, "学生", False, 5000, at(0)))
        practise(p["staff"], X, "は", True, 1000, at(0))
        db.session.commit()
    return people


def table(app: Flask, viewer: User, **kwargs: Any) -> dict[str, services.ItemRow]:
    with app.app_context():
        actor = db.session.get(User, viewer.id)
        return {row.item.id: row for row in services.item_table(actor, **kwargs)}


def test_statistics_match_the_hand_computation(app, seeded, make_user) -> None:
    instructor = make_user(Role.INSTRUCTOR)
    with app.app_context():
        rows = services.item_table(db.session.get(User, instructor.id), min_responses=5)
    x, y, z = (next(r.stats for r in rows if r.item.id == i) for i in (X, Y, Z))

    # Facility: right / answers.  X 3/5, Y 2/5, Z 3/5.
    assert (x.responses, x.correct, x.facility) == (5, 3, 0.6)
    assert (y.responses, y.correct, y.facility) == (5, 2, 0.4)
    assert (z.responses, z.correct, z.facility) == (5, 3, 0.6)

    # Discrimination, r = (M1 − M0) / s · √(pq), rest = share right on the other two items.
    # X: rest P1..P5 = 1, .5, .5, .5, 0 (mean .5, s = √(.5/5 − 0) = √.1 = .31623)
    #    M1 (P1 P2 P4) = 2/3, M0 (P3 P5) = .25; √(.6·.4) = .48990
    #    r = (.66667 − .25) / .31623 · .48990 = .64550
    assert x.discrimination == pytest.approx(0.64550, abs=5e-5)
    # Y: rest = 1, .5, .5, 1, 0 (mean .6; Σ(r − .6)² = .16+.01+.01+.16+.36 = .7; s = √.14)
    #    M1 (P1 P2) = .75, M0 (P3 P4 P5) = .5; √(.4·.6) = .48990
    #    r = .25 / .37417 · .48990 = .32733
    assert y.discrimination == pytest.approx(0.32733, abs=5e-5)
    # Z: rest = 1, 1, 0, .5, 0; M1 (P1 P3 P4) = 1.5/3 = .5, M0 (P2 P5) = 1/2 = .5 → r = 0
    assert z.discrimination == 0
    assert x.discrimination_people == y.discrimination_people == z.discrimination_people == 5

    # Distractors: X は 3/5, を 1/5, に 1/5, で 0/5; Z いぬ 2/5 (one sent as index 0).
    assert [(o.option, o.count, o.share, o.is_key) for o in x.options] == [
        ("は", 3, 0.6, True), ("を", 1, 0.2, False), ("に", 1, 0.2, False), ("で", 0, 0.0, False)
    ]  # fmt: skip
    assert [(o.option, o.count) for o in z.options] == [
        ("いぬ", 2), ("ねこ", 3), ("とり", 0), ("さかな", 0)
    ]  # fmt: skip

    # Median time: X 2000 4000 [6000] 8000 10000; Y 3000 4000 | 7000 9000 → 5500
    # (P5 gave none); Z is from exams, which carry no time.
    assert (x.median_ms, y.median_ms, z.median_ms) == (6000, 5500, None)
    assert y.wrong_answers == (("学生でした", 2), ("がくせい", 1))
    assert y.open_disputes == 1  # P3's; P5's was rejected and P6 is at another centre

    # Flags at N = 5 and the concern they add up to:
    # Z weak (D = 0): 1 + (.15 − 0)/.15 = 2, plus two unused options at .5 each → 3
    # Y one open dispute → 1; X one unused option (で) → .5
    assert [f.code for f in z.flags] == ["weak", "unused-distractor", "unused-distractor"]
    assert (z.concern, y.concern, x.concern) == (3, 1, 0.5)
    assert [r.item.id for r in rows] == [Z, Y, X]


def test_with_fewer_answers_than_needed_nothing_is_judged_but_disputes(app, seeded, make_user):
    rows = table(app, make_user(Role.INSTRUCTOR))  # N = 30: five answers judge nothing
    assert all(not r.stats.judged for r in rows.values())
    assert [f.code for f in rows[Y].stats.flags] == ["disputes"]
    assert rows[Z].stats.flags == rows[X].stats.flags == ()


def test_centre_staff_count_their_centre_only(app, seeded, make_user, make_centre) -> None:
    lahore = table(app, make_user(Role.CENTRE_ADMIN), min_responses=5)
    everyone = table(app, make_user(Role.PROGRAMME_ADMIN), min_responses=5)
    karachi_staff = make_user(Role.INSTRUCTOR, centre_=None)
    with app.app_context():
        karachi_staff = db.session.get(User, karachi_staff.id)
        karachi_staff.centre_id = db.session.get(User, seeded["P6"].id).centre_id
        db.session.commit()
        db.session.refresh(karachi_staff)
        db.session.expunge(karachi_staff)
    karachi = table(app, karachi_staff, min_responses=5)

    assert (lahore[X].stats.responses, lahore[Y].stats.open_disputes) == (5, 1)
    assert (everyone[X].stats.responses, everyone[Y].stats.open_disputes) == (6, 2)
    assert set(karachi) == {X, Y}  # P6 never sat the exam item
    assert (karachi[X].stats.responses, karachi[X].stats.correct) == (1, 0)


def test_filters(app, seeded, make_user) -> None:
    viewer = make_user(Role.INSTRUCTOR)
    assert set(table(app, viewer, use="exam")) == {Z}
    assert set(table(app, viewer, section="grammar-reading")) == {X, Y}
    assert set(table(app, viewer, level="N4")) == set()
    assert set(table(app, viewer, flagged_only=True)) == {Y}
    # Filters choose rows, not rest-scores: X's discrimination is the same when shown alone.
    alone = table(app, viewer, section="grammar-reading")[X].stats.discrimination
    assert alone == pytest.approx(0.64550, abs=5e-5)


# ---- the pages ----------------------------------------------------------------------------


def cells(page: str, item_id: str) -> list[str]:
    row = re.search(
        rf'<tr[^>]*>\s*<th scope="row"><a href="/teach/items/{item_id}">.*?</tr>', page, re.S
    )
    assert row, f"no row for {item_id}"
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", c)).strip()
        for c in re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    ]


def test_the_list_puts_flagged_items_first_and_shows_counts(client, seeded, login_as) -> None:
    login_as(Role.INSTRUCTOR)
    page = client.get("/teach/items").get_data(as_text=True)
    assert page.index(f">{Y}</a>") < page.index(f">{X}</a>")
    assert page.index(f">{Y}</a>") < page.index(f">{Z}</a>")
    type_, answers, fac, disc, median, disputes, flags = cells(page, X)
    assert (type_, answers, fac, disc, median, disputes) == (
        "choice",
        "5",
        "60%",
        "0.65",
        "6.0 s",
        "0",
    )
    assert f"Not judged yet: 5 of the {MIN_RESPONSES} answers needed." in flags
    assert "1 open dispute" in cells(page, Y)[-1]
    assert cells(page, Z)[4] == "–"  # exam answers carry no time
    assert "finished exam attempts" in page
    assert "Only trainees of your centre" in page
    flagged = client.get("/teach/items?flagged=1&level=N5").get_data(as_text=True)
    assert f">{Y}</a>" in flagged
    assert f">{X}</a>" not in flagged


def test_all_right_leaves_discrimination_undefined(
    app, client, small_curriculum, make_user, login_as
) -> None:
    trainees = [make_user(Role.TRAINEE) for _ in range(3)]
    with app.app_context():
        for n, t in enumerate(trainees):
            user = db.session.get(User, t.id)
            practise(user, X, "は", True, 3000, at(n))
            practise(user, Y, "学生です。", n != 0, 3000, at(n))
        db.session.commit()
    login_as(Role.INSTRUCTOR)
    page = client.get("/teach/items").get_data(as_text=True)
    assert cells(page, X)[2:4] == ["100%", "–"]
    detail = client.get(f"/teach/items/{X}").get_data(as_text=True)
    assert re.search(r"Discrimination</dt>\s*<dd[^>]*>–", detail)


def test_the_item_page(client, seeded, login_as) -> None:
    login_as(Role.INSTRUCTOR)
    page = client.get(f"/teach/items/{Y}").get_data(as_text=True)
    assert '<ruby lang="ja">学生<rt>がくせい</rt></ruby>' not in page  # Y's prompt is English
    assert "(私は)学生です。" in page  # accepted answers as authored
    assert '<dd class="fs-5">I am a student.</dd>' in page  # English: no lang="ja"
    assert '<dd lang="ja" class="fs-5">私は学生です。</dd>' in page  # the key
    assert re.search(r"学生でした</span></td><td[^>]*>2<", page)  # most common wrong answer
    assert "Trainee 3" in page  # the open dispute, with its note
    assert "でした is fine" in page
    assert "Trainee 6" not in page  # another centre's dispute
    page = client.get(f"/teach/items/{X}").get_data(as_text=True)
    assert '<ruby lang="ja">私<rt>わたし</rt></ruby>' in page  # the prompt, with ruby
    assert re.search(r"table-success\">\s*<th scope=\"row\" lang=\"ja\"><span lang=\"ja\">は", page)
    page = client.get(f"/teach/items/{Z}").get_data(as_text=True)
    assert '<ruby lang="ja">猫<rt>ねこ</rt></ruby>' in page
    assert client.get("/teach/items/n5-no-such-item").status_code == 404


def test_trainees_get_403_on_every_item_analysis_page(app, client, seeded, login_as) -> None:
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("analysis.")]
    assert len(rules) == 2
    paths = ["/teach/items", "/teach/items/", f"/teach/items/{X}", "/teach/items/n5-unknown"]
    assert client.get("/teach/items").status_code == 302  # signed out: to the sign-in page
    login_as(Role.TRAINEE)
    assert [client.get(p).status_code for p in paths] == [403] * len(paths)


def test_a_listening_item_shows_its_script_and_question_with_ruby() -> None:
    item = Item(
        id="n5-listen-001",
        type="listening",
        data={
            "id": "n5-listen-001", "type": "listening", "level": "N5", "section": "listening",
            "use": "exam", "task": "point", "explanation": "…",
            "script": [{"speaker": "M", "text": "{駅|えき}はどこですか。"},
                       {"speaker": "F", "text": "あそこです。"}],
            "question": "{男|おとこ}の{人|ひと}は どこへ 行きますか。",
            "options": ["えき", "がっこう"], "answer": "えき",
        },
    )  # fmt: skip
    shown = shown_item(item)
    assert [(p.name, p.japanese) for p in shown.parts] == [("question", True), ("script", True)]
    assert '<ruby lang="ja">男<rt>おとこ</rt></ruby>' in shown.parts[0].html
    assert shown.parts[1].html == (
        'M: <ruby lang="ja">駅<rt>えき</rt></ruby>はどこですか。<br>F: あそこです。'
    )
    assert (shown.key.html, shown.accepted) == ("えき", ())


# ---- the statistics on their own ----------------------------------------------------------


def answers_of(item_id: str, pattern: str, start: int = 0) -> list[Answer]:
    return [Answer(start + n, item_id, c == "1") for n, c in enumerate(pattern)]


INFO = {name: ItemInfo(name, "N5") for name in "bcd"} | {
    "a": ItemInfo("a", "N5", ("x", "y", "z"), "x")
}


def test_below_the_minimum_no_figure_flags_an_item() -> None:
    for count, flagged in [(MIN_RESPONSES - 1, False), (MIN_RESPONSES, True)]:
        stats = analyse(INFO, answers_of("b", "0" * count))[0]
        assert stats.facility == 0
        assert ("too-hard" in [f.code for f in stats.flags]) is flagged


def test_all_right_is_too_easy_and_undefined_discrimination() -> None:
    found = analyse(INFO, answers_of("b", "1" * 30) + answers_of("c", "10" * 15))
    b = next(s for s in found if s.item_id == "b")
    assert (b.facility, b.discrimination) == (1.0, None)
    assert [f.code for f in b.flags] == ["too-easy"]
    assert b.concern == pytest.approx(0.5 + 0.05 / 0.1)


def test_a_reversed_item_is_serious_and_comes_first() -> None:
    # People 0–14 are strong (right on b and d), 15–29 weak; c is the other way round.
    # Rest-score on c: strong (1 + 1 + 1)/3 = 1, weak (1 + 0 + 0)/3 = ⅓; c strong 0, weak 1
    # → r = −1, weight 3 + 2·1 = 5. On b and d the rest-scores are all ⅔: undefined.
    strong_first = "1" * 15 + "0" * 15
    a = [Answer(n, "a", True, "x") for n in range(30)]
    b, d = answers_of("b", strong_first), answers_of("d", strong_first)
    c = answers_of("c", "0" * 15 + "1" * 15)
    found = analyse(INFO, a + b + c + d)
    assert found[0].item_id == "c"
    assert found[0].discrimination == pytest.approx(-1)
    assert [(f.code, f.serious, f.weight) for f in found[0].flags] == [("reversed", True, 5)]
    assert next(s for s in found if s.item_id == "b").discrimination is None
    a_stats = next(s for s in found if s.item_id == "a")
    assert [f.value for f in a_stats.flags if f.code == "unused-distractor"] == ["y", "z"]


@pytest.mark.parametrize(
    ("scores", "rest", "expected"),
    [
        ([1, 1, 0, 1, 0], [1, 0.5, 0.5, 0.5, 0], 0.645497),  # X above
        ([1, 0], [0.5, 0.5], None),  # rest-scores all equal
        ([1], [1.0], None),  # one person
    ],
)
def test_point_biserial(scores, rest, expected) -> None:
    result = point_biserial(scores, rest)
    assert result == (pytest.approx(expected, abs=1e-6) if expected is not None else None)
