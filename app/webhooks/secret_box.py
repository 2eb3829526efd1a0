"""Webhook signing secrets, encrypted at rest.

Hashi signs every delivery with its endpoint's secret, so the secret cannot be stored
hashed like an API key. It is stored encrypted with AES-256-GCM under a key derived
(HKDF-SHA256) from ``WEBHOOK_SECRET_KEY``, or from ``SECRET_KEY`` when that is not set:
a copy of the database (a backup, a dump, a replica) gives no secret away without the
app's key.

A stored value reads ``v1:<key id>:<base64url of nonce, ciphertext and tag>``. The key
id (four bytes of the same HKDF output, which say nothing of the key) tells which key
sealed it, so a host with the wrong key says exactly that instead of a bare decryption
failure. ``SECRET_KEY`` is always tried as well, so an installation that sets
``WEBHOOK_SECRET_KEY`` later still reads its older secrets; each is sealed again under the
new key the next time the worker uses it (``needs_resealing``), or all at once with
``flask webhooks reseal-secrets``.

The migration that encrypted the plain-text column (migrations/versions/
a3c9e5d7f1b2_webhook_secrets_encrypted.py) repeats this derivation on purpose:
migrations never import app code. Change both, or neither.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models.webhooks import WebhookEndpoint

VERSION = "v1"
_SALT = b"hashi/webhook-secrets"
_INFO = b"hashi webhook secret encryption v1"
_AAD = b"webhook_endpoints.secret"  # binds a ciphertext to this use of the key
NONCE_BYTES = 12


class SecretKeyError(RuntimeError):
    """A stored secret this host cannot decrypt: says which key is missing and why."""


@functools.lru_cache(maxsize=8)
def derive(material: str) -> tuple[str, bytes]:
    """(key id, 32-byte AES key) for the configured key text. Cached: the worker
    decrypts one secret per delivery, and the key text changes only on a redeploy."""
    okm = HKDF(algorithm=hashes.SHA256(), length=36, salt=_SALT, info=_INFO).derive(
        material.encode()
    )
    return okm[32:].hex(), okm[:32]


def seal(material: str, secret: str) -> str:
    key_id, key = derive(material)
    nonce = os.urandom(NONCE_BYTES)
    box = nonce + AESGCM(key).encrypt(nonce, secret.encode(), _AAD)
    return f"{VERSION}:{key_id}:{base64.urlsafe_b64encode(box).decode().rstrip('=')}"


def key_id_of(stored: str) -> str:
    version, _sep, rest = stored.partition(":")
    key_id, _sep, _box = rest.partition(":")
    if version != VERSION or not key_id:
        raise SecretKeyError(
            "A webhook secret is not in the encrypted form this version of Hashi stores "
            f"({VERSION}:…); was the database migrated (flask db upgrade)?"
        )
    return key_id


def unseal(materials: list[str], stored: str) -> str:
    """The secret, decrypted with whichever of ``materials`` sealed it."""
    wanted = key_id_of(stored)
    keys = dict(derive(material) for material in materials)
    if wanted not in keys:
        raise SecretKeyError(  # at most 200 characters: an attempt's error holds it all
            f"Secret sealed under key id {wanted}, this host has {', '.join(keys)}: "
            "HASHI_WEBHOOK_SECRET_KEY or SECRET_KEY differs from the one it was encrypted "
            "with (set the same keys on every host)."
        )
    box_text = stored.split(":", 2)[2]
    try:
        box = base64.urlsafe_b64decode(box_text + "=" * (-len(box_text) % 4))
        plain = AESGCM(keys[wanted]).decrypt(box[:NONCE_BYTES], box[NONCE_BYTES:], _AAD)
    except (InvalidTag, ValueError, binascii.Error):
        raise SecretKeyError(
            f"A webhook secret under key id {wanted} does not decrypt: it is damaged."
        ) from None
    return plain.decode()


# ---- with the app's configuration ---------------------------------------------------------


def _materials() -> list[str]:
    """The key text secrets are sealed with now, then SECRET_KEY (for older ones)."""
    config = current_app.config
    current = config.get("WEBHOOK_SECRET_KEY") or config["SECRET_KEY"]
    return [current] if current == config["SECRET_KEY"] else [current, config["SECRET_KEY"]]


def encrypt(secret: str) -> str:
    return seal(_materials()[0], secret)


def decrypt(stored: str) -> str:
    """The plain secret, or ``SecretKeyError`` saying which key is missing."""
    return unseal(_materials(), stored)


def needs_resealing(stored: str) -> bool:
    """Sealed under another key than the current one (SECRET_KEY before
    WEBHOOK_SECRET_KEY was set)."""
    return key_id_of(stored) != derive(_materials()[0])[0]


def check_readable() -> None:
    """``SecretKeyError`` naming the first active endpoint whose secret this host cannot
    decrypt: the worker checks before it starts, so a host deployed with the wrong key
    stops at once instead of failing every delivery."""
    for endpoint_id, stored in db.session.execute(
        select(WebhookEndpoint.id, WebhookEndpoint.secret_ciphertext)
        .where(WebhookEndpoint.active.is_(True))
        .order_by(WebhookEndpoint.id)
    ):
        try:
            decrypt(stored)
        except SecretKeyError as error:
            raise SecretKeyError(f"Webhook endpoint {endpoint_id}: {error}") from None


def reseal_all() -> int:
    """Seal every secret not yet under the current key again under it (flushed, not
    committed); how many. Run before retiring the key they were sealed with."""
    count = 0
    for endpoint in db.session.scalars(select(WebhookEndpoint).order_by(WebhookEndpoint.id)):
        if needs_resealing(endpoint.secret_ciphertext):
            endpoint.secret_ciphertext = encrypt(decrypt(endpoint.secret_ciphertext))
            count += 1
    db.session.flush()
    return count
