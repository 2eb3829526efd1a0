"""Random tokens that are shown once and stored only as a hash."""

from __future__ import annotations

import hashlib
import secrets

# No 0/O, 1/I/L: join codes are read aloud in class and copied from a whiteboard.
JOIN_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def new_url_token() -> str:
    """A 256-bit token safe to put in a URL."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """SHA-256 is enough here: the token itself carries 256 bits of entropy."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_join_code(length: int = 8) -> str:
    return "".join(secrets.choice(JOIN_CODE_ALPHABET) for _ in range(length))


def normalise_join_code(text: str) -> str:
    """Upper-case and drop the separators people type (``abcd-2345`` → ``ABCD2345``)."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_join_code(code: str) -> str:
    """Show a code in two groups of four, the way instructors write it on the board."""
    return f"{code[:4]}-{code[4:]}" if len(code) == 8 else code
