"""Password hashing with Argon2id, a memory-hard scheme."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# A hash to verify against when the account does not exist, so a wrong email takes as
# long as a wrong password and timing does not reveal which accounts exist.
_DUMMY_PASSWORD = "hashi-timing-equaliser"


class Passwords:
    """Hash and verify passwords with costs taken from the app's configuration."""

    def __init__(self, memory_kib: int, time_cost: int) -> None:
        self._hasher = PasswordHasher(memory_cost=memory_kib, time_cost=time_cost, parallelism=1)
        self._dummy_hash = self._hasher.hash(_DUMMY_PASSWORD)

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, stored_hash: str | None, password: str) -> bool:
        try:
            return self._hasher.verify(stored_hash or self._dummy_hash, password) and bool(
                stored_hash
            )
        except (VerificationError, InvalidHashError):
            return False

    def needs_rehash(self, stored_hash: str) -> bool:
        """True when the stored hash was made with weaker costs than configured now."""
        return self._hasher.check_needs_rehash(stored_hash)
