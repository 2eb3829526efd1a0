"""QR codes for the verification address, drawn by segno: no outside service sees who
verifies what."""

from __future__ import annotations

import segno


def verify_qr_svg(url: str, *, title: str) -> str:
    """An inline SVG (no XML declaration) with a <title> for screen readers."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, title=title, light="#fff")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def modules(url: str) -> list[list[bool]]:
    """The dark/light modules of the same code, quiet zone included, for drawing in a PDF."""
    return [[bool(m) for m in row] for row in segno.make(url, error="m").matrix_iter(border=4)]
