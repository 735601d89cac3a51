"""Seats: who may act in a game, and the secrets that prove it.

A game has one join code per human seat, one for observers and one for the umpire: short,
random and easy to read aloud (no 0/O, no 1/I/L).  Joining with a code makes a *member* of
that seat and hands it a seat token: 256 random bits, sent to it once in the `joined`
reply and presented again in the hello of a later connection to resume the seat.  The
server keeps only the token's SHA-256 and compares digests in constant time.  Several
members may share a state's seat (a classroom team): each has its own token.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Literal

from game.rules.knowledge import OBSERVER, UMPIRE

Role = Literal["player", "observer", "umpire"]

CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
"""31 symbols that cannot be mistaken for one another, written or read aloud."""
CODE_LENGTH = 8
"""8 symbols: about 40 bits, ample against guessing at the connection rate limit."""


def new_code(taken: set[str] | frozenset[str] = frozenset()) -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if code not in taken:
            return code


def normalise_code(text: str) -> str:
    """A code as typed (``abcd-efgh``, with spaces) in its canonical form."""
    return "".join(ch for ch in text.upper() if ch not in " -")


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def token_matches(token: str, digest: bytes) -> bool:
    return hmac.compare_digest(token_digest(token), digest)


def new_game_id() -> str:
    return "g-" + secrets.token_hex(6)


@dataclass(frozen=True, slots=True)
class Member:
    """One person (one token) in one seat of one game."""

    id: str
    game: str
    role: Role
    state: str | None
    digest: bytes

    @property
    def viewer(self) -> str:
        """The viewer the audience filter knows this member as."""
        if self.role == "umpire":
            return UMPIRE
        if self.role == "observer":
            return OBSERVER
        assert self.state is not None
        return self.state


class Tokens:
    """Every live seat token's digest, to find the member a hello's token resumes."""

    def __init__(self) -> None:
        self._by_digest: dict[bytes, Member] = {}

    def add(self, member: Member) -> None:
        self._by_digest[member.digest] = member

    def remove(self, member: Member) -> None:
        if self._by_digest.get(member.digest) == member:
            del self._by_digest[member.digest]

    def find(self, token: str) -> Member | None:
        digest = token_digest(token)
        member = self._by_digest.get(digest)
        # The dict finds the candidate by a hash of the secret; the final say is a constant-time compare.
        if member is None or not hmac.compare_digest(member.digest, digest):
            return None
        return member
