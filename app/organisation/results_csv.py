"""A cohort's results as CSV for spreadsheets: one row per trainee.

Centres open these in Excel, so the file starts with a UTF-8 byte order mark (without
it Excel reads Urdu and Japanese names as mojibake), and any text cell a spreadsheet
would run as a formula is prefixed with a quote (OWASP's advice on CSV injection):
trainees choose their own names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

from flask_babel import gettext as _

from app.learning.report import SECTIONS
from app.organisation.dashboard import CohortProgress, TraineeProgress

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would read as a formula, made plain text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _share(value: float | None) -> str:
    return "" if value is None else f"{round(value * 100)}%"


def header(progress: CohortProgress) -> list[str]:
    weeks = progress.trainees[0].weeks if progress.trainees else []
    return [
        _("Name"),
        _("Email"),
        _("Lessons behind"),
        _("Days behind"),
        # Counts, not "2/5": a spreadsheet would read that as a date.
        *(
            _(
                "%(level)s %(unit)s: lessons done of %(total)d",
                level=c.level,
                unit=c.unit,
                total=len(c.lesson_ids),
            )
            for c in progress.columns
        ),
        *(
            label
            for section in SECTIONS
            for label in (
                _("%(section)s: answers", section=section),
                _("%(section)s: right", section=section),
            )
        ),
        *(f"{_('Week of')} {w.start.isoformat()}" for w in weeks),
        _("Last activity (UTC)"),
    ]


def row(trainee: TraineeProgress) -> list[object]:
    seen = trainee.last_activity
    return [
        trainee.user.name,
        trainee.user.email,
        trainee.behind,
        trainee.days_behind,
        *(u.done for u in trainee.units),
        *(value for s in trainee.sections for value in (s.answered, _share(s.accuracy))),
        *(_share(w.accuracy) for w in trainee.weeks),
        seen.strftime("%Y-%m-%d %H:%M") if seen else _("never"),
    ]


def results_csv(progress: CohortProgress) -> str:
    """The whole file as text, byte order mark first."""
    out = io.StringIO()
    writer = csv.writer(out)
    rows: Iterable[list[object]] = [header(progress), *(row(t) for t in progress.trainees)]
    for cells in rows:
        writer.writerow([safe_cell(cell) for cell in cells])
    return BOM + out.getvalue()
