"""The session (Sans-I/O): what a command does to a game and what each viewer is sent, replay, live views."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import msgpack
import pytest

from game.protocol.events import read_event
from game.rules.knowledge import OBSERVER, UMPIRE
from game.rules.scenario import InjectCard
from server.clock import Clock
from server.lobby import BOOK
from server.seats import Member
from server.session import Session, SessionError
from server.store import GameHeader

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def classic_session(
    seats: dict[str, str] | None = None, deadline: int | None = None, labels: str = "names"
) -> tuple[Session, dict[str, Member]]:
    scenario, board = BOOK.load((FIXTURES / "classic_board.yaml").read_text(), "classic")
    states = [s.id for s in scenario.states]
    all_seats = {s: "human" for s in states} | (seats or {})
    header = GameHeader(
        id="g-test",
        created=0.0,
        scenario_ref=None,
        scenario_text="",
        seed=11,
        settings={
            "deadline": deadline,
            "seats": all_seats,
            "personalities": dict.fromkeys(states, "loyal"),
            "labels": labels,
            "codes": {"states": {}, "observer": "O", "umpire": "U"},
        },
        status="lobby",
        clock=Clock(deadline).to_json(),
    )
    session = Session(header, scenario, board)
    members = {
        "umpire": Member("m1", "g-test", "umpire", None, b"1"),
        "observer": Member("m2", "g-test", "observer", None, b"2"),
    }
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
    assert (
        after["eng"] == before["eng"] + 1
        and after["fra"] == before["fra"] + 1
        and after[UMPIRE] == before[UMPIRE] + 1
    )
    assert after["ger"] == before["ger"] and after[OBSERVER] == before[OBSERVER]
    assert {viewer for viewer, _, _ in step.events} == {"eng", "fra", UMPIRE}
    assert step.reply is not None and step.reply["type"] == "ack"


def test_a_refused_command_changes_nothing() -> None:
    session, m = classic_session()
    session.start(m["umpire"], "s", fill_bots=False, now=0.0)
    logged, versions = session.logged, {v: s.version for v, s in session.streams.items()}
    for data in (
        {"kind": "sign", "agreement": "agr-12345678"},
        {"kind": "press", "to": ["eng"], "text": "me"},
        {"kind": "orders", "turn": 3, "phase": "movement", "orders": []},
    ):
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
        session.act(
            m["fra"],
            2,
            {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]},
        ),
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
        {"k": "join", "m": mm.id, "role": mm.role, "state": mm.state, "name": session.names[mm.id]}
        for mm in members.values()
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
    step = session.act(
        m["eng"],
        "p",
        {
            "kind": "propose",
            "parties": ["eng", "fra"],
            "visibility": "secret",
            "title": "Channel pact",
            "clauses": [{"kind": "non_aggression"}],
        },
    )
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
    step = session.act(
        m["fra"],
        "c",
        {"kind": "counter", "agreement": ref, "clauses": [{"kind": "non_aggression"}], "duration": 2},
    )
    new = step.reply["result"]["agreement"] if step.reply else ""
    cards = {
        e["agreement"]["id"]: e["agreement"]["status"]
        for e in _stream_events(session, "eng", v["eng"])
        if e["kind"] == "agreement"
    }
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
    assert me and me[-1]["me"]["orders"] == ["F lon - nth"], (
        "both members of eng share one stream: the teammate sees it"
    )
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
    step = session.act(
        m["eng"], "p", {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}
    )
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
    session.act(
        m["eng"], "p", {"kind": "propose", "parties": ["eng", "fra"], "clauses": [{"kind": "non_aggression"}]}
    )
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
    log += session.act(
        m["fra"], 2, {"kind": "press", "to": ["eng"], "text": "from Player 1", "author": "forged"}
    ).entries
    with pytest.raises(SessionError):
        session.act(
            m["fra"], 3, {"kind": "press", "to": ["fra"], "text": "to myself"}
        )  # refused: no message, no author
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

    authors = {
        x["text"]: x.get("author")
        for x in session.view_message(m["fra"])["view"]["messages"]
        if x["from"] == "fra"
    }
    assert authors == {"from Player 1": "Player 1", "from Camille": "Camille"}
    assert all("author" not in x for x in session.view_message(m["eng"])["view"]["messages"]), (
        "blinded labels"
    )
    umpire_view = session.view_message(m["umpire"])["view"]
    assert {x.get("author") for x in umpire_view["messages"]} == {"Player 1", "Camille", None}  # None: bots

    again, _ = classic_session(labels="state")
    fresh = Session(again.header, again.scenario, again.board)
    entries = [json.loads(json.dumps(e)) for e in _joins(session, m) + log]
    fresh.replay([*m.values(), camille], entries)
    assert fresh.game.record() == session.game.record()
    assert {v: st.items for v, st in fresh.streams.items()} == {
        v: st.items for v, st in session.streams.items()
    }
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
