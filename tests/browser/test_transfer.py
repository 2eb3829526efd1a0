"""An instructor downloads a unit as a zip, uploads it back (no changes), then uploads an
edited copy and confirms it; a trainee downloads a lesson's Anki deck."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from app.extensions import db
from app.models import Lesson, Role
from tests.browser.test_accessibility import serious
from tests.browser.test_shell import sign_in

pytestmark = pytest.mark.browser

LESSON_FILE = "lessons/N5/grammar-1/01-wa-desu.md"


def edited(zip_path: Path, target: Path) -> Path:
    """The same zip with the lesson's title changed, as an instructor would edit it."""
    with zipfile.ZipFile(zip_path) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    files[LESSON_FILE] = re.sub(r"(?m)^title: .*$", "title: AはBです (edited)", files[LESSON_FILE])
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return target


def test_an_instructor_round_trips_a_unit_zip_and_imports_an_edit(
    app: Flask, page: Page, live_server, make_user, small_curriculum, shot, tmp_path: Path
) -> None:
    app.config["CONTENT_IMPORT_DIR"] = str(tmp_path / "imports")
    instructor = make_user(Role.INSTRUCTOR, name="Ayesha Khan")
    sign_in(page, live_server, instructor.email)
    page.goto(f"{live_server}/teach/content/transfer")
    expect(page.get_by_role("heading", name="Import and export")).to_be_visible()
    assert serious(page) == []
    shot("transfer-page")

    with page.expect_download() as download:
        page.get_by_role("link", name="Unit grammar-1").click()
    assert download.value.suggested_filename == "hashi-N5-grammar-1.zip"
    unit_zip = tmp_path / "unit.zip"
    download.value.save_as(unit_zip)
    with zipfile.ZipFile(unit_zip) as archive:
        assert LESSON_FILE in archive.namelist()

    page.get_by_label("Zip file").set_input_files(str(unit_zip))
    page.get_by_role("button", name="Check the zip").click()
    expect(page.get_by_role("status")).to_contain_text("No changes")
    expect(page.get_by_role("button", name="Import these changes")).to_have_count(0)
    shot("no-changes")

    page.goto(f"{live_server}/teach/content/transfer")
    page.get_by_label("Zip file").set_input_files(str(edited(unit_zip, tmp_path / "edit.zip")))
    page.get_by_role("button", name="Check the zip").click()
    changes = page.locator("table.import-changes")
    expect(changes.get_by_role("row", name="Lessons").get_by_role("cell")).to_have_text(
        ["0", "1", "0"]
    )
    expect(changes.get_by_role("row", name="Items").get_by_role("cell")).to_have_text(
        ["0", "0", "0"]
    )
    page.get_by_text("Changed lessons").click()
    expect(page.get_by_text("n5-grammar-wa-desu", exact=True)).to_be_visible()
    assert serious(page) == []
    shot("one-change")
    page.set_viewport_size({"width": 360, "height": 740})
    shot("one-change-360")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.set_viewport_size({"width": 1280, "height": 800})

    with app.app_context():
        assert db.session.get(Lesson, "n5-grammar-wa-desu").title == "AはBです"
    page.get_by_role("button", name="Import these changes").click()
    expect(page.get_by_text("Imported. Lessons: 0 new, 1 changed, 0 retired.")).to_be_visible()
    shot("imported")
    with app.app_context():
        assert db.session.get(Lesson, "n5-grammar-wa-desu").title == "AはBです (edited)"


def test_a_refused_zip_says_why(page: Page, live_server, make_user, shot, tmp_path) -> None:
    instructor = make_user(Role.INSTRUCTOR)
    sign_in(page, live_server, instructor.email)
    page.goto(f"{live_server}/teach/content/transfer")
    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../evil.md", "x")
    page.get_by_label("Zip file").set_input_files(str(evil))
    page.get_by_role("button", name="Check the zip").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("This zip cannot be imported. Nothing was changed.")
    expect(alert).to_contain_text("../evil.md: this path leaves the archive")
    assert serious(page) == []
    shot("refused")


def test_a_trainee_downloads_a_lesson_s_anki_deck(
    page: Page, live_server, make_user, small_curriculum, shot
) -> None:
    trainee = make_user(Role.TRAINEE)
    sign_in(page, live_server, trainee.email)
    page.goto(f"{live_server}/learn/n5-grammar-wa-desu")
    shot("lesson-with-anki-link")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Anki deck").click()
    assert download.value.suggested_filename == "hashi-n5-grammar-wa-desu.apkg"
    data = Path(download.value.path()).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert "collection.anki2" in archive.namelist()
