"""Several server processes over one PostgreSQL database: leases, redirects, takeover, fencing.

Two servers in this test process share a real PostgreSQL (tests/postgres.py), each with its own
event-loop tasks, sockets and store, as two processes would; what a process death does is in
tests/test_cluster_failover.py (real processes, kill -9).
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict
from support.postgres import fresh_database, own_folder
from support.server import TIMEOUT, Client, cluster_member, new_game
from websockets.exceptions import ConnectionClosed

from game.client.link import ONLINE, ServerLink
from server.cluster_pg import POOL_SIZE, PostgresCluster
from server.game_host import MOVED_CLOSE_CODE
from server.store_pg import PostgresStore


@pytest.fixture
def database(postgres_admin: str) -> str:
    return fresh_database(postgres_admin)


async def open_following(url: str, hops: int = 5, **hello: Any) -> tuple[Client, str]:
    """A client that says hello at `url` and follows redirects (at most `hops`), as the real client
    does; and where it ended."""
    client = await Client.open(url, hello=False)
    await client.send({"type": "hello", "protocol": 1, **hello})
    reply = await client.expect_any(("welcome", "redirect"))
    if reply["type"] == "redirect":
        await client.close()
        assert hops > 0, "redirected in a loop"
        return await open_following(reply["address"], hops - 1, **hello)
    client.seat = reply["seat"]
    return client, url


async def test_a_join_code_and_a_token_work_on_every_process_and_lead_to_the_host(database: str) -> None:
    async with cluster_member(database) as (a, url_a), cluster_member(database) as (b, url_b):
        umpire, created = await new_game(url_a)
        game = created["game"]
        code = next(iter(created["codes"]["states"].values()))
        # A join code given to the other process: it answers with the host's address.
        visitor = await Client.open(url_b)
        await visitor.send({"type": "join", "id": "j1", "code": code})
        redirect = await visitor.expect("redirect")
        assert redirect == {"type": "redirect", "ref": "j1", "game": game, "address": url_a}
        await visitor.close()
        player = await Client.open(url_a)
        await player.join(code)
        # The seat's token, said to the other process, leads to the host as well.
        again, landed = await open_following(url_b, token=player.token)
        assert landed == url_a and again.seat is not None and again.seat["state"] == player.seat["state"]
        assert game in a.lobby.games and game not in b.lobby.games
        for client in (umpire, player, again):
            await client.close()


async def test_a_process_gone_is_taken_over_and_its_late_writes_are_fenced(database: str) -> None:
    async with cluster_member(database) as (a, url_a), cluster_member(database) as (b, url_b):
        umpire, created = await new_game(url_a)
        game = created["game"]
        code = next(iter(created["codes"]["states"].values()))
        player = await Client.open(url_a)
        await player.join(code)
        started = await umpire.request("start", fill_bots=True, confirm=True)
        assert started["type"] == "ack", started
        said = await player.act(kind="press", to=[], text="before")
        assert said["type"] == "ack", said
        # Process A loses its database session (as a kill -9 or a lost network would end it): its
        # advisory lock is released, its leases are free for the taking.
        life = a.cluster._life  # type: ignore[attr-defined]
        await life.close()
        again, landed = await open_following(url_b, token=player.token)
        assert landed == url_b and game in b.lobby.games
        # A, still running, tries to write for the game: the fence refuses it, and A lets the game go.
        # No reply at all (neither an ack nor an error the client would take for an answer): the
        # connection closes with "moved", and the client sends the command again where the game is.
        with pytest.raises(ConnectionClosed):
            stale = await player.act(kind="press", to=[], text="from the old host")
            pytest.fail(f"the old host answered a write it could not store: {stale}")
        await asyncio.wait_for(player.ws.wait_closed(), TIMEOUT)
        assert player.ws.close_code == MOVED_CLOSE_CODE
        assert game not in a.lobby.games
        view = await again.fresh_view()
        assert view["type"] == "view"
        ok = await again.act(kind="press", to=[], text="after")
        assert ok["type"] == "ack", ok
        stored = b.store.load_game(game)
        assert stored is not None
        texts = [e.get("cmd", {}).get("text") for e in stored.entries if e.get("k") == "cmd"]
        assert "before" in texts and "after" in texts and "from the old host" not in texts
        await umpire.close()
        await again.close()


async def test_the_client_link_follows_redirects_and_a_takeover(database: str) -> None:
    """The client's real ServerLink (its own thread and loop): a join code given to a process that
    does not host the game lands it on the one that does; when that process loses the game, the
    link reconnects, is sent to the new host, and its unanswered command is applied there once."""
    async with cluster_member(database) as (a, url_a), cluster_member(database) as (b, url_b):
        umpire, created = await new_game(url_a)
        code = (
            created["codes"]["states"]["aus"]
            if "aus" in created["codes"]["states"]
            else next(iter(created["codes"]["states"].values()))
        )
        link = ServerLink(url_b)
        link.start()
        try:
            assert await asyncio.to_thread(link.wait_state, lambda s: s == ONLINE, TIMEOUT)
            ref = link.send({"type": "join", "code": code})
            joined = await asyncio.to_thread(link.wait_reply, ref, TIMEOUT)
            assert joined is not None and joined["type"] == "joined", joined
            assert link.address == url_a and link.url == url_b
            started = await umpire.request("start", fill_bots=True, confirm=True)
            assert started["type"] == "ack", started
            await a.cluster._life.close()  # type: ignore[attr-defined]  # process A loses the game
            ref = link.send(
                {"type": "act", "command": {"kind": "press", "to": [], "text": "through the link"}}
            )
            reply = await asyncio.to_thread(link.wait_reply, ref, TIMEOUT * 2)
            assert reply is not None and reply["type"] == "ack", reply
            # The game lives in exactly one process now (B took it over, or A came back as a new
            # process and adopted it first), and the link is there.
            game = created["game"]
            assert (game in a.lobby.games) != (game in b.lobby.games)
            assert link.address == (url_a if game in a.lobby.games else url_b)
            stored = b.store.load_game(game)
            assert stored is not None
            texts = [e["cmd"].get("text") for e in stored.entries if e.get("k") == "cmd" and "cmd" in e]
            assert texts.count("through the link") == 1
        finally:
            link.close()
            await umpire.close()


@pytest.mark.parametrize(
    ("store", "said"),
    [
        (
            "postgresql://someone:secret@127.0.0.1:1/games",
            "cannot reach the store postgresql://someone@127.0.0.1:1/games: ",
        ),
        (
            "mysql://someone:secret@db/games",
            "--store 'mysql://someone:secret@db/games': give a PostgreSQL address",
        ),
    ],
    ids=["does-not-answer", "not-postgresql"],
)
def test_serve_with_a_bad_store_says_so_in_one_line(store: str, said: str) -> None:
    run = subprocess.run(
        [sys.executable, "-m", "game.cli", "serve", "--port", "0", "--store", store],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 1
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"backchannel serve: {said}"), run.stderr
    if store.startswith("postgresql"):
        assert "secret" not in run.stderr


def test_serve_and_report_with_bad_credentials_say_so_in_one_line(postgres_admin: str) -> None:
    """A password PostgreSQL refuses: one line that names the store and PostgreSQL's reason, the
    password left out, for `serve` and for `report` alike."""
    folder = own_folder(postgres_admin)
    if folder is None:
        pytest.skip(
            "the PostgreSQL named in BACKCHANNEL_TEST_POSTGRES is not the suite's own: its pg_hba.conf is not ours"
        )
    role, line = "bc_password_only", "local all bc_password_only scram-sha-256\n"
    with psycopg.connect(postgres_admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_roles where rolname = %s", (role,)).fetchone():
            conn.execute(f"create role {role} login password 'the-right-one'")
        hba = folder / "pg_hba.conf"
        if line not in hba.read_text(encoding="utf-8"):
            hba.write_text(line + hba.read_text(encoding="utf-8"), encoding="utf-8")
            conn.execute("select pg_reload_conf()")
    socket_folder = str(conninfo_to_dict(postgres_admin)["host"])
    store = f"postgresql://{role}:the-wrong-one@/postgres?host={quote(socket_folder, safe='')}"
    # The reload is a signal to PostgreSQL's postmaster: wait until it refuses the password (a bounded
    # number of tries, no sleep: each try is a connection it answers).
    for _ in range(1000):
        try:
            psycopg.connect(store).close()
        except psycopg.OperationalError as exc:
            if "password authentication failed" in str(exc):
                break
    else:
        pytest.fail("PostgreSQL never began to ask for the password")
    root = Path(__file__).resolve().parents[2]
    for command, prefix in (
        (["serve", "--port", "0", "--store", store], "backchannel serve: "),
        (["report", store, "--out", "never.html"], "error: "),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "game.cli", *command], capture_output=True, text=True, timeout=60, cwd=root
        )
        assert run.returncode == 1, run.stderr
        lines = run.stderr.strip().splitlines()
        assert len(lines) == 1, run.stderr
        assert lines[0].startswith(f"{prefix}cannot reach the store postgresql://{role}@"), lines[0]
        assert f'password authentication failed for user "{role}"' in lines[0]
        assert "the-wrong-one" not in run.stderr + run.stdout
    assert not (root / "never.html").exists()


async def test_processes_starting_together_each_keep_their_life_line(database: str) -> None:
    """A process's row is seen by others only once its life lock is held: each process, as it joins,
    forgets the rows of processes gone, and must never take a process that is starting for one gone
    (whose games any other process would then take over while it still hosts them)."""
    await PostgresStore(database).close()  # the tables, once
    clusters = [PostgresCluster(database) for _ in range(12)]
    try:
        for _ in range(3):
            await asyncio.gather(*(c.start(f"ws://127.0.0.1:{9000 + i}") for i, c in enumerate(clusters)))
            async with await psycopg.AsyncConnection.connect(database, autocommit=True) as conn:
                rows = await (await conn.execute("select id from processes")).fetchall()
            known = {str(r[0]) for r in rows}
            missing = [c.process for c in clusters if c.process not in known]
            assert not missing, f"{len(missing)} of {len(clusters)} live processes lost their row"
            await asyncio.gather(*(c.close() for c in clusters))
    finally:
        await asyncio.gather(*(c.close() for c in clusters))


async def test_a_reconnect_storm_is_answered_within_the_databases_connections(database: str) -> None:
    """300 players saying hello at once with tokens this process does not hold (as after a failover):
    each lookup waits for one of the process's few pooled connections, so every hello is answered,
    none dropped because the database refused its hundred-and-first connection."""
    async with cluster_member(database) as (_, url):

        async def hello(i: int) -> str:
            client = await Client.open(url, hello=False)
            try:
                await client.send({"type": "hello", "protocol": 1, "id": i, "token": f"unknown-{i:040d}"})
                reply = await client.expect_any(("welcome", "redirect", "error"))
                return str(reply.get("code") or reply["type"])
            except ConnectionClosed:
                return "dropped"
            finally:
                await client.close()

        answers = await asyncio.gather(*(hello(i) for i in range(300)))
        assert answers.count("bad_token") == 300, sorted(set(answers))
        async with await psycopg.AsyncConnection.connect(database, autocommit=True) as conn:
            row = await (
                await conn.execute(
                    "select count(*) from pg_stat_activity where datname = current_database()"
                    " and pid <> pg_backend_pid()"
                )
            ).fetchone()
        assert row is not None and row[0] <= POOL_SIZE + 2  # the pool, the life line, the store's writer
