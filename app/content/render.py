"""Lesson Markdown to safe HTML: raw HTML is escaped, links are checked, furigana
{漢字|かんじ} becomes <ruby>, and ```examples blocks become example lists with audio.

Content is written by instructors in a browser editor too, so nothing in it is trusted:
markdown-it runs with HTML disabled, and every piece of text goes through its escaping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline
from markupsafe import Markup, escape

from app.content.files import parse_examples

FURIGANA = re.compile(r"\{([^{}|\n\\]+)\\?\|([^{}|\n]+)\}")
_TABLE_ROW = re.compile(r"^[ \t]*\|.*$", re.M)


def ruby(text: str, show: Callable[[str], bool] | None = None) -> Markup:
    """Plain text with furigana syntax as escaped HTML with <ruby> elements; ``show``
    decides per word whether its reading appears (the reader's furigana setting)."""
    out = Markup()
    last = 0
    for match in FURIGANA.finditer(text):
        out += escape(text[last : match.start()])
        word, reading = match.group(1), match.group(2)
        if show is None or show(word):
            out += Markup('<ruby lang="ja">{}<rt>{}</rt></ruby>').format(word, reading)
        else:
            out += escape(word)
        last = match.end()
    return out + escape(text[last:])


def hide_readings(text: str, show: Callable[[str], bool] | None) -> str:
    """The text with only the furigana the reader's setting keeps; a hidden reading leaves
    the bare word. For text the browser turns into ruby itself (practice items)."""
    if show is None:
        return text
    return FURIGANA.sub(lambda m: m.group(0) if show(m.group(1)) else m.group(1), text)


def plain(text: str) -> str:
    """The text as spoken: furigana syntax replaced by the kanji it annotates."""
    return FURIGANA.sub(lambda m: m.group(1), text)


def _furigana_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "{":
        return False
    match = FURIGANA.match(state.src, state.pos)
    if match is None:
        return False
    if not silent:
        token = state.push("furigana", "", 0)
        token.content = match.group(0)
    state.pos = match.end()
    return True


def _render_examples(content: str, env: dict[str, Any]) -> str:
    """Each example with its translation and, when the page gives audio addresses, a
    button that plays it (examples are numbered through the whole lesson)."""
    items = []
    audio_url: Callable[[int], str] | None = env.get("audio_url")
    for japanese, english in parse_examples(content):
        number = env["examples_seen"] = env.get("examples_seen", 0) + 1
        button = (
            Markup(
                '<button type="button" class="btn btn-sm btn-outline-primary audio-button" '
                'data-audio-src="{}">▶ <span class="visually-hidden">{}</span></button>'
            ).format(audio_url(number), env.get("play_label", "Play"))
            if audio_url
            else Markup("")
        )
        items.append(
            Markup(
                '<li><p class="example-ja" lang="ja">{}</p><p class="example-en">{}</p>{}</li>'
            ).format(ruby(japanese, env.get("show_furigana")), english, button)
        )
    return str(Markup('<ol class="examples">{}</ol>\n').format(Markup("").join(items)))


@lru_cache(maxsize=1)
def _markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
    md.inline.ruler.before("emphasis", "furigana", _furigana_rule)
    default_fence = md.renderer.rules["fence"]

    # Render rules are bound to the renderer, hence ``self``.
    def furigana(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        return str(ruby(tokens[idx].content, env.get("show_furigana")))

    def fence(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
        if tokens[idx].info.strip() == "examples":
            return _render_examples(tokens[idx].content, env)
        return default_fence(tokens, idx, options, env)

    md.add_render_rule("furigana", furigana)
    md.add_render_rule("fence", fence)
    return md


def render_lesson(
    body: str,
    *,
    audio_url: Callable[[int], str] | None = None,
    play_label: str = "Play",
    show_furigana: Callable[[str], bool] | None = None,
) -> Markup:
    """The lesson body as safe HTML for the lesson page and the editor's preview.
    ``audio_url(n)`` gives the address of the n-th example's audio; ``play_label`` is
    the audio buttons' label in the reader's language."""
    # In a table row the | of {漢字|かんじ} would split the cell: escape it there.
    body = _TABLE_ROW.sub(lambda row: FURIGANA.sub(r"{\1\\|\2}", row.group()), body)
    env = {"play_label": play_label, "audio_url": audio_url, "show_furigana": show_furigana}
    return Markup(_markdown().render(body, env))
