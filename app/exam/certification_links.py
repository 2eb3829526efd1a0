"""Links from a certification result to its certificate's pages (certification's routes
own them; the exam result only points there)."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from werkzeug.routing import BuildError

from app.certification import certificates
from app.models import ExamAttempt

# (label, endpoint) of the certificate's pages, each taking the certificate's public id.
PAGES = (
    (_l("Printable certificate"), "certification.printable"),
    (_l("Verification page"), "certification.verify"),
    (_l("PDF"), "certification.pdf_file"),
)


def certificate_links(attempt: ExamAttempt) -> list[tuple[str, str]]:
    """The pages of the certificate this attempt earned (none when it earned none)."""
    if attempt.kind != "certification" or not attempt.passed:
        return []
    cert = certificates.for_attempt(attempt.id)
    if cert is None:
        return []
    links = []
    for label, endpoint in PAGES:
        try:
            links.append((str(label), url_for(endpoint, public_id=cert.public_id)))
        except BuildError:  # a page certification does not offer
            continue
    return links
