"""The authoring editors (staff only): the content list, the lesson and item editors with
live preview, validation and "try an answer", saving drafts, publishing, history.

Views stay thin: forms.py reads the forms, checking.py judges them, tryout.py grades,
editing.py builds the row values and versions.py keeps them. One commit per request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from app.accounts.access import STAFF, roles_required
from app.audio_cache import audio_cache_dir
from app.authoring import checking, editing, forms, listing, tryout, versions
from app.authoring.editing import ITEM, LESSON
from app.content.files import examples_in
from app.content.kanji import kanji_facts
from app.content.render import plain, render_lesson
from app.content.schema import KINDS
from app.extensions import db
from app.japanese import speech
from app.japanese.conjugation import FORM_LABELS
from app.japanese.furigana import reading
from app.learning.services import furigana_rule, vocabulary_panel
from app.questions.types import TYPE_IDS
from app.questions.types.conjugation import FORMS

bp = Blueprint("authoring", __name__, url_prefix="/teach/content")

MAX_SELECTION = 200  # characters: a selection to annotate, not a document
MAX_SPOKEN = 300  # characters: one example sentence


@bp.get("", strict_slashes=False)
@roles_required(*STAFF)
def index() -> str:
    query = request.args.get("q", "").strip()
    return render_template(
        "authoring/index.html", content=listing.content_list(query), query=query, types=TYPE_IDS
    )


# ---- lessons ----------------------------------------------------------------------------


def _lesson_page(fields: dict[str, str], *, object_id: str | None, base: int, **extra: Any) -> str:
    return render_template(
        "authoring/lesson_edit.html",
        fields=fields,
        object_id=object_id,
        base=base,
        kinds=KINDS,
        **_preview_parts(forms.lesson_front(fields), fields["body"]),
        **extra,
    )


@bp.get("/lessons/new")
@roles_required(*STAFF)
def new_lesson() -> str:
    fields = forms.lesson_fields({"level": "N5", "kind": "grammar", "order": 1}, "")
    return _lesson_page(fields, object_id=None, base=0, checked=None)


@bp.get("/lessons/<object_id>")
@roles_required(*STAFF)
def lesson(object_id: str) -> str:
    opened = editing.open_latest(LESSON, object_id) or abort(404)
    meta, body = opened.values["meta"], opened.values["body"]
    return _lesson_page(
        forms.lesson_fields(meta, body),
        object_id=object_id,
        base=opened.base,
        checked=checking.check_lesson(meta, body),
        opened=opened,
    )


@bp.post("/lessons/new", defaults={"object_id": None})
@bp.post("/lessons/<object_id>")
@roles_required(*STAFF)
def save_lesson(object_id: str | None) -> str | Response | tuple[str, int]:
    front = forms.lesson_front(request.form)
    if object_id is not None:
        front["id"] = object_id  # the id is the key: it is not edited
    body = forms.lesson_body(request.form)
    checked = checking.check_lesson(front, body)
    fields = {**forms.lesson_fields_from_form(request.form), "id": front["id"]}
    page = lambda status, **extra: (  # noqa: E731
        _lesson_page(fields, object_id=object_id, base=_base(), checked=checked, **extra),
        status,
    )
    if checked.model is None:
        return page(422)
    return _save(
        LESSON, front["id"], {"meta": front, "body": body}, object_id is None, checked, page
    )


# ---- items ------------------------------------------------------------------------------


def _item_page(data: dict[str, Any], *, object_id: str | None, base: int, **extra: Any) -> str:
    return render_template(
        "authoring/item_edit.html",
        data=data,
        object_id=object_id,
        base=base,
        typed=data.get("type") in forms.TYPED_TYPES,
        target_choices=[(form, FORM_LABELS.get(form, form)) for form in FORMS],
        **extra,
    )


@bp.get("/items/new")
@roles_required(*STAFF)
def new_item() -> str:
    try:
        data = forms.new_item_data(request.args.get("type", ""))
    except KeyError:
        abort(404)
    if lesson_id := request.args.get("lesson"):
        data["lesson"] = lesson_id
    return _item_page(data, object_id=None, base=0, checked=None)


@bp.get("/items/<object_id>")
@roles_required(*STAFF)
def item(object_id: str) -> str:
    opened = editing.open_latest(ITEM, object_id) or abort(404)
    data = opened.values["data"]
    return _item_page(
        data,
        object_id=object_id,
        base=opened.base,
        checked=checking.check_item(data),
        opened=opened,
    )


@bp.post("/items/new", defaults={"object_id": None})
@bp.post("/items/<object_id>")
@roles_required(*STAFF)
def save_item(object_id: str | None) -> str | Response | tuple[str, int]:
    data = forms.item_data(request.form)
    if object_id is not None:
        data["id"] = object_id
    checked = checking.check_item(data)
    page = lambda status, **extra: (  # noqa: E731
        _item_page(data, object_id=object_id, base=_base(), checked=checked, **extra),
        status,
    )
    if checked.model is None:
        return page(422)
    return _save(ITEM, data["id"], {"data": data}, object_id is None, checked, page)


# ---- saving, publishing, history ---------------------------------------------------------


def _base() -> int:
    """The version the editor was opened on; "rebase" is the instructor choosing, after
    being told of a conflict, to save on top of the other version."""
    raw = request.form.get("rebase") or request.form.get("base") or "0"
    return int(raw) if raw.isdigit() else 0


def _save(
    kind: str,
    object_id: str,
    values: dict[str, Any],
    is_new: bool,
    checked: checking.Checked,
    page: Callable[..., tuple[str, int]],
) -> Response | tuple[str, int]:
    """Create or save a draft (and publish it when asked): the one commit of the request.
    A conflict keeps the instructor's input on the page and says who changed what."""
    author = current_user._get_current_object()
    note = request.form.get("note", "").strip()[:500]
    publish = request.form.get("action") == "publish"
    if publish and checked.problems:
        return page(422, refused=_("Fix the problems below before publishing."))
    try:
        if is_new:
            version = versions.create(kind, object_id, values, author=author)
        else:
            version = versions.save_draft(
                kind, object_id, values, base=_base(), author=author, note=note
            )
        if publish:
            version = versions.publish(kind, object_id, version.number, author=author)
    except versions.VersionConflict as conflict:
        db.session.rollback()
        return page(409, conflict=conflict.latest)
    except versions.VersionError as error:
        db.session.rollback()
        # The service's check is the one that counts: its problems replace the live ones.
        checked.problems[:] = error.problems or [checking.problem("", error.message)]
        return page(error.status)
    db.session.commit()
    if publish:
        flash(_("Version %(number)d is published.", number=version.number), "success")
    else:
        flash(_("Draft saved as version %(number)d.", number=version.number), "success")
    return redirect(url_for(f"authoring.{kind}", object_id=object_id))


@bp.get("/lessons/<object_id>/history", defaults={"kind": LESSON})
@bp.get("/items/<object_id>/history", defaults={"kind": ITEM})
@roles_required(*STAFF)
def history(kind: str, object_id: str) -> str:
    try:
        found = versions.history(kind, object_id)
    except versions.VersionError:
        abort(404)
    return render_template("authoring/history.html", kind=kind, object_id=object_id, versions=found)


@bp.get("/lessons/<object_id>/versions/<int:number>", defaults={"kind": LESSON})
@bp.get("/items/<object_id>/versions/<int:number>", defaults={"kind": ITEM})
@roles_required(*STAFF)
def version(kind: str, object_id: str, number: int) -> str:
    try:
        values = versions.values_at(kind, object_id, number)
    except versions.VersionError:
        abort(404)
    latest = editing.open_latest(kind, object_id)
    extra: dict[str, Any] = {}
    if kind == LESSON:
        extra = _preview_parts(values["meta"], values["body"])
    return render_template(
        "authoring/version.html",
        kind=kind,
        object_id=object_id,
        number=number,
        values=values,
        changes=listing.changes(kind, latest.values if latest else None, values),
        source=listing.as_text(kind, values),
        latest=latest,
        **extra,
    )


@bp.post("/lessons/<object_id>/versions/<int:number>/restore", defaults={"kind": LESSON})
@bp.post("/items/<object_id>/versions/<int:number>/restore", defaults={"kind": ITEM})
@roles_required(*STAFF)
def restore(kind: str, object_id: str, number: int) -> Response:
    try:
        restored = versions.restore(
            kind, object_id, number, author=current_user._get_current_object()
        )
    except versions.VersionError as error:
        db.session.rollback()
        flash(
            "; ".join(p["message"] for p in error.problems)
            or _("This version cannot be restored."),
            "danger",
        )
        return redirect(url_for("authoring.history", kind=kind, object_id=object_id))
    except versions.VersionConflict:  # someone saved at the same instant: theirs stands
        db.session.rollback()
        flash(
            _("Someone else saved a new version just now. Look at it before restoring."), "danger"
        )
        return redirect(url_for("authoring.history", kind=kind, object_id=object_id))
    db.session.commit()
    flash(
        _("Version %(old)d is restored as version %(number)d.", old=number, number=restored.number),
        "success",
    )
    return redirect(url_for(f"authoring.{kind}", object_id=object_id))


# ---- live helpers (JSON) ----------------------------------------------------------------


def _preview_parts(meta: dict[str, Any], body: str) -> dict[str, Any]:
    """The lesson exactly as the lesson page renders it, for this reader's settings."""
    level = meta.get("level") if meta.get("level") in ("N5", "N4") else "N5"
    examples = [plain(sentence) for sentence, _english in examples_in(body)]
    return {
        "title": meta.get("title", ""),
        "objectives": meta.get("objectives", []),
        "body": render_lesson(
            body,
            show_furigana=furigana_rule(current_user.furigana, level),
            play_label=_("Play"),
            audio_url=lambda n: url_for("authoring.preview_audio", text=examples[n - 1]),
        ),
        "words": vocabulary_panel(meta.get("vocabulary", [])),
        "kanji": [k for k in (kanji_facts(c) for c in meta.get("kanji", [])) if k],
    }


@bp.post("/preview/lesson")
@roles_required(*STAFF)
def preview_lesson() -> Response:
    front = forms.lesson_front(request.form)
    body = forms.lesson_body(request.form)
    checked = checking.check_lesson(front, body)
    html = render_template("authoring/_preview.html", **_preview_parts(front, body))
    return jsonify(html=html, problems=checked.problems)


@bp.get("/preview/audio.mp3")
@roles_required(*STAFF)
def preview_audio() -> Response:
    """An example sentence of a lesson being written, spoken before it is published (the
    trainees' audio speaks published curriculum text only; staff may hear drafts)."""
    text = (request.args.get("text") or "").strip()
    if not text or len(text) > MAX_SPOKEN:
        abort(404)
    try:
        path = speech.cached_audio(text, audio_cache_dir())
    except speech.SpeechError:
        abort(404)
    return send_file(path, mimetype="audio/mpeg", max_age=86400)


@bp.post("/furigana")
@roles_required(*STAFF)
def furigana() -> Response:
    text = (request.form.get("text") or "").strip()[:MAX_SELECTION]
    return jsonify(text=text, reading=reading(text) if text else "")


@bp.post("/validate/item")
@roles_required(*STAFF)
def validate_item() -> Response:
    return jsonify(problems=checking.check_item(forms.item_data(request.form)).problems)


@bp.post("/try")
@roles_required(*STAFF)
def try_answer() -> Response:
    data = forms.item_data(request.form)
    tried = tryout.try_answer(data, request.form.get("candidate", ""), _)
    return jsonify(tried.to_dict())
