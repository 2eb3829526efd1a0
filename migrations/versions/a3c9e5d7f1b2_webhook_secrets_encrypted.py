"""webhook secrets: encrypted at rest

Revision ID: a3c9e5d7f1b2
Revises: b8d4f0a2c6e1
Create Date: 2026-11-27 10:05:00

`webhook_endpoints.secret` (plain text) becomes `secret_ciphertext`: AES-256-GCM under a
key derived with HKDF-SHA256 from the app's WEBHOOK_SECRET_KEY, or SECRET_KEY when that
is unset, read from the app's configuration exactly as the app reads it (Flask-Migrate
runs migrations inside the app). Run `flask db upgrade` with the same environment as the
app: production refuses to start on the default SECRET_KEY, so it cannot encrypt under
it by mistake. Downgrading decrypts back into `secret`.

The derivation and the stored form repeat app/webhooks/secret_box.py on purpose
(migrations never import app code that may change later). The new column is added with
a default of '' and filled at once: SQLite cannot make a column NOT NULL afterwards
without copying the table, and dropping the copied-from table would cascade over every
delivery. PostgreSQL drops the default again.
"""

import base64
import os

import sqlalchemy as sa
from alembic import context, op
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

# revision identifiers, used by Alembic.
revision = "a3c9e5d7f1b2"
down_revision = "b8d4f0a2c6e1"
branch_labels = None
depends_on = None

SALT = b"hashi/webhook-secrets"
INFO = b"hashi webhook secret encryption v1"
AAD = b"webhook_endpoints.secret"

endpoints = sa.table(
    "webhook_endpoints",
    sa.column("id", sa.Integer()),
    sa.column("secret", sa.String()),
    sa.column("secret_ciphertext", sa.String()),
)


def _derive(material):
    okm = HKDF(algorithm=hashes.SHA256(), length=36, salt=SALT, info=INFO).derive(material.encode())
    return okm[32:].hex(), okm[:32]


def _materials():
    config = current_app.config
    current = config.get("WEBHOOK_SECRET_KEY") or config["SECRET_KEY"]
    return [current, config["SECRET_KEY"]]


def _seal(material, secret):
    key_id, key = _derive(material)
    nonce = os.urandom(12)
    box = nonce + AESGCM(key).encrypt(nonce, secret.encode(), AAD)
    return f"v1:{key_id}:{base64.urlsafe_b64encode(box).decode().rstrip('=')}"


def _unseal(stored):
    _version, key_id, text = stored.split(":", 2)
    keys = dict(_derive(material) for material in _materials())
    if key_id not in keys:
        raise RuntimeError(
            f"webhook secret under key id {key_id} cannot be decrypted with this "
            "environment's WEBHOOK_SECRET_KEY or SECRET_KEY: run the downgrade with the "
            "keys the app uses"
        )
    box = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    return AESGCM(keys[key_id]).decrypt(box[:12], box[12:], AAD).decode()


def _refuse_offline():
    if context.is_offline_mode():
        raise RuntimeError(
            "this migration encrypts the webhook secrets stored in each row, so it must run "
            "against the database (flask db upgrade), not as generated SQL"
        )


def upgrade():
    _refuse_offline()
    op.add_column(
        "webhook_endpoints",
        sa.Column("secret_ciphertext", sa.String(length=200), nullable=False, server_default=""),
    )
    bind = op.get_bind()
    material = _materials()[0]
    for row in bind.execute(sa.select(endpoints.c.id, endpoints.c.secret)).all():
        bind.execute(
            endpoints.update()
            .where(endpoints.c.id == row.id)
            .values(secret_ciphertext=_seal(material, row.secret))
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("webhook_endpoints", "secret_ciphertext", server_default=None)
    op.drop_column("webhook_endpoints", "secret")


def downgrade():
    _refuse_offline()
    op.add_column(
        "webhook_endpoints",
        sa.Column("secret", sa.String(length=64), nullable=False, server_default=""),
    )
    bind = op.get_bind()
    for row in bind.execute(sa.select(endpoints.c.id, endpoints.c.secret_ciphertext)).all():
        bind.execute(
            endpoints.update()
            .where(endpoints.c.id == row.id)
            .values(secret=_unseal(row.secret_ciphertext))
        )
    if bind.dialect.name != "sqlite":
        op.alter_column("webhook_endpoints", "secret", server_default=None)
    op.drop_column("webhook_endpoints", "secret_ciphertext")
