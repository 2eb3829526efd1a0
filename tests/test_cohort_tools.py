"""Cohort tools for staff: lessons due by a date, who is behind and by how much, the
trainee page, CSV results, moving and removing trainees, and who may do any of it."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from app.content import services as content_services
from app.extensions import db
from app.learning.clock import local_day
from app.models import CohortLesson, CohortMembership, Lesson, Response, Role, User
from app.models._columns import utcnow
from tests.conftest import csrf_token, sign_in
from tests.content.test_loader import make_tree
from tests.test_practice import post, start
from tests.test_progress import SECOND_ITEMS, SECOND_LESSON

THIRD_LESSON = (
    SECOND_LESSON.replace("id: n5-grammar-mo", "id: n5-grammar-ni")
    .replace("unit: grammar-1", "unit: grammar-2")
    .replace("order: 2", "order: 1")
    .replace('title: "Aも"', 'title: "Time に"')
    .replace("prerequisites: [n5-grammar-wa-desu]", "prerequisites: []")
)
WA, MO, NI = "n5-grammar-wa-desu", "n5-grammar-mo", "n5-grammar-ni"


@pytest.fixture
def course(app, tmp_path) -> None:
    """Two lessons in unit grammar-1 and one in grammar-2, all of N5."""
    lessons, bank = make_tree(tmp_path)
    (lessons / "N5" / "grammar-1" / "02-mo.md").write_text(SECOND_LESSON, encoding="utf-8")
    (bank / "N5" / "grammar" / "mo.yaml").write_text(SECOND_ITEMS, encoding="utf-8")
    (lessons / "N5" / "grammar-2").mkdir()
    (lessons / "N5" / "grammar-2" / "01-ni.md").write_text(THIRD_LESSON, encoding="utf-8")
    with app.app_context():
        checked = content_services.check(lessons, bank, study_sets=False)
        assert not checked.problems, checked.problems
        content_services.load(checked)
        db.session.commit()


def today() -> date:
    return local_day(utcnow())


def assigned(app, cohort_id: int) -> dict[str, date]:
    with app.app_context():
        rows = db.session.scalars(select(CohortLesson).where(CohortLesson.cohort_id == cohort_id))
        return {row.lesson_id: row.due_on for row in rows}


def assign(client, cohort_id: int, unit: str, due: date | str, *, whole=False, lessons=()):
    prefix = f"N5-{unit}"
    data = {
        f"{prefix}-due_on": due if isinstance(due, str) else due.isoformat(),
        f"{prefix}-lessons": list(lessons),
        "csrf_token": csrf_token(client, f"/teach/cohorts/{cohort_id}/lessons"),
    }
    data[f"{prefix}-{'whole_unit' if whole else 'assign'}"] = "go"
    return client.post(f"/teach/cohorts/{cohort_id}/lessons/N5/{unit}", data=data)


def sign_out(client) -> None:
    client.post("/logout", data={"csrf_token": csrf_token(client, "/about")})


def pass_first_lesson(client) -> None:
    """The signed-in trainee completes the sample lesson (both items right)."""
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "a"})
    post(client, url, {"item_id": "n5-wa-desu-002", "answer": "わたしはがくせいです", "key": "b"})
    post(client, f"/learn/practice/{session['session_id']}/end")


# ---- assigning lessons ------------------------------------------------------------------


def test_an_instructor_assigns_a_whole_unit_single_lessons_and_removes_one(
    app, client, login_as, make_cohort, course
) -> None:
    login_as(Role.INSTRUCTOR)
    cohort = make_cohort("Batch 3")
    page = client.get(f"/teach/cohorts/{cohort.id}/lessons").get_data(as_text=True)
    assert "N5 · grammar-1" in page
    assert "N5 · grammar-2" in page
    assert "No lessons are assigned yet." in page

    due = today() + timedelta(days=7)
    done = assign(client, cohort.id, "grammar-1", due, whole=True)
    assert done.status_code == 302
    assert assigned(app, cohort.id) == {WA: due, MO: due}

    later = today() + timedelta(days=14)
    assign(client, cohort.id, "grammar-2", later, lessons=[NI])
    assign(client, cohort.id, "grammar-1", later, lessons=[MO])  # a new date, not a new row
    assert assigned(app, cohort.id) == {WA: due, MO: later, NI: later}
    page = client.get(f"/teach/cohorts/{cohort.id}/lessons").get_data(as_text=True)
    assert "Assigned lessons (3)" in page

    token = csrf_token(client, f"/teach/cohorts/{cohort.id}/lessons")
    gone = client.post(
        f"/teach/cohorts/{cohort.id}/assignments/{MO}/remove", data={"csrf_token": token}
    )
    assert gone.status_code == 302
    assert assigned(app, cohort.id) == {WA: due, NI: later}
    assert client.post(f"/teach/cohorts/{cohort.id}/assignments/{MO}/remove").status_code == 400


@pytest.mark.parametrize(
    ("lessons", "due", "message"),
    [
        ((), "2030-01-10", "Choose at least one lesson."),
        ((NI,), "2030-01-10", "is not a valid choice"),  # a lesson of another unit
        (("n5-nothing",), "2030-01-10", "is not a valid choice"),
        ((WA,), "", "Enter a date."),
        ((WA,), "10/01/2030", "Not a valid date value."),
    ],
)
def test_bad_assignments_are_explained_and_change_nothing(
    app, client, login_as, make_cohort, course, lessons, due, message
) -> None:
    login_as(Role.INSTRUCTOR)
    cohort = make_cohort()
    response = assign(client, cohort.id, "grammar-1", due, lessons=lessons)
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert assigned(app, cohort.id) == {}


def test_an_unknown_unit_or_level_is_404(client, login_as, make_cohort, course) -> None:
    login_as(Role.INSTRUCTOR)
    cohort = make_cohort()
    assert assign(client, cohort.id, "poetry", today(), whole=True).status_code == 404
    assert client.get(f"/teach/cohorts/{cohort.id}/lessons?level=N1").status_code == 404


# ---- behind schedule --------------------------------------------------------------------


def progress_rows(client, cohort_id: int) -> list[str]:
    """The dashboard's trainee rows as plain text, in the order shown."""
    page = client.get(f"/teach/cohorts/{cohort_id}/progress").get_data(as_text=True)
    table = page.split('id="cohort-progress"', 1)[1].split("</table>", 1)[0]
    return [text_of(row) for row in table.split('data-testid="trainee-row"')[1:]]


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_behind_schedule_counts_overdue_lessons_and_the_oldest_ones_days(
    app, client, make_user, make_cohort, course
) -> None:
    keen = make_user(Role.TRAINEE, name="Ayesha Keen")
    slow = make_user(Role.TRAINEE, name="Bilal Slow")
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(keen, slow), instructors=(instructor,))
    start_day = today()
    sign_in(client, instructor.email)
    assign(client, cohort.id, "grammar-1", start_day, lessons=[WA])
    assign(client, cohort.id, "grammar-1", start_day + timedelta(days=3), lessons=[MO])
    sign_out(client)
    sign_in(client, keen.email)
    pass_first_lesson(client)
    sign_out(client)
    sign_in(client, instructor.email)

    # On the due date itself nobody is late.
    rows = progress_rows(client, cohort.id)
    assert all("On schedule" in row for row in rows)

    # The next day (in Pakistan) the first lesson is a day late for the trainee without it.
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=1)
    first, second = progress_rows(client, cohort.id)
    assert "Bilal Slow" in first
    assert "1 lesson late oldest by 1 day" in first
    assert "Ayesha Keen" in second
    assert "On schedule" in second

    # Ten days on: both lessons are late for Bilal, the oldest by ten days; Ayesha, who
    # completed the first, is behind by the second only (due seven days ago).
    app.config["NOW_OVERRIDE"] = utcnow() + timedelta(days=10)
    first, second = progress_rows(client, cohort.id)
    assert "Bilal Slow" in first
    assert "2 lessons late oldest by 10 days" in first
    assert "1 lesson late oldest by 7 days" in second
    page = client.get(f"/teach/cohorts/{cohort.id}/progress").get_data(as_text=True)
    assert "2 of 2 trainees are behind schedule." in page

    detail = client.get(f"/teach/cohorts/{cohort.id}/trainees/{slow.id}").get_data(as_text=True)
    assert "10 days late" in detail
    assert "7 days late" in detail


def test_the_day_changes_at_midnight_in_pakistan_not_utc(
    app, client, make_user, make_cohort, course
) -> None:
    trainee = make_user(Role.TRAINEE, name="Late Night")
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(trainee,))
    sign_in(client, instructor.email)
    assign(client, cohort.id, "grammar-1", date(2030, 3, 10), lessons=[WA])
    app.config["NOW_OVERRIDE"] = datetime(2030, 3, 10, 18, 59, tzinfo=UTC)  # 23:59 in Karachi
    assert "On schedule" in progress_rows(client, cohort.id)[0]
    app.config["NOW_OVERRIDE"] = datetime(2030, 3, 10, 19, 1, tzinfo=UTC)  # 00:01 next day
    assert "1 lesson late oldest by 1 day" in progress_rows(client, cohort.id)[0]


def test_the_dashboard_shows_units_sections_trend_and_last_activity(
    app, client, make_user, make_cohort, course
) -> None:
    active = make_user(Role.TRAINEE, name="Active One")
    idle = make_user(Role.TRAINEE, name="Idle One")
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(active, idle))
    sign_in(client, active.email)
    session = start(client)
    url = f"/learn/practice/{session['session_id']}/answers"
    post(client, url, {"item_id": "n5-wa-desu-001", "answer": "は", "key": "a"})
    post(client, url, {"item_id": "n5-wa-desu-002", "answer": "がくせいでした", "key": "b"})
    sign_out(client)
    sign_in(client, instructor.email)

    page = client.get(f"/teach/cohorts/{cohort.id}/progress?sort=name").get_data(as_text=True)
    rows = [" ".join(r.split()) for r in page.split('data-testid="trainee-row"')[1:]]
    assert "Active One" in rows[0]
    assert "Idle One" in rows[1]
    assert "50%" in rows[0]  # grammar and reading: one of two right
    assert "2 answers" in rows[0]
    assert "never" in rows[1]
    assert "never" not in rows[0]
    assert 'id="trend-' in rows[0]
    assert "<circle" in rows[0]
    assert "<circle" not in rows[1]
    units = page.split('id="cohort-units"', 1)[1]
    assert "N5 grammar-1" in units
    assert "N5 grammar-2" in units
    assert "0 of 2" in units
    assert "0 of 1" in units

    # Least recently active first: the one who never answered.
    by_activity = client.get(f"/teach/cohorts/{cohort.id}/progress?sort=activity")
    assert by_activity.get_data(as_text=True).index("Idle One") < by_activity.get_data(
        as_text=True
    ).index("Active One")


def test_the_trainee_page_shows_standing_sections_weeks_and_sessions(
    app, client, make_user, make_cohort, course
) -> None:
    trainee = make_user(Role.TRAINEE, name="Sana Detail")
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(trainee,))
    sign_in(client, trainee.email)
    pass_first_lesson(client)
    sign_out(client)
    sign_in(client, instructor.email)
    page = client.get(f"/teach/cohorts/{cohort.id}/trainees/{trainee.id}").get_data(as_text=True)
    assert "Sana Detail" in page
    assert "JLPT N5: 1 of 3 lessons" in page
    assert "1 day in a row" in page
    assert "2/2 (100%)" in page  # grammar and reading, N5
    assert 'id="trainee-weeks"' in page
    sessions = page.split('id="trainee-sessions"', 1)[1].split("</table>", 1)[0]
    assert "passed" in sessions
    assert "2/2" in sessions
    assert "On schedule" in page


# ---- CSV --------------------------------------------------------------------------------


def test_results_csv_has_a_bom_a_row_per_trainee_and_no_formulas(
    app, client, make_user, make_cohort, course
) -> None:
    names = ['=HYPERLINK("http://evil","x")', "+92 300", "-1", "@SUM(A1)", "علی خان", "田中"]
    trainees = [make_user(Role.TRAINEE, name=n) for n in names]
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=tuple(trainees))
    sign_in(client, trainees[4].email)
    pass_first_lesson(client)
    sign_out(client)
    sign_in(client, instructor.email)
    assign(client, cohort.id, "grammar-1", today() - timedelta(days=2), whole=True)

    response = client.get(f"/teach/cohorts/{cohort.id}/results.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    assert header[:4] == ["Name", "Email", "Lessons behind", "Days behind"]
    assert "N5 grammar-1: lessons done of 2" in header
    assert len(body) == len(names)
    by_name = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    assert set(by_name) == {
        '\'=HYPERLINK("http://evil","x")',
        "'+92 300",
        "'-1",
        "'@SUM(A1)",
        "علی خان",
        "田中",
    }
    urdu = by_name["علی خان"]
    assert urdu["Lessons behind"] == "1"
    assert urdu["Days behind"] == "2"
    assert urdu["N5 grammar-1: lessons done of 2"] == "1"
    assert urdu["grammar-reading: answers"] == "2"
    assert urdu["grammar-reading: right"] == "100%"
    assert urdu["Last activity (UTC)"] != "never"
    japanese = by_name["田中"]
    assert japanese["Lessons behind"] == "2"
    assert japanese["Last activity (UTC)"] == "never"
    for row in body:
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


# ---- moving and removing trainees ----------------------------------------------------------


def members(app, user_id: int) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                select(CohortMembership.cohort_id).where(CohortMembership.user_id == user_id)
            )
        )


def answers_of(app, user_id: int) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(Response.id)).where(Response.user_id == user_id))


def test_a_trainee_is_moved_within_the_centre_with_their_answers(
    app, client, make_user, make_cohort, make_centre, course
) -> None:
    trainee = make_user(Role.TRAINEE, name="Moving Mariam")
    source = make_cohort("Batch A", trainees=(trainee,))
    target = make_cohort("Batch B")
    elsewhere = make_cohort("Karachi batch", centre_=make_centre("Karachi Centre"))
    sign_in(client, trainee.email)
    pass_first_lesson(client)
    sign_out(client)
    sign_in(client, make_user(Role.INSTRUCTOR).email)

    overview = client.get(f"/teach/cohorts/{source.id}").get_data(as_text=True)
    move_path = f"/teach/cohorts/{source.id}/trainees/{trainee.id}/move"
    assert move_path in overview
    page = client.get(move_path).get_data(as_text=True)
    assert "Batch B" in page
    assert "Karachi batch" not in page

    token = csrf_token(client, move_path)
    refused = client.post(move_path, data={"target": str(elsewhere.id), "csrf_token": token})
    assert "Not a valid choice" in refused.get_data(as_text=True)
    assert members(app, trainee.id) == [source.id]
    assert client.post(move_path, data={"target": str(target.id)}).status_code == 400  # no CSRF
    assert members(app, trainee.id) == [source.id]

    moved = client.post(move_path, data={"target": str(target.id), "csrf_token": token})
    assert moved.status_code == 302
    assert members(app, trainee.id) == [target.id]
    assert answers_of(app, trainee.id) == 2
    assert "Moving Mariam" in client.get(f"/teach/cohorts/{target.id}").get_data(as_text=True)
    assert client.get(move_path).status_code == 404  # no longer a member of Batch A


def test_a_trainee_already_in_the_target_is_not_moved_twice(
    app, client, login_as, make_user, make_cohort
) -> None:
    trainee = make_user(Role.TRAINEE)
    first = make_cohort("One", trainees=(trainee,))
    second = make_cohort("Two", trainees=(trainee,))
    login_as(Role.CENTRE_ADMIN)
    path = f"/teach/cohorts/{first.id}/trainees/{trainee.id}/move"
    page = client.post(
        path, data={"target": str(second.id), "csrf_token": csrf_token(client, path)}
    )
    assert "This trainee is already in that cohort." in page.get_data(as_text=True)
    assert sorted(members(app, trainee.id)) == sorted([first.id, second.id])


def test_a_programme_admin_moves_a_trainee_to_another_centre(
    app, client, login_as, make_user, make_cohort, make_centre
) -> None:
    trainee = make_user(Role.TRAINEE)
    karachi = make_centre("Karachi Centre")
    source = make_cohort("Lahore one", trainees=(trainee,))
    target = make_cohort("Karachi one", centre_=karachi)
    login_as(Role.PROGRAMME_ADMIN)
    path = f"/teach/cohorts/{source.id}/trainees/{trainee.id}/move"
    client.post(path, data={"target": str(target.id), "csrf_token": csrf_token(client, path)})
    assert members(app, trainee.id) == [target.id]
    with app.app_context():
        assert db.session.get(User, trainee.id).centre_id == karachi.id  # Karachi staff see them


def test_removing_a_trainee_deletes_only_the_membership(
    app, client, make_user, make_cohort, course
) -> None:
    trainee = make_user(Role.TRAINEE, name="Leaving Lina")
    cohort = make_cohort(trainees=(trainee,))
    sign_in(client, trainee.email)
    pass_first_lesson(client)
    sign_out(client)
    sign_in(client, make_user(Role.INSTRUCTOR).email)

    path = f"/teach/cohorts/{cohort.id}/trainees/{trainee.id}/remove"
    confirm = client.get(path).get_data(as_text=True)
    assert "Remove Leaving Lina from" in confirm
    assert members(app, trainee.id) == [cohort.id]  # asking is not doing
    assert client.post(path).status_code == 400  # no CSRF token
    assert members(app, trainee.id) == [cohort.id]

    done = client.post(path, data={"csrf_token": csrf_token(client, path)})
    assert done.status_code == 302
    assert members(app, trainee.id) == []
    with app.app_context():
        assert db.session.get(User, trainee.id) is not None
    assert answers_of(app, trainee.id) == 2
    overview = client.get(f"/teach/cohorts/{cohort.id}").get_data(as_text=True)
    assert f"/trainees/{trainee.id}" not in overview


# ---- access ---------------------------------------------------------------------------


def tool_paths(cohort_id: int, user_id: int) -> list[tuple[str, str]]:
    base = f"/teach/cohorts/{cohort_id}"
    return [
        ("GET", f"{base}/lessons"),
        ("POST", f"{base}/lessons/N5/grammar-1"),
        ("POST", f"{base}/assignments/{WA}/remove"),
        ("GET", f"{base}/progress"),
        ("GET", f"{base}/results.csv"),
        ("GET", f"{base}/trainees/{user_id}"),
        ("GET", f"{base}/trainees/{user_id}/move"),
        ("POST", f"{base}/trainees/{user_id}/move"),
        ("GET", f"{base}/trainees/{user_id}/remove"),
        ("POST", f"{base}/trainees/{user_id}/remove"),
    ]


@pytest.mark.parametrize("role", [Role.INSTRUCTOR, Role.CENTRE_ADMIN])
def test_staff_of_another_centre_get_404_and_change_nothing(
    app, client, make_user, make_cohort, make_centre, course, role
) -> None:
    trainee = make_user(Role.TRAINEE)
    cohort = make_cohort(trainees=(trainee,))
    with app.app_context():
        db.session.add(CohortLesson(cohort_id=cohort.id, lesson_id=WA, due_on=today()))
        db.session.commit()
    outsider = make_user(role, centre_=make_centre("Quetta Centre"))
    sign_in(client, outsider.email)
    token = csrf_token(client, "/teach/")
    for method, path in tool_paths(cohort.id, trainee.id):
        response = client.open(path, method=method, data={"csrf_token": token})
        assert response.status_code == 404, (method, path)
    assert members(app, trainee.id) == [cohort.id]
    assert assigned(app, cohort.id) == {WA: today()}


def test_a_trainee_gets_403_and_a_non_member_is_404(
    app, client, make_user, make_cohort, course
) -> None:
    trainee = make_user(Role.TRAINEE)
    stranger = make_user(Role.TRAINEE)
    cohort = make_cohort(trainees=(trainee,))
    sign_in(client, trainee.email)
    token = csrf_token(client, "/account")
    for method, path in tool_paths(cohort.id, trainee.id):
        assert client.open(path, method=method, data={"csrf_token": token}).status_code == 403
    sign_out(client)
    sign_in(client, make_user(Role.INSTRUCTOR).email)
    assert client.get(f"/teach/cohorts/{cohort.id}/trainees/{stranger.id}").status_code == 404
    path = f"/teach/cohorts/{cohort.id}/trainees/{stranger.id}/remove"
    token = csrf_token(client, f"/teach/cohorts/{cohort.id}")
    assert client.post(path, data={"csrf_token": token}).status_code == 404


def test_a_lesson_retired_from_the_course_no_longer_makes_anyone_late(
    app, client, make_user, make_cohort, course
) -> None:
    trainee = make_user(Role.TRAINEE, name="Retired Case")
    instructor = make_user(Role.INSTRUCTOR)
    cohort = make_cohort(trainees=(trainee,))
    sign_in(client, instructor.email)
    assign(client, cohort.id, "grammar-1", today() - timedelta(days=3), whole=True)
    assert "2 lessons late oldest by 3 days" in progress_rows(client, cohort.id)[0]
    with app.app_context():
        db.session.get(Lesson, MO).retired_at = utcnow()
        db.session.commit()
    assert "1 lesson late oldest by 3 days" in progress_rows(client, cohort.id)[0]
