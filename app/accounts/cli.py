"""``flask users ...``: create staff and admin accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from app.accounts.services import AccountError, create_user
from app.extensions import db
from app.models import Centre, Role


@click.group("users", help="Manage user accounts.")
def users_cli() -> None:
    pass


@users_cli.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option(
    "--role",
    type=click.Choice([r.value for r in Role]),
    required=True,
    help="trainee, instructor, centre_admin or programme_admin.",
)
@click.option("--centre", "centre_name", help="Centre name (required except for programme_admin).")
@click.option("--cnic", default=None)
@click.option("--external-id", default=None)
@click.password_option(help="Prompted for (twice) when not given.")
@with_appcontext
def create(
    email: str,
    name: str,
    role: str,
    centre_name: str | None,
    cnic: str | None,
    external_id: str | None,
    password: str,
) -> None:
    """Create an account with a password."""
    centre = None
    if centre_name:
        centre = db.session.scalar(select(Centre).where(Centre.name == centre_name))
        if centre is None:
            raise click.BadParameter(f"no centre is called {centre_name!r}", param_hint="--centre")
    try:
        user = create_user(
            name=name,
            email=email,
            password=password,
            role=Role(role),
            centre=centre,
            cnic=cnic,
            external_id=external_id,
        )
    except AccountError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from None
    db.session.commit()
    click.echo(f"Created {user.role.value} {user.email} (id {user.id}).")
