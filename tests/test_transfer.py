"""Content zips (export, check, confirm, refusals) and the Anki deck of a lesson."""

from __future__ import annotations

import io
import re
import sqlite3
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from app.authoring import transfer, versions
from app.content import services as content_services
from app.extensions import db
from app.learning.anki import ATTRIBUTION, stable_id
from app.models import ContentVersion, Item, Lesson, Role
from tests.conftest import csrf_token

UNIT_LESSON = "lessons/N5/grammar-1/01-wa-desu.md"
UNIT_ITEMS = "question_bank/N5/grammar/wa-desu.yaml"


@pytest.fixture(autouse=True)
def uploads(app: Flask, tmp_path: Path) -> Path:
    """Uploads wait in the test's own folder, not in the instance folder."""
    app.config["CONTENT_IMPORT_DIR"] = str(tmp_path / "imports")
    return tmp_path / "imports"


@pytest.fixture
def curriculum(app: Flask) -> None:
    """The repository's own lessons and question bank, loaded (without the study sets)."""
    with app.app_context():
        bundle = content_services.check(
            content_services.LESSONS_DIR, content_services.BANK_DIR, study_sets=False
        )
        assert not bundle.problems
        content_services.load(bundle)
        db.session.commit()


def snapshot(app: Flask) -> tuple[dict, dict, int]:
    """Everything an import could change: every row's hash and state, and the versions."""
    with app.app_context():
        lessons = dict(db.session.execute(select(Lesson.id, Lesson.content_hash)).all())
        lessons.update(
            {f"retired:{k}": v for k, v in db.session.execute(select(Lesson.id, Lesson.retired_at))}
        )
        items = dict(db.session.execute(select(Item.id, Item.content_hash)).all())
        items.update(
            {f"retired:{k}": v for k, v in db.session.execute(select(Item.id, Item.retired_at))}
        )
        versions = db.session.scalar(select(func.count()).select_from(ContentVersion))
    return lessons, items, versions


def zip_of(files: dict[str, str | bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def entries(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


# ---- the service ------------------------------------------------------------------------


def test_export_of_everything_reimports_to_identical_content(app: Flask, curriculum: None) -> None:
    before = snapshot(app)
    with app.app_context():
        data = transfer.export_zip("all")
        names = set(entries(data))
        authored = set(db.session.scalars(select(Lesson.source_path))) | set(
            db.session.scalars(select(Item.source_path))
        )
        assert names == authored
        assert len(names) > 100
        plan = transfer.inspect_zip(data)
        assert plan.ok, plan.problems
        assert not plan.changes_anything
        report = transfer.apply(plan)
        db.session.commit()
    assert (report.lessons.created, report.lessons.updated, report.lessons.retired) == (0, 0, 0)
    assert (report.items.created, report.items.updated, report.items.retired) == (0, 0, 0)
    assert report.lessons.unchanged == 74
    assert report.items.unchanged > 1000
    assert snapshot(app) == before


def test_a_unit_export_holds_the_unit_and_its_items_and_changes_nothing(
    app: Flask, curriculum: None
) -> None:
    before = snapshot(app)
    with app.app_context():
        data = transfer.export_zip("N5/grammar-1")
        names = set(entries(data))
        unit_lessons = set(
            db.session.scalars(
                select(Lesson.source_path).where(Lesson.level == "N5", Lesson.unit == "grammar-1")
            )
        )
        assert unit_lessons
        assert unit_lessons <= names
        assert UNIT_ITEMS in names
        assert not any(n.startswith(("lessons/N4/", "lessons/N5/grammar-2/")) for n in names)
        level = set(entries(transfer.export_zip("N5")))
        assert names < level
        assert "question_bank/N5/listening.yaml" in level
        assert not any("/N4/" in n for n in level)
        plan = transfer.inspect_zip(data)
        assert plan.ok
        assert not plan.changes_anything
    assert snapshot(app) == before


def test_an_edited_file_is_one_change_and_loads(
    app: Flask, small_curriculum: None, make_user
) -> None:
    instructor = make_user(Role.INSTRUCTOR)
    with app.app_context():
        files = entries(transfer.export_zip("N5/grammar-1"))
        assert set(files) == {UNIT_LESSON, UNIT_ITEMS}
        files[UNIT_ITEMS] = files[UNIT_ITEMS].replace("は marks the topic.", "は marks a topic.")
        plan = transfer.inspect_zip(zip_of(files))
        assert plan.ok
        assert (plan.items.new, plan.items.changed, plan.items.retired) == (
            [],
            ["n5-wa-desu-001"],
            [],
        )
        assert not plan.lessons
        transfer.apply(plan, instructor.id)
        db.session.commit()
        item = db.session.get(Item, "n5-wa-desu-001")
        assert item.data["explanation"] == "は marks a topic."
        newest = versions.current("item", item.id)  # the history says who brought it in
        assert (newest.number, newest.author_id, newest.note) == (
            2,
            instructor.id,
            "imported from a zip",
        )


def test_an_import_of_one_file_does_not_retire_the_rest(app: Flask, curriculum: None) -> None:
    """load() retires what its bundle lacks: the upload is laid over the current content."""
    with app.app_context():
        files = entries(transfer.export_zip("N5/grammar-1"))
        text = files[UNIT_ITEMS]
        new_item = text.split("\n- ", 1)[0].replace("id: n5-wa-desu-001", "id: n5-wa-desu-901")
        assert "n5-wa-desu-901" in new_item
        plan = transfer.inspect_zip(zip_of({UNIT_ITEMS: text + new_item + "\n"}))
    assert plan.ok, plan.problems
    assert plan.items.new == ["n5-wa-desu-901"]
    assert not plan.items.changed
    assert not plan.items.retired
    assert not plan.lessons


def test_a_file_left_out_of_an_upload_is_kept_but_an_emptied_one_retires(
    app: Flask, small_curriculum: None
) -> None:
    with app.app_context():
        plan = transfer.inspect_zip(zip_of({UNIT_ITEMS: "[]\n"}))
    assert plan.ok
    assert plan.items.retired == ["n5-wa-desu-001", "n5-wa-desu-002"]
    assert not plan.lessons


def test_scopes_are_checked() -> None:
    assert transfer.Scope.parse("N4/workplace").filename == "hashi-N4-workplace.zip"
    assert transfer.Scope.parse("all").filename == "hashi-all.zip"
    for bad in ("N3", "N5/../x", "N5/Grammar 1", "../etc"):
        with pytest.raises(ValueError, match="not a level or unit"):
            transfer.Scope.parse(bad)


# ---- refusals, through the pages --------------------------------------------------------


def bomb(tmp_path: Path) -> bytes:
    """200 MB of zeros that compress to a few hundred kilobytes, never all in memory."""
    path = tmp_path / "bomb.zip"
    zeros = bytes(1024 * 1024)
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("lessons/N5/grammar-1/bomb.md", "w", force_zip64=True) as entry,
    ):
        for _ in range(200):
            entry.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    return path.read_bytes()


def symlink_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo("lessons/N5/grammar-1/link.md")
        info.external_attr = 0o120777 << 16
        archive.writestr(info, "/etc/passwd")
    return buffer.getvalue()


def understated_zip() -> bytes:
    """A zip whose central directory claims the file is smaller than it is."""
    data = bytearray(zip_of({UNIT_LESSON: "x" * 5000}))
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    return bytes(data)


REFUSALS: dict[str, tuple[Callable[[Path], bytes], str]] = {
    "not a zip": (lambda _: b"%PDF-1.4 not a zip at all", "This is not a zip file."),
    "escaping path": (
        lambda _: zip_of({"../evil.md": "x"}),
        "../evil.md: this path leaves the archive",
    ),
    "nested escape": (
        lambda _: zip_of({"lessons/N5/../../evil.md": "x"}),
        "this path leaves the archive",
    ),
    "absolute path": (
        lambda _: zip_of({"/etc/cron.d/evil.md": "x"}),
        "/etc/cron.d/evil.md: an absolute path is not allowed",
    ),
    "outside the content folders": (
        lambda _: zip_of({"app/evil.md": "x"}),
        "only lessons/ and question_bank/ may be in the zip",
    ),
    "not a content file": (
        lambda _: zip_of({"lessons/N5/grammar-1/run.py": "import os"}),
        "lessons/ holds only .md files",
    ),
    "symlink": (lambda _: symlink_zip(), "symbolic links are not allowed"),
    "decompression bomb": (bomb, "bomb.md: larger than 20 MB"),
    "understated size": (lambda _: understated_zip(), "01-wa-desu.md: this entry is damaged"),
    "too many entries": (
        lambda _: zip_of({f"lessons/N5/u/{n}.md": "" for n in range(transfer.MAX_ENTRIES + 1)}),
        f"at most {transfer.MAX_ENTRIES}",
    ),
    "no content": (lambda _: zip_of({"lessons/README.md": "notes"}), "no lesson or item files"),
    "not text": (lambda _: zip_of({UNIT_LESSON: b"\xff\xfe\x00"}), "not UTF-8 text"),
}


def upload(client: FlaskClient, data: bytes, name: str = "content.zip"):
    """Post the file as a browser does. The body is encoded in memory: the test client's
    own encoder spools large bodies to a temporary file it never closes."""
    token = csrf_token(client, "/teach/content/transfer")
    archive = FileStorage(io.BytesIO(data), filename=name, content_type="application/zip")
    boundary, body = encode_multipart({"csrf_token": token, "archive": archive})
    return client.post(
        "/teach/content/transfer/check",
        data=body,
        content_type=f"multipart/form-data; boundary={boundary}",
    )


@pytest.mark.parametrize("case", REFUSALS, ids=list(REFUSALS))
def test_a_bad_zip_is_refused_with_its_reason_and_changes_nothing(
    app: Flask,
    client: FlaskClient,
    login_as,
    small_curriculum: None,
    tmp_path: Path,
    uploads: Path,
    case: str,
) -> None:
    make, reason = REFUSALS[case]
    login_as(Role.INSTRUCTOR)
    before = snapshot(app)
    response = upload(client, make(tmp_path))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "This zip cannot be imported. Nothing was changed." in page
    assert reason in page.replace("&#39;", "'"), page
    assert 'name="token"' not in page
    assert snapshot(app) == before
    assert not list(uploads.glob("*.zip"))


def test_a_bad_yaml_file_is_refused_with_its_line(
    app: Flask, client: FlaskClient, login_as, small_curriculum: None
) -> None:
    login_as(Role.INSTRUCTOR)
    before = snapshot(app)
    broken = "- id: n5-wa-desu-001\n  type: choice\n  options: [は, を\n"
    response = upload(client, zip_of({UNIT_ITEMS: broken}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(rf"{UNIT_ITEMS}:\d+: this is not valid YAML", page), page
    assert "Nothing was changed" in page
    assert 'name="token"' not in page
    assert snapshot(app) == before


def test_a_file_that_breaks_the_schema_is_refused_with_its_line(
    app: Flask, client: FlaskClient, login_as, small_curriculum: None
) -> None:
    login_as(Role.INSTRUCTOR)
    with app.app_context():
        files = entries(transfer.export_zip("N5/grammar-1"))
    files[UNIT_ITEMS] = files[UNIT_ITEMS].replace("answer: は", "answer: ね")
    before = snapshot(app)
    page = upload(client, zip_of(files)).get_data(as_text=True)
    assert re.search(rf"{UNIT_ITEMS}:\d+: ", page), page
    assert "1 problem was found" in page
    assert snapshot(app) == before


def test_the_upload_limit_is_this_page_s_own_and_a_larger_one_gets_a_friendly_413(
    app: Flask, client: FlaskClient, login_as
) -> None:
    login_as(Role.INSTRUCTOR)
    assert app.config["MAX_CONTENT_LENGTH"] < 17 * 1024 * 1024  # the app's own is smaller
    response = upload(client, bytes(17 * 1024 * 1024))
    assert response.status_code == 422
    assert "This is not a zip file." in response.get_data(True)
    response = upload(client, bytes(26 * 1024 * 1024))
    assert response.status_code == 413
    assert "A content zip may be at most 25 MB. Nothing was changed." in response.get_data(True)


# ---- check, then confirm ----------------------------------------------------------------


def test_check_then_confirm_imports_once(
    app: Flask, client: FlaskClient, login_as, small_curriculum: None
) -> None:
    login_as(Role.INSTRUCTOR)
    exported = client.get("/teach/content/transfer/export?scope=N5/grammar-1")
    assert exported.status_code == 200
    assert exported.mimetype == "application/zip"
    assert 'filename="hashi-N5-grammar-1.zip"' in exported.headers["Content-Disposition"]

    page = upload(client, exported.data).get_data(as_text=True)
    assert "No changes" in page
    assert 'name="token"' not in page

    files = entries(exported.data)
    files[UNIT_LESSON] = re.sub(r"(?m)^title: .*$", "title: AはBです!", files[UNIT_LESSON])
    before = snapshot(app)
    page = upload(client, zip_of(files)).get_data(as_text=True)
    assert snapshot(app) == before  # checking changes nothing
    assert "n5-grammar-wa-desu" in page
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    form = {"csrf_token": csrf_token(client, "/teach/content/transfer"), "token": token}

    stale = client.post("/teach/content/transfer/confirm", data=form | {"fingerprint": "x"})
    assert "The content changed since your upload was checked" in stale.get_data(True)
    assert snapshot(app) == before

    done = client.post(
        "/teach/content/transfer/confirm", data=form | {"fingerprint": fingerprint},
        follow_redirects=True,
    )  # fmt: skip
    assert "Imported. Lessons: 0 new, 1 changed, 0 retired." in done.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Lesson, "n5-grammar-wa-desu").title == "AはBです!"
    again = client.post("/teach/content/transfer/confirm", data=form | {"fingerprint": fingerprint})
    assert "This upload has expired" in again.get_data(as_text=True)


def test_an_expired_upload_cannot_be_confirmed(
    app: Flask, client: FlaskClient, login_as, small_curriculum: None, uploads: Path, monkeypatch
) -> None:
    login_as(Role.INSTRUCTOR)
    with app.app_context():
        files = entries(transfer.export_zip("N5"))
    files[UNIT_LESSON] = re.sub(r"(?m)^title: .*$", "title: AはBです?", files[UNIT_LESSON])
    page = upload(client, zip_of(files)).get_data(as_text=True)
    token = re.search(r'name="token" value="([^"]+)"', page).group(1)
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', page).group(1)
    assert (uploads / f"{token}.zip").exists()
    monkeypatch.setattr(transfer, "UPLOAD_TTL", -1)
    before = snapshot(app)
    response = client.post(
        "/teach/content/transfer/confirm",
        data={"csrf_token": csrf_token(client, "/teach/content/transfer"), "token": token,
              "fingerprint": fingerprint},
    )  # fmt: skip
    assert "This upload has expired" in response.get_data(as_text=True)
    assert snapshot(app) == before
    assert not (uploads / f"{token}.zip").exists()


def test_the_page_offers_exports_of_every_level_and_unit(
    client: FlaskClient, login_as, small_curriculum: None
) -> None:
    login_as(Role.CENTRE_ADMIN)
    page = client.get("/teach/content/transfer").get_data(as_text=True)
    for scope in ("all", "N5", "N5/grammar-1"):
        assert f"/teach/content/transfer/export?scope={scope}" in page
    assert "scope=N4" not in page  # nothing to export there
    assert client.get("/teach/content/transfer/export?scope=N9").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/teach/content/transfer"),
        ("get", "/teach/content/transfer/export?scope=all"),
        ("post", "/teach/content/transfer/check"),
        ("post", "/teach/content/transfer/confirm"),
    ],
)
def test_trainees_cannot_transfer_content(
    client: FlaskClient, login_as, method: str, path: str
) -> None:
    login_as(Role.TRAINEE)
    token = csrf_token(client, "/account")
    assert getattr(client, method)(path, data={"csrf_token": token}).status_code == 403


def test_signed_out_visitors_are_sent_to_sign_in(client: FlaskClient) -> None:
    response = client.get("/teach/content/transfer/export?scope=all")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


# ---- the Anki deck ----------------------------------------------------------------------


def test_a_lesson_s_words_download_as_an_anki_deck(
    client: FlaskClient, login_as, small_curriculum: None, tmp_path: Path
) -> None:
    login_as(Role.TRAINEE)
    page = client.get("/learn/n5-grammar-wa-desu").get_data(as_text=True)
    assert 'href="/learn/n5-grammar-wa-desu/anki.apkg"' in page
    assert "Download Anki deck" in page
    response = client.get("/learn/n5-grammar-wa-desu/anki.apkg")
    assert response.status_code == 200
    assert 'filename="hashi-n5-grammar-wa-desu.apkg"' in response.headers["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert "collection.anki2" in archive.namelist()
        (tmp_path / "collection.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "collection.anki2") as conn:
        notes = conn.execute("SELECT flds FROM notes ORDER BY sfld").fetchall()
        assert conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 2
        decks = conn.execute("SELECT decks FROM col").fetchone()[0]
    fields = sorted(row[0].split("\x1f") for row in notes)
    assert [f[:2] for f in fields] == [["先生", "せんせい"], ["学生", "がくせい"]]
    assert all(f[2] and f[3] == ATTRIBUTION for f in fields)
    assert "CC BY-SA 4.0" in ATTRIBUTION
    assert str(stable_id("hashi-deck", "n5-grammar-wa-desu")) in decks
    again = client.get("/learn/n5-grammar-wa-desu/anki.apkg")
    with zipfile.ZipFile(io.BytesIO(again.data)) as archive:
        (tmp_path / "again.anki2").write_bytes(archive.read("collection.anki2"))
    with sqlite3.connect(tmp_path / "again.anki2") as conn:
        assert (
            str(stable_id("hashi-deck", "n5-grammar-wa-desu"))
            in conn.execute("SELECT decks FROM col").fetchone()[0]
        )


def test_the_anki_deck_needs_a_signed_in_user_and_a_live_lesson(
    client: FlaskClient, login_as, small_curriculum: None
) -> None:
    response = client.get("/learn/n5-grammar-wa-desu/anki.apkg")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]
    login_as(Role.TRAINEE)
    assert client.get("/learn/no-such-lesson/anki.apkg").status_code == 404


def test_anki_ids_are_stable_and_in_genanki_s_range() -> None:
    first = stable_id("hashi-deck", "n5-grammar-wa-desu")
    assert first == stable_id("hashi-deck", "n5-grammar-wa-desu")
    assert first != stable_id("hashi-deck", "n5-grammar-ja-arimasen")
    assert 1 << 30 <= first < 1 << 31
