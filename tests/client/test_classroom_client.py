"""The classroom from the client's side: hosting, the handout, and the screens of each role.

Where a flow needs the server (joining, the start refused for empty seats, the record), the real
one runs in this process on the network interface (`game.launchers.host.host_game`, port 0), as a teacher's
computer runs it; the window is the real client stepped headless, driven by real pygame events.
Where a screen only needs a picture, a stand-in link feeds it the rules' own views.  Every wait is
for something to hold within a bounded number of frames, never a sleep.
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from typer.testing import CliRunner

import game.client.app as app_module
from game.client.app import ClientApp, screen_class
from game.client.game_screen import GameScreen
from game.client.observer_screen import ObserverScreen, public_news
from game.client.panels.names import Names
from game.client.scenario_cache import HOME_ENV, ScenarioCache
from game.client.state import ClientState
from game.client.umpire import UmpireScreen
from game.client.umpire.everything import PAGE, involves, message_page
from game.client.umpire.table import seat_rows
from game.launchers.demo import UiInput
from game.launchers.embedded_server import stop_embedded_servers
from game.launchers.handout import handout_html, spaced
from game.launchers.host import HostedGame, Hosting, HostOptions, describe, host_game
from game.rules.game import Game
from game.rules.knowledge import OBSERVER, UMPIRE
from game.rules.views import view_for

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
FRAMES = 20000
SIZE = (1280, 800)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv(HOME_ENV, str(tmp_path / "home"))
    yield tmp_path / "home"
    stop_embedded_servers()


@pytest.fixture(scope="module")
def scenario() -> Any:
    return ScenarioCache().bundled("july-1914")


@pytest.fixture
def hosted() -> Iterator[HostedGame]:
    game = host_game(HostOptions(states=["fra", "ger"], people=3, port=0, bot_delay=0), open_reports=False)
    yield game
    game.close()


@pytest.fixture
def apps() -> Iterator[list[ClientApp]]:
    made: list[ClientApp] = []
    yield made
    for app in made:
        app.close()


def open_app(apps: list[ClientApp], **options: Any) -> ClientApp:
    app = ClientApp(size=SIZE, **options)
    apps.append(app)
    return app


def step_until(app: ClientApp, condition: Callable[[], bool], what: str, frames: int = FRAMES) -> None:
    for _ in range(frames):
        if condition():
            return
        assert app.step(), "the app quit"
    raise AssertionError(f"not within {frames} frames: {what}")


def steps(app: ClientApp, n: int = 3) -> None:
    for _ in range(n):
        app.step()


def press(app: ClientApp, element: Any) -> None:
    """A real click in the middle of a widget, then frames for it to take effect."""
    steps(app, 2)
    UiInput.press(element)
    steps(app, 3)


class RecordingLink:
    """A stand-in link: what the screen sent is kept; what the test feeds comes out of `poll`."""

    def __init__(self, messages: list[dict[str, Any]] | None = None) -> None:
        self.messages = list(messages or [])
        self.sent: list[dict[str, Any]] = []

    def start(self) -> None:
        pass

    def send(self, message: dict[str, Any]) -> str:
        ref = f"r{len(self.sent) + 1}"
        self.sent.append({**message, "id": ref})
        return ref

    def poll(self) -> list[dict[str, Any]]:
        out, self.messages = self.messages, []
        return out

    def close(self) -> None:
        pass

    def types(self) -> list[str]:
        return [m["type"] for m in self.sent]


def umpire_table(game: Game, status: str = "running", **more: Any) -> dict[str, Any]:
    members = [
        {
            "id": "m1",
            "role": "umpire",
            "state": None,
            "name": "Umpire",
            "connected": True,
            "ready": False,
            "leader": False,
        },
        {
            "id": "m2",
            "role": "player",
            "state": "fra",
            "name": "Anna",
            "connected": True,
            "ready": False,
            "leader": False,
        },
        {
            "id": "m3",
            "role": "player",
            "state": "fra",
            "name": "Ben",
            "connected": False,
            "ready": False,
            "leader": True,
        },
        {
            "id": "m4",
            "role": "player",
            "state": "ger",
            "name": "Chloé",
            "connected": True,
            "ready": False,
            "leader": False,
        },
    ]
    table = {
        "game": "g-test",
        "status": status,
        "scenario": game.scenario.id,
        "title": game.scenario.title,
        "seats": {
            s.id: {
                "player": "human" if s.id in ("fra", "ger") else "bot" if s.playable else "none",
                "taken": s.id not in ("fra", "ger"),
                "members": 2 if s.id == "fra" else 1 if s.id == "ger" else 0,
            }
            for s in game.scenario.states
        },
        "clock": {"seconds": 600, "deadline": time.time() + 600, "paused": False, "remaining": None},
        "ready": ["ger"],
        "you": {"game": "g-test", "role": "umpire", "state": None},
        "codes": {
            "states": {"fra": "FRAC2345", "ger": "GERC2345"},
            "observer": "OBSV2345",
            "umpire": "UMPR2345",
        },
        "members": members,
        "orders_in": {"fra": 2},
    }
    table.update(more)
    return table


def umpire_app(
    apps: list[ClientApp], scenario: Any, game: Game, table: dict[str, Any], make_report: Any = None
) -> tuple[ClientApp, UmpireScreen, RecordingLink]:
    link = RecordingLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "g-test", "v": 1, "view": view_for(game, UMPIRE), "table": table},
        ]
    )
    app = open_app(apps, link=link, fps=None)
    assert app.game is not None
    app.game.kill()
    screen = UmpireScreen(
        app.manager,
        link,
        ClientState(),
        scenario=scenario,
        make_report=make_report,
        classroom={"address": "ws://10.0.0.5:8765", "bots": True},
    )
    app.game = screen
    steps(app, 4)
    return app, screen, link


# --- the handout -----------------------------------------------------------------------------------------


def test_handout_holds_every_code_a_qr_code_each_and_nothing_outside() -> None:
    codes = {
        "states": {"fra": "FRAC2345", "ger": "GERC6789", "rus": "RUSC2345"},
        "observer": "OBSV2345",
        "umpire": "UMPR2345",
    }
    states = [
        ("gbr", "Britain", "#e377c2"),
        ("fra", "France", "#0072b2"),
        ("ger", "Germany <b>", "#bcbd22"),
        ("rus", "Russia", "#9467bd"),
    ]
    page = handout_html(
        title="The July Crisis, 1914",
        game="g-1",
        address="ws://192.168.1.20:8765",
        codes=codes,
        states=states,
        people=5,
        deadline=600,
    )
    assert "ws://192.168.1.20:8765" in page and "10 min per phase" in page
    for code in ("FRAC2345", "GERC6789", "RUSC2345", "OBSV2345"):
        assert spaced(code) in page, code
        assert f"backchannel join ws://192.168.1.20:8765 {code}" in page
    assert "UMPR2345" not in page, "the umpire's code is the teacher's alone"
    assert "Britain" not in page, "a state played by a bot has no card"
    assert page.count("<svg") == 4, "a QR code per seat: three states and the observers"
    assert "Germany &lt;b&gt;" in page, "names are text, not markup"
    assert "for a team of 5" in page
    # Self-contained: no outside address of any kind, nothing fetched.
    for outside in ("http://", "https://", "src=", "href=", "@import", "url(", "//fonts", "<link", "<script"):
        assert outside not in page, outside


# --- the screen of each role -------------------------------------------------------------------------------


def test_the_screen_follows_the_seat_role(apps: list[ClientApp], hosted: HostedGame) -> None:
    assert screen_class("umpire") is UmpireScreen and screen_class("observer") is ObserverScreen
    assert screen_class("player") is GameScreen and screen_class(None) is GameScreen
    codes = hosted.codes

    observer = open_app(apps, join=(hosted.url, codes["observer"]))
    step_until(
        observer,
        lambda: isinstance(observer.game, ObserverScreen) and observer.game.scenario is not None,
        "the observer's screen",
    )
    steps(observer, 3)
    screen = observer.game
    assert isinstance(screen, ObserverScreen)
    assert screen.order_box is None and not hasattr(screen.status_bar, "ready_button"), "no player controls"
    assert pygame.display.get_caption()[0].startswith("Backchannel — Observer — The July Crisis")
    assert screen.status_bar.texts()["turn"] == "Waiting for the umpire to start"  # type: ignore[union-attr]
    observer.close()
    apps.remove(observer)

    player = open_app(apps, join=(hosted.url, codes["states"]["fra"], "Anna"))
    step_until(
        player,
        lambda: (
            player.game is not None
            and player.game.scenario is not None
            and player.game.state.my_state == "fra"
        ),
        "the player's screen",
    )
    steps(player, 3)
    assert type(player.game) is GameScreen and player.game.order_box is not None
    assert pygame.display.get_caption()[0] == "Backchannel — France (player) — The July Crisis, 1914"
    assert player.game.state.seat is not None and player.game.state.seat.get("name") in ("Anna", None)
    player.close()
    apps.remove(player)

    umpire = open_app(apps, session=hosted)
    step_until(
        umpire,
        lambda: (
            isinstance(umpire.game, UmpireScreen)
            and umpire.game.scenario is not None
            and umpire.game.state.table is not None
        ),
        "the umpire's screen",
    )
    steps(umpire, 3)
    assert (
        pygame.display.get_caption()[0]
        == f"Backchannel — Umpire — The July Crisis, 1914 — game {hosted.game}"
    )
    bar = umpire.game.status_bar
    assert bar is not None and bar.role.text == f"UMPIRE · game {hosted.game}"  # type: ignore[attr-defined]
    assert umpire.game.seats_panel is not None


def test_a_name_taken_on_the_team_is_refused_with_the_reason(
    apps: list[ClientApp], hosted: HostedGame
) -> None:
    first = open_app(apps, join=(hosted.url, hosted.codes["states"]["ger"], "Greta"))
    step_until(
        first, lambda: first.game is not None and first.game.state.my_state == "ger", "the first Greta"
    )
    second = open_app(apps, join=(hosted.url, hosted.codes["states"]["ger"], "Greta"))
    step_until(
        second,
        lambda: second.title is not None and "Could not join" in second.title.message,
        "the refusal on the title screen",
    )
    assert "name" in second.title.message.lower()  # type: ignore[union-attr]
    first.step()  # the first seat is untouched
    assert first.game is not None and first.game.state.my_state == "ger"


# --- the umpire's controls -------------------------------------------------------------------------------


def test_umpire_buttons_send_the_right_messages(apps: list[ClientApp], scenario: Any) -> None:
    game = Game(scenario, 3)
    records: list[dict[str, Any]] = []
    app, screen, link = umpire_app(
        apps,
        scenario,
        game,
        umpire_table(game, status="lobby"),
        make_report=lambda record: records.append(record) or Path("/tmp/report.html"),
    )
    bar = screen.status_bar
    assert bar is not None
    buttons = bar.buttons  # type: ignore[attr-defined]
    assert (
        buttons["start"].is_enabled and not buttons["pause"].is_enabled and not buttons["resolve"].is_enabled
    )
    press(app, buttons["start"])
    assert link.sent[-1] == {"type": "start", "fill_bots": True, "id": link.sent[-1]["id"]}

    # Running: pause, then the button says Resume; extend; resolve; the report.
    link.messages.append({"type": "table", "game": "g-test", "table": umpire_table(game)})
    steps(app)
    assert not buttons["start"].is_enabled and buttons["pause"].text == "Pause"
    press(app, buttons["pause"])
    assert link.sent[-1]["type"] == "pause"
    link.messages.append(
        {
            "type": "event",
            "game": "g-test",
            "v": 2,
            "event": {
                "kind": "clock",
                "seconds": 600,
                "deadline": None,
                "paused": True,
                "remaining": 420.0,
                "audience": "all",
            },
        }
    )
    steps(app)
    assert buttons["pause"].text == "Resume" and bar.clock.text == "07:00"  # type: ignore[attr-defined]
    press(app, buttons["pause"])
    assert link.sent[-1]["type"] == "resume"
    press(app, buttons["extend"])
    assert link.sent[-1]["type"] == "extend" and link.sent[-1]["seconds"] == 300
    press(app, buttons["resolve"])
    assert link.sent[-1]["type"] == "resolve"
    press(app, buttons["report"])
    assert link.sent[-1]["type"] == "get_record"
    link.messages.append(
        {"type": "record", "ref": link.sent[-1]["id"], "game": "g-test", "record": {"commands": []}}
    )
    for _ in range(200):
        app.step()
        if screen.report_path is not None:
            break
    assert records == [{"commands": []}] and screen.report_path == Path("/tmp/report.html")
    assert any("Report written" in t.text for t in screen.toasts)

    # Seats: replace a team by a bot, kick a person, name a leader, let every member sign.
    assert screen.side is not None
    screen.side.show("seats")
    steps(app)
    seats = screen.seats_panel
    assert seats is not None
    assert [r.text for r in seats.rows][:4] == [
        "Britain · bot",
        "France · 2 joined, 1 online · not ready · 2 orders",
        "      Anna — online",
        "      Ben — away, leader",
    ]
    seats.select("s_fra")
    sent = len(link.sent)
    press(app, seats.replace_button)
    assert seats.confirm is not None and len(link.sent) == sent, "nothing sent before the teacher confirms"
    press(app, seats.confirm.confirm_button)
    assert link.sent[-1] == {"type": "replace", "state": "fra", "id": link.sent[-1]["id"]}
    seats.select("m_m2")
    press(app, seats.kick_button)
    assert seats.confirm is not None
    press(app, seats.confirm.confirm_button)
    assert link.sent[-1] == {"type": "kick", "member": "m2", "id": link.sent[-1]["id"]}
    press(app, seats.leader_button)
    assert link.sent[-1] == {"type": "leader", "state": "fra", "member": "m2", "id": link.sent[-1]["id"]}
    press(app, seats.no_leader_button)
    assert link.sent[-1] == {"type": "leader", "state": "fra", "member": None, "id": link.sent[-1]["id"]}
    seats.select("s_gbr")  # a bot's state cannot be given to a bot, nor kicked
    steps(app)
    assert not seats.replace_button.is_enabled and not seats.kick_button.is_enabled

    # Injects: a prepared one, then one written on the spot.
    screen.side.show("injects")
    steps(app)
    injects = screen.injects
    assert injects is not None
    prepared = injects.injects()
    assert prepared, "july-1914 prepares injects"
    first = prepared[0]
    injects.select(first["id"])
    steps(app)
    assert first["title"] in injects.card.html_text
    press(app, injects.release_button)
    assert link.sent[-1] == {"type": "inject", "inject": first["id"], "id": link.sent[-1]["id"]}
    press(app, injects.write_button)
    window = injects.window
    assert window is not None
    press(app, window.release_button)
    assert window.error.text == "Give the inject a title." and link.sent[-1]["type"] == "inject"
    window.title_entry.set_text("General strike in Petrograd")
    window.text_entry.set_text("The capital is paralysed.")
    window.effect_menu.selected_option = ("Legitimacy", "#legitimacy")
    window.effect_state.selected_option = ("Russia", "#rus")
    window.delta_entry.set_text("-15")
    press(app, window.release_button)
    assert link.sent[-1]["card"] == {
        "title": "General strike in Petrograd",
        "text": "The capital is paralysed.",
        "audience": "all",
        "effects": [{"kind": "legitimacy", "state": "rus", "delta": -15}],
    }
    # The server refuses it (say the effect names a state it does not know): the reason shows, the window stays.
    link.messages.append(
        {
            "type": "error",
            "code": "unknown_state",
            "ref": link.sent[-1]["id"],
            "message": "effect 1: no state 'rus' in this game",
        }
    )
    steps(app)
    assert injects.window is window and "No such state" in window.error.text


def test_seats_empty_asks_the_teacher_then_starts_confirmed(
    apps: list[ClientApp], hosted: HostedGame
) -> None:
    app = open_app(apps, session=hosted)
    step_until(
        app,
        lambda: (
            isinstance(app.game, UmpireScreen)
            and app.game.status_bar is not None
            and app.game.state.status == "lobby"
        ),
        "the umpire's screen",
    )
    screen = app.game
    assert isinstance(screen, UmpireScreen)
    start = screen.status_bar.buttons["start"]  # type: ignore[union-attr]
    press(app, start)
    step_until(app, lambda: screen.confirm_dialog is not None, "the question")
    assert sorted(screen.empty_states) == ["fra", "ger"] and screen.state.status == "lobby"
    text = screen.confirm_dialog.confirmation_text.html_text  # type: ignore[union-attr]
    assert "France and Germany" in text and "Bots will play them" in text
    assert not screen.toasts, "a question, not an error"
    steps(app, 3)
    app.screenshot(SHOTS / "umpire-seats-empty.png")
    press(app, screen.confirm_dialog.cancel_button)  # type: ignore[union-attr]
    steps(app, 10)
    assert screen.state.status == "lobby", "cancelled: nothing started"

    press(app, start)
    step_until(app, lambda: screen.confirm_dialog is not None, "the question again")
    press(app, screen.confirm_dialog.confirm_button)  # type: ignore[union-attr]
    step_until(app, lambda: screen.state.status == "running", "the start, confirmed")
    seats = (screen.state.table or {}).get("seats") or {}
    assert seats["fra"]["player"] == "bot" and seats["ger"]["player"] == "bot"


def test_the_report_button_hands_the_servers_record_to_the_launcher(
    apps: list[ClientApp], hosted: HostedGame, tmp_path: Path
) -> None:
    got: list[dict[str, Any]] = []

    def make_report(record: dict[str, Any]) -> Path:
        got.append(record)
        return tmp_path / "report.html"

    hosted.make_report = make_report  # type: ignore[method-assign]
    app = open_app(apps, session=hosted)
    step_until(
        app, lambda: isinstance(app.game, UmpireScreen) and app.game.status_bar is not None, "the screen"
    )
    screen = app.game
    assert isinstance(screen, UmpireScreen) and screen.make_report is make_report
    press(app, screen.status_bar.buttons["report"])  # type: ignore[union-attr]
    step_until(app, lambda: screen.report_path is not None, "the report")
    assert screen.report_path == tmp_path / "report.html"
    (record,) = got
    assert record.get("game") == hosted.game and record.get("scenario_text")


def test_the_hosts_report_is_the_debrief_page_and_the_grades(hosted: HostedGame) -> None:
    """The launcher's make_report turns the server's record into the debrief (game/debrief) and grades."""
    link = hosted.link
    for message in (
        {"type": "start", "fill_bots": True, "confirm": True},
        {"type": "resolve"},
        {"type": "get_record"},
    ):
        reply = link.wait_reply(link.send(message), 30)
        assert reply is not None and reply["type"] in ("ack", "record"), reply
    path = hosted.make_report(reply["record"])
    assert path == hosted.folder / "report.html" and hosted.reports == [path]
    page = path.read_text(encoding="utf-8")
    assert "The July Crisis" in page and "<html" in page.lower()
    grades = (hosted.folder / "grades.csv").read_text(encoding="utf-8").splitlines()
    assert grades[0].startswith("row,name,state") and any(",fra," in row for row in grades[1:])


# --- the Everything page --------------------------------------------------------------------------------


def busy_game(scenario: Any) -> Game:
    """Messages (one public, one marked deceptive), a secret agreement with an annex, signed."""
    game = Game(scenario, 5)
    for i in range(PAGE + 12):
        sender, to = ("fra", ["rus"]) if i % 3 else ("ger", ["aus"])
        game.apply(
            {
                "kind": "press",
                "state": sender,
                "to": to,
                "text": f"private word number {i}",
                "sincerity": "deceptive" if i == 7 else "sincere",
            }
        )
    game.apply({"kind": "press", "state": "gbr", "to": [], "text": "Britain stands by Belgium."})
    events = game.apply(
        {
            "kind": "propose",
            "state": "fra",
            "parties": ["fra", "rus"],
            "visibility": "public",
            "title": "Entente of the bench",
            "clauses": [{"kind": "non_aggression"}],
            "annex": [{"kind": "free_text", "text": "Russia mobilises first."}],
            "duration": 3,
        }
    )
    ref = next(e["agreement"] for e in events if e.get("kind") == "agreement_proposed")
    game.apply({"kind": "sign", "state": "rus", "agreement": ref})
    return game


def test_the_everything_page_lists_what_the_umpire_view_holds(apps: list[ClientApp], scenario: Any) -> None:
    game = busy_game(scenario)
    view = view_for(game, UMPIRE)
    app, screen, link = umpire_app(apps, scenario, game, umpire_table(game))
    link.messages.append(
        {
            "type": "event",
            "game": "g-test",
            "v": 2,
            "event": {
                "kind": "orders_submitted",
                "state": "fra",
                "turn": view["turn"],
                "phase": view["phase"],
                "orders": ["A par - bur", "F bre - mao"],
                "audience": ["fra"],
                "author": "Anna",
            },
        }
    )
    assert screen.side is not None
    screen.side.show("everything")
    steps(app, 4)
    page = screen.everything
    assert page is not None
    text = page.page_text()
    names = Names(view, scenario)
    # Orders as given, with the ready flag; a count from the table where the orders came before.
    assert "A par - bur" in text and "F bre - mao" in text and "✓ ready" in text
    # Every agreement, its secret annex and who knows it, its leak chance.
    for a in view["agreements"]:
        assert (a.get("title") or a["id"]) in text.replace("&#x27;", "'")
    assert "annex: “Russia mobilises first.”" in text and "annex known to France and Russia" in text
    assert re.search(r"chance this turn \d+%", text)
    # Legitimacy and treasury of every state, trust figures.
    for s in view["states"]:
        assert f"{names.state(s['id'])}</font>" in text or names.state(s["id"]) in text
        assert f"legitimacy <b>{s['legitimacy']}</b>" in text
    assert "trusts" in text and f"treasury {view['treasury']['fra']}" in text
    # Messages, newest first, with audience and sincerity mark; the latest page holds the public statement.
    assert "Britain stands by Belgium." in text and "→ everyone" in text
    shown, total = message_page(view, None, 0)
    assert total == len(view["messages"]) == PAGE + 13 and len(shown) == PAGE
    assert f"1–{PAGE} of {total}" in text
    assert "private word number 0" not in text, "older messages are on the next page"
    press(app, page.older_button)
    assert "private word number 0" in page.page_text() and "<i>deceptive</i>" in page.page_text()
    # Filtered by state: only what France sent or received (and public statements).
    page.show_state("ger")
    steps(app)
    assert all(involves(m, "ger") for m in message_page(view, "ger", 0)[0])
    cards = page.columns["messages"].texts
    assert all("Germany" in html or "everyone" in html for key, html in cards.items() if key != "head")
    assert "to or from Germany" in cards["head"]
    app.screenshot(SHOTS / "umpire-everything.png")


def test_seat_rows_read_the_table(scenario: Any) -> None:
    game = Game(scenario, 3)
    table = umpire_table(game)
    names = Names(view_for(game, UMPIRE), scenario)
    rows = seat_rows(
        table,
        names,
        {"fra": ["A par H", "F bre H", "A mar H"]},
        [s.id for s in scenario.states if s.playable],
    )
    texts = [r.text for r in rows]
    assert "France · 2 joined, 1 online · not ready · 3 orders" in texts
    assert "Germany · 1 joined, 1 online · ready ✓ · 0 orders" in texts
    assert texts[-1] == "Umpire: Umpire — online"
    assert any(t.startswith("Other states: ") for t in texts)
    assert next(r for r in rows if r.text == "      Ben — away, leader").member == "m3"


# --- the observer's screen ------------------------------------------------------------------------------


def test_the_observer_screen_shows_public_news_and_the_clock(apps: list[ClientApp], scenario: Any) -> None:
    game = busy_game(scenario)
    view = view_for(game, OBSERVER)
    table = {
        "game": "g-test",
        "status": "running",
        "scenario": "july-1914",
        "title": scenario.title,
        "seats": {},
        "clock": {"seconds": 600, "deadline": time.time() + 125, "paused": False, "remaining": None},
        "ready": ["fra"],
        "you": {"game": "g-test", "role": "observer", "state": None},
    }
    link = RecordingLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "g-test", "v": 1, "view": view, "table": table},
        ]
    )
    app = open_app(apps, link=link, fps=None)
    step_until(app, lambda: isinstance(app.game, ObserverScreen), "the observer's screen from the role")
    app.game.kill()
    screen = ObserverScreen(app.manager, link, app.game.state, scenario=scenario)
    app.game = screen
    link.messages.append(
        {
            "type": "event",
            "game": "g-test",
            "v": 2,
            "event": {
                "kind": "inject",
                "id": "ultimatum",
                "title": "Vienna's ultimatum to Belgrade",
                "text": "48 hours.",
                "effects": [],
                "audience": "all",
            },
        }
    )
    steps(app, 4)
    news = public_news(screen.state.view, screen.state.events, Names(screen.state.view, scenario))
    lines = [text for _, text in news]
    assert lines[0] == "NEWS: Vienna's ultimatum to Belgrade — 48 hours."
    assert "Britain said in public: “Britain stands by Belgium.”" in lines
    assert not any("private word" in line for line in lines), "an observer sees public facts only"
    texts = screen.status_bar.texts()  # type: ignore[union-attr]
    assert texts["turn"].startswith("Turn 1") and texts["phase"] == "Movement phase · 1 ready"
    assert re.fullmatch(r"0[12]:\d\d", texts["clock"]) and texts["clock_note"] == "left in this phase"
    assert "ultimatum" in screen.news.box.html_text
    assert link.sent == [] or all(m["type"] == "get_scenario" for m in link.sent), "an observer sends nothing"
    app.screenshot(SHOTS / "observer.png")


# --- hosting ---------------------------------------------------------------------------------------------


def test_hosting_serves_the_network_and_writes_the_handout(hosted: HostedGame, home: Path) -> None:
    assert hosted.server.host == "0.0.0.0" and hosted.server.running
    assert re.fullmatch(rf"ws://[0-9.]+:{hosted.port}", hosted.address)
    page = hosted.handout.read_text(encoding="utf-8")
    assert hosted.handout.parent == home / "classroom" / hosted.game
    assert hosted.address in page and page.count("<svg") == 3
    for code in (*hosted.codes["states"].values(), hosted.codes["observer"]):
        assert spaced(code) in page
    assert set(hosted.codes["states"]) == {"fra", "ger"}, "the other states are bots from the start"
    assert hosted.codes["umpire"] not in page
    room = hosted.classroom
    assert room["address"] == hosted.address and room["handout"] == str(hosted.handout)
    assert f"TCP port {hosted.port}" in room["port_help"] and room["bots"] is True
    text = describe(hosted)
    assert f"Students join at: {hosted.address}" in text and f"Handout to print: {hosted.handout}" in text
    assert spaced(hosted.codes["umpire"]) in text, "the teacher's own code is printed in the terminal"
    assert re.search(rf"France +{spaced(hosted.codes['states']['fra'])}", text)


def test_backchannel_host_prints_the_address_and_opens_the_umpire_screen(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[Any] = []

    def run_client(**options: Any) -> int:
        session = options["session"]
        opened.append((type(session).__name__, session.link.seat, session.handout.is_file()))
        return 0

    monkeypatch.setattr(app_module, "run_client", run_client)
    from game.cli import app as cli

    result = CliRunner().invoke(
        cli,
        [
            "host",
            "--port",
            "0",
            "--states",
            "fra,rus",
            "--people",
            "4",
            "--deadline",
            "5",
            "--out",
            str(tmp_path / "class"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert (
        "Students join at: ws://" in result.output
        and f"Handout to print: {tmp_path / 'class'}" in result.output
    )
    ((kind, seat, handout),) = opened
    assert kind == "HostedGame" and seat["role"] == "umpire" and handout
    page = (tmp_path / "class" / "handout.html").read_text(encoding="utf-8")
    assert "5 min per phase" in page and "for a team of 4" in page
    bad = CliRunner().invoke(cli, ["host", "--port", "0", "--states", "fra,xyz"])
    assert bad.exit_code == 1 and "no playable state xyz" in bad.output


def test_host_a_game_from_the_title_screen(apps: list[ClientApp]) -> None:
    hosting = Hosting(open_reports=False)
    app = open_app(apps, hosting=hosting)
    try:
        steps(app)
        title = app.title
        assert title is not None and title.host_button.is_enabled
        press(app, title.host_button)
        window = title.host_window
        assert window is not None
        window.port_entry.set_text("0")
        for item in window.state_list.item_list:  # students play France and Russia only
            if item["object_id"] not in ("#fra", "#rus") and item["selected"]:
                UiInput.press(item["button_element"])
                steps(app, 2)
        steps(app, 2)
        app.screenshot(SHOTS / "host-window.png")
        press(app, window.host_button)
        step_until(
            app,
            lambda: (
                isinstance(app.game, UmpireScreen)
                and app.game.scenario is not None
                and app.game.state.table is not None
            ),
            "the umpire's screen of the hosted game",
        )
        hosted = hosting.current
        assert hosted is not None and set(hosted.codes["states"]) == {"fra", "rus"}
        screen = app.game
        assert isinstance(screen, UmpireScreen) and screen.classroom["address"] == hosted.address
        assert screen.seats_panel is not None
        steps(app, 3)
        assert hosted.address in screen.seats_panel.join_box.html_text
    finally:
        app.close()
        apps.remove(app)
        hosting.close()


def test_a_student_pressing_umpire_buttons_is_refused_by_the_server(
    apps: list[ClientApp], hosted: HostedGame
) -> None:
    student = open_app(apps, join=(hosted.url, hosted.codes["states"]["fra"], "Anna"))
    step_until(student, lambda: student.game is not None and student.game.state.my_state == "fra", "the seat")
    assert student.game is not None
    student.game.send({"type": "start", "fill_bots": True, "confirm": True})
    step_until(
        student, lambda: any("Only the umpire can" in t.text for t in student.game.toasts), "the refusal"
    )
    assert student.game.state.status == "lobby"
