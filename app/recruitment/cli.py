"""`flask recruitment refresh`: bring stored statuses up to date with the clock.

A window's closing time passing is nobody's action, so no hook sees it: run this every
few minutes (cron, a systemd timer) so "exam-scheduled" turns into what follows. It also
removes scan uploads abandoned by a process that died before its commit.
"""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db
from app.learning.clock import now
from app.recruitment import external_results, scan_files, status, views

recruitment_cli = AppGroup("recruitment", help="Candidate status for the recruitment system.")


@recruitment_cli.command("refresh")
@click.option(
    "--all", "everyone", is_flag=True, help="Every trainee, not only those with an exam scheduled."
)
def refresh(everyone: bool) -> None:
    """Recompute stored statuses (recording changes in the feed and the outbox); with
    --all, rebuild every candidate's API document too."""
    if everyone:
        count = status.refresh_all(now=now())
        views.rebuild_all()
        db.session.commit()
        click.echo(f"Refreshed {count} trainees.")
        return
    changed = status.refresh_scheduled(now=now())
    db.session.commit()
    click.echo(f"{changed} candidates changed status.")
    swept = scan_files.sweep_pending(external_results.scan_folder())
    if swept:
        click.echo(f"Removed {swept} abandoned scan uploads.")
