"""Failover: three `backchannel serve` processes over one PostgreSQL, kill -9 of the busiest.

Fifty games, each with a scripted player (the other seat a bot) who entered through one of the
three processes and was sent to its game's host.  Then the process hosting most games is killed
(SIGKILL: nothing flushed, no lease given back).  Every player reconnects to a process still
running and follows the redirect it is given; the games are taken over from their logs; every
command acknowledged before the kill is there, a command id resent is answered and not applied
twice, and every game goes on (a new command, and the umpire resolves a phase).
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

from support.postgres import fresh_database
from support.server import Client

REPO = Path(__file__).resolve().parents[2]
TINY = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "tiny.yaml"
GAMES = 50
PROCESSES = 3


@asynccontextmanager
async def serve_process(store: str, log: Path) -> AsyncIterator[tuple[subprocess.Popen[bytes], str]]:
    """A `serve` process; its first line says where it listens.  (A plain Popen: after a kill -9 the
    process's upload workers may hold its stdout a moment longer, and asyncio's wait would wait for them.)"""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with log.open("ab") as err:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "game.cli",
                "serve",
                "--port",
                "0",
                "--store",
                store,
                "--trust",
                "127.0.0.1",
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
        )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 60)).decode()
        assert line.startswith("listening on ws://"), line + log.read_text()
        yield proc, line.split()[-1]
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                await asyncio.to_thread(proc.wait, 30)
            except subprocess.TimeoutExpired:
                proc.kill()
                await asyncio.to_thread(proc.wait)
        if proc.stdout is not None:
            proc.stdout.close()


async def enter(urls: list[str], first: int, **hello: Any) -> tuple[Client, str]:
    """Say hello to the first process that answers, from `first` on, and follow its redirect."""
    last: Exception | None = None
    for i in range(len(urls)):
        url = urls[(first + i) % len(urls)]
        try:
            client = await Client.open(url, hello=False)
        except OSError as exc:  # that process is gone: the next one
            last = exc
            continue
        await client.send({"type": "hello", "protocol": 1, **hello})
        reply = await client.expect_any(("welcome", "redirect"))
        if reply["type"] == "redirect":
            await client.close()
            url = reply["address"]
            client = await Client.open(url, hello=False)
            await client.send({"type": "hello", "protocol": 1, **hello})
            reply = await client.expect("welcome")
        client.seat = reply["seat"]
        return client, url
    raise AssertionError(f"no process answered: {last}")


async def test_kill_9_of_the_busiest_process_loses_nothing_acknowledged(
    postgres_admin: str, tmp_path: Path
) -> None:
    store = fresh_database(postgres_admin)
    scenario = TINY.read_text(encoding="utf-8")
    async with (
        asyncio.timeout(300),
        AsyncExitStack() as stack,
    ):  # (a safety net: a hang fails, never blocks CI)
        procs: list[subprocess.Popen[bytes]] = []
        urls: list[str] = []
        for n in range(PROCESSES):
            proc, url = await stack.enter_async_context(serve_process(store, tmp_path / f"serve-{n}.log"))
            procs.append(proc)
            urls.append(url)
        # Most games are created on the first process, the rest spread over the others.
        games: list[dict[str, Any]] = []
        for g in range(GAMES):
            where = urls[0] if g % 5 else urls[1 + (g // 5) % (PROCESSES - 1)]
            umpire = await Client.open(where, f"u{g}")
            created = await umpire.request(
                "create", scenario_text=scenario, bot_delay=0, seed=g, deadline=3600
            )
            assert created["type"] == "created", created
            await umpire.expect("view")
            games.append(
                {"umpire": umpire, "created": created, "host": where, "umpire_token": created["token"]}
            )
        for g, game in enumerate(games):
            code = game["created"]["codes"]["states"]["west"]
            # The player enters through any process; a join code is known to all of them.
            entry = urls[g % PROCESSES]
            player = await Client.open(entry, f"p{g}")
            await player.send({"type": "join", "id": f"j{g}", "code": code})
            reply = await player.expect_any(("joined", "redirect"))
            if reply["type"] == "redirect":
                assert reply["address"] == game["host"]
                await player.close()
                player = await Client.open(reply["address"], f"p{g}")
                await player.join(code)
            else:
                assert entry == game["host"]
                player.token = reply["token"]
                await player.expect("view")
            game["player"] = player
            started = await game["umpire"].request("start", fill_bots=True, confirm=True)
            assert started["type"] == "ack", started
        # Each player says three things, each acknowledged.
        for g, game in enumerate(games):
            game["said"] = []
            for i in range(3):
                ref = f"press-{g}-{i}"
                text = f"game {g} message {i}"
                await game["player"].send(
                    {"type": "act", "id": ref, "command": {"kind": "press", "to": [], "text": text}}
                )
                ack = await game["player"].expect_reply(ref)
                assert ack["type"] == "ack", ack
                game["said"].append((ref, text, ack))

        hosted = Counter(game["host"] for game in games)
        busiest = urls.index(hosted.most_common(1)[0][0])
        assert hosted[urls[busiest]] >= GAMES // 2
        killed_at = time.perf_counter()
        procs[busiest].kill()  # SIGKILL: no lease given back, nothing flushed
        await asyncio.to_thread(procs[busiest].wait)

        survivors = [u for i, u in enumerate(urls) if i != busiest]
        first_applied: float | None = None
        moved = 0
        for g, game in enumerate(games):
            if game["host"] != urls[busiest]:
                continue
            moved += 1
            for client in (game["player"], game["umpire"]):
                await client.close()
            player, _ = await enter(survivors, g, token=game["player"].token)
            view = (await player.expect("view"))["view"]
            texts = [m["text"] for m in view["messages"]]
            for _ref, text, _ack in game["said"]:
                assert text in texts, f"game {g}: an acknowledged message was lost"
            # A command id resent after the failover is answered with its first reply, not applied again.
            ref, text, ack = game["said"][-1]
            await player.send(
                {"type": "act", "id": ref, "command": {"kind": "press", "to": [], "text": text}}
            )
            again = await player.expect_reply(ref)
            assert again["type"] == "ack" and again.get("result") == ack.get("result")
            fresh = await player.act(kind="press", to=[], text=f"game {g} after the failover")
            assert fresh["type"] == "ack", fresh
            if first_applied is None:
                first_applied = time.perf_counter()
            view = await player.fresh_view()
            texts = [m["text"] for m in view["view"]["messages"]]
            assert texts.count(text) == 1, "applied once"
            game["player"] = player
            umpire, _ = await enter(survivors, g + 1, token=game["umpire_token"])
            await umpire.expect("view")
            game["umpire"] = umpire
        assert moved >= GAMES // 2 and first_applied is not None
        print(
            f"failover: {moved} games moved; kill -9 to the first command applied on a new host: "
            f"{first_applied - killed_at:.2f} s"
        )
        # Every game goes on: the umpire resolves the phase, the player sees the next one.
        for game in games:
            resolved = await game["umpire"].request("resolve")
            assert resolved["type"] == "ack", resolved
            await game["player"].event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))
        for game in games:
            await game["player"].close()
            await game["umpire"].close()
    for n in range(PROCESSES):
        text = (tmp_path / f"serve-{n}.log").read_text()
        assert "Traceback" not in text, text[-3000:]
