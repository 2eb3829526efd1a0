"""The certificate as a one-page PDF (A4 landscape), with its Japanese in a real
TrueType font embedded in the file, so it prints the same on any machine.

reportlab embeds TrueType (glyf) fonts only, not the CFF outlines of Noto CJK, so Hashi
uses IPAex Gothic, installed from Debian's ``fonts-ipaexfont-gothic`` by ``make fonts``
(part of ``make run`` and ``make test``). ``CERTIFICATE_FONT`` may name another .ttf.
"""

from __future__ import annotations

import io
from pathlib import Path

from flask import current_app
from reportlab.lib.colors import HexColor, black
from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from app.certification.qr import modules
from app.models import Certificate

DEFAULT_FONT = "/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf"
FONT_NAME = "IPAexGothic"
LEVEL_JA = {"N5": "日本語能力 N5 相当", "N4": "日本語能力 N4 相当"}
GROUP_LABELS = {
    "knowledge-reading": "Language knowledge (vocabulary, grammar) and reading",
    "listening": "Listening",
}
HASHI_RED = HexColor("#9b1c31")


class FontMissingError(RuntimeError):
    """The Japanese TrueType font the PDF needs is not installed."""


def font_path() -> Path:
    return Path(current_app.config.get("CERTIFICATE_FONT") or DEFAULT_FONT)


def _register_font() -> None:
    path = font_path()
    if not path.is_file():
        raise FontMissingError(
            f"The certificate font {path} is missing: install Debian's "
            "fonts-ipaexfont-gothic (`make browser` does) or set CERTIFICATE_FONT to a .ttf."
        )
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, str(path)))


def render(cert: Certificate, *, verify_url: str, maxima: dict[str, int]) -> bytes:
    """The PDF bytes. ``maxima`` gives each score group's maximum for "106 / 120"."""
    _register_font()
    out = io.BytesIO()
    width, height = landscape(A4)
    pdf = canvas.Canvas(out, pagesize=(width, height), invariant=True, initialFontName=FONT_NAME)
    pdf.setTitle(f"Hashi certificate {cert.public_id}")
    pdf.setAuthor(cert.issuer)
    pdf.setStrokeColor(HASHI_RED)
    pdf.setLineWidth(3)
    pdf.rect(28, 28, width - 56, height - 56)

    pdf.setFillColor(HASHI_RED)
    pdf.setFont(FONT_NAME, 30)
    pdf.drawCentredString(width / 2, height - 100, "橋 Hashi")
    pdf.setFillColor(black)
    pdf.setFont(FONT_NAME, 22)
    pdf.drawCentredString(width / 2, height - 140, "Certificate of Japanese proficiency")
    pdf.setFont(FONT_NAME, 18)
    pdf.drawCentredString(width / 2, height - 168, LEVEL_JA.get(cert.level, cert.level))
    pdf.setFont(FONT_NAME, 13)
    pdf.drawCentredString(width / 2, height - 205, "This certifies that")
    pdf.setFont(FONT_NAME, 26)
    pdf.drawCentredString(width / 2, height - 240, cert.candidate_name)
    pdf.setFont(FONT_NAME, 13)
    pdf.drawCentredString(
        width / 2,
        height - 270,
        f"passed the JLPT-style {cert.level} certification exam on {cert.exam_date.isoformat()}.",
    )

    y = height - 315
    for group, score in sorted(cert.scaled.items()):
        label = GROUP_LABELS.get(group, group)
        pdf.drawString(90, y, f"{label}: {score} / {maxima.get(group, '')}")
        y -= 20
    pdf.setFont(FONT_NAME, 15)
    pdf.drawString(90, y - 6, f"Total: {cert.total} / {sum(maxima.values())}")

    pdf.setFont(FONT_NAME, 10)
    facts = [
        f"Certificate id: {cert.public_id}",
        *([f"Candidate id: {cert.candidate_external_id}"] if cert.candidate_external_id else []),
        f"Issued by {cert.issuer} on {cert.issued_at.date().isoformat()}",
        f"Verify at {verify_url}",
        f"Ed25519 signature (key {cert.kid[:12]}…): {cert.signature[:40]}…",
    ]
    for i, line in enumerate(facts):
        pdf.drawString(90, 110 - i * 14, line)

    _draw_qr(pdf, verify_url, x=width - 220, y=70, size=140)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def _draw_qr(pdf: canvas.Canvas, url: str, *, x: float, y: float, size: float) -> None:
    grid = modules(url)
    cell = size / len(grid)
    pdf.setFillColor(black)
    for row_number, row in enumerate(grid):
        for col_number, dark in enumerate(row):
            if dark:
                top = y + size - (row_number + 1) * cell
                pdf.rect(x + col_number * cell, top, cell, cell, stroke=0, fill=1)
