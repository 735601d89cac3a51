"""Which server process hosts which game: one process alone (SQLite), or several over PostgreSQL.

Several `backchannel serve` processes may share one PostgreSQL database.  Each game is hosted by
exactly one of them at a time, named by its row in `leases`.  A lease lives as long as its
process: each process holds a session-level advisory lock on a connection of its own (its *life
line*), and PostgreSQL releases that lock the moment the process's session ends — a clean exit,
a kill -9 (the kernel closes the socket), or a lost network (TCP keepalives).  A lease whose
process no longer holds its lock is free for the taking.  This is PostgreSQL's own locking: no
heartbeats to tune, no clocks to trust.

A player may connect to any process.  A process asked for a game it does not host looks the
game up (by join code or seat token, in the database), and either takes its lease (nobody
holds it, or its holder is gone) and loads it from its log and latest snapshot, or answers with
the public address of the process that holds it (a `redirect`, docs/protocol.md).

Every write of a game is fenced: the store commits it only if, in the same transaction, this
process still holds the game's lease and its life line (server/store_pg.py).  A process that
lost its database stops acknowledging commands instead of acknowledging what it cannot store.
"""

from __future__ import annotations

from dataclasses import dataclass

from server.seats import Role

LOCK_CLASS = 7207
"""The first key of every process's advisory lock (the second is the process's number)."""


@dataclass(frozen=True, slots=True)
class CodeTarget:
    """What a join code opens."""

    game: str
    role: Role
    state: str | None


@dataclass(frozen=True, slots=True)
class Fence:
    """What a write must find still true to commit: this process's lease on the game, and its life line."""

    process: str
    number: int
    pid: int
    """The backend process id of the life line's session (the lock must be held by that very session)."""


class Cluster:
    """One process alone: it hosts every game it knows (the default, over SQLite)."""

    address: str | None = None
    shared = False
    """Whether other processes share the store (games may be hosted elsewhere)."""

    async def start(self, address: str) -> None:
        self.address = address

    async def close(self) -> None:
        return None

    @property
    def alive(self) -> bool:
        return True

    async def claim(self, game_id: str) -> str | None:
        """Host `game_id` here: None when this process now holds its lease, else the address of the
        process that does."""
        return None

    async def release(self, game_id: str) -> None:
        """This process stops hosting the game (archived, or the server is stopping)."""

    async def find_code(self, code: str) -> CodeTarget | None:
        """The game a join code opens, wherever it is hosted (None: no game has it)."""
        return None

    async def find_token(self, digest: bytes) -> str | None:
        """The game a seat token's digest belongs to, wherever it is hosted."""
        return None

    async def set_codes(self, game_id: str, codes: dict[str, object]) -> None:
        """A game's join codes changed (revoked): lookups from other processes follow."""

    async def orphans(self, limit: int) -> list[str]:
        """Games nobody hosts (their process is gone), not archived or over: a process adopts them so
        that their clocks run even before a player comes back."""
        return []


def codes_rows(game_id: str, codes: dict[str, object]) -> list[tuple[str, str, str, str | None]]:
    rows: list[tuple[str, str, str, str | None]] = []
    states = codes.get("states")
    if isinstance(states, dict):
        rows.extend((str(code), game_id, "player", str(state)) for state, code in states.items())
    for role in ("observer", "umpire"):
        code = codes.get(role)
        if isinstance(code, str):
            rows.append((code, game_id, role, None))
    return rows
