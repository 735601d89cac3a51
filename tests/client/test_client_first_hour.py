"""A new player's first hour (issue 13), headless: the client warns before a breach, the map reads
at a glance, it talks in sentences, it says where the game stands, and it rests when idle.

Real client code throughout: a local game against bots for what the server must answer (the
forecast), a stand-in link for screens fed a view, and the renderer on plain surfaces.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest

from game.client.app import ClientApp
from game.client.forecast import cost_words, warning_line
from game.client.game_screen import GameScreen
from game.client.panels.names import Names
from game.client.panels.report import TurnReportWindow, report_html
from game.client.playback import Playback
from game.client.refusals import refusal_text
from game.client.scenario_cache import ScenarioCache
from game.client.stand_in import StandInLink
from game.client.state import ClientState
from game.client.view_picture import arrows_of_orders
from game.launchers.demo import DemoDriver
from game.launchers.play import LocalPlay
from game.render import Arrow, MapPicture, MapRenderer, UnitMark
from game.render.arrows import WARNING_FILL
from game.render.units import unit_token
from game.rules.game import Game
from game.rules.views import view_for

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


def step_until(app: ClientApp, condition: Callable[[], bool], frames: int = 30000) -> None:
    for _ in range(frames):
        if condition():
            return
        assert app.step(), "the app quit"
    raise AssertionError(f"condition not met within {frames} frames")


@pytest.fixture(scope="module")
def july() -> Any:
    return ScenarioCache().bundled("july-1914")


@pytest.fixture
def local(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalPlay]:
    monkeypatch.setenv("BACKCHANNEL_HOME", str(tmp_path))
    play = LocalPlay(seed=7)
    yield play
    play.close()


@pytest.fixture
def app(local: LocalPlay) -> Iterator[ClientApp]:
    session = local.new_game("july-1914", "fra", seed=7)
    client = ClientApp(session=session, local=local, size=(1280, 800), playback_seconds=0.6)
    step_until(
        client,
        lambda: (
            client.game is not None
            and client.game.order_box is not None
            and client.game.state.view is not None
            and client.game.state.phase == "movement"
        ),
    )
    yield client
    client.close()


def fed_app(scenario: Any, table: dict[str, Any], clock: Callable[[], float] | None = None) -> ClientApp:
    """A client whose game screen is fed france's first view of `scenario` and `table`."""
    view = view_for(Game(scenario, 1), "fra")
    link = StandInLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "g", "v": 1, "view": view, "table": table},
        ]
    )
    options: dict[str, Any] = {"clock": clock} if clock is not None else {}
    client = ClientApp(link=link, size=(1280, 800), fps=None, **options)
    assert client.game is not None
    client.game.kill()
    client.game = GameScreen(client.manager, link, ClientState(), scenario=scenario, **options)
    for _ in range(3):
        client.step()
    return client


def running_table(status: str = "running") -> dict[str, Any]:
    return {
        "status": status,
        "ready": [],
        "clock": {"seconds": None, "deadline": None, "paused": False},
        "seats": {
            "fra": {"player": "human", "taken": True, "members": 1},
            "ger": {"player": "human", "taken": False},
            "gbr": {"player": "bot", "taken": True},
        },
        "you": {"game": "g", "role": "player", "state": "fra"},
    }


# --- 1. the forecast: before Ready, what my orders would break ----------------------------------------------


def test_an_order_that_breaks_a_treaty_is_marked_in_the_list_and_on_the_map(app: ClientApp) -> None:
    game = app.game
    assert game is not None and game.order_box is not None and game.map_view is not None
    game.order_box.add("A bur - bel")
    game.order_box.add("F mar H")
    step_until(
        app,
        lambda: bool((game.state.view or {}).get("me", {}).get("forecast")) and game.order_box.warnings != [],
    )
    for _ in range(3):
        app.step()
    # In the order list: the agreement, the clause in words, and what the rules would charge.
    assert game.order_box.warnings == [
        "Breaks Treaty of London (1839), guarantee of Belgian neutrality: non-aggression with Belgium"
        " — public: legitimacy −3, reputation −12; Belgium's trust −25, everyone else's −8."
    ]
    label = game.order_box._rows[0][0]
    assert label.text == "⚠ A bur - bel", "the warned order carries the sign"
    assert game.order_box._rows[1][0].text == "F mar H", "an order that breaks nothing has no sign"
    assert "attacked" in (label.tool_tip_text or ""), "the rules' evidence on hover"
    assert "⚠ 1 breach" in game.order_box.count_label.text
    # On the map: the move's arrow carries the warning sign, the hold its ring and none.
    picture = game.map_view.picture(game.state.view, game.state.revision, game.order_box.orders)
    kinds = {(a.kind, a.source): a.warned for a in picture.arrows}
    assert kinds == {("move", "bur"): True, ("hold", "mar"): False}
    app.screenshot(SHOTS / "breach-warning.png")
    renderer = game.map_view.renderer
    a, b = renderer.unit_position("bur"), renderer.unit_position("bel")
    mid = (round((a[0] + b[0]) / 2) + game.map_view.rect.x, round((a[1] + b[1]) / 2) + game.map_view.rect.y)
    near = [
        tuple(app.surface.get_at((mid[0] + dx, mid[1] + dy)))[:3]
        for dx in range(-6, 7)
        for dy in range(-6, 7)
    ]
    assert WARNING_FILL in near, "the amber warning sign is drawn on the arrow"
    # Taking the order back takes the warning away.
    game.order_box.remove(0)
    step_until(app, lambda: game.order_box.warnings == [] and game.order_box.orders == ["F mar H"])


def test_a_missing_order_warning_shows_under_the_list(july: Any) -> None:
    client = fed_app(july, running_table())
    try:
        game = client.game
        assert game is not None and game.order_box is not None
        view = game.state.view
        assert view is not None
        view["me"]["forecast"] = [
            {
                "agreement": "agr-1",
                "title": "The promise of Burgundy",
                "clause": 0,
                "clause_kind": "support_promise",
                "in_annex": False,
                "order": None,
                "evidence": "fra did not support A mun - bur",
                "protected": ["ger"],
                "public": False,
                "told": ["fra", "ger"],
                "legitimacy": 0,
                "reputation": 0,
                "trust_victim": 15,
                "trust_witness": 0,
            }
        ]
        game.order_box.refresh_list()
        assert game.order_box.warnings == [
            "Missing order: breaks The promise of Burgundy: a promised support, owed to Germany"
            " — told to Germany only; Germany's trust −15."
        ]
    finally:
        client.close()


def test_forecast_costs_read_as_words() -> None:
    names = Names(
        {
            "me": {"state": "fra"},
            "states": [
                {"id": "fra", "name": "France"},
                {"id": "bel", "name": "Belgium"},
                {"id": "ger", "name": "Germany"},
            ],
        }
    )
    secret = {
        "title": "Secret pact",
        "clause_kind": "non_aggression",
        "in_annex": True,
        "order": "A bur - mun",
        "protected": ["ger"],
        "public": False,
        "told": ["fra", "ger", "bel"],
        "legitimacy": 0,
        "reputation": 0,
        "trust_victim": 25,
        "trust_witness": 8,
    }
    assert (
        cost_words(secret, names)
        == "told to Germany and Belgium only; Germany's trust −25, the other parties' −8"
    )
    assert warning_line(secret, names).startswith(
        "Breaks Secret pact: non-aggression with Germany, in its secret annex"
    )
    assert "agr-" not in warning_line(secret, names)


# --- 2. the map at a glance -----------------------------------------------------------------------------------


def test_armies_and_fleets_differ_by_shape_at_the_smallest_size() -> None:
    pygame.display.init()
    grey = (128, 128, 128)
    army, fleet = unit_token("army", grey, 7), unit_token("fleet", grey, 7)
    # An army is a round badge: square box, transparent corners, solid middle (no frame to read as a letter).
    assert army.get_width() == army.get_height()
    assert (
        army.get_at((0, 0)).a == 0 and army.get_at((army.get_width() // 2, army.get_height() // 2)).a == 255
    )
    # A fleet is a hull: wider than tall, its top corners (above the deck) empty.
    assert fleet.get_width() > fleet.get_height()
    assert fleet.get_at((2, 2)).a == 0 and fleet.get_at((fleet.get_width() - 3, 2)).a == 0


def test_the_default_view_shows_the_whole_map_beside_the_panels(july: Any) -> None:
    client = fed_app(july, running_table())
    try:
        game = client.game
        assert game is not None and game.map_view is not None and game.side is not None
        mv = game.map_view
        camera = mv.renderer.camera
        w, h = camera.world_size
        for corner in ((0, 0), (w, h)):
            x, y = camera.world_to_screen(corner)
            assert -1 <= x <= mv.rect.w + 1 and -1 <= y <= mv.rect.h + 1, "every corner of the map on screen"
        assert mv.rect.right <= game.side.rect.left if hasattr(game.side, "rect") else True
        assert mv.visible(mv.screen_of_territory("mos")), "Russia is not cut off"
        assert mv.renderer.token_radius() >= 7, "units legible at the view that shows everything"
    finally:
        client.close()


def test_hold_support_and_convoy_are_all_drawn(july: Any) -> None:
    pygame.display.init()
    arrows = arrows_of_orders(["A par H", "A bur S A par - pic", "F eng C A bre - wal"], "fra", "movement")
    assert [a.kind for a in arrows] == ["hold", "support", "convoy"]
    renderer = MapRenderer(july)
    surface = pygame.Surface((900, 700))
    units = (UnitMark("fra", "army", "par"),)
    renderer.draw(surface, MapPicture(units=units))
    x, y = renderer.unit_position("par")
    r = renderer.token_radius()
    points = [
        (round(x + r * 1.55 * c), round(y + r * 1.55 * s)) for c, s in ((1, 0), (-1, 0), (0, 1), (0, -1))
    ]
    before = [tuple(surface.get_at(p)) for p in points]
    renderer.draw(surface, MapPicture(units=units, arrows=(Arrow("hold", "par", "par", "fra"),)))
    after = [tuple(surface.get_at(p)) for p in points]
    assert all(a != b for a, b in zip(before, after, strict=True)), "a ring all round the holding unit"


# --- 3. sentences, not codes ------------------------------------------------------------------------------------


def test_refusals_are_sentences_with_names() -> None:
    view = {
        "states": [{"id": "fra", "name": "France"}],
        "agreements": [{"id": "agr-16729260", "title": "Entente Cordiale"}],
    }
    assert refusal_text({"code": "not_started", "message": "not_started: the game has not started"}) == (
        "Not started yet — the game has not started."
    )
    assert refusal_text(
        {"code": "wrong_status", "message": "agreement agr-16729260 is not proposed"}, view
    ) == ("Not possible now — agreement “Entente Cordiale” is not proposed.")
    assert refusal_text(
        {"code": "unknown_agreement", "message": "no agreement agr-00000007 known to fra"}, view
    ) == ("No such agreement — no such agreement known to France.")
    assert refusal_text({"code": "bad_order", "message": "fra cannot order that: A par - mun"}, view) == (
        "Order refused — France cannot order that: A par - mun."
    ), "an order keeps its notation"


def test_the_report_keeps_each_section_to_its_heading() -> None:
    view = {
        "turn": 2,
        "phase": "movement",
        "me": {"state": "fra"},
        "states": [{"id": "fra", "name": "France"}, {"id": "ger", "name": "Germany"}],
        "events": [
            {
                "turn": 1,
                "events": [
                    {
                        "kind": "order_void",
                        "state": "fra",
                        "order": "A par - mos",
                        "reason": "Moscow is out of reach",
                    },
                    {
                        "kind": "order_void",
                        "state": "ger",
                        "order": "A mun S A ber",
                        "reason": "no unit in Berlin",
                    },
                    {
                        "kind": "agreement_proposed",
                        "by": "ger",
                        "parties": ["ger", "fra"],
                        "visibility": "secret",
                    },
                ],
            }
        ],
    }
    html = report_html(view, Names(view))
    mine = html.split("Your orders")[1].split("<br><br>")[0]
    assert "A par - mos" in mine and "A mun S A ber" not in mine, "Your orders lists only mine"
    assert "Other states' void orders" in html and "Germany's Void order" not in mine
    assert "Germany proposed a secret agreement to France." in html
    assert "to Germany and France" not in html


def test_no_map_tooltip_over_an_open_report(app: ClientApp, monkeypatch: pytest.MonkeyPatch) -> None:
    game = app.game
    assert game is not None and game.map_view is not None
    drawn: list[str] = []
    monkeypatch.setattr(game.map_view, "draw_tooltip", lambda surface, view: drawn.append("tip"))
    monkeypatch.setattr(game, "_over_ui", lambda: False)
    game.map_view.hover = "par"
    game.draw_over(app.surface)
    assert drawn == ["tip"], "over the bare map the tooltip shows"
    game.open_report()
    game.map_view.hover = "par"
    game.draw_over(app.surface)
    assert drawn == ["tip"] and game.window_open(), "not over the report"


def test_playback_goes_in_steps_and_the_status_bar_names_its_turn(july: Any) -> None:
    pygame.display.init()
    events = [
        {"kind": "move", "state": "fra", "unit": "army", "from": "par", "to": "pic"},
        {"kind": "bounce", "state": "ger", "unit": "army", "from": "mun", "to": "bur"},
        {"kind": "dislodged", "state": "ger", "unit": "army", "at": "ruh"},
    ]
    before = [
        {"state": "fra", "type": "army", "location": "par"},
        {"state": "ger", "type": "army", "location": "mun"},
        {"state": "ger", "type": "army", "location": "ruh"},
    ]
    playback = Playback(events, before, {"fra": "France"}, start=0.0, title="Turn 1 · Summer 1914")
    assert [s[0] for s in playback.steps] == ["moves", "bounces", "dislodged", "hold"]
    assert 5.0 <= playback.duration <= 9.0, "slow enough to follow"
    assert [playback.step(t)[0] for t in (0.5, 3.0, 4.5, playback.duration - 0.1)] == [
        "moves",
        "bounces",
        "dislodged",
        "hold",
    ]
    quiet = Playback(events[:1], before, {}, start=0.0, duration=1.0)
    assert [s[0] for s in quiet.steps] == ["moves", "hold"] and abs(quiet.duration - 1.0) < 1e-9

    now = [0.0]
    client = fed_app(july, running_table(), clock=lambda: now[0])
    try:
        game = client.game
        assert game is not None and game.status_bar is not None
        game._replay = (events, before, "Turn 1 · Summer 1914")
        assert game.replay()
        client.step()
        assert game.status_bar.turn.text == "Turn 1 · Summer 1914"
        assert game.status_bar.phase.text == "Playback of what happened"
        now[0] = 60.0
        client.step()
        client.step()
        assert game.status_bar.turn.text.startswith("Turn 1 · ")
        # The report's Replay button plays it again.
        window = game.open_report()
        assert isinstance(window, TurnReportWindow) and window.replay_button is not None
        window.replay_button.pressed_event = True
        game.replay()
        assert game.playback is not None and not game.playback.done(now[0]) and game.report_window is None
    finally:
        client.close()


# --- 4. the waiting screen -----------------------------------------------------------------------------------------


def test_before_the_start_the_screen_says_what_we_wait_for(july: Any) -> None:
    client = fed_app(july, running_table("lobby"))
    try:
        game = client.game
        assert game is not None and game.status_bar is not None
        client.step()
        bar = game.status_bar
        assert bar.turn.text == "Waiting for the umpire to start" and bar.phase.text == "Teams are joining"
        assert not game.status_bar.ready_button.is_enabled, "nothing to be ready for"
        lines = game.lobby_lines()
        assert lines[0] == "Waiting for the umpire to start the game"
        assert "Joined: France — you" in lines and "Waiting for: Germany" in lines
        assert "Played by bots: Britain" in lines
        client.screenshot(SHOTS / "lobby.png")
        game.state.table = dict(game.state.table or {}, status="running")
        client.step()
        assert game.lobby_lines() == [] and game.status_bar.ready_button.is_enabled
    finally:
        client.close()


# --- 5. a good citizen -----------------------------------------------------------------------------------------------


def test_an_idle_screen_is_drawn_only_now_and_then(july: Any) -> None:
    now = [0.0]
    client = fed_app(july, running_table(), clock=lambda: now[0])
    try:
        for _ in range(10):
            now[0] += 0.05
            client.step()
        now[0] += 2.0  # the last news fades
        client.step()
        draws = client.draws
        for _ in range(100):  # five seconds at 20 frames a second, nothing happening
            now[0] += 0.05
            client.step()
        assert client.draws - draws <= 11, "about two redraws a second (the clock), not a hundred"
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=(300, 300), rel=(1, 0), buttons=(0, 0, 0))
        )
        draws = client.draws
        now[0] += 0.05
        client.step()
        assert client.draws == draws + 1, "input is drawn at once"
    finally:
        client.close()


def test_the_demo_tells_its_progress() -> None:
    lines: list[str] = []
    driver = DemoDriver(object(), turns=1, progress=lines.append)
    driver.say("demo: turn 1 resolved")
    assert lines == ["demo: turn 1 resolved"] and driver.log == lines


def test_the_help_card_has_a_legend_of_the_map_signs() -> None:
    from game.client.help_overlay import MAP_SIGNS, HelpOverlay, sign

    pygame.display.init()
    pygame.font.init()
    assert [k for k, _ in MAP_SIGNS] == ["army", "fleet", "move", "hold", "support", "convoy", "warning"]
    for kind, _ in MAP_SIGNS:
        image = sign(kind)
        assert any(image.get_at((x, y)).a for x in range(40) for y in range(24)), f"{kind} is drawn"
    help_card = HelpOverlay()
    help_card.toggle()
    surface = pygame.Surface((1024, 700))
    help_card.draw(surface)
    assert (
        help_card._card is not None
        and help_card._card.get_width() <= 1024
        and help_card._card.get_height() <= 700
    )
