"""The pygame client, headless, against bots on the embedded server: real pygame events only.

Each test steps the app's main loop a bounded number of frames until what it waits for holds
(the server and the bots run in their own threads).  Screenshots go to build/screenshots/,
which is not committed.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Callable, Iterator
from pathlib import Path

import pygame
import pygame_gui
import pytest

from game.client.app import ClientApp
from game.launchers.demo import UiInput
from game.launchers.play import LocalPlay

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
FRAMES = 30000


def step_until(app: ClientApp, condition: Callable[[], bool], frames: int = FRAMES) -> int:
    """Step the main loop until `condition` holds; fail after `frames` frames."""
    for n in range(frames):
        if condition():
            return n
        assert app.step(), "the app quit"
    raise AssertionError(f"condition not met within {frames} frames")


def steps(app: ClientApp, n: int = 3) -> None:
    for _ in range(n):
        app.step()


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
        ),
    )
    yield client
    client.close()


def test_title_screen_starts_a_game_against_bots(local: LocalPlay) -> None:
    client = ClientApp(local=local, size=(1280, 800))
    try:
        steps(client)
        title = client.title
        assert title is not None and title.scenario_id == "july-1914"
        UiInput.press(title.state_list.item_list[1]["button_element"])
        steps(client)
        assert title.state_id == title._states[1][1]
        assert "Objectives" in title.briefing.html_text
        client.screenshot(SHOTS / "title.png")
        UiInput.press(title.play_button)
        step_until(client, lambda: client.game is not None and client.game.map_view is not None)
        assert client.game is not None
        step_until(client, lambda: client.game.state.my_state == title._states[1][1])
    finally:
        client.close()


def test_plays_a_turn_through_the_ui(app: ClientApp, local: LocalPlay) -> None:
    game = app.game
    assert game is not None and game.map_view is not None and game.order_box is not None
    mv = game.map_view
    assert game.state.my_state == "fra" and game.state.phase == "movement"
    app.screenshot(SHOTS / "map.png")

    # Zoom with the wheel, drag the map, come back with Home: no order comes of it.
    camera = mv.renderer.camera
    zoom, centre = camera.zoom, camera.center
    UiInput.move_mouse(mv.rect.center)
    pygame.event.post(
        pygame.event.Event(pygame.MOUSEWHEEL, x=0, y=1, flipped=False, precise_x=0.0, precise_y=1.0)
    )
    steps(app)
    assert camera.zoom > zoom
    x, y = mv.rect.center
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONDOWN, pos=(x, y), button=1))
    for i in range(1, 6):
        pygame.event.post(
            pygame.event.Event(pygame.MOUSEMOTION, pos=(x + 10 * i, y), rel=(10, 0), buttons=(1, 0, 0))
        )
    pygame.event.post(pygame.event.Event(pygame.MOUSEBUTTONUP, pos=(x + 50, y), button=1))
    steps(app)
    assert camera.center[0] < centre[0] and game.order_box.orders == [] and mv.orders.selected is None
    UiInput.key(pygame.K_HOME)
    steps(app)
    assert (camera.zoom, camera.center) == (zoom, centre)

    # A move and a support, clicked on the map (the first click straight after the mouse rested on a
    # widget: it must not be taken for a click on that widget).
    UiInput.move_mouse(game.status_bar.ready_button.get_abs_rect().center)
    steps(app)
    UiInput.click(mv.screen_of_location("par"))
    steps(app)
    UiInput.click(mv.screen_of_place("gas"))
    steps(app)
    assert game.order_box.orders == ["A par - gas"]
    UiInput.key(pygame.K_s, "s")
    UiInput.click(mv.screen_of_location("bre"))
    steps(app)
    UiInput.click(mv.screen_of_location("par"))
    steps(app)
    UiInput.click(mv.screen_of_place("gas"))
    steps(app)
    assert game.order_box.orders == ["A par - gas", "F bre S A par - gas"]
    step_until(
        app, lambda: game.state.my_orders() == game.order_box.orders and game.order_box.pending is None
    )

    # A fleet in Marseille cannot reach Gascony: the order box says so, whole, and sends nothing.
    sent = game.order_box.sent
    UiInput.key(pygame.K_s, "s")
    UiInput.click(mv.screen_of_location("mar"))
    steps(app)
    UiInput.click(mv.screen_of_location("par"))
    steps(app)
    UiInput.click(mv.screen_of_place("gas"))
    steps(app)
    assert game.order_box.sent == sent and game.order_box.orders == ["A par - gas", "F bre S A par - gas"]
    assert (
        game.order_box.error
        == "Not sent: F mar S A par - gas — F mar cannot reach gas, so cannot support a move there"
    )
    assert game.order_box.error_box is not None and game.order_box.error_box.lines() >= 2
    UiInput.press(game.order_box.entry)
    UiInput.type_text("A par - mos")
    UiInput.key(pygame.K_RETURN)
    steps(app)
    assert game.order_box.sent == sent
    assert game.order_box.error.endswith("mos is not adjacent to par and no fleets could convoy there")
    app.screenshot(SHOTS / "orders.png")
    UiInput.press(game.order_box.entry)
    UiInput.key(pygame.K_ESCAPE)
    UiInput.key(pygame.K_SLASH, "?", pygame.KMOD_SHIFT)
    steps(app)
    assert game.help.shown
    app.screenshot(SHOTS / "help.png")
    UiInput.key(pygame.K_ESCAPE)
    steps(app)
    assert not game.help.shown

    # A private message, through the messages panel.
    UiInput.key(pygame.K_m, "m")
    steps(app)
    talk = game.side.tab("talk").panel
    UiInput.press(talk.contact_buttons["rus"])
    steps(app)
    UiInput.press(talk.text_entry)
    steps(app)
    UiInput.type_text("Shall we coordinate against Berlin?")
    steps(app)
    UiInput.press(talk.send_button)
    step_until(
        app,
        lambda: any(
            m.get("from") == "fra" and m.get("to") == ["rus"] for m in game.state.view.get("messages", [])
        ),
    )

    # A secret agreement, drafted in the drafting window and signed by proposing it.
    UiInput.key(pygame.K_d, "d")
    steps(app)
    app.screenshot(SHOTS / "diplomacy.png")
    UiInput.key(pygame.K_n, "n")
    steps(app)
    window = game.windows[-1]
    UiInput.press(window.title_entry)
    steps(app)
    UiInput.type_text("Entente of the Alps")
    party = next(i for i in window.parties_list.item_list if i["text"].startswith("Russia"))
    UiInput.press(party["button_element"])
    steps(app)
    UiInput.press(window.add_button)
    steps(app)
    app.screenshot(SHOTS / "draft.png")
    UiInput.press(window.send_button)
    step_until(app, lambda: window.pending_ref in game.state.replies)
    assert game.state.replies[window.pending_ref]["type"] == "ack", game.state.replies[window.pending_ref]
    agreement = game.state.replies[window.pending_ref]["result"]["agreement"]

    # The window is resized mid-game: everything is laid out again.
    pygame.event.post(pygame.event.Event(pygame.VIDEORESIZE, size=(1100, 760), w=1100, h=760))
    steps(app)
    assert app.surface.get_size() == (1100, 760)
    assert mv.rect.right == game.side.rect.x and game.status_bar.rect.bottom == 760

    # Ready: the turn resolves, the playback runs, and the new position is on the map.
    UiInput.key(pygame.K_ESCAPE)
    UiInput.key(pygame.K_r, "r")
    step_until(app, lambda: game.state.turn == 2 and game.view_key == (2, game.state.phase))
    assert game.playbacks == 1
    mine = next(a for a in game.state.view["agreements"] if a["id"] == agreement)
    assert mine["visibility"] == "secret" and "fra" in mine["signed"]
    moved = [e for e in game.last_report[0] if e.get("kind") in ("move", "bounce") and e.get("from") == "par"]
    assert moved, "the order from Paris was resolved"
    step_until(app, lambda: game.playback is None)
    steps(app)
    picture = mv.picture(game.state.view, game.state.revision, game.order_box.orders)
    assert {(u.at, u.state) for u in picture.units if not u.dislodged} == {
        (u["location"], u["state"]) for u in game.state.view["map"]["units"]
    }
    app.screenshot(SHOTS / "turn-report.png")


def test_reconnects_after_the_server_restarts(app: ClientApp, local: LocalPlay) -> None:
    game = app.game
    assert game is not None and local.current is not None
    assert game.state.connection == "online"
    local.current.server.stop()
    step_until(app, lambda: game.state.connection in ("reconnecting", "offline"))
    assert "Reconnecting" in game.status_bar.connection.text or "Offline" in game.status_bar.connection.text
    app.screenshot(SHOTS / "offline.png")
    local.current.server.start(local.current.server.port)
    step_until(app, lambda: game.state.connection == "online")
    UiInput.key(pygame.K_r, "r")
    step_until(app, lambda: game.state.is_ready("fra") or game.state.turn == 2)


def _board_and_view(phase: str) -> tuple[object, dict[str, object]]:
    from game.client.scenario_cache import ScenarioCache
    from game.rules.board import Board
    from game.rules.game import Game
    from game.rules.views import view_for

    scenario = ScenarioCache().bundled("july-1914")
    view = view_for(Game(scenario, 1), "fra")
    view["phase"] = phase
    return Board.from_scenario(scenario), view


def test_map_clicks_make_orders_in_every_phase() -> None:
    from game.client.map_orders import MapOrders

    board, view = _board_and_view("movement")
    orders = MapOrders(board)  # type: ignore[arg-type]
    assert orders.click("par", view, "fra").order is None
    assert orders.click("par", view, "fra").order == "A par H"
    orders.set_mode("support")
    orders.click("mar", view, "fra")
    orders.click("par", view, "fra")
    assert orders.click("bur", view, "fra").order == "F mar S A par - bur"
    orders.set_mode("convoy")
    orders.click("bre", view, "fra")
    assert orders.click("par", view, "fra").order is None
    assert orders.click("pic", view, "fra").order == "F bre C A par - pic"
    orders.set_mode("convoy")
    orders.click("par", view, "fra")
    assert orders.click("mar", view, "fra").hint == "A convoy is a fleet carrying an army."
    orders.set_mode("move")
    assert orders.click("ber", view, "fra").order is None, "another state's unit cannot be ordered"

    board, view = _board_and_view("retreat")
    view["map"]["units"] = [u for u in view["map"]["units"] if u["location"] != "par"]  # type: ignore[index]
    view["map"]["retreats"] = [
        {
            "unit": {"state": "fra", "type": "army", "location": "par"},  # type: ignore[index]
            "options": ["gas", "pic"],
        }
    ]
    orders = MapOrders(board)  # type: ignore[arg-type]
    orders.click("par", view, "fra")
    assert orders.targets(view) == frozenset({"gas", "pic"})
    assert orders.click("pic", view, "fra").order == "A par R pic"
    orders.click("par", view, "fra")
    assert orders.hold(view, "fra").order == "A par D"

    board, view = _board_and_view("adjustment")
    view["map"]["units"] = [u for u in view["map"]["units"] if u["location"] not in ("par", "bre")]  # type: ignore[index]
    orders = MapOrders(board)  # type: ignore[arg-type]
    assert orders.click("par", view, "fra").order == "build A par"
    orders.build_kind = "fleet"
    assert orders.click("bre", view, "fra").order == "build F bre"
    assert orders.click("mar", view, "fra").order == "remove F mar"


def test_title_screen_continues_an_unfinished_game(local: LocalPlay) -> None:
    first = ClientApp(session=local.new_game("july-1914", "ger", seed=3), local=local, size=(1100, 720))
    step_until(first, lambda: first.game is not None and first.game.state.view is not None)
    game_id = first.game.state.seat["game"]  # type: ignore[union-attr,index]
    first.close()
    client = ClientApp(local=local, size=(1100, 720))
    try:
        steps(client)
        title = client.title
        assert title is not None and [s.game for s in title.saved] == [game_id]
        assert title.continue_button.is_enabled
        UiInput.press(title.continue_button)
        step_until(client, lambda: client.game is not None and client.game.map_view is not None)
        assert client.game is not None and client.game.state.my_state == "ger"
        assert client.game.state.seat["game"] == game_id  # type: ignore[index]
    finally:
        client.close()


def test_title_screen_join_with_a_wrong_code_comes_back_with_the_reason(local: LocalPlay) -> None:
    url = local.new_game("july-1914", "fra", seed=7).url
    client = ClientApp(local=local, size=(1100, 720))
    try:
        steps(client)
        title = client.title
        assert title is not None
        UiInput.press(title.address)
        steps(client, 1)
        UiInput.type_text(url)
        UiInput.press(title.code)
        steps(client, 1)
        UiInput.type_text("ZZZZ-ZZZZ")
        UiInput.press(title.join_button)
        step_until(client, lambda: client.title is not None and client.title.message != "")
        assert client.title is not None and "no game has this join code" in client.title.message
    finally:
        client.close()


def test_a_refusal_shows_whole_over_the_map_in_words(app: ClientApp) -> None:
    from game.client.game_screen import wrap
    from game.render.fonts import get_font

    game = app.game
    assert game is not None
    game.send(
        {
            "type": "act",
            "command": {
                "kind": "propose",
                "parties": ["fra", "rus"],
                "title": "x" * 200,
                "clauses": [{"kind": "non_aggression"}],
            },
        }
    )
    step_until(app, lambda: bool(game.toasts))
    text = game.toasts[-1].text
    assert text.startswith("Not understood — ") and "invalid_command" not in text, text
    font = get_font(14)
    lines = wrap(font, text, 300)
    assert len(lines) >= 2 and " ".join(lines) == text and all(font.size(line)[0] <= 300 for line in lines)
    app.screenshot(SHOTS / "refusal.png")


def test_title_screen_opens_any_scenario_file_and_plays_it(local: LocalPlay, tmp_path: Path) -> None:
    """ "Open a file…": the file dialog's pick is read by the scenario loader; a broken file says why;
    a good one joins the list, shows its states and briefing, and Play starts a game of it."""
    mine = tmp_path / "my-board.yaml"
    mine.write_text(
        (Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.yaml"
    broken.write_text("format: backchannel-scenario/1\nid: broken\n", encoding="utf-8")
    client = ClientApp(local=local, size=(1280, 800))
    try:
        steps(client)
        title = client.title
        assert title is not None
        first = title.scenario_id
        UiInput.press(title.open_button)
        steps(client)
        assert title.file_dialog is not None, "the button opens pygame_gui's file dialog"
        for path in (broken, mine):
            pygame.event.post(
                pygame.event.Event(
                    pygame_gui.UI_FILE_DIALOG_PATH_PICKED,
                    {"text": str(path), "ui_element": title.file_dialog},
                )
            )
            steps(client)
            if path == broken:
                assert "broken.yaml cannot be played" in title.message and title.scenario_id == first
                UiInput.press(title.open_button)
                steps(client)
        title = client.title
        assert title is not None and title.scenario_id == str(mine)
        assert [sid for _, sid in title._states][:2] == ["eng", "fra"]
        client.screenshot(SHOTS / "title-file.png")
        UiInput.press(title.play_button)
        step_until(
            client,
            lambda: (
                (client.game is not None and client.game.state.view is not None)
                or (client.title is not None and bool(client.title.message))
            ),
        )
        assert client.title is None or not client.title.message, client.title.message
        step_until(client, lambda: client.game is not None and client.game.state.view is not None)
        assert client.game is not None and client.game.state.view["scenario"] == "classic-diplomacy"  # type: ignore[index]
    finally:
        client.close()
