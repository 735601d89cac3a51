"""The wire protocol without sockets: the codec, the messages, and the documentation that describes them."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import msgpack
import pytest
from pydantic import ValidationError

from game.protocol.codec import ProtocolError, decode_client, decode_server, encode, event_frame, pack
from game.protocol.messages import CLIENT_MESSAGE, SERVER_MESSAGE, Error, Hello, Welcome, command_for
from game.protocol.version import MAX_FRAME_BYTES, PROTOCOL_VERSION
from game.rules.errors import REFUSALS
from game.rules.facts import FACT_KINDS

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
CORPUS = json.loads((FIXTURES / "protocol" / "bad_frames.json").read_text())["frames"]
CODEC_CODES = {"bad_frame", "not_a_map", "unknown_type", "bad_message"}


def test_event_frames_are_the_messages_packed() -> None:
    event = {"kind": "message", "id": "msg-1", "text": "hé", "to": ["fra"]}
    assert event_frame("g-1", 300, pack(event)) == pack(
        {"type": "event", "game": "g-1", "v": 300, "event": event}
    )


def test_the_smallest_hello_is_valid() -> None:
    message = decode_client(pack({"type": "hello", "protocol": 1}))
    assert message == Hello(type="hello", protocol=PROTOCOL_VERSION)


@pytest.mark.parametrize("entry", CORPUS, ids=[e["name"] for e in CORPUS])
def test_bad_frames_are_refused_by_the_codec_or_pass_to_the_server(entry: dict[str, Any]) -> None:
    frame = bytes.fromhex(entry["hex"])
    if entry["code"] in CODEC_CODES:
        with pytest.raises(ProtocolError) as refused:
            decode_client(frame)
        assert refused.value.code == entry["code"]
        assert "\\x" not in refused.value.message  # the reason never repeats raw input
    else:
        decode_client(frame)  # well-formed: the server refuses it later, for its place or content


def test_refusals_name_the_command_id_when_it_can_be_read() -> None:
    with pytest.raises(ProtocolError) as refused:
        decode_client(pack({"type": "ready", "id": "r7", "ready": "yes"}))
    assert refused.value.ref == "r7" and "ready" in refused.value.message
    with pytest.raises(ProtocolError) as unknown:
        decode_client(pack({"type": "nope", "id": 9}))
    assert unknown.value.ref == 9


def test_models_are_strict_and_closed() -> None:
    for data in (
        {"type": "hello", "protocol": "1"},
        {"type": "hello", "protocol": True},
        {"type": "hello", "protocol": 1, "extra": 1},
        {"type": "extend", "id": "x", "seconds": 1.0},
    ):
        with pytest.raises(ValidationError):
            CLIENT_MESSAGE.validate_python(data)


def test_the_classroom_messages_are_checked_by_the_codec() -> None:
    """Names, leaders, removals and injects: every new field strict and bounded, before the server sees it."""
    good = [
        {"type": "join", "id": 1, "code": "AB", "name": "Ana  María"},
        {"type": "start", "id": 1, "fill_bots": True, "confirm": True},
        {"type": "leader", "id": 1, "state": "fra", "member": "m12"},
        {"type": "leader", "id": 1, "state": "fra"},
        {"type": "replace", "id": 1, "state": "fra"},
        {"type": "kick", "id": 1, "member": "m3"},
        {"type": "inject", "id": 1, "inject": "ultimatum"},
        {"type": "inject", "id": 1, "card": {"title": "News", "audience": "all"}},
        {"type": "get_record", "id": 1},
        {"type": "create", "id": 1, "scenario": "july-1914", "labels": "state"},
    ]
    for data in good:
        decode_client(pack(data))
    assert decode_client(pack(good[0])).name == "Ana María"  # type: ignore[union-attr]
    bad = [
        {"type": "join", "id": 1, "code": "AB", "name": ""},
        {"type": "join", "id": 1, "code": "AB", "name": "  "},
        {"type": "join", "id": 1, "code": "AB", "name": "x" * 41},
        {"type": "join", "id": 1, "code": "AB", "name": "bell\x07"},
        {"type": "join", "id": 1, "code": "AB", "name": 7},
        {"type": "start", "id": 1, "confirm": 1},
        {"type": "leader", "id": 1, "state": "fra", "member": "admin"},
        {"type": "kick", "id": 1},
        {"type": "kick", "id": 1, "member": "m1", "why": "x"},
        {"type": "inject", "id": 1},
        {"type": "inject", "id": 1, "inject": "ultimatum", "card": {"title": "News", "audience": "all"}},
        {"type": "inject", "id": 1, "inject": "Ultimatum!"},
        {
            "type": "inject",
            "id": 1,
            "card": {
                "title": "News",
                "audience": "all",
                "effects": [{"kind": "legitimacy", "state": "fra", "delta": "5"}],
            },
        },
        {
            "type": "inject",
            "id": 1,
            "card": {"title": "News", "audience": "all", "effects": [{"kind": "weather", "state": "fra"}]},
        },
        {"type": "inject", "id": 1, "card": {"title": "", "audience": "all"}},
        {"type": "get_record", "id": 1, "all": True},
        {"type": "create", "id": 1, "scenario": "july-1914", "labels": "anonymous"},
    ]
    for data in bad:
        with pytest.raises(ProtocolError) as refused:
            decode_client(pack(data))
        assert refused.value.code == "bad_message" and refused.value.ref == 1, data


def test_commands_are_validated_strictly_for_the_seat() -> None:
    command = command_for("fra", {"kind": "press", "to": ["ger"], "text": "hi"})
    assert command.state == "fra"  # type: ignore[union-attr]
    with pytest.raises(ValidationError):
        command_for("fra", {"kind": "orders", "turn": "1", "phase": "movement", "orders": []})


def test_server_messages_round_trip() -> None:
    welcome = Welcome(server="test", limits={"max_frame": MAX_FRAME_BYTES, "rate": 1.0, "burst": 2})  # type: ignore[arg-type]
    assert decode_server(encode(welcome)) == welcome
    error = Error(code="bad_frame", message="why", ref=None)
    assert msgpack.unpackb(encode(error)) == {
        "type": "error",
        "code": "bad_frame",
        "message": "why",
        "ref": None,
        "problems": None,
        "states": None,
    }


def test_every_example_in_the_protocol_doc_is_a_valid_message() -> None:
    """docs/protocol.md shows each message as JSON; each example must validate, and every type appear."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]
    client_types = {
        "hello",
        "create",
        "join",
        "start",
        "act",
        "ready",
        "sync",
        "pause",
        "resume",
        "extend",
        "resolve",
        "get_scenario",
        "ping",
        "leader",
        "replace",
        "kick",
        "inject",
        "get_record",
        "revoke_code",
    }
    server_types = {
        "welcome",
        "created",
        "joined",
        "ack",
        "event",
        "view",
        "table",
        "error",
        "scenario",
        "record",
        "pong",
        "redirect",
    }
    seen: dict[str, set[str]] = {"client": set(), "server": set()}
    for example in examples:
        if not isinstance(example, dict) or "type" not in example:
            continue
        if example["type"] in server_types:
            SERVER_MESSAGE.validate_python(example)
            seen["server"].add(example["type"])
        else:
            CLIENT_MESSAGE.validate_python(example)
            seen["client"].add(example["type"])
    assert seen == {"client": client_types, "server": server_types}


def test_every_fact_kind_and_refusal_code_is_documented() -> None:
    """docs/rules.md says who learns each kind and why; docs/protocol.md shows each on the wire and
    lists every refusal code: a new kind or code without its line fails here."""
    root = Path(__file__).resolve().parents[2] / "docs"
    rules, protocol = (root / "rules.md").read_text(), (root / "protocol.md").read_text()
    for kind in FACT_KINDS:
        assert f"`{kind}`" in rules, f"docs/rules.md does not say who learns {kind}"
        assert f"`{kind}`" in protocol, f"docs/protocol.md does not show {kind}"
    for refusal in REFUSALS:
        assert f"`{refusal.code}`" in protocol, f"docs/protocol.md does not list the code {refusal.code}"


def test_every_clause_kind_can_be_sent_over_the_wire() -> None:
    """msgpack has no tuples: a clause with a pair (neutrality's conflict) must still pass the strict check."""
    data = {
        "kind": "propose",
        "parties": ["ita", "fra"],
        "clauses": [{"kind": "neutrality", "conflict": ["fra", "ger"], "neutral": ["ita"]}],
    }
    command = command_for("ita", msgpack.unpackb(msgpack.packb(data)))
    assert command.clauses[0].conflict == ("fra", "ger")  # type: ignore[union-attr]


def test_the_depth_limit_holds_whether_or_not_the_depth_walk_runs() -> None:
    """The depth is walked only when a frame has more containers than the limit (its depth is at
    most its number of containers): a frame as deep as allowed passes with or without the walk, one
    level more never does, and many shallow containers are no reason to refuse."""
    from game.protocol.codec import unpack
    from game.protocol.version import MAX_DEPTH

    def deep(levels: int, padding: int | None = None) -> bytes:
        """{"type": [[...[1]...]]}, `levels` levels with the top map; with `padding`, "pad": [[], ...] beside."""
        frame = (b"\x82" if padding is not None else b"\x81") + b"\xa4type" + b"\x91" * (levels - 1) + b"\x01"
        if padding is not None:
            frame += b"\xa3pad\xdc" + padding.to_bytes(2, "big") + b"\x90" * padding
        return frame

    assert unpack(deep(MAX_DEPTH))  # MAX_DEPTH containers: no walk needed
    assert unpack(deep(MAX_DEPTH, padding=50))  # the same depth, found by the walk
    assert unpack(deep(2, padding=200))  # hundreds of containers, two levels deep
    for padding in (None, 0, 50):
        with pytest.raises(ProtocolError, match="nested too deeply"):
            unpack(deep(MAX_DEPTH + 1, padding))
