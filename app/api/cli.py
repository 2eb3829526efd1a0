"""`flask api-keys create|list|rotate|revoke`: first set-up and scripts. ``create`` and
``rotate`` print the key on their last line, so `| tail -n1` captures it."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.api import keys
from app.api.keys import ApiKeyError
from app.extensions import db
from app.learning.clock import now

api_keys_cli = AppGroup("api-keys", help="API keys for the recruitment API.")


def _fail(error: ApiKeyError) -> None:
    db.session.rollback()
    raise click.ClickException(error.message)


@api_keys_cli.command("create")
@click.option("--name", required=True, help="Who uses the key.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(keys.SCOPES),
    help="Repeat for several scopes.",
)
def create_command(name: str, scopes: tuple[str, ...]) -> None:
    """Create a key; prints it on the last line (shown only this once)."""
    try:
        issued = keys.create(name, list(scopes), now=now(), actor_id=None)
    except ApiKeyError as error:
        _fail(error)
        return
    db.session.commit()
    click.echo(f"Created API key {issued.key.id} ({issued.key.name}): {issued.key.scopes}")
    click.echo("Store it now; it cannot be shown again:")
    click.echo(issued.text)


@api_keys_cli.command("list")
def list_command() -> None:
    """Every key: id, prefix, state, scopes, last use, name."""
    for key in keys.all_keys():
        state = "revoked" if key.is_revoked else "active"
        used = key.last_used_at.isoformat(timespec="minutes") if key.last_used_at else "never"
        click.echo(f"{key.id}\t{key.prefix}\t{state}\t{key.scopes}\t{used}\t{key.name}")


@api_keys_cli.command("rotate")
@click.argument("key")
def rotate_command(key: str) -> None:
    """Give KEY (id or prefix) a new secret; the old one stops working. Prints the key."""
    found = keys.find(key)
    if found is None:
        raise click.ClickException(f"No API key {key!r}.")
    try:
        issued = keys.rotate(found.id, now=now(), actor_id=None)
    except ApiKeyError as error:
        _fail(error)
        return
    db.session.commit()
    click.echo(f"Rotated API key {found.id}; the old key no longer works:")
    click.echo(issued.text)


@api_keys_cli.command("revoke")
@click.argument("key")
def revoke_command(key: str) -> None:
    """Revoke KEY (id or prefix) at once."""
    found = keys.find(key)
    if found is None:
        raise click.ClickException(f"No API key {key!r}.")
    try:
        keys.revoke(found.id, now=now(), actor_id=None)
    except ApiKeyError as error:
        _fail(error)
        return
    db.session.commit()
    click.echo(f"Revoked API key {found.id} ({found.name}).")
