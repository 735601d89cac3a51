"""The protocol and the server's core without sockets: codec, messages, clock, rate limit,
event streams, the session (Sans-I/O) and the store."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path
from typing import Any

import msgpack
import pytest
from pydantic import ValidationError

from game.protocol.codec import ProtocolError, decode_client, decode_server, encode, event_frame, pack
from game.protocol.events import read_event
from game.protocol.messages import CLIENT_MESSAGE, SERVER_MESSAGE, Error, Hello, Welcome, command_for
from game.protocol.version import MAX_FRAME_BYTES, PROTOCOL_VERSION
from game.rules.errors import REFUSALS
from game.rules.facts import FACT_KINDS
from game.rules.knowledge import OBSERVER, UMPIRE
from game.rules.scenario import InjectCard
from server.clock import Clock
from server.connection import TokenBucket
from server.lobby import BOOK
from server.seats import CODE_ALPHABET, Member, Tokens, new_code, new_token, normalise_code, token_digest
from server.session import Session, SessionError, Stream
from server.store import GameHeader, SqliteStore, StoreError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = json.loads((FIXTURES / "protocol" / "bad_frames.json").read_text())["frames"]
CODEC_CODES = {"bad_frame", "not_a_map", "unknown_type", "bad_message"}


# --- codec and messages -------------------------------------------------------------------------


def test_event_frames_are_the_messages_packed() -> None:
    event = {"kind": "message", "id": "msg-1", "text": "hé", "to": ["fra"]}
    assert event_frame("g-1", 300, pack(event)) == pack({"type": "event", "game": "g-1", "v": 300, "event": event})


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
        {"type": "inject", "id": 1, "card": {"title": "News", "audience": "all", "effects": [{"kind": "legitimacy", "state": "fra", "delta": "5"}]}},
        {"type": "inject", "id": 1, "card": {"title": "News", "audience": "all", "effects": [{"kind": "weather", "state": "fra"}]}},
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
        "type": "error", "code": "bad_frame", "message": "why", "ref": None, "problems": None, "states": None,
    }


def test_every_example_in_the_protocol_doc_is_a_valid_message() -> None:
    """docs/protocol.md shows each message as JSON; each example must validate, and every type appear."""
    text = (ROOT / "docs" / "protocol.md").read_text(encoding="utf-8")
    examples = [json.loads(block) for block in re.findall(r"```json\n(.*?)```", text, re.S)]
    client_types = {
        "hello", "create", "join", "start", "act", "ready", "sync", "pause", "resume", "extend", "resolve", "get_scenario",
        "ping", "leader", "replace", "kick", "inject", "get_record", "revoke_code",
    }
    server_types = {
        "welcome", "created", "joined", "ack", "event", "view", "table", "error", "scenario", "record", "pong", "redirect",
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


# --- seats, clock, rate ------------------------------------------------------------------------------


def test_codes_are_short_and_unambiguous_and_tokens_long() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert normalise_code("abcd-efgh ") == "ABCDEFGH"
    token = new_token()
    assert len(token) >= 43  # 256 bits, url-safe base64
    tokens = Tokens()
    member = Member("m1", "g", "player", "fra", token_digest(token))
    tokens.add(member)
    assert tokens.find(token) == member
    assert tokens.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_clock_pause_resume_extend() -> None:
    clock = Clock(60)
    clock.start_phase(1000.0)
    assert clock.deadline == 1060.0 and not clock.due(1059.9) and clock.due(1060.0)
    clock.pause(1010.0)
    assert clock.remaining == 50.0 and clock.deadline is None and not clock.due(5000.0)
    clock.extend(30)
    clock.resume(2000.0)
    assert clock.deadline == 2080.0
    with pytest.raises(ValueError):
        clock.resume(2000.0)
    ready_only = Clock(None)
    ready_only.start_phase(0.0)
    assert ready_only.deadline is None
    with pytest.raises(ValueError):
        ready_only.extend(10)
    assert Clock.from_json(clock.to_json()) == clock


def test_token_bucket() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.5) and not bucket.take(0.5)
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]


def test_stream_versions_and_resume_window() -> None:
    stream = Stream()
    for i in range(5):
        assert stream.append({"i": i}) == i + 1
    assert [v for v, _ in stream.since(2) or []] == [3, 4, 5]
    assert stream.since(5) == [] and stream.since(6) is None


# --- the session, without I/O --------------------------------------------------------------------------


def classic_session(
    seats: dict[str, str] | None = None, deadline: int | None = None, labels: str = "names"
) -> tuple[Session, dict[str, Member]]:
    scenario, board = BOOK.load((FIXTURES / "classic_board.yaml").read_text(), "classic")
    states = [s.id for s in scenario.states]
    all_seats = {s: "human" for s in states} | (seats or {})
    header = GameHeader(
        id="g-test", created=0.0, scenario_ref=None, scenario_text="", seed=11,
        settings={"deadline": deadline, "seats": all_seats, "personalities": dict.fromkeys(states, "loyal"), "labels": labels,
                  "codes": {"states": {}, "observer": "O", "umpire": "U"}},
        status="lobby", clock=Clock(deadline).to_json(),
    )
    session = Session(header, scenario, board)
    members = {"umpire": Member("m1", "g-test", "umpire", None, b"1"), "observer": Member("m2", "g-test", "observer", None, b"2")}
    for i, state in enumerate(("eng", "fra", "ger"), start=3):
        members[state] = Member(f"m{i}", "g-test", "player", state, bytes([i]))
    for member in members.values():
        session.join(member)
    return session, members


def test_a_viewer_versions_count_only_what_it_may_see() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True)
    before = {v: session.streams[v].version for v in ("eng", "fra", "ger", OBSERVER, UMPIRE)}
    step = session.act(m["eng"], 1, {"kind": "press", "to": ["fra"], "text": "between us"})
    after = {v: session.streams[v].version for v in before}
    assert after["eng"] == before["eng"] + 1 and after["fra"] == before["fra"] + 1 and after[UMPIRE] == before[UMPIRE] + 1
    assert after["ger"] == before["ger"] and after[OBSERVER] == before[OBSERVER]
    assert {viewer for viewer, _, _ in step.events} == {"eng", "fra", UMPIRE}
    assert step.reply is not None and step.reply["type"] == "ack"


def test_a_refused_command_changes_nothing() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    logged, versions = session.logged, {v: s.version for v, s in session.streams.items()}
    for data in ({"kind": "sign", "agreement": "agr-12345678"}, {"kind": "press", "to": ["eng"], "text": "me"},
                 {"kind": "orders", "turn": 3, "phase": "movement", "orders": []}):
        with pytest.raises(SessionError):
            session.act(m["eng"], "x", data)
    assert session.logged == logged and {v: s.version for v, s in session.streams.items()} == versions
    assert session.game.diplomacy.messages == []


def test_replaying_the_log_rebuilds_the_same_session() -> None:
    session, m = classic_session()
    log: list[dict[str, Any]] = []
    for step in (
        session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True),
        session.act(m["eng"], 1, {"kind": "press", "to": ["fra"], "text": "psst"}),
        session.act(m["fra"], 2, {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}),
        session.set_ready(m["eng"], 3, True),
        session.advance(0.0, "umpire", m["umpire"], 4),
    ):
        log.extend(step.entries)
    again, _ = classic_session()
    fresh = Session(again.header, again.scenario, again.board)
    entries = [json.loads(json.dumps(e)) for e in _joins(session, m) + log]
    fresh.replay(list(m.values()), entries)
    assert fresh.game.record() == session.game.record()
    for viewer, stream in session.streams.items():
        assert fresh.streams[viewer].items == stream.items, viewer
    assert fresh.answered(m["eng"], 1) == session.answered(m["eng"], 1)


def _joins(session: Session, members: dict[str, Member]) -> list[dict[str, Any]]:
    """The join entries of `classic_session`'s members, with the names the session gave them."""
    return [
        {"k": "join", "m": mm.id, "role": mm.role, "state": mm.state, "name": session.names[mm.id]} for mm in members.values()
    ]


def test_a_faulty_bot_does_not_stop_the_game() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True)

    class Broken:
        def __getattr__(self, name: str) -> Any:
            raise RuntimeError("bot fault")

    session.bots["ita"] = Broken()  # type: ignore[assignment]
    step = session.advance(0.0, "deadline")
    assert step.new_phase and session.game.turn == 2


def test_roles_in_the_session() -> None:
    session, m = classic_session(deadline=60)
    session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True)
    with pytest.raises(SessionError) as observer:
        session.act(m["observer"], 1, {"kind": "orders", "turn": 1, "phase": "movement", "orders": []})
    assert observer.value.code == "not_allowed"
    with pytest.raises(SessionError) as player:
        session.change_clock(m["eng"], 2, "pause", 0.0)
    assert player.value.code == "umpire_only"
    with pytest.raises(SessionError) as other:
        session.act(m["eng"], 3, {"kind": "press", "state": "fra", "text": "as France"})
    assert other.value.code == "not_your_seat"
    assert session.wants_advance(61.0) and not session.wants_advance(1.0)


# --- the store -------------------------------------------------------------------------------------


@pytest.mark.parametrize("inline", [True, False], ids=["commit-on-loop", "commit-in-thread"])
def test_sqlite_store_group_commit_and_reload(tmp_path: Path, inline: bool) -> None:
    async def scenario() -> None:
        store = SqliteStore(tmp_path / "db.sqlite3", inline=inline)
        header = GameHeader("g-1", 0.0, None, "text", 1, {"a": 1}, "lobby", {"seconds": None})
        member = Member("m1", "g-1", "umpire", None, token_digest("t"))
        await store.create(header, [member], [{"k": "join", "m": "m1"}])
        # Many writes at once share commits; each still lands in order.
        await asyncio.gather(*(store.append("g-1", 2 + i, [{"k": "n", "i": i}], clock={"seconds": i}) for i in range(20)))
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
    log += session.act(m["fra"], 2, {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}).entries
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
        assert {v: s.items for v, s in other.streams.items()} == {v: s.items for v, s in session.streams.items()}
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


# --- live views: deltas within the phase ---------------------------------------------------------------


def _stream_events(session: Session, viewer: str, since: int) -> list[dict[str, Any]]:
    missed = session.streams[viewer].since(since)
    assert missed is not None
    return [msgpack.unpackb(e) for _, e in missed]


def test_a_deal_is_proposed_countered_and_signed_within_one_phase() -> None:
    """Each step reaches the other side at once as a card of the agreement cut for it; a third state
    and the observer get nothing; a signature leaves no card that still says proposed."""
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    v = {viewer: session.streams[viewer].version for viewer in session.viewers}
    step = session.act(m["eng"], "p", {"kind": "propose", "parties": ["eng", "fra"], "visibility": "secret",
                                        "title": "Channel pact", "clauses": [{"kind": "non_aggression"}]})
    ref = step.reply["result"]["agreement"] if step.reply else ""
    fra = _stream_events(session, "fra", v["fra"])
    assert [e["kind"] for e in fra] == ["agreement_proposed", "agreement"]
    assert fra[1]["agreement"]["id"] == ref and fra[1]["agreement"]["status"] == "proposed"
    assert fra[1]["agreement"]["title"] == "Channel pact" and "audience" not in fra[1]
    for outsider in ("ger", OBSERVER):
        assert session.streams[outsider].version == v[outsider], f"{outsider} was told of a secret proposal"
    umpire = _stream_events(session, UMPIRE, v[UMPIRE])
    assert [e["kind"] for e in umpire] == ["agreement_proposed", "agreement"]
    assert umpire[1]["agreement"]["known_by"] == ["eng", "fra"], "the umpire's own card, not a player's"

    v = {viewer: session.streams[viewer].version for viewer in session.viewers}
    step = session.act(m["fra"], "c", {"kind": "counter", "agreement": ref, "clauses": [{"kind": "non_aggression"}],
                                        "duration": 2})
    new = step.reply["result"]["agreement"] if step.reply else ""
    cards = {e["agreement"]["id"]: e["agreement"]["status"]
             for e in _stream_events(session, "eng", v["eng"]) if e["kind"] == "agreement"}
    assert cards == {ref: "superseded", new: "proposed"}

    v = {viewer: session.streams[viewer].version for viewer in session.viewers}
    session.act(m["eng"], "s", {"kind": "sign", "agreement": new})
    for viewer in ("eng", "fra"):
        events = _stream_events(session, viewer, v[viewer])
        assert "agreement_signed" in [e["kind"] for e in events]
        assert [e["agreement"]["status"] for e in events if e["kind"] == "agreement"] == ["active"]
    assert session.streams["ger"].version == v["ger"]
    with pytest.raises(SessionError) as again:
        session.act(m["eng"], "s2", {"kind": "sign", "agreement": new})
    assert again.value.code == "wrong_status" and "active" in again.value.message


def test_teammates_see_each_others_orders_and_a_payment_moves_both_treasuries() -> None:
    session, m = classic_session()
    mate = Member("m9", "g-test", "player", "eng", b"9")
    session.join(mate)
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    v = session.streams["eng"].version
    session.act(mate, "o", {"kind": "orders", "turn": 1, "phase": "movement", "orders": ["F lon - nth"]})
    me = [e for e in _stream_events(session, "eng", v) if e["kind"] == "me"]
    assert me and me[-1]["me"]["orders"] == ["F lon - nth"], "both members of eng share one stream: the teammate sees it"
    v = {s: session.streams[s].version for s in ("eng", "fra", "ger")}
    session.game.treasury["eng"] = 5  # the classic board starts with empty treasuries
    session.act(m["eng"], "p", {"kind": "pay", "to": "fra", "amount": 1})
    for state in ("eng", "fra"):
        me = [e["me"] for e in _stream_events(session, state, v[state]) if e["kind"] == "me"]
        assert me and me[-1]["treasury"] == session.game.treasury[state]
    assert session.streams["ger"].version == v["ger"]


def test_an_unseen_agreement_is_refused_as_an_id_that_does_not_exist() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    step = session.act(m["eng"], "p", {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]})
    ref = step.reply["result"]["agreement"] if step.reply else ""
    answers = []
    for agreement in (ref, "agr-00000000"):
        with pytest.raises(SessionError) as refused:
            session.act(m["ger"], agreement, {"kind": "sign", "agreement": agreement})
        answers.append((refused.value.code, refused.value.message.replace(agreement, "ID")))
    assert answers[0] == answers[1] and answers[0][0] == "unknown_agreement"


def test_a_command_id_reused_for_another_command_is_refused() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    session.asked = "first"
    session.act(m["eng"], 7, {"kind": "press", "to": ["fra"], "text": "one"})
    session.asked = None
    assert session.answered(m["eng"], 7, "first") is not None, "the same request again gets its first reply"
    with pytest.raises(SessionError) as reused:
        session.answered(m["eng"], 7, "second")
    assert reused.value.code == "id_reused"


def test_every_event_on_the_wire_is_one_of_the_described_kinds() -> None:
    """A few turns with bots and people: every event of every viewer's stream reads as its kind's wire
    model (game/protocol/events.py), carries its audience only for the umpire, and no kind is unknown."""
    session, m = classic_session(seats={"ita": "bot", "aus": "bot", "rus": "bot", "tur": "bot"})
    session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True)
    session.act(m["eng"], "p", {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]})
    session.act(m["eng"], "m", {"kind": "press", "to": ["fra"], "text": "soon", "sincerity": "deceptive"})
    for turn in range(3):
        session.advance(float(turn), "umpire", m["umpire"], f"r{turn}")
    kinds: set[str] = set()
    for viewer, stream in session.streams.items():
        for packed in stream.items:
            event = msgpack.unpackb(packed)
            read_event(event)
            kinds.add(event["kind"])
            assert ("audience" in event) == (viewer == UMPIRE), (viewer, event["kind"])
            assert "_to" not in event
    assert {"agreement", "me", "message", "move", "phase"} <= kinds


def test_every_fact_kind_and_refusal_code_is_documented() -> None:
    """docs/rules.md says who learns each kind and why; docs/protocol.md shows each on the wire and
    lists every refusal code: a new kind or code without its line fails here."""
    root = Path(__file__).resolve().parent.parent / "docs"
    rules, protocol = (root / "rules.md").read_text(), (root / "protocol.md").read_text()
    for kind in FACT_KINDS:
        assert f"`{kind}`" in rules, f"docs/rules.md does not say who learns {kind}"
        assert f"`{kind}`" in protocol, f"docs/protocol.md does not show {kind}"
    for refusal in REFUSALS:
        assert f"`{refusal.code}`" in protocol, f"docs/protocol.md does not list the code {refusal.code}"


def test_classroom_entries_replay_to_the_same_session() -> None:
    """Names, a leader, an inject, a removal and a seat given to a bot are log entries like any other:
    replaying the log gives the same game, streams, members, leaders, seats and record."""
    session, m = classic_session(labels="state")
    camille = Member("m6", "g-test", "player", "fra", b"6")
    log = session.join(camille, "Camille").entries
    with pytest.raises(SessionError) as taken:
        session.join(Member("m7", "g-test", "player", "fra", b"7"), "camille", online={"m6"})
    assert taken.value.code == "name_taken" and "m7" not in session.members
    log += session.start(m["umpire"], "s", fill_bots=True, now=0.0, confirm=True).entries
    log += session.name_leader(m["umpire"], "l", "fra", "m6").entries
    deal = {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}
    with pytest.raises(SessionError) as not_leader:
        session.act(m["fra"], 1, deal)
    assert not_leader.value.code == "not_leader" and "Camille" in not_leader.value.message
    log += session.act(m["fra"], 2, {"kind": "press", "to": ["eng"], "text": "from Player 1", "author": "forged"}).entries
    with pytest.raises(SessionError):
        session.act(m["fra"], 3, {"kind": "press", "to": ["fra"], "text": "to myself"})  # refused: no message, no author
    log += session.act(camille, 4, {"kind": "press", "to": ["eng"], "text": "from Camille"}).entries
    log += session.act(camille, 5, deal).entries
    card = InjectCard(title="News", text="Riots", audience=["eng"], effects=[])
    log += session.inject(m["umpire"], "i", None, card).entries
    log += session.kick(m["umpire"], "k", "m6").entries
    log += session.replace(m["umpire"], "r", "ger").entries
    with pytest.raises(SessionError) as replaced:
        session.set_ready(m["ger"], 6, True)
    assert replaced.value.code == "seat_replaced"
    log += session.advance(0.0, "umpire", m["umpire"], "a").entries

    authors = {x["text"]: x.get("author") for x in session.view_message(m["fra"])["view"]["messages"] if x["from"] == "fra"}
    assert authors == {"from Player 1": "Player 1", "from Camille": "Camille"}
    assert all("author" not in x for x in session.view_message(m["eng"])["view"]["messages"]), "blinded labels"
    umpire_view = session.view_message(m["umpire"])["view"]
    assert {x.get("author") for x in umpire_view["messages"]} == {"Player 1", "Camille", None}  # None: bots

    again, _ = classic_session(labels="state")
    fresh = Session(again.header, again.scenario, again.board)
    entries = [json.loads(json.dumps(e)) for e in _joins(session, m) + log]
    fresh.replay([*m.values(), camille], entries)
    assert fresh.game.record() == session.game.record()
    assert {v: st.items for v, st in fresh.streams.items()} == {v: st.items for v, st in session.streams.items()}
    for name in ("names", "leaders", "kicked", "seats", "by"):
        assert getattr(fresh, name) == getattr(session, name), name
    assert sorted(fresh.bots) == sorted(session.bots) and "ger" in fresh.bots
    assert fresh.table(m["umpire"], {"m1"}) == session.table(m["umpire"], {"m1"})
    assert session.kicked == {"m6"} and session.leaders == {}
    record = session.record_message(m["umpire"], "rec")["record"]
    assert len(record["by"]) == len(record["commands"]) and "m6" in record["by"]
    with pytest.raises(SessionError) as player:
        session.record_message(m["eng"], "rec")
    assert player.value.code == "umpire_only"


def test_every_clause_kind_can_be_sent_over_the_wire() -> None:
    """msgpack has no tuples: a clause with a pair (neutrality's conflict) must still pass the strict check."""
    data = {"kind": "propose", "parties": ["ita", "fra"],
            "clauses": [{"kind": "neutrality", "conflict": ["fra", "ger"], "neutral": ["ita"]}]}
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
