"""The client's link and its picture of the game, against a real server in this process.

The server runs in its own thread (`EmbeddedServer`), as it does for local play, so that the
link's blocking helpers can wait on it from the test's thread.  Every wait is for a message
or a state, bounded by a timeout that is only a safety net.
"""

from __future__ import annotations

import json
import secrets
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import game.client.link as link_module
from game.client.link import OFFLINE, ONLINE, RECONNECTING, ServerLink
from game.client.scenario_cache import HOME_ENV, ScenarioCache
from game.client.state import NEWS_LIMIT, ClientState
from game.launchers.embedded_server import EmbeddedServer

TIMEOUT = 20.0

Message = dict[str, Any]


def marker(what: str) -> str:
    return f"{what}-{secrets.token_hex(6)}"


class Player:
    """A link and the ClientState it feeds, as the UI keeps them."""

    def __init__(self, url: str, **options: Any) -> None:
        self.link = ServerLink(url, **options)
        self.state = ClientState()
        self.seen: list[Message] = []

    def pump(self, until: Callable[[], bool], what: str) -> None:
        """Feed polled messages to the state until `until()` holds."""
        deadline = time.monotonic() + TIMEOUT
        while True:
            for message in self.link.poll():
                self.seen.append(message)
                self.state.apply(message)
            if until():
                return
            left = deadline - time.monotonic()
            assert left > 0, f"timed out waiting for {what}; last messages: {self.seen[-5:]}"
            self.link.wait(left)

    def request(self, message: Message) -> Message:
        ref = self.link.send(message)
        self.pump(lambda: ref in self.state.replies, f"the reply to {message['type']}")
        return self.state.replies[ref]

    def act(self, **command: Any) -> Message:
        return self.request({"type": "act", "command": command})

    def events(self, kind: str) -> list[Message]:
        return [m["event"] for m in self.seen if m["type"] == "event" and m["event"]["kind"] == kind]


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))


@pytest.fixture
def server(tmp_path: Path) -> Iterator[EmbeddedServer]:
    embedded = EmbeddedServer(tmp_path / "data")
    embedded.start()
    yield embedded
    embedded.stop()


@pytest.fixture
def players() -> Iterator[list[Player]]:
    made: list[Player] = []
    yield made
    for player in made:
        player.link.close()


def open_player(players: list[Player], url: str, **options: Any) -> Player:
    player = Player(url, **options)
    player.link.start()
    players.append(player)
    return player


def new_game(players: list[Player], url: str, **settings: Any) -> tuple[Player, Message]:
    umpire = open_player(players, url)
    created = umpire.request({"type": "create", "scenario": "july-1914", "seed": 5, **settings})
    assert created["type"] == "created", created
    umpire.pump(lambda: umpire.state.view is not None, "the umpire's first view")
    return umpire, created


def seat(players: list[Player], url: str, created: Message, state: str) -> Player:
    player = open_player(players, url)
    joined = player.request({"type": "join", "code": created["codes"]["states"][state]})
    assert joined["type"] == "joined", joined
    player.pump(lambda: player.state.view is not None, "the player's first view")
    return player


def test_hello_create_join_commands_and_events(server: EmbeddedServer, players: list[Player]) -> None:
    url = server.url
    umpire, created = new_game(players, url, seats={"fra": "human", "ger": "human"})
    assert umpire.link.state == ONLINE and umpire.state.connection == ONLINE
    assert [(m["type"], m.get("state")) for m in umpire.seen[:3]] == [
        ("link", "connecting"),
        ("welcome", None),
        ("link", ONLINE),
    ]
    assert umpire.link.token == created["token"] == umpire.state.token
    assert umpire.state.seat == umpire.link.seat == {"game": created["game"], "role": "umpire", "state": None}
    assert umpire.state.codes is not None and {"fra", "ger"} <= set(umpire.state.codes["states"])
    assert umpire.state.status == "lobby"

    fra = seat(players, url, created, "fra")
    ger = seat(players, url, created, "ger")
    assert fra.state.my_state == "fra" and fra.link.seat == {
        "game": created["game"],
        "role": "player",
        "state": "fra",
    }
    assert fra.state.token == fra.link.token != created["token"]
    assert fra.state.codes is None, "only the umpire sees the codes"

    started = umpire.request({"type": "start", "fill_bots": True, "confirm": True})
    assert started["type"] == "ack" and "gbr" in started["result"]["bots"]
    fra.pump(lambda: fra.state.status == "running" and fra.state.turn == 1, "the start")
    assert fra.state.phase == "movement"
    assert fra.state.table is not None and fra.state.table["seats"]["gbr"]["player"] == "bot"

    # A private message: acked to the sender, an event to the recipient, in both pictures at once.
    text = marker("PRIVATE")
    sent = fra.act(kind="press", to=["ger"], text=text, sincerity="sincere")
    assert sent["type"] == "ack" and sent["ref"] in fra.state.replies
    ger.pump(lambda: any(m["text"] == text for m in ger.state.view["messages"]), "the message")  # type: ignore[index]
    assert ger.events("message")[-1]["from"] == "fra"
    fra.pump(lambda: any(m.get("sincerity") == "sincere" for m in fra.state.view["messages"]), "the mark")  # type: ignore[index]
    assert any(n["event"]["kind"] == "message" and n["turn"] == 1 for n in ger.state.news)

    # Orders and readiness show between views.
    units = [u for u in fra.state.view["map"]["units"] if u["state"] == "fra"]  # type: ignore[index]
    orders = [f"{'A' if u['type'] == 'army' else 'F'} {u['location']} H" for u in units]
    assert fra.act(kind="orders", turn=1, phase="movement", orders=orders)["type"] == "ack"
    fra.pump(lambda: fra.state.my_orders() == orders, "my orders")
    assert fra.request({"type": "ready"})["type"] == "ack"
    ger.pump(lambda: ger.state.is_ready("fra"), "fra's ready flag")
    assert not ger.state.is_ready()
    assert fra.state.deadline_remaining(time.time()) is None, "no deadline: the phase waits for readiness"

    # A refused command is an error reply the UI can show, and changes nothing.
    refused = fra.act(kind="sign", agreement="agr-00000001")
    assert refused["type"] == "error" and refused["code"] == "unknown_agreement"
    assert fra.state.pop_errors() == [refused] and fra.state.errors == []

    # Everyone ready: the phase resolves, the events and then a fresh view arrive.
    assert ger.act(kind="orders", turn=1, phase="movement", orders=[])["type"] == "ack"
    before = fra.state.revision
    assert ger.request({"type": "ready"})["type"] == "ack"
    fra.pump(
        lambda: (fra.state.turn, fra.state.phase) != (1, "movement") and fra.state.events == [],
        "the next view",
    )
    assert fra.state.revision > before and fra.state.table["ready"] == []  # type: ignore[index]
    versions = [m["v"] for m in fra.seen if m["type"] == "event"]
    assert versions == list(range(versions[0], versions[0] + len(versions))), "a gapless sequence"
    assert fra.link.v == fra.state.v


def test_poll_never_blocks(server: EmbeddedServer, players: list[Player]) -> None:
    player = open_player(players, server.url)
    player.link.wait_state(lambda s: s == ONLINE, TIMEOUT)
    player.link.poll()
    started = time.perf_counter()
    for _ in range(1000):
        assert player.link.poll() == []
    assert time.perf_counter() - started < 1.0
    server.stop()  # down too: poll still answers at once
    player.link.wait_state(lambda s: s == RECONNECTING, TIMEOUT)
    started = time.perf_counter()
    player.link.poll()
    player.link.send({"type": "ping"})
    assert time.perf_counter() - started < 0.5


def test_scenario_is_asked_once_and_cached(
    server: EmbeddedServer, players: list[Player], tmp_path: Path
) -> None:
    _umpire, created = new_game(players, server.url)
    fra = seat(players, server.url, created, "fra")
    reply = fra.request({"type": "get_scenario"})
    assert reply["type"] == "scenario" and reply["game"] == created["game"]
    cache = ScenarioCache(tmp_path / "cache")
    scenario = cache.from_message(reply)
    assert scenario.id == "july-1914" and scenario.map.territories
    assert scenario.state("fra").objectives and not scenario.state("ger").objectives, "only my own objectives"
    assert cache.from_message(reply) is scenario, "in memory"
    assert ScenarioCache(tmp_path / "cache").from_message(reply) == scenario, "on disk"
    assert cache.bundled("july-1914").map == scenario.map
    assert fra.state.scenario_id == "july-1914" and fra.state.scenario_data == reply["scenario"]
    assert (
        fra.state.scenario_text is not None
        and cache.from_wire(json.loads(fra.state.scenario_text)) is scenario
    )


def test_reconnect_after_a_server_restart_resumes_and_applies_once(
    server: EmbeddedServer, players: list[Player], monkeypatch: pytest.MonkeyPatch
) -> None:
    hellos: list[Message] = []
    real_pack = link_module.pack

    def recording_pack(message: Message) -> bytes:
        if message.get("type") == "hello":
            hellos.append(dict(message))
        return real_pack(message)

    monkeypatch.setattr(link_module, "pack", recording_pack)
    url = server.url
    umpire, created = new_game(players, url, seats={"fra": "human", "ger": "human"})
    fra = seat(players, url, created, "fra")
    ger = seat(players, url, created, "ger")
    assert umpire.request({"type": "start", "fill_bots": True, "confirm": True})["type"] == "ack"
    fra.pump(lambda: fra.state.status == "running", "the start")
    token, seen = fra.link.token, fra.link.v
    assert seen is not None and seen == fra.state.v

    # In flight when the server goes: each is applied at most once, and exactly once if acked.
    in_flight = {
        fra.link.send({"type": "act", "command": {"kind": "press", "to": ["ger"], "text": t}}): t
        for t in (marker("INFLIGHT") for _ in range(5))
    }
    server.stop()
    fra.pump(lambda: fra.state.connection == RECONNECTING, "the link noticing")
    down = marker("WHILE-DOWN")
    ref = fra.link.send({"type": "act", "command": {"kind": "press", "to": ["ger"], "text": down}})
    assert fra.link.state == RECONNECTING

    port = server.port
    assert server.restart() == url and server.port == port
    fra.pump(lambda: ref in fra.state.replies, "the queued command's reply")
    assert fra.state.replies[ref]["type"] == "ack"
    assert fra.state.connection == ONLINE
    assert [m["state"] for m in fra.seen if m["type"] == "link"][-2:] == [RECONNECTING, ONLINE]
    resumed = [h for h in hellos if h.get("token") == token]
    assert resumed and all(h["v"] >= seen for h in resumed), "the resuming hello carries the token and v"
    assert fra.link.token == token and fra.link.seat == {
        "game": created["game"],
        "role": "player",
        "state": "fra",
    }
    fra.pump(lambda: all(r in fra.state.replies for r in in_flight), "every in-flight reply")

    # What the other side holds: each command once.
    ger.pump(lambda: ger.state.connection == ONLINE, "ger back")
    synced = ger.request({"type": "sync"})
    assert synced["type"] == "ack"
    ger.pump(lambda: ger.state.events == [] and ger.seen[-1]["type"] in ("view", "ack"), "ger's fresh view")
    ger.pump(
        lambda: any(m["text"] == down for m in ger.state.view["messages"]), "the message sent while down"
    )  # type: ignore[index]
    texts = [m["text"] for m in ger.state.view["messages"]]  # type: ignore[index]
    assert texts.count(down) == 1
    for r, text in in_flight.items():
        assert texts.count(text) == (1 if fra.state.replies[r]["type"] == "ack" else 0), fra.state.replies[r]
    versions = [m["v"] for m in fra.seen if m["type"] == "event"]
    assert len(versions) == len(set(versions)), "no event twice after resuming"


def test_a_fault_in_the_link_is_reported_and_it_reconnects(
    server: EmbeddedServer, players: list[Player], monkeypatch: pytest.MonkeyPatch
) -> None:
    player = open_player(players, server.url)
    player.pump(lambda: player.state.connection == ONLINE, "online")
    real_deliver = ServerLink._deliver

    def faulty_deliver(self: ServerLink, message: Message) -> None:
        if message.get("type") == "pong":
            monkeypatch.setattr(ServerLink, "_deliver", real_deliver)  # once
            raise RuntimeError("a bug while reading")
        real_deliver(self, message)

    monkeypatch.setattr(ServerLink, "_deliver", faulty_deliver)
    player.link.send({"type": "ping", "id": "p1"})
    player.pump(
        lambda: any("a bug while reading" in m.get("detail", "") for m in player.seen), "the fault reported"
    )
    reply = player.link.wait_reply("p1", TIMEOUT)  # unanswered as far as the link knows: sent again
    assert reply is not None and reply["type"] == "pong"
    player.pump(lambda: player.state.connection == ONLINE, "back online")
    assert [m["state"] for m in player.seen if m["type"] == "link"][-2:] == [RECONNECTING, ONLINE]


def test_a_refused_token_leaves_the_link_offline(server: EmbeddedServer, players: list[Player]) -> None:
    stranger = open_player(players, server.url, token="x" * 43, last_v=3)
    stranger.pump(lambda: stranger.state.connection == OFFLINE, "the refusal")
    assert "refused" in stranger.state.connection_detail
    assert stranger.link.wait_reply("never-sent", 0.01) is None


def test_close_is_prompt_while_reconnecting() -> None:
    with socket.socket() as probe:  # a port with nobody listening
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    link = ServerLink(f"ws://127.0.0.1:{port}")
    link.start()
    assert link.wait_state(lambda s: s == RECONNECTING, TIMEOUT)
    link.send({"type": "ping"})
    started = time.perf_counter()
    link.close()
    assert time.perf_counter() - started < 3
    assert link.state == OFFLINE
    states = [m["state"] for m in link.poll() if m["type"] == "link"]
    assert states[0] == "connecting" and states[-1] == OFFLINE


# --- the picture between views, without a server ------------------------------------------------------


def a_view(v: int = 10) -> Message:
    return {
        "type": "view",
        "game": "g-1",
        "v": v,
        "view": {
            "viewer": "fra",
            "scenario": "july-1914",
            "turn": 1,
            "year": 1914,
            "season": "summer",
            "phase": "movement",
            "winner": None,
            "map": {"units": [], "owners": {}},
            "states": [],
            "agreements": [],
            "messages": [],
            "events": [],
            "me": {"state": "fra", "treasury": 20, "trust": {}, "orders": ["A par H"], "actions": []},
        },
        "table": {
            "game": "g-1",
            "status": "running",
            "scenario": "july-1914",
            "title": "T",
            "seats": {},
            "clock": {"seconds": 600, "deadline": 1000.0, "paused": False, "remaining": None},
            "ready": [],
            "you": {"game": "g-1", "role": "player", "state": "fra"},
        },
    }


def an_event(v: int, **event: Any) -> Message:
    return {"type": "event", "game": "g-1", "v": v, "event": event}


def test_events_update_the_picture_until_the_next_view() -> None:
    state = ClientState()
    state.apply(a_view())
    assert state.my_state == "fra" and state.deadline_remaining(900.0) == 100.0
    state.apply(an_event(11, kind="ready", state="ger", ready=True))
    state.apply(an_event(12, kind="ready", state="fra", ready=True))
    state.apply(an_event(13, kind="ready", state="ger", ready=False))
    assert state.is_ready() and not state.is_ready("ger")
    state.apply(
        an_event(14, kind="clock", change="pause", seconds=600, deadline=None, paused=True, remaining=42.5)
    )
    assert state.deadline_remaining(5000.0) == 42.5
    state.apply(
        an_event(15, kind="orders_submitted", state="fra", turn=1, phase="movement", orders=["A par - bur"])
    )
    assert state.my_orders() == ["A par - bur"]
    state.apply(an_event(16, kind="message", id="msg-1", turn=1, **{"from": "ger"}, to=["fra"], text="hello"))
    state.apply(an_event(16, kind="message", id="msg-1", turn=1, **{"from": "ger"}, to=["fra"], text="hello"))
    assert [m["text"] for m in state.view["messages"]] == ["hello"]  # type: ignore[index]
    revision = state.revision
    state.apply(
        an_event(17, kind="phase", turn=1, year=1914, season="summer", phase="retreat", deadline=2000.0)
    )
    assert state.phase == "retreat" and state.table["ready"] == [] and state.my_orders() == []  # type: ignore[index]
    assert state.revision > revision and len(state.events) == 7 and state.v == 17
    assert state.news[-1]["turn"] == 1 and state.news[-1]["event"]["kind"] == "phase"
    state.apply(a_view(17))
    assert state.events == [] and state.phase == "movement"
    state.apply(an_event(18, kind="phase", turn=20, year=1923, season="autumn", phase=None, deadline=None))
    assert state.status == "over" and state.phase is None
    state.apply({"type": "link", "state": "reconnecting", "detail": "reconnecting in 0.2 s"})
    assert state.connection == "reconnecting"


def test_news_is_bounded() -> None:
    state = ClientState()
    state.apply(a_view(0))
    for v in range(1, NEWS_LIMIT + 11):
        state.apply(an_event(v, kind="ready", state="ger", ready=v % 2 == 0))
    assert len(state.news) == NEWS_LIMIT and state.news[0]["v"] == 11


def test_view_deltas_keep_the_picture_current_and_count_what_is_unseen() -> None:
    """`agreement`, `me` and `standing` events (docs/protocol.md) change the picture between views;
    a resent event (v already seen) changes nothing; what came from others is counted per tab."""
    state = ClientState()
    state.apply(a_view())
    card = {
        "id": "agr-11111111",
        "title": "Pact",
        "parties": ["ger", "fra"],
        "proposer": "ger",
        "status": "proposed",
        "signed": ["ger"],
        "visibility": "secret",
        "clauses": [{"kind": "non_aggression", "between": []}],
    }
    state.apply(
        an_event(11, kind="agreement_proposed", agreement=card["id"], by="ger", parties=["ger", "fra"])
    )
    state.apply(an_event(12, kind="agreement", agreement=card))
    assert state.view["agreements"] == [card]  # type: ignore[index]
    assert state.unread_count("deals") == 1 and state.unread_count("talk") == 0
    signed = {**card, "status": "active", "signed": ["ger", "fra"], "start_turn": 1}
    state.apply(an_event(13, kind="agreement", agreement=signed))
    state.apply(
        an_event(12, kind="agreement", agreement=card)
    )  # a resend after a resume: already in the picture
    assert state.view["agreements"] == [signed], "upserted by id, never listed twice"  # type: ignore[index]
    state.mark_read("deals")
    assert state.unread_count("deals") == 0

    me = {
        "state": "fra",
        "treasury": 17,
        "trust": {"ger": 55},
        "orders": ["A par H", "A bur - bel"],
        "actions": [{"kind": "investigate", "target": "ger"}],
    }
    state.apply(an_event(14, kind="me", me=me))
    assert state.view["me"] == me and state.my_orders() == ["A par H", "A bur - bel"]  # type: ignore[index]
    assert state.unread_count("orders") == 1, "orders I did not send: a teammate's"
    state.expect_orders(["A par - pic"])
    state.apply(
        an_event(15, kind="orders_submitted", state="fra", turn=1, phase="movement", orders=["A par - pic"])
    )
    assert state.my_orders() == ["A par - pic"] and state.unread_count("orders") == 1, "my own: no news"
    state.apply(an_event(16, kind="action_ordered", state="fra", action="investigate", target="ger"))
    assert state.view["me"]["actions"] == [{"kind": "investigate", "target": "ger"}]  # type: ignore[index]

    standing = [
        {
            "id": "fra",
            "name": "France",
            "supply": 5,
            "units": 4,
            "legitimacy": 61,
            "reputation": 52,
            "conduct": {"kept": 1},
        }
    ]
    state.apply(an_event(17, kind="standing", states=standing))
    assert state.view["states"] == standing  # type: ignore[index]
    state.apply(an_event(18, kind="message", id="msg-2", turn=1, **{"from": "fra"}, to=["ger"], text="mine"))
    state.apply(
        an_event(19, kind="message", id="msg-3", turn=1, **{"from": "ger"}, to=["fra"], text="theirs")
    )
    state.apply(an_event(20, kind="payment", state="ger", to="fra", amount=3))
    assert state.unread_count("talk") == 1 and state.unread_count("news") == 1
    assert state.v == 20
