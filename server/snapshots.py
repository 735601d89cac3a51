"""Snapshots of a game's session, so that a restart replays only the log written after them.

The log stays the truth: a snapshot is a cache of "the session after entry N".  It is the
session pickled, with the scenario and board left out (they are shared, read-only and rebuilt
from the game's stored scenario text), and tagged with a digest of the code that made it: a
snapshot from other code (an upgraded server) is ignored and the whole log replayed, because
pickled objects from other code may not mean the same.  The data comes only from this
server's own database, never from a client.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
from functools import cache
from pathlib import Path
from typing import Any

from server.session import Session
from server.store import Snapshot

ROOT = Path(__file__).resolve().parent.parent
EVERY_ENTRIES = int(os.environ.get("BACKCHANNEL_SNAPSHOT_EVERY", "400"))
"""A snapshot is taken at the first phase boundary after this many entries since the last one
(the environment variable lets tests take one at every phase)."""


@cache
def code_version() -> str:
    """A digest of the code whose objects a snapshot holds: the rules, the bots and the server."""
    digest = hashlib.sha256()
    for folder in ("game/rules", "game/bots", "game/protocol", "server"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, shared: dict[int, str]) -> None:
        super().__init__(file, protocol=5)
        self._shared = shared

    def persistent_id(self, obj: Any) -> str | None:
        return self._shared.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, shared: dict[str, Any]) -> None:
        super().__init__(file)
        self._shared = shared

    def persistent_load(self, pid: Any) -> Any:
        if pid not in self._shared:
            raise pickle.UnpicklingError(f"unknown shared object {pid!r}")
        return self._shared[pid]


def take(session: Session) -> Snapshot:
    buffer = io.BytesIO()
    _Pickler(buffer, {id(session.scenario): "scenario", id(session.board): "board"}).dump(session)
    return Snapshot(session.logged, code_version(), buffer.getvalue())


def restore(snapshot: Snapshot, fresh: Session) -> Session | None:
    """The session the snapshot holds, sharing `fresh`'s scenario and board; None if it was made
    by other code or cannot be read (then the caller replays the whole log)."""
    if snapshot.version != code_version():
        return None
    try:
        session: object = _Unpickler(
            io.BytesIO(snapshot.data), {"scenario": fresh.scenario, "board": fresh.board}
        ).load()
    except Exception:
        return None
    if not isinstance(session, Session) or type(session) is not type(fresh):
        return None
    if session.logged != snapshot.seq or session.id != fresh.id:
        return None
    return session
