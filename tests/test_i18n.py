"""English and Urdu: the whole shell switches language and direction, per user."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

from app.extensions import db
from app.models import Role, User
from tests.conftest import csrf_token

CATALOGUE = Path(__file__).resolve().parent.parent / "app/translations/ur/LC_MESSAGES/messages.po"


def switch(client, locale: str, next_path: str = "/about"):
    token = csrf_token(client, next_path)
    return client.post("/language", data={"locale": locale, "next": next_path, "csrf_token": token})


def test_english_is_left_to_right_by_default(client) -> None:
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en" dir="ltr">' in page


def test_a_visitor_switches_to_urdu_and_gets_a_right_to_left_page(client) -> None:
    response = switch(client, "ur")
    assert response.headers["Location"] == "/about"
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="ur" dir="rtl">' in page
    assert "سائن اِن" in page
    assert "Sign in to Hashi" not in page


def test_accept_language_picks_urdu_for_a_new_visitor(client) -> None:
    page = client.get("/", headers={"Accept-Language": "ur-PK,ur;q=0.9,en;q=0.5"}).get_data(
        as_text=True
    )
    assert 'dir="rtl"' in page


def test_a_signed_in_users_choice_is_saved_on_their_account(app, client, login_as) -> None:
    user = login_as(Role.TRAINEE)
    switch(client, "ur")
    with app.app_context():
        assert db.session.get(User, user.id).locale == "ur"
    other_device = app.test_client()
    from tests.conftest import sign_in

    sign_in(other_device, user.email)
    assert 'dir="rtl"' in other_device.get("/home").get_data(as_text=True)


def test_an_unknown_language_is_ignored(client) -> None:
    switch(client, "xx")
    assert 'dir="ltr"' in client.get("/").get_data(as_text=True)


def test_japanese_is_marked_as_japanese_inside_an_urdu_page(client) -> None:
    switch(client, "ur")
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<p class="hero-kanji" lang="ja"[^>]*>橋</p>', page)


def test_every_interface_string_has_an_urdu_translation() -> None:
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    # A plural entry's string is a tuple: every form must be there.
    missing = [
        m.id
        for m in catalogue
        if m.id and not (all(m.string) if isinstance(m.string, tuple) else m.string)
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert missing == []
    assert fuzzy == []


def test_the_catalogue_covers_every_string_in_the_code(tmp_path, monkeypatch) -> None:
    """A string added to a template without `make translations-update` fails here."""
    from babel.messages.frontend import CommandLineInterface

    pot = tmp_path / "messages.pot"
    monkeypatch.chdir(CATALOGUE.parents[3].parent)
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", "babel.cfg", "-k", "_l", "-o", str(pot), "."]
    )
    with pot.open("rb") as handle:
        extracted = {m.id for m in read_po(handle) if m.id}
    assert "Sign in to Hashi" in extracted  # the extraction itself found the templates
    with CATALOGUE.open("rb") as handle:
        translated = {
            m.id
            for m in read_po(handle)
            if m.id and (all(m.string) if isinstance(m.string, tuple) else m.string)
        }
    assert extracted - translated == set()
