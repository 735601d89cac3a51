"""The SQLite store and snapshots: group commit, reload, the latest snapshot, the scenario book."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from test_session import _joins, classic_session

from server.seats import Member, token_digest
from server.session import Session
from server.store import GameHeader, SqliteStore, StoreError

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


@pytest.mark.parametrize("inline", [True, False], ids=["commit-on-loop", "commit-in-thread"])
def test_sqlite_store_group_commit_and_reload(tmp_path: Path, inline: bool) -> None:
    async def scenario() -> None:
        store = SqliteStore(tmp_path / "db.sqlite3", inline=inline)
        header = GameHeader("g-1", 0.0, None, "text", 1, {"a": 1}, "lobby", {"seconds": None})
        member = Member("m1", "g-1", "umpire", None, token_digest("t"))
        await store.create(header, [member], [{"k": "join", "m": "m1"}])
        # Many writes at once share commits; each still lands in order.
        await asyncio.gather(
            *(store.append("g-1", 2 + i, [{"k": "n", "i": i}], clock={"seconds": i}) for i in range(20))
        )
        with pytest.raises(StoreError):  # a write that cannot apply is refused alone
            await store.append("g-1", 2, [{"k": "dup"}])
        await store.close()
        games = SqliteStore(tmp_path / "db.sqlite3").load()
        assert len(games) == 1 and games[0].members == [member]
        assert [e.get("i") for e in games[0].entries] == [None, *range(20)]
        assert games[0].header.clock == {"seconds": 19}

    asyncio.run(scenario())


def _played(session: Session, umpire: Member, phases: int, start: int = 0) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    for n in range(start, start + phases):
        entries.extend(session.advance(0.0, "umpire", umpire, f"adv-{n}").entries)
    return entries


def test_a_snapshot_and_the_log_after_it_rebuild_the_same_session() -> None:
    """Restoring from a snapshot plus the later entries is the same as replaying the whole log,
    and the two go on identically (bots, leaks and all)."""
    from server.snapshots import restore, take
    from server.store import Snapshot

    session, m = classic_session(seats={"aus": "bot", "ita": "bot", "rus": "bot", "tur": "bot"})
    log = _joins(session, m) + session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True).entries
    log += session.act(m["eng"], 1, {"kind": "press", "to": ["fra"], "text": "psst"}).entries
    log += _played(session, m["umpire"], 4)
    snapshot = take(session)
    assert snapshot.seq == len(log)
    log += session.act(
        m["fra"], 2, {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}
    ).entries
    log += _played(session, m["umpire"], 2, start=4)
    entries = [json.loads(json.dumps(e)) for e in log]

    def fresh() -> Session:
        again, _ = classic_session(seats={"aus": "bot", "ita": "bot", "rus": "bot", "tur": "bot"})
        return Session(again.header, again.scenario, again.board)

    whole = fresh()
    whole.replay(list(m.values()), entries)
    base = fresh()
    restored = restore(snapshot, base)
    assert restored is not None and restored.scenario is base.scenario and restored.board is base.board
    restored.replay(list(m.values()), entries[snapshot.seq :])
    for other in (whole, restored):
        assert other.game.record() == session.game.record()
        assert {v: s.items for v, s in other.streams.items()} == {
            v: s.items for v, s in session.streams.items()
        }
        _played(other, m["umpire"], 3, start=100)
    _played(session, m["umpire"], 3, start=100)
    assert whole.game.record() == restored.game.record() == session.game.record()
    # A snapshot from other code, or damaged, is not used: the caller replays the whole log.
    assert restore(Snapshot(snapshot.seq, "other-code", snapshot.data), fresh()) is None
    assert restore(Snapshot(snapshot.seq, snapshot.version, snapshot.data[:-20]), fresh()) is None


def test_the_store_keeps_the_latest_snapshot(tmp_path: Path) -> None:
    from server.store import Snapshot

    async def scenario() -> None:
        store = SqliteStore(tmp_path / "db.sqlite3")
        header = GameHeader("g-1", 0.0, None, "text", 1, {"a": 1}, "lobby", {"seconds": None})
        await store.create(header, [], [{"k": "join", "m": "m1"}, {"k": "x"}])
        await store.save_snapshot("g-1", Snapshot(1, "v", b"first"))
        await store.save_snapshot("g-1", Snapshot(2, "v", b"second"))
        await store.close()
        (game,) = SqliteStore(tmp_path / "db.sqlite3").load()
        assert game.snapshot == Snapshot(2, "v", b"second") and len(game.entries) == 2

    asyncio.run(scenario())


def test_the_scenario_book_keeps_checked_scenarios_as_json(tmp_path: Path) -> None:
    from server.lobby import ScenarioBook

    text = (FIXTURES / "classic_board.yaml").read_text()
    first = ScenarioBook()
    first.cache = tmp_path
    scenario, _ = first.load(text, "classic")
    (kept,) = tmp_path.glob("*.json")
    second = ScenarioBook()
    second.cache = tmp_path
    assert second.load(text, "classic")[0] == scenario
    kept.write_text("{damaged")
    third = ScenarioBook()
    third.cache = tmp_path
    assert third.load(text, "classic")[0] == scenario  # read from the YAML again
    third.load(text + "\n# edited\n", "classic")  # other text: its own entry
    assert len(list(tmp_path.glob("*.json"))) == 2
