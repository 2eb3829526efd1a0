"""Kanji pages and their stroke-order drawings."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, send_file
from werkzeug.wrappers import Response

from app.content.kanji import kanji_facts, stroke_order_svg

bp = Blueprint("study", __name__)

# A KanjiVG drawing styles its strokes inline; as an <img> it can run no script.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


@bp.get("/kanji/<string(length=1):character>")
def kanji(character: str) -> str:
    facts = kanji_facts(character) or abort(404)
    return render_template("study/kanji.html", kanji=facts)


@bp.get("/kanji/<string(length=1):character>.svg")
def kanji_svg(character: str) -> Response:
    path = stroke_order_svg(character) or abort(404)
    response = send_file(path, mimetype="image/svg+xml", max_age=86400)
    response.headers["Content-Security-Policy"] = SVG_POLICY
    return response
