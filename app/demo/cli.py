"""``flask demo load``: the demo accounts ``make run`` prints."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from app.demo.services import DEMO_JOIN_CODE, DEMO_PASSWORD, DemoRefusedError, load_demo
from app.extensions import db
from app.lib.tokens import format_join_code


@click.group("demo", help="Demo data for trying Hashi on a laptop.")
def demo_cli() -> None:
    pass


@demo_cli.command("load")
@with_appcontext
def load() -> None:
    """Create the demo centre, cohort and accounts (refused in production)."""
    try:
        accounts = load_demo(current_app.config["ENV_NAME"])
    except DemoRefusedError as error:
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Demo accounts (password for all: {DEMO_PASSWORD}):")
    for account in accounts:
        click.echo(f"  {account.role.value:<16} {account.email}")
    click.echo(f"Demo cohort join code: {format_join_code(DEMO_JOIN_CODE)}")
