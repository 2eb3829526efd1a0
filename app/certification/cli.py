"""``flask keys``: list the published signing keys and rotate to a new one."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from app.certification import audit, keys
from app.extensions import db
from app.learning.clock import now


@click.group("keys", help="Certificate signing keys (Ed25519).")
def keys_cli() -> None:
    pass


@keys_cli.command("list")
@with_appcontext
def list_keys() -> None:
    """Every published public key; the one this host signs with is marked."""
    current = keys.current_kid()
    for row in keys.published_keys():
        state = "retired " + row.retired_at.isoformat() if row.retired_at else "active"
        mark = " (current here)" if row.kid == current else ""
        click.echo(f"{row.kid}  created {row.created_at.isoformat()}  {state}{mark}")


@keys_cli.command("rotate")
@with_appcontext
def rotate() -> None:
    """Make a new current key; old public keys stay published so old certificates verify."""
    moment = now()
    signer = keys.rotate(now=moment)
    audit.record(audit.KEY_ROTATED, f"signing-key:{signer.kid}", now=moment)
    db.session.commit()
    click.echo(f"New signing key {signer.kid} in {keys.key_dir()}")
