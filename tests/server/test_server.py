"""The server over the wire: a whole game, seats and roles, resuming, resent commands, the clock.

Each test runs the server in-process on 127.0.0.1 port 0 with real websockets clients, and
waits for the messages it expects (timeouts are only a safety net).
"""

from __future__ import annotations

import asyncio
import logging
import secrets
from pathlib import Path
from typing import Any

import msgpack
import pytest
from support.server import Client, hold_orders, new_game, running_server
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from game.rules.knowledge import OBSERVER
from server import logs
from server.store import StoreError

LEAK_KINDS = {"agreement_leaked", "agreement_discovered", "leak_done", "agreement_ratified"}


def marker(what: str) -> str:
    return f"{what}-{secrets.token_hex(6)}"


def events_of(client: Client, kind: str) -> list[dict[str, Any]]:
    return [m["event"] for m in client.frames if m["type"] == "event" and m["event"]["kind"] == kind]


async def seat_players(url: str, created: dict[str, Any], count: int) -> list[tuple[Client, str]]:
    codes = created["codes"]["states"]
    players = []
    for state in list(codes)[:count]:
        client = await Client.open(url, state)
        await client.join(codes[state])
        players.append((client, state))
    return players


async def test_whole_game_each_client_gets_only_its_own_facts(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url, seed=7)
        (a_client, a), (b_client, b), (c_client, c) = await seat_players(url, created, 3)
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        everyone = [a_client, b_client, c_client, observer, umpire]

        unconfirmed = await umpire.request("start", fill_bots=True)
        empty = [s for s in created["codes"]["states"] if s not in (a, b, c)]
        assert unconfirmed["code"] == "seats_empty" and unconfirmed["states"] == empty
        started = await umpire.request("start", fill_bots=True, confirm=True)
        assert started["type"] == "ack"
        for client in everyone:
            await client.event("phase", lambda e: e["turn"] == 1)
        late = await Client.open(url, "late")
        botted = started["result"]["bots"][0]
        if botted in created["codes"]["states"]:  # a person's seat that a bot took at the start
            assert (await late.request("join", code=created["codes"]["states"][botted]))[
                "code"
            ] == "seat_unavailable"
        await late.close()

        # Press: private A -> B (marked deceptive, a debrief-only mark), public from C.
        private = marker("PRIVATE")
        sent = await a_client.act(kind="press", to=[b], text=private, sincerity="deceptive")
        assert sent["type"] == "ack" and sent["result"]["message"]
        got = await b_client.event("message", lambda e: e["text"] == private)
        assert got["from"] == a and got["to"] == [b]
        public = marker("PUBLIC")
        assert (await c_client.act(kind="press", text=public))["type"] == "ack"
        for client in (a_client, b_client, observer, umpire):
            await client.event("message", lambda e: e["text"] == public)

        # A secret agreement, proposed by A and signed by B.
        title = marker("SECRET-TITLE")
        proposed = await a_client.act(
            kind="propose",
            parties=[a, b],
            visibility="secret",
            title=title,
            clauses=[{"kind": "non_aggression"}],
        )
        assert proposed["type"] == "ack", proposed
        agreement = proposed["result"]["agreement"]
        await b_client.event("agreement_proposed", lambda e: e["agreement"] == agreement)
        assert (await b_client.act(kind="sign", agreement=agreement))["type"] == "ack"
        for client in (a_client, b_client, umpire):
            await client.event("agreement_signed", lambda e: e["agreement"] == agreement)

        # Orders, then everyone ready: the phase resolves.
        before_resolution: dict[str, int] = {}
        for client, state in ((a_client, a), (b_client, b), (c_client, c)):
            view = client.view
            assert view is not None
            reply = await client.act(
                kind="orders", turn=1, phase="movement", orders=hold_orders(view["view"], state)
            )
            assert reply["type"] == "ack", reply
        for client, _ in ((a_client, a), (b_client, b), (c_client, c)):
            assert (await client.request("ready"))["type"] == "ack"
            before_resolution[client.name] = len(client.raw)
        before_resolution["observer"] = len(observer.raw)
        for client in everyone:
            await client.event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))
            await client.expect("view", lambda m: m["view"]["turn"] > 1 or m["view"]["phase"] != "movement")

        # What reached each socket.
        for client in (a_client, b_client, umpire):
            assert client.received(private)
        for client in (c_client, observer):
            assert not client.received(private), f"{client.name} received a private message"
            early = b"".join(client.raw[: before_resolution[client.name]])
            assert agreement.encode() not in early and title.encode() not in early, (
                f"{client.name} learnt the secret"
            )
            later = [
                e
                for e in (m["event"] for m in client.frames if m["type"] == "event")
                if e["kind"] in LEAK_KINDS
            ]
            if client.received(agreement):  # only a leak, after resolution, may tell them
                assert any(e.get("agreement") == agreement for e in later)
        for client in everyone:
            assert client.received(public)
        assert events_of(umpire, "message_mark") and events_of(a_client, "message_mark")
        for client in (b_client, c_client, observer):
            assert not events_of(client, "message_mark"), "a sincerity mark is the sender's alone"
        for client, state in ((a_client, a), (b_client, b), (c_client, c)):
            assert {e["state"] for e in events_of(client, "orders_submitted")} == {state}
        assert not events_of(observer, "orders_submitted")
        # Views are each seat's own, and no event tells a player who else may see it.
        for client, viewer in ((a_client, a), (b_client, b), (c_client, c), (observer, OBSERVER)):
            assert {m["view"]["viewer"] for m in client.frames if m["type"] == "view"} == {viewer}
            assert all("audience" not in m["event"] for m in client.frames if m["type"] == "event")
            versions = [m["v"] for m in client.frames if m["type"] == "event"]
            assert versions == list(range(versions[0], versions[0] + len(versions))), "a gapless sequence"
        for client in everyone:
            await client.close()


async def test_a_team_shares_a_state_and_a_seat_acts_only_for_itself(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url)
        (one, a), (other, b) = await seat_players(url, created, 2)
        teammate = await Client.open(url, "teammate")
        await teammate.join(created["codes"]["states"][a].lower())  # codes are forgiving about case
        assert teammate.seat == one.seat
        await umpire.request("start")
        text = marker("TEAM")
        assert (await other.act(kind="press", to=[a], text=text))["type"] == "ack"
        await one.event("message", lambda e: e["text"] == text)
        await teammate.event("message", lambda e: e["text"] == text)

        refused = await one.act(kind="press", state=b, to=[a], text="in another's name")
        assert refused["type"] == "error" and refused["code"] == "not_your_seat"
        forged = await one.act(kind="orders", state=b, turn=1, phase="movement", orders=[])
        assert forged["code"] == "not_your_seat"
        resolve = await one.act(kind="resolve", turn=1, phase="movement")
        assert resolve["code"] == "not_allowed"
        for client in (one, other, teammate, umpire):
            await client.close()


async def test_roles_observer_cannot_order_and_player_cannot_umpire(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url, deadline=600)
        ((player, state),) = await seat_players(url, created, 1)
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])

        early = await player.act(kind="press", text="too soon")
        assert early["code"] == "not_started"
        assert (await player.request("start"))["code"] == "umpire_only"
        assert (await umpire.request("start"))["type"] == "ack"
        assert (await umpire.request("start"))["code"] == "already_started"

        orders = await observer.act(kind="orders", turn=1, phase="movement", orders=[])
        assert orders["code"] == "not_allowed" and "observer" in orders["message"]
        assert (await observer.request("ready"))["code"] == "not_allowed"
        assert (await umpire.act(kind="press", text="the umpire has no state"))["code"] == "not_allowed"
        for request, fields in (("pause", {}), ("resume", {}), ("extend", {"seconds": 60}), ("resolve", {})):
            for client in (player, observer):
                refused = await client.request(request, **fields)
                assert refused["type"] == "error" and refused["code"] == "umpire_only", (request, refused)
        wrong_turn = await player.act(kind="orders", turn=5, phase="movement", orders=[])
        assert wrong_turn["code"] == "wrong_phase" and "turn 1" in wrong_turn["message"]
        unknown = await player.act(kind="sign", agreement="agr-12345678")
        assert unknown["code"] == "unknown_agreement" and f"known to {state}" in unknown["message"]
        bad = await player.act(kind="press", text="x" * 2001)
        assert bad["code"] == "invalid_command" and "text" in bad["message"]
        for client in (player, observer, umpire):
            await client.close()


async def test_umpire_pauses_resumes_and_extends_the_clock(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url, deadline=3600)
        ((player, _),) = await seat_players(url, created, 1)
        await umpire.request("start")
        phase = await player.event("phase")
        deadline = phase["deadline"]
        assert deadline is not None
        extended = await umpire.request("extend", seconds=120)
        assert extended["result"]["clock"]["deadline"] == pytest.approx(deadline + 120)
        clock = await player.event("clock", lambda e: e["change"] == "extend")
        assert clock["deadline"] == pytest.approx(deadline + 120)
        paused = await umpire.request("pause")
        assert paused["result"]["clock"]["paused"] and paused["result"]["clock"]["deadline"] is None
        assert (await umpire.request("pause"))["code"] == "clock"
        await player.event("clock", lambda e: e["change"] == "pause")
        resumed = await umpire.request("resume")
        assert not resumed["result"]["clock"]["paused"] and resumed["result"]["clock"]["deadline"] > deadline
        assert (await umpire.request("resolve"))["type"] == "ack"
        await player.event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))
        for client in (player, umpire):
            await client.close()


async def test_the_deadline_resolves_the_phase_with_missing_orders_as_holds(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url, deadline=1)
        ((player, state),) = await seat_players(url, created, 1)
        await umpire.request("start")
        units = [u for u in player.view["view"]["map"]["units"] if u["state"] == state]  # type: ignore[index]
        resolved = await player.event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))
        assert resolved["turn"] >= 2 or resolved["phase"] != "movement"
        view = await player.expect(
            "view", lambda m: m["view"]["turn"] > 1 or m["view"]["phase"] != "movement"
        )
        still = [u for u in view["view"]["map"]["units"] if u["state"] == state]
        assert {u["location"] for u in units} & {u["location"] for u in still}, "units without orders held"
        for client in (player, umpire):
            await client.close()


async def test_reconnect_with_the_token_resumes_the_seat_with_what_was_missed(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url)
        (a_client, a), (b_client, _b) = await seat_players(url, created, 2)
        await umpire.request("start")
        await a_client.event("phase")
        seen = a_client.v
        token = a_client.token
        await a_client.close()

        missed = [marker("MISSED") for _ in range(3)]
        for text in missed:
            assert (await b_client.act(kind="press", to=[a], text=text))["type"] == "ack"

        back = await Client.open(url, "back", token=token, v=seen)
        assert back.seat == {"game": created["game"], "role": "player", "state": a}
        texts = [
            (await back.event("message", lambda e: e["text"].startswith("MISSED")))["text"] for _ in missed
        ]
        assert texts == missed
        view = await back.expect("view")
        assert [m["text"] for m in view["view"]["messages"] if m["text"] in missed] == missed
        assert view["v"] == back.v
        # Too far back (or no version): the whole view instead.
        fresh = await Client.open(url, "fresh", token=token)
        await fresh.expect("view")
        assert not [m for m in fresh.frames if m["type"] == "event"]
        # Asking again for events after a version.
        synced = await back.request("sync", v=seen)
        assert (
            synced["type"] == "ack"
            and synced["result"]["view"] is False
            and synced["result"]["events"] >= len(missed)
        )
        for client in (back, fresh, b_client, umpire):
            await client.close()


async def test_a_wrong_token_is_refused(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url)
        stranger = await Client.open(url, "stranger", hello=False)
        await stranger.send({"type": "hello", "protocol": 1, "id": "h", "token": "x" * 43})
        refused = await stranger.expect("error")
        assert refused["code"] == "bad_token" and refused["ref"] == "h"
        assert (await stranger.request("act", command={"kind": "press", "text": "hi"}))[
            "code"
        ] == "hello_first"
        assert created["token"] not in str(stranger.frames)
        # A refused hello can be followed by a good one.
        await stranger.send({"type": "hello", "protocol": 1})
        assert (await stranger.expect("welcome"))["seat"] is None
        assert (await stranger.act(kind="press", text="no seat"))["code"] == "no_seat"
        for client in (stranger, umpire):
            await client.close()


async def test_a_resent_command_is_applied_once(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url)
        (a_client, _a), (b_client, b) = await seat_players(url, created, 2)
        await umpire.request("start")
        text = marker("ONCE")
        command = {"type": "act", "id": "same-id", "command": {"kind": "press", "to": [b], "text": text}}
        await a_client.send(command)
        first = await a_client.expect_reply("same-id")
        await a_client.send(command)
        again = await a_client.expect_reply("same-id")
        assert first == again and first["type"] == "ack"
        # The teammate's own id space is separate: the same id is a new command from another member.
        await a_client.request("sync")
        await b_client.request("sync")
        view = await b_client.expect("view", lambda m: any(x["text"] == text for x in m["view"]["messages"]))
        assert [m["text"] for m in view["view"]["messages"]].count(text) == 1
        refused = {"type": "act", "id": 41, "command": {"kind": "sign", "agreement": "agr-87654321"}}
        await a_client.send(refused)
        error = await a_client.expect_reply(41)
        await a_client.send(refused)
        assert await a_client.expect_reply(41) == error
        for client in (a_client, b_client, umpire):
            await client.close()


async def test_bad_scenario_upload_sends_its_problems_back(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        client = await Client.open(url, "designer")
        broken = (
            Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "broken-refs.yaml"
        ).read_text()
        refused = await client.request("create", scenario_text=broken)
        assert refused["code"] == "bad_scenario" and refused["problems"]
        assert all(p.startswith("upload") for p in refused["problems"])
        unknown = await client.request("create", scenario="no-such-scenario")
        assert unknown["code"] == "unknown_scenario"
        seats = await client.request("create", scenario_text=broken, seats={"zzz": "bot"})
        assert seats["code"] in ("bad_scenario", "bad_seats")
        assert (await client.request("join", code="ZZZZZZZZ"))["code"] == "bad_code"
        await client.close()


async def test_health_check_and_token_in_url_refused(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (server, url):
        reader, writer = await asyncio.open_connection("127.0.0.1", server.port)
        writer.write(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        status = await asyncio.wait_for(reader.readline(), 5)
        assert b"200" in status
        writer.close()
        with pytest.raises(InvalidStatus):
            await connect(url + "/?token=abc", compression=None)
        # Compression is refused even when a client offers it.
        async with connect(url) as ws:
            assert not ws.protocol.extensions
            await ws.send(msgpack.packb({"type": "hello", "protocol": 1}))
            assert msgpack.unpackb(await asyncio.wait_for(ws.recv(), 5))["type"] == "welcome"


async def test_logs_carry_no_secret_content(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="backchannel")
    counted = dict(logs.command_counts)
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url)
        (a_client, a), (b_client, b) = await seat_players(url, created, 2)
        await umpire.request("start")
        text, title = marker("LOGGED-TEXT"), marker("LOGGED-TITLE")
        await a_client.act(kind="press", to=[b], text=text)
        proposed = await a_client.act(
            kind="propose", parties=[a, b], title=title, clauses=[{"kind": "free_text", "text": text}]
        )
        refused = await b_client.act(kind="sign", agreement="agr-12345678")
        assert refused["code"] == "unknown_agreement"
        for client in (a_client, b_client, umpire):
            await client.close()
    logged = caplog.text
    assert "conn open" in logged
    # Commands are counted, not written a line each at info (issue 14: 4% of the loop under load).
    assert "cmd applied" not in logged
    assert logs.command_counts["applied"] > counted.get("applied", 0)
    assert logs.command_counts["refused"] > counted.get("refused", 0)
    for secret in (
        text,
        title,
        proposed["result"]["agreement"],
        refused["message"],
        a_client.token,
        created["token"],
    ):
        assert secret not in logged


async def test_a_store_fault_changes_nothing_and_the_game_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with running_server(tmp_path) as (server, url):
        umpire, created = await new_game(url)
        (a_client, _), (b_client, b) = await seat_players(url, created, 2)
        await umpire.request("start")
        await a_client.event("phase")
        store = server.store
        real_append = store.append

        def failing_append(*args: Any, **kwargs: Any) -> asyncio.Future[None]:
            monkeypatch.setattr(store, "append", real_append)  # fails once
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            future.set_exception(StoreError("disk full"))
            return future

        monkeypatch.setattr(store, "append", failing_append)
        lost = marker("LOST")
        failed = await a_client.act(kind="press", to=[b], text=lost)
        assert failed["type"] == "error" and failed["code"] == "internal" and "disk" not in failed["message"]
        kept = marker("KEPT")
        assert (await a_client.act(kind="press", to=[b], text=kept))["type"] == "ack"
        await b_client.event("message", lambda e: e["text"] == kept)
        await b_client.request("sync")
        view = await b_client.expect("view", lambda m: any(x["text"] == kept for x in m["view"]["messages"]))
        texts = [m["text"] for m in view["view"]["messages"]]
        assert kept in texts and lost not in texts
        assert not b_client.received(lost)
        for client in (a_client, b_client, umpire):
            await client.close()


async def test_each_seat_reads_the_scenario_as_it_may(tmp_path: Path) -> None:
    """get_scenario: the map for everyone; objectives and briefings only to their own state;
    the starting secret agreements only to the umpire."""
    async with running_server(tmp_path) as (_, url):
        umpire, created = await new_game(url, scenario="july-1914", seed=3)
        player = await Client.open(url, "fra")
        await player.join(created["codes"]["states"]["fra"])
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        got = {c.name: (await c.request("get_scenario"))["scenario"] for c in (umpire, player, observer)}
        for scenario in got.values():
            assert scenario["id"] == "july-1914" and len(scenario["map"]["territories"]) == 97
        states = {name: {s["id"]: s for s in scenario["states"]} for name, scenario in got.items()}
        assert states["fra"]["fra"]["objectives"] and states["fra"]["fra"]["briefing"]
        assert not any(s["objectives"] or s["briefing"] for sid, s in states["fra"].items() if sid != "fra")
        assert not any(s["objectives"] or s["briefing"] for s in states["observer"].values())
        assert any(s["objectives"] for sid, s in states["umpire"].items() if sid != "fra")
        assert {a["id"] for a in got["umpire"]["agreements"]} >= {"blank_cheque"}
        assert got["fra"]["agreements"] == [] and got["observer"]["agreements"] == []
        assert b"blank_cheque" not in b"".join(player.raw) and b"blank_cheque" not in b"".join(observer.raw)
        lobby = await Client.open(url, "nobody")
        assert (await lobby.request("get_scenario"))["code"] == "no_seat"
        for client in (umpire, player, observer, lobby):
            await client.close()


def test_a_frame_header_written_by_the_server_is_the_one_websockets_writes() -> None:
    """The server frames its binary messages itself (server/connection.py): byte for byte as
    websockets' own Frame would, at each boundary of the length's encoding."""
    from websockets.frames import Frame, Opcode

    from server.connection import binary_header

    for size in (0, 1, 125, 126, 127, 65_535, 65_536, 1 << 20):
        payload = bytes(size)
        assert binary_header(size) + payload == Frame(Opcode.BINARY, payload).serialize(
            mask=False, extensions=[]
        ), size
