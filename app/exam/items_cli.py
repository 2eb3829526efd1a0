"""``flask items calibrate``: re-estimate item difficulties from finished exam attempts
(app/exam/calibration.py says how), print the report, write unless ``--dry-run``."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.exam import calibration
from app.exam.blueprint import LEVELS
from app.extensions import db
from app.learning.clock import now


@click.group("items", help="Question items: calibration of their difficulties.")
def items_cli() -> None:
    pass


def _number(value: float | None, width: int = 7) -> str:
    return f"{value:>{width}.2f}" if value is not None else f"{'-':>{width}}"


@items_cli.command("calibrate")
@click.option("--level", type=click.Choice(LEVELS), help="Only this level (default: both).")
@click.option(
    "--min-responses",
    type=click.IntRange(min=2),
    default=calibration.MIN_RESPONSES,
    show_default=True,
    help="Items with fewer answers keep their difficulty.",
)
@click.option("--dry-run", is_flag=True, help="Report only; change nothing.")
@click.option("--all-items", is_flag=True, help="List every item, not only changed or flagged.")
@with_appcontext
def calibrate(level: str | None, min_responses: int, dry_run: bool, all_items: bool) -> None:
    """Rasch difficulties from the answers of finished (not invalidated) attempts, with
    infit and outfit mean squares; finished attempts keep their scores."""
    report = calibration.calibrate(
        level=level, min_responses=min_responses, dry_run=dry_run, now=now()
    )
    click.echo(
        f"{'item':<32}{'level':>6}{'kind':>14}{'group':>19}{'old':>7}{'new':>7}{'n':>6}"
        f"{'infit':>7}{'outfit':>7}  flags"
    )
    for r in report.items:
        if not (all_items or r.updated or r.flags):
            continue
        mark = "" if r.updated else " (kept)"
        click.echo(
            f"{r.item_id:<32}{r.level:>6}{r.kind:>14}{r.group:>19}{_number(r.old)}"
            f"{_number(r.new)}{r.n:>6}{_number(r.infit)}{_number(r.outfit)}  "
            f"{', '.join(r.flags)}{mark}"
        )
    verb = "would be updated" if dry_run else "updated"
    click.echo(
        f"{report.attempts} finished attempts; {len(report.items)} items answered: "
        f"{report.updated} {verb}, {report.kept} kept (fewer than {min_responses} answers "
        f"or not estimable), {report.misfitting} flagged (infit or outfit outside "
        f"{calibration.FIT_LOW}-{calibration.FIT_HIGH})."
    )
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    else:
        db.session.commit()
