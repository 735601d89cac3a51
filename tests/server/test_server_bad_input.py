"""Bad input over the wire: every malformed, invalid or out-of-place frame gets its typed error,
changes nothing and reaches nobody, while a client in another game is served throughout."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgpack
import pytest
from support.server import FIXTURES, Client, new_game, running_server
from websockets.exceptions import ConnectionClosed

from server.limits import Limits

CORPUS = json.loads((FIXTURES / "protocol" / "bad_frames.json").read_text())["frames"]


def for_seat(entry: dict[str, Any], state: str) -> bytes:
    frame = bytes.fromhex(entry["hex"])
    if b"@self" not in frame:
        return frame

    def swap(value: Any) -> Any:
        if value == "@self":
            return state
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return value

    return msgpack.packb(swap(msgpack.unpackb(frame)))


def nested(depth: int) -> bytes:
    return b"\x81\xa4type" + b"\x91" * depth + b"\x01"


async def seated_pair(url: str) -> tuple[Client, Client, tuple[str, str], Client]:
    umpire, created = await new_game(url)
    codes = created["codes"]["states"]
    a, b = list(codes)[:2]
    first, second = await Client.open(url, a), await Client.open(url, b)
    await first.join(codes[a])
    await second.join(codes[b])
    await umpire.request("start")
    for client in (first, second, umpire):
        await client.event("phase")
    return first, second, (a, b), umpire


async def test_bad_input_corpus_while_another_game_is_served(tmp_path: Path) -> None:
    # Every refusal answered here, to check each code: strikes and silence have tests of their own
    # (tests/test_server_limits.py).
    patient = Limits(strikes=1000, answered=1000)
    async with running_server(tmp_path, limits=patient) as (_, url):
        attacker, peer, (state, _), umpire = await seated_pair(url)
        x, y, (_, y_state), _ = await seated_pair(url)
        rounds = 0

        async def bystanders_served() -> None:
            nonlocal rounds
            rounds += 1
            text = f"still served {rounds}"
            assert (await x.act(kind="press", to=[y_state], text=text))["type"] == "ack"
            await y.event("message", lambda e: e["text"] == text)

        peer_before = (await peer.request("sync"))["v"]
        attacker_before = (await attacker.request("sync"))["v"]
        await bystanders_served()

        generated: list[tuple[str, bytes | str, str]] = [
            ("text frame", '{"type": "hello", "protocol": 1}', "binary_required"),
            ("nested 17 deep", nested(17), "bad_frame"),
            ("nested 20,000 deep", nested(20_000), "bad_frame"),
            (
                "array of 5,000",
                msgpack.packb(
                    {"type": "act", "id": "big", "command": {"kind": "orders", "orders": ["A x H"] * 5000}}
                ),
                "bad_frame",
            ),
            (
                "press of 60 kB",
                msgpack.packb(
                    {"type": "act", "id": "huge", "command": {"kind": "press", "text": "x" * 60_000}}
                ),
                "invalid_command",
            ),
            (
                "twenty thousand nils",
                msgpack.packb(
                    {"type": "act", "id": "nils", "command": {"kind": "press", "x": [[None] * 4000] * 5}}
                ),
                "bad_frame",
            ),
            ("string header claiming 4 GB", b"\x81\xa4type\xdb\xff\xff\xff\xff", "bad_frame"),
            ("array header claiming 4 billion", b"\xdd\xff\xff\xff\xff", "bad_frame"),
        ]
        cases = [(e["name"], for_seat(e, state), e["code"]) for e in CORPUS] + generated
        for name, frame, code in cases:
            await attacker.send_raw(frame)
            error = await attacker.expect("error")
            assert error["code"] == code, (name, error)
            assert error["message"] and len(error["message"]) < 600, name
            await bystanders_served()

        # Frames in the wrong place on a fresh connection: before the hello, a wrong version.
        fresh = await Client.open(url, "fresh", hello=False)
        for message, code in (
            ({"type": "act", "id": 1, "command": {"kind": "press", "text": "hi"}}, "hello_first"),
            ({"type": "ping", "id": 2}, "hello_first"),
            ({"type": "join", "id": 3, "code": "ABCDEFGH"}, "hello_first"),
            ({"type": "hello", "protocol": 99, "id": 4}, "unsupported_protocol"),
        ):
            await fresh.send(message)
            assert (await fresh.expect("error"))["code"] == code
            await bystanders_served()
        await fresh.send_raw(msgpack.packb({"type": "hello", "protocol": 1, "client": "x" * 2000}))
        assert (await fresh.expect("error"))["code"] == "too_large"  # before the hello, a hello's size
        await fresh.send({"type": "hello", "protocol": 1})
        await fresh.expect("welcome")
        for message, code in (
            ({"type": "act", "id": 5, "command": {"kind": "press", "text": "hi"}}, "no_seat"),
            ({"type": "ready", "id": 6}, "no_seat"),
            ({"type": "join", "id": 7, "code": "ABCDEFGH"}, "bad_code"),
            # Over a message's size, only an upload (create) is read at all; the rest is refused by its type.
            ({"type": "act", "id": 8, "command": {"kind": "press", "text": "x" * 900_000}}, "too_large"),
            ({"type": "ping", "id": "y" * 900_000}, "too_large"),
            ({"type": "create", "id": 9, "scenario": "x", "junk": [[None] * 4000] * 200}, "bad_frame"),
        ):
            await fresh.send(message)
            assert (await fresh.expect("error"))["code"] == code
        await fresh.send_raw(nested(200_000))
        assert (await fresh.expect("error"))["code"] == "too_large"

        # Nothing changed in the attacker's game, and nothing reached its other player.
        assert (await peer.request("sync"))["v"] == peer_before
        assert (await attacker.request("sync"))["v"] == attacker_before
        assert not [m for m in peer.frames if m["type"] == "event" and m["v"] > peer_before]

        # A frame over 1 MiB closes the connection with 1009; the others go on.
        await attacker.send_raw(msgpack.packb({"type": "ping", "text": "z" * (1 << 20)}))
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                await attacker.ws.recv()
        assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009
        await bystanders_served()
        for client in (peer, x, y, fresh, umpire):
            await client.close()


async def test_a_flood_is_rate_limited_without_hurting_others(tmp_path: Path) -> None:
    async with running_server(tmp_path, rate=2.0, burst=5) as (_, url):
        flooder = await Client.open(url, "flooder")
        calm = await Client.open(url, "calm")
        for i in range(30):
            await flooder.send({"type": "ping", "id": i})
        # The first refusals are answered; the last answered one says the rest will not be.
        replies = [await flooder.expect_any(("pong", "error"))]
        while not (replies[-1]["type"] == "error" and "no answer" in replies[-1]["message"]):
            replies.append(await flooder.expect_any(("pong", "error")))
        limited = [r for r in replies if r["type"] == "error"]
        assert all(r["code"] == "rate_limited" for r in limited)
        assert len(limited) == 8 and len(replies) < 30
        assert 4 <= len(replies) - len(limited) <= 8  # the burst, less the hello, plus what refilled
        assert (await calm.request("ping"))["type"] == "pong"
        for client in (flooder, calm):
            await client.close()
