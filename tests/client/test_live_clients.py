"""Live diplomacy through the real client, against the real server, within one phase.

The server runs in its own thread on 127.0.0.1, port 0 (`EmbeddedServer`, as for local play);
each person is the client's own link (`ServerLink`) feeding its own picture (`ClientState`),
and where a person clicks, the client's own panels are clicked (a UI manager of their own each,
headless).  Germany proposes a secret pact to France in the middle of a phase; France counters;
Germany signs; two people play Germany together.  Every step must show on the other side from
the events that follow it, with no new view: a new view comes only with a new phase, and the
test checks that none came.  Waits are for messages, bounded by a timeout only as a safety net.
"""

from __future__ import annotations

import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
import pytest
from test_client_link import Player, new_game, seat

from game.client.order_box import OrderBox
from game.client.panels import AgreementsPanel
from game.client.scenario_cache import HOME_ENV, ScenarioCache
from game.client.theme import theme_data
from game.launchers.embedded_server import EmbeddedServer
from game.rules.board import Board
from game.rules.scenario import Scenario

SIZE = (1280, 760)
SIDE = pygame.Rect(SIZE[0] - 420, 0, 420, SIZE[1])
SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


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


@pytest.fixture(scope="module")
def scenario() -> Scenario:
    return ScenarioCache().bundled("july-1914")


@pytest.fixture
def screen() -> Iterator[pygame.Surface]:
    pygame.init()
    yield pygame.display.set_mode(SIZE)
    pygame.event.clear()


class Screen:
    """One person's window: a UI manager of its own, and the widgets of theirs a test looks at."""

    def __init__(self, player: Player) -> None:
        self.player = player
        self.manager = pygame_gui.UIManager(SIZE, theme_data())
        self.widgets: list[Any] = []

    def add(self, widget: Any) -> Any:
        self.widgets.append(widget)
        return widget

    def frame(self) -> None:
        """One frame of the client's loop: the widgets re-read the picture, the manager updates."""
        for widget in self.widgets:
            refresh = getattr(widget, "sync", None) or widget.refresh
            refresh()
        self.manager.update(1 / 60)

    def pump(self, until: Any, what: str) -> None:
        """Take in what the server sent (frames in between) until `until()` holds."""
        self.player.pump(lambda: self._framed(until), what)

    def _framed(self, until: Any) -> bool:
        self.frame()
        return bool(until())

    def click(self, element: Any) -> None:
        """A left click at the centre of an element, given to this person's window only."""
        assert element is not None and element.alive(), "nothing to click"
        self.frame()
        pos = element.get_abs_rect().center
        for kind in (pygame.MOUSEBUTTONDOWN, pygame.MOUSEBUTTONUP):
            self.manager.process_events(pygame.event.Event(kind, {"pos": pos, "button": 1}))
        self.frame()

    def shot(self, surface: pygame.Surface, name: str) -> None:
        surface.fill((46, 58, 70))
        self.manager.draw_ui(surface)
        SHOTS.mkdir(parents=True, exist_ok=True)
        pygame.image.save(surface, str(SHOTS / name))


def card(player: Player, ref: str) -> dict[str, Any] | None:
    """The agreement `ref` as this person's picture holds it."""
    view = player.state.view or {}
    return next((a for a in view.get("agreements", []) if a.get("id") == ref), None)


def status(player: Player, ref: str) -> str | None:
    found = card(player, ref)
    return found.get("status") if found else None


def views(player: Player) -> int:
    return sum(1 for m in player.seen if m["type"] == "view")


def test_two_states_and_a_teammate_negotiate_and_order_within_one_phase(
    server: EmbeddedServer, players: list[Player], scenario: Scenario, screen: pygame.Surface
) -> None:
    url = server.url
    umpire, created = new_game(players, url, seats={"fra": "human", "ger": "human"})
    germany = seat(players, url, created, "ger")
    france = seat(players, url, created, "fra")
    teammate = seat(players, url, created, "ger")  # a second person playing Germany
    assert umpire.request({"type": "start", "fill_bots": True, "confirm": True})["type"] == "ack"
    for p in (germany, france, teammate):  # the view on joining, and the one every seat is sent at the start
        p.pump(lambda p=p: views(p) == 2, "the start")
    assert all(
        p.state.status == "running" and p.state.phase == "movement" for p in (germany, france, teammate)
    )
    assert teammate.state.my_state == "ger"
    phase = (germany.state.turn, germany.state.phase)
    seen_views = {id(p): views(p) for p in (germany, france, teammate)}
    board = Board.from_scenario(scenario)

    ger = Screen(germany)
    ger_deals = ger.add(
        AgreementsPanel(ger.manager, SIDE, germany.state, germany.link.send, scenario=scenario)
    )
    ger_orders = ger.add(
        OrderBox(
            ger.manager, pygame.Rect(0, 0, 420, 500), germany.link.send, state=germany.state, board=board
        )
    )
    fra = Screen(france)
    fra_deals = fra.add(AgreementsPanel(fra.manager, SIDE, france.state, france.link.send, scenario=scenario))
    mate = Screen(teammate)
    mate_deals = mate.add(
        AgreementsPanel(mate.manager, SIDE, teammate.state, teammate.link.send, scenario=scenario)
    )
    mate_orders = mate.add(
        OrderBox(
            mate.manager, pygame.Rect(0, 0, 420, 500), teammate.link.send, state=teammate.state, board=board
        )
    )

    # Germany proposes a secret pact; France's Deals inbox lists it at once, with Sign/Counter/Reject.
    proposed = germany.act(
        kind="propose",
        parties=["ger", "fra"],
        visibility="secret",
        title="Belgian understanding",
        clauses=[{"kind": "non_aggression"}, {"kind": "free_text", "text": "France ignores Belgium."}],
        duration=4,
    )
    assert proposed["type"] == "ack", proposed
    pact = proposed["result"]["agreement"]
    started = time.perf_counter()
    france.pump(lambda: status(france, pact) == "proposed", "the proposal in France's picture")
    arrived = time.perf_counter() - started
    fra.frame()
    assert pact in [a["id"] for a in fra_deals.sections()[0][1]], "in France's inbox"
    assert {(pact, "sign"), (pact, "counter"), (pact, "reject")} <= set(fra_deals.action_buttons)
    assert pact in france.state.unread["deals"], "news for the Deals tab"
    ger.pump(lambda: status(germany, pact) == "proposed", "Germany's own card")
    assert pact in [a["id"] for a in ger_deals.sections()[1][1]], "waiting for France"
    mate.pump(lambda: status(teammate, pact) == "proposed", "the teammate's card")
    fra.shot(screen, "live_inbox.png")

    # France counters, through its panel: the drafting window starts from the proposal's clauses.
    fra.click(fra_deals.action_buttons[(pact, "counter")])
    draft = fra_deals.draft_window
    assert draft is not None and draft.counter_of == pact
    fra.click(draft.remove_buttons[1])  # France will not ignore Belgium
    fra.click(draft.send_button)
    fra.pump(lambda: draft.pending_ref in france.state.replies, "the counter's answer")
    countered = france.state.replies[draft.pending_ref]
    assert countered["type"] == "ack", countered
    counter = countered["result"]["agreement"]
    fra.pump(
        lambda: status(france, pact) == "superseded" and status(france, counter) == "proposed",
        "France's cards after the counter",
    )

    # Germany sees the counter at once, and signs it: it is in force on both sides.
    ger.pump(
        lambda: status(germany, counter) == "proposed" and status(germany, pact) == "superseded",
        "the counter in Germany's picture",
    )
    assert counter in [a["id"] for a in ger_deals.sections()[0][1]], "in Germany's inbox"
    assert (pact, "sign") not in ger_deals.action_buttons, "a superseded proposal cannot be signed"
    ger.click(ger_deals.action_buttons[(counter, "sign")])
    assert (counter, "sign") not in ger_deals.action_buttons, (
        "no second click while the signature is on its way"
    )
    ger.pump(
        lambda: status(germany, counter) == "active" and not ger_deals.pending,
        "the pact in force for Germany",
    )
    assert (counter, "sign") not in ger_deals.action_buttons and (
        counter,
        "renounce",
    ) in ger_deals.action_buttons
    fra.pump(lambda: status(france, counter) == "active", "the pact in force for France")
    assert (counter, "renounce") in fra_deals.action_buttons
    mate.pump(lambda: status(teammate, counter) == "active", "the pact in force for the teammate")
    assert (counter, "renounce") in mate_deals.action_buttons
    assert card(teammate, counter) == card(germany, counter), "one state, one picture"
    ger.shot(screen, "live_signed.png")

    # Germany orders through its order box: the teammate sees the orders as given.
    assert ger_orders.add("A ruh - bel")
    ger.pump(
        lambda: germany.state.my_orders() == ["A ruh - bel"] and ger_orders.pending is None,
        "Germany's orders",
    )
    mate.pump(
        lambda: teammate.state.my_orders() == ["A ruh - bel"], "Germany's orders in the teammate's picture"
    )
    assert mate_orders.orders == mate_orders.given == ["A ruh - bel"]
    assert teammate.state.unread_count("orders") == 1 and germany.state.unread_count("orders") == 0

    # The teammate's order adds to the server's list (nothing of Germany's is lost), and shows for Germany.
    assert mate_orders.add("A ber H")
    mate.pump(
        lambda: mate_orders.pending is None and teammate.state.my_orders() == ["A ruh - bel", "A ber H"],
        "the teammate's orders held",
    )
    ger.pump(lambda: ger_orders.given == ["A ruh - bel", "A ber H"], "the teammate's order in Germany's box")
    assert germany.state.unread_count("orders") == 1
    assert ger_orders.add("A als H")
    ger.pump(
        lambda: (
            ger_orders.pending is None and germany.state.my_orders() == ["A ruh - bel", "A ber H", "A als H"]
        ),
        "Germany's next edit, from the server's list",
    )

    # An order the map check refuses is never sent; one the server refuses is never listed as given.
    sent = ger_orders.sent
    assert not ger_orders.add("A ber - lon")
    assert ger_orders.sent == sent and "lon is not adjacent to ber" in ger_orders.error
    mate_orders.submit([*mate_orders.orders, "A pru sails to Warsaw"])
    mate.pump(lambda: mate_orders.pending is None, "the server's refusal")
    assert mate_orders.error.startswith("Order refused — ") and "A pru sails to Warsaw" in mate_orders.error
    assert "bad_order" not in mate_orders.error
    assert mate_orders.orders == mate_orders.given == ["A ruh - bel", "A ber H", "A als H"]
    assert not any("Warsaw" in o for o in germany.state.my_orders() + teammate.state.my_orders())
    mate.shot(screen, "live_refused_order.png")

    # All of it within the one phase, and without a single new view.
    for p in (germany, france, teammate):
        assert (p.state.turn, p.state.phase) == phase
        assert views(p) == seen_views[id(p)], "shown from the events alone, never from a reloaded view"
    print(f"the proposal reached France's picture {arrived * 1000:.1f} ms after Germany's ack")


def test_a_refusal_tells_the_reason_whole_and_changes_nothing(
    server: EmbeddedServer, players: list[Player], scenario: Scenario, screen: pygame.Surface
) -> None:
    url = server.url
    umpire, created = new_game(players, url, seats={"fra": "human", "ger": "human"})
    france = seat(players, url, created, "fra")
    assert umpire.request({"type": "start", "fill_bots": True, "confirm": True})["type"] == "ack"
    france.pump(lambda: france.state.status == "running", "the start")
    fra = Screen(france)
    deals = fra.add(AgreementsPanel(fra.manager, SIDE, france.state, france.link.send, scenario=scenario))
    alliance = next(
        a for a in france.state.view["agreements"] if a.get("title") == "The Franco-Russian Alliance"
    )  # type: ignore[index]
    before = dict(alliance)
    deals.do(alliance["id"], "sign")  # already in force: the server says so
    fra.pump(lambda: not deals.pending, "the refusal")
    assert deals.refusal and not deals.refusal.startswith(("wrong_status", "rejected", "not_"))
    assert "—" in deals.refusal, deals.refusal
    assert card(france, alliance["id"]) == before
