"""Ed25519 signing keys: the private key on disk outside the repository, the public key
published in the database.

The key directory (``SIGNING_KEY_DIR``, by default ``instance/keys``, which git ignores)
holds one PKCS#8 PEM file per key, named by its kid, mode 0600, and a ``current`` file
naming the key that signs now. The first signature made on a host creates its key; an
exclusive file lock makes gunicorn workers that start together agree on one key, and
``O_EXCL`` makes sure no file is ever overwritten. Every public key goes into
``signing_keys`` and stays there after rotation, so old certificates keep verifying. Hosts
that do not share the directory each sign with a key of their own, all of them published.

Nothing here sees the Flask request; the database rows are flushed, not committed.
"""

from __future__ import annotations

import base64
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.models import SigningKey

CURRENT = "current"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    """Strict base64url without padding; raises ValueError on anything else."""
    if not isinstance(text, str) or not text.isascii() or "=" in text:
        raise ValueError("not base64url")
    try:
        return base64.b64decode(
            text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4), validate=True
        )
    except (ValueError, TypeError) as error:
        raise ValueError("not base64url") from error


def raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def thumbprint(public: bytes) -> str:
    """The RFC 7638 JWK thumbprint: SHA-256 over the key's required members, in order."""
    members = json.dumps(
        {"crv": "Ed25519", "kty": "OKP", "x": b64url(public)}, separators=(",", ":")
    )
    return b64url(hashlib.sha256(members.encode("ascii")).digest())


@dataclass(frozen=True)
class Signer:
    """The private key that signs now, with the id it is published under."""

    kid: str
    private_key: Ed25519PrivateKey

    def sign(self, data: bytes) -> bytes:
        return self.private_key.sign(data)


def key_dir() -> Path:
    configured = current_app.config.get("SIGNING_KEY_DIR")
    return Path(configured) if configured else Path(current_app.instance_path) / "keys"


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    with open(directory / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _read_current(directory: Path) -> Signer | None:
    try:
        kid = (directory / CURRENT).read_text(encoding="ascii").strip()
        pem = (directory / f"{kid}.pem").read_bytes()
    except FileNotFoundError:
        return None
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise RuntimeError(f"{directory / kid}.pem is not an Ed25519 private key")
    return Signer(kid=kid, private_key=key)


def _write_new_key(directory: Path) -> Signer:
    """A new key file (never overwriting one) and the ``current`` pointer to it."""
    key = Ed25519PrivateKey.generate()
    kid = thumbprint(raw_public(key.public_key()))
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    fd = os.open(directory / f"{kid}.pem", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(pem)
        out.flush()
        os.fsync(out.fileno())
    pointer = directory / f".{CURRENT}.{os.getpid()}"
    pointer.write_text(kid + "\n", encoding="ascii")
    os.replace(pointer, directory / CURRENT)  # atomic: readers see the old or the new kid
    return Signer(kid=kid, private_key=key)


def publish(signer: Signer, *, now: datetime) -> SigningKey:
    """The public key's row, added when missing (another worker may be adding it too)."""
    row = db.session.scalar(select(SigningKey).where(SigningKey.kid == signer.kid))
    if row is not None:
        return row
    row = SigningKey(
        kid=signer.kid,
        public_key=b64url(raw_public(signer.private_key.public_key())),
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
    except IntegrityError:  # published meanwhile by another worker
        row = db.session.scalar(select(SigningKey).where(SigningKey.kid == signer.kid))
        assert row is not None
    return row


def current_kid() -> str | None:
    """The kid this host would sign with now, without creating a key."""
    signer = _read_current(key_dir())
    return signer.kid if signer else None


def current_signer(*, now: datetime) -> Signer:
    """The key this host signs with, created (and published) on first use."""
    signer = local_signer()
    publish(signer, now=now)
    return signer


def local_signer() -> Signer:
    """This host's current private key, made under the lock when there is none yet."""
    directory = key_dir()
    signer = _read_current(directory)
    if signer is None:
        with _locked(directory):
            signer = _read_current(directory) or _write_new_key(directory)
    return signer


def rotate(*, now: datetime) -> Signer:
    """A new current key; the previous one is retired but stays published."""
    directory = key_dir()
    with _locked(directory):
        previous = _read_current(directory)
        signer = _write_new_key(directory)
    if previous is not None:
        old = publish(previous, now=now)
        old.retired_at = old.retired_at or now
    publish(signer, now=now)
    db.session.flush()
    return signer


def published_keys() -> list[SigningKey]:
    return list(db.session.scalars(select(SigningKey).order_by(SigningKey.created_at)))


def public_key(kid: str) -> Ed25519PublicKey | None:
    if not isinstance(kid, str) or len(kid) > 64:
        return None
    row = db.session.scalar(select(SigningKey).where(SigningKey.kid == kid))
    if row is None:
        return None
    return Ed25519PublicKey.from_public_bytes(b64url_decode(row.public_key))


def verify_signature(data: bytes, signature: str, kid: str) -> bool:
    """Does ``signature`` (base64url) over ``data`` verify with the published key ``kid``?"""
    key = public_key(kid)
    if key is None:
        return False
    try:
        key.verify(b64url_decode(signature), data)
    except (InvalidSignature, ValueError):
        return False
    return True


def jwk(row: SigningKey) -> dict[str, str]:
    """The published key as an RFC 8037 JWK (OKP, Ed25519)."""
    return {
        "kty": "OKP",
        "crv": "Ed25519",
        "x": row.public_key,
        "kid": row.kid,
        "alg": "EdDSA",
        "use": "sig",
    }
