"""Acknowledged only after committed, with group commit (issue 14, point 3).

Commands that arrive while a commit is in flight are committed together by the store's writer
thread; each is acknowledged, and its events sent, only once its batch is durable.  The test
sends many commands at once from several seats of several games, slows every commit down (so a
premature acknowledgement could not hide in a race), and on each acknowledgement and each
delivered message reads the store from a second SQLite connection: the command must be there.
"""

from __future__ import annotations

import asyncio
import sqlite3
import time
from pathlib import Path
from typing import Any

import msgpack
import pytest
from support.server import TIMEOUT, Client, new_game, running_server

from server.store import SqliteStore

GAMES = 3
PER_SEAT = 12
"""Commands each seat sends without waiting (under the rate limit's burst)."""


def stored(db: Path, game: str, ref: str) -> bool:
    """Whether the command `ref` of `game` is in the store, as another process would read it."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        row = conn.execute(
            "select 1 from log where game_id = ? and json_extract(entry, '$.c') = ?", (game, ref)
        ).fetchone()
    finally:
        conn.close()
    return row is not None


async def test_a_batch_of_concurrent_commands_is_acknowledged_only_once_stored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    commit = SqliteStore._commit.__func__  # type: ignore[attr-defined]

    def slow_commit(cls: type[SqliteStore], conn: sqlite3.Connection, batch: list[Any]) -> Any:
        batches.append(len(batch))
        time.sleep(0.03)  # a slow disk: every command sent meanwhile waits for the next commit
        return commit(cls, conn, batch)

    monkeypatch.setattr(SqliteStore, "_commit", classmethod(slow_commit))
    async with running_server(tmp_path) as (server, url):
        store = server.store
        assert isinstance(store, SqliteStore) and not store.inline, "commits run in the writer thread"
        db = store.path
        seats: list[tuple[str, Client, str, str]] = []  # game, client, state, its peer
        for _ in range(GAMES):
            umpire, created = await new_game(url)
            codes = created["codes"]["states"]
            states = sorted(codes)[:2]
            for state, peer in ((states[0], states[1]), (states[1], states[0])):
                client = await Client.open(url, state)
                await client.join(codes[state])
                seats.append((created["game"], client, state, peer))
            await umpire.request("start")
        await asyncio.sleep(0.2)
        batches.clear()

        checked = {"acks": 0, "messages": 0}
        late: list[str] = []

        async def seat_sends(game: str, client: Client, state: str, peer: str) -> None:
            refs = [f"{state}-d{i}" for i in range(PER_SEAT)]
            for ref in refs:  # all at once, without waiting for a reply
                command = {"kind": "press", "to": [peer], "text": f"durable {game} {ref}"}
                await client.ws.send(msgpack.packb({"type": "act", "id": ref, "command": command}))
            waiting = set(refs)
            heard = 0
            while waiting or heard < PER_SEAT:
                message = msgpack.unpackb(await asyncio.wait_for(client.ws.recv(), TIMEOUT))
                if message["type"] == "ack" and message["ref"] in waiting:
                    # Read at once, before anything else runs: the ack must not come before the commit.
                    if not stored(db, game, message["ref"]):
                        late.append(f"ack of {message['ref']}")
                    waiting.discard(message["ref"])
                    checked["acks"] += 1
                elif message["type"] == "error":
                    pytest.fail(f"refused: {message}")
                elif message["type"] == "event" and message["event"]["kind"] == "message":
                    text = message["event"]["text"]
                    if text.startswith(f"durable {game} {peer}-"):  # the peer's message reaching this seat
                        if not stored(db, game, text.split()[2]):
                            late.append(f"delivery of {text}")
                        heard += 1
                        checked["messages"] += 1

        await asyncio.wait_for(asyncio.gather(*(seat_sends(*s) for s in seats)), 60)
        for _, client, _, _ in seats:
            await client.close()

    assert not late, f"sent before their commit: {late}"
    assert checked == {"acks": len(seats) * PER_SEAT, "messages": len(seats) * PER_SEAT}
    # Commands that arrived during a commit went into the next one together.
    assert max(batches) > 1, batches
    assert len(batches) < len(seats) * PER_SEAT, batches


@pytest.mark.parametrize("inline", [True, False], ids=["commit-on-loop", "commit-in-thread"])
def test_a_write_after_a_failed_one_of_its_game_is_refused_never_committed_after_a_hole(
    tmp_path: Path, inline: bool
) -> None:
    """A game queues its next command before the last is durable: if that one fails, the next (built
    on an entry the log will never hold) must fail too, while other games in the same commit go on."""
    from server.seats import Member, token_digest
    from server.store import GameHeader, StoreError

    async def scenario() -> None:
        store = SqliteStore(tmp_path / "db.sqlite3", inline=inline)
        for game in ("g-1", "g-2"):
            header = GameHeader(game, 0.0, None, "text", 1, {}, "lobby", {"seconds": None})
            await store.create(
                header, [Member("m1", game, "umpire", None, token_digest(game))], [{"k": "join"}]
            )
        clash = Member("m2", "g-1", "player", "eng", token_digest("g-2"))  # a token digest already stored
        outcomes = await asyncio.gather(
            store.append("g-1", 2, [{"k": "a"}], members=[clash]),  # cannot apply
            store.append("g-1", 3, [{"k": "b"}]),  # follows it: refused
            store.append("g-2", 2, [{"k": "c"}]),  # another game: committed
            store.append("g-1", 4, [{"k": "d"}]),  # still after the hole: refused
            return_exceptions=True,
        )
        assert [type(o) for o in outcomes] == [StoreError, StoreError, type(None), StoreError]
        await store.append("g-1", 2, [{"k": "again"}])  # the game, rebuilt from its log, goes on
        await store.close()
        games = {g.header.id: g for g in SqliteStore(tmp_path / "db.sqlite3").load()}
        assert [e["k"] for e in games["g-1"].entries] == ["join", "again"]
        assert [e["k"] for e in games["g-2"].entries] == ["join", "c"]

    asyncio.run(scenario())
