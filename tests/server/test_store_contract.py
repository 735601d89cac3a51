"""One storage interface, two implementations: every test here runs against SQLite and PostgreSQL.

What the server relies on: a write's future completes only once it is durable (and a second
store opened on the same place then reads it), writes of one game land in order, a write that
does not follow its game's log is refused alone, the latest snapshot is kept, archived games
are left out of a restart but still readable, a token's digest is unique across games, and
`close` finishes what was queued.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from support.postgres import fresh_database

from server.seats import Member, token_digest
from server.store import GameHeader, Snapshot, SqliteStore, Store, StoreError
from server.store_pg import SCHEMA_VERSION, PostgresStore

Opener = Callable[[], Store]


@pytest.fixture(params=["sqlite", "postgresql"])
def open_store(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens a store on one place, again and again (each call a new store, as after a restart)."""
    if request.param == "sqlite":
        return lambda: SqliteStore(tmp_path / "games.sqlite3")
    url = fresh_database(request.getfixturevalue("postgres_admin"))
    return lambda: PostgresStore(url)


def header(game_id: str = "g-1", status: str = "lobby") -> GameHeader:
    return GameHeader(game_id, 0.0, None, "scenario text", 7, {"a": 1}, status, {"seconds": None})


async def test_acknowledged_writes_are_read_back_in_order_by_a_new_store(open_store: Opener) -> None:
    store = open_store()
    umpire = Member("m1", "g-1", "umpire", None, token_digest("t1"))
    await store.create(header(), [umpire], [{"k": "join", "m": "m1"}])
    player = Member("m2", "g-1", "player", "fra", token_digest("t2"))
    # Many writes at once share commits; each lands in order, the last clock and status win.
    await asyncio.gather(
        *(
            store.append("g-1", 2 + i, [{"k": "n", "i": i, "text": 'é"\\\n'}], clock={"seconds": i})
            for i in range(30)
        ),
        store.append("g-1", 32, [{"k": "join", "m": "m2"}], members=[player], status="running"),
    )
    again = open_store()  # before the first is closed: what was acknowledged is already there
    (game,) = again.load()
    assert game.members == [umpire, player]
    assert [e.get("i") for e in game.entries] == [None, *range(30), None]
    assert game.entries[1]["text"] == 'é"\\\n'
    assert game.header.clock == {"seconds": 29} and game.header.status == "running"
    assert game.header.settings == {"a": 1} and game.header.seed == 7
    await store.close()
    await again.close()


async def test_a_write_that_does_not_follow_its_log_is_refused_alone(open_store: Opener) -> None:
    store = open_store()
    await store.create(header("g-1"), [], [{"k": "a"}])
    await store.create(header("g-2"), [], [{"k": "a"}])
    results = await asyncio.gather(
        store.append("g-1", 2, [{"k": "b"}]),
        store.append("g-1", 2, [{"k": "duplicate"}]),
        store.append("g-2", 2, [{"k": "b"}]),
        return_exceptions=True,
    )
    assert results[0] is None and results[2] is None
    assert isinstance(results[1], StoreError)
    with pytest.raises(StoreError):
        await store.append("g-1", 5, [{"k": "after a hole"}])
    await store.close()
    games = {g.header.id: [e["k"] for e in g.entries] for g in open_store().load()}
    assert games == {"g-1": ["a", "b"], "g-2": ["a", "b"]}


async def test_the_latest_snapshot_is_kept(open_store: Opener) -> None:
    store = open_store()
    await store.create(header(), [], [{"k": "a"}, {"k": "b"}])
    await store.save_snapshot("g-1", Snapshot(1, "v", b"first\x00"))
    await store.save_snapshot("g-1", Snapshot(2, "v", b"second\x00\xff"))
    await store.close()
    (game,) = open_store().load()
    assert game.snapshot == Snapshot(2, "v", b"second\x00\xff") and len(game.entries) == 2


async def test_an_archived_game_is_left_out_of_a_restart_but_still_read(open_store: Opener) -> None:
    store = open_store()
    await store.create(header("g-1"), [], [{"k": "a"}])
    await store.create(header("g-2"), [], [{"k": "a"}])
    await store.archive("g-1")
    await store.close()
    reopened = open_store()
    assert [g.header.id for g in reopened.load()] == ["g-2"]
    assert sorted(g.header.id for g in reopened.load(archived=True)) == ["g-1", "g-2"]
    archived = reopened.load_game("g-1")
    assert archived is not None and archived.header.status == "archived" and archived.entries == [{"k": "a"}]
    assert reopened.load_game("nope") is None
    await reopened.close()


async def test_a_token_digest_is_unique_across_games(open_store: Opener) -> None:
    store = open_store()
    digest = token_digest("same")
    await store.create(header("g-1"), [Member("m1", "g-1", "umpire", None, digest)], [{"k": "a"}])
    with pytest.raises(StoreError):
        await store.create(header("g-2"), [Member("m1", "g-2", "umpire", None, digest)], [{"k": "a"}])
    await store.close()
    assert [g.header.id for g in open_store().load()] == ["g-1"]


async def test_on_durable_runs_before_the_waiters_wake_and_close_finishes_the_queue(
    open_store: Opener,
) -> None:
    store = open_store()
    await store.create(header(), [], [{"k": "a"}])
    order: list[str] = []
    future = store.append("g-1", 2, [{"k": "b"}], on_durable=lambda: order.append("durable"))
    future.add_done_callback(lambda _: order.append("woken"))
    await future
    await asyncio.sleep(0)  # let the done-callback run (scheduled by the future, not a wait for time)
    assert order == ["durable", "woken"]
    store.append("g-1", 3, [{"k": "c"}])  # nobody waits for it: close must still store it
    await store.close()
    (game,) = open_store().load()
    assert [e["k"] for e in game.entries] == ["a", "b", "c"]
    with pytest.raises(StoreError):
        await store.append("g-1", 4, [{"k": "after close"}])


# --- PostgreSQL only: its address and its schema ---------------------------------------------------


def test_an_address_that_does_not_answer_is_one_line_naming_it() -> None:
    with pytest.raises(StoreError) as caught:
        PostgresStore("postgresql://someone:secret@127.0.0.1:1/games")
    message = str(caught.value)
    assert "\n" not in message and "127.0.0.1:1" in message and "secret" not in message
    assert message.startswith("cannot reach the store postgresql://someone@127.0.0.1:1/games: ")


def test_a_database_that_does_not_exist_is_one_line(postgres_admin: str) -> None:
    params = psycopg.conninfo.conninfo_to_dict(postgres_admin)
    params["dbname"] = "no_such_database"
    with pytest.raises(StoreError) as caught:
        PostgresStore(psycopg.conninfo.make_conninfo(**{k: v for k, v in params.items() if v is not None}))
    message = str(caught.value)
    assert (
        "\n" not in message
        and "no_such_database" in message
        and message.startswith("cannot reach the store ")
    )


def test_a_newer_schema_is_refused_by_name(postgres_admin: str) -> None:
    url = fresh_database(postgres_admin)
    PostgresStore(url)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("update backchannel_schema set version = %s", (SCHEMA_VERSION + 1,))
    with pytest.raises(StoreError) as caught:
        PostgresStore(url)
    assert str(caught.value) == (
        f"the store's schema is version {SCHEMA_VERSION + 1}, newer than this program's {SCHEMA_VERSION}: "
        "upgrade backchannel on this machine"
    )


def test_a_store_of_the_first_schema_is_migrated_and_its_codes_found(postgres_admin: str) -> None:
    """A database written by a program of schema version 1 (one process, before clusters) is brought to
    the current version when a newer program opens it: its games' join codes can be looked up."""
    from server.store_pg import SCHEMA

    url = fresh_database(postgres_admin)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(SCHEMA)
        conn.execute("create table backchannel_schema (version integer not null)")
        conn.execute("insert into backchannel_schema (version) values (1)")
        settings = (
            '{"codes": {"states": {"fra": "ABCD-EFGH"}, "observer": "OBSV-OBSV", "umpire": "UMPI-UMPI"}}'
        )
        conn.execute(
            "insert into games values ('g-old', 0, null, 'text', 1, %s, 'running', '{}', 0)", (settings,)
        )
    PostgresStore(url)
    with psycopg.connect(url, autocommit=True) as conn:
        version = conn.execute("select version from backchannel_schema").fetchone()
        codes = sorted(conn.execute("select code, game_id, role, state from codes").fetchall())
    assert version == (SCHEMA_VERSION,) and SCHEMA_VERSION == 2
    assert codes == [
        ("ABCD-EFGH", "g-old", "player", "fra"),
        ("OBSV-OBSV", "g-old", "observer", None),
        ("UMPI-UMPI", "g-old", "umpire", None),
    ]
