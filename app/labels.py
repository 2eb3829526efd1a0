"""Names of curriculum terms as the reader sees them, shared by every page that shows
them (lazy: translated when rendered, in the reader's language)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SECTION_NAMES = {
    "vocabulary": _l("Vocabulary and kanji"),
    "grammar-reading": _l("Grammar and reading"),
    "listening": _l("Listening"),
}
