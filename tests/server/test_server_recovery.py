"""Crash recovery: the server as a subprocess, kill -9 mid-turn, a restart on the same data.

Every acknowledged command must be there after the restart, the deadline must be the same,
and the game must go on: clients resume with their tokens and the turn resolves.  Then a
SIGTERM closes every connection with 1001 and the process exits cleanly.
"""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from support.server import Client, hold_orders, new_game
from websockets.exceptions import ConnectionClosed

REPO = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def server_process(data: Path, log: Path) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    # A snapshot at every phase: the restart below rebuilds from one plus the log after it.
    env = {**os.environ, "PYTHONUNBUFFERED": "1", "BACKCHANNEL_SNAPSHOT_EVERY": "1"}
    with log.open("ab") as err:
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "game.cli",
            "serve",
            "--port",
            "0",
            "--data",
            str(data),
            cwd=REPO,
            env=env,
            stdout=asyncio.subprocess.PIPE,
            stderr=err,
        )
    try:
        assert proc.stdout is not None
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        assert line.startswith("listening on ws://"), line + log.read_text()
        yield proc, line.split()[-1]
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()


async def test_kill_9_mid_turn_loses_no_acknowledged_command(tmp_path: Path) -> None:
    data, log = tmp_path / "data", tmp_path / "server.log"
    async with server_process(data, log) as (proc, url):
        umpire, created = await new_game(url, deadline=3600, seed=3)
        codes = created["codes"]["states"]
        a, b = list(codes)[:2]
        a_client, b_client = await Client.open(url, a), await Client.open(url, b)
        await a_client.join(codes[a])
        await b_client.join(codes[b])
        await umpire.request("start", fill_bots=True, confirm=True)
        phase = await a_client.event("phase")
        deadline = phase["deadline"]

        text = "acknowledged before the crash"
        assert (await a_client.act(kind="press", to=[b], text=text))["type"] == "ack"
        proposed = await a_client.act(kind="propose", parties=[a, b], clauses=[{"kind": "non_aggression"}])
        agreement = proposed["result"]["agreement"]
        sign = {"type": "act", "id": "sign-1", "command": {"kind": "sign", "agreement": agreement}}
        await b_client.send(sign)
        signed = await b_client.expect_reply("sign-1")
        assert signed["type"] == "ack"
        orders = hold_orders(a_client.view["view"], a)  # type: ignore[index]
        assert (await a_client.act(kind="orders", turn=1, phase="movement", orders=orders))["type"] == "ack"
        assert (await a_client.request("ready"))["type"] == "ack"
        await a_client.event("ready", lambda e: e["state"] == a)
        seen = a_client.v

        proc.kill()  # SIGKILL: no chance to flush anything
        await proc.wait()

    async with server_process(data, log) as (proc, url):
        restored = [line for line in log.read_text().splitlines() if "restored" in line]
        assert restored and "snapshot=" in restored[-1] and "snapshot=None" not in restored[-1], restored
        back = await Client.open(url, "a-again", token=a_client.token, v=seen)
        view = await back.expect("view")
        assert back.seat == {"game": created["game"], "role": "player", "state": a}
        assert text in [m["text"] for m in view["view"]["messages"]]
        assert [g["status"] for g in view["view"]["agreements"] if g["id"] == agreement] == ["active"]
        assert view["view"]["me"]["orders"] == orders
        assert view["table"]["clock"]["deadline"] == deadline
        assert view["table"]["ready"] == [a]
        assert view["v"] == seen, "the same events, the same versions"

        b_back = await Client.open(url, "b-again", token=b_client.token)
        await b_back.expect("view")
        await b_back.send(sign)
        assert await b_back.expect_reply("sign-1") == signed, (
            "a resent command is answered, not applied again"
        )
        assert (await b_back.request("ready"))["type"] == "ack"
        for client in (back, b_back):
            await client.event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))

        proc.terminate()  # SIGTERM: a clean shutdown closes every connection with 1001
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await back.ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1001
        assert await asyncio.wait_for(proc.wait(), 30) == 0
    text_log = log.read_text()
    assert "Traceback" not in text_log
    assert text not in text_log, "no message text in the log"
