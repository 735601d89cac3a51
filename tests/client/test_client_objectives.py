"""The title screen's gallery of scenarios and the game screen's objectives panel, headless.

The gallery: every bundled scenario is a card with its map drawn from the scenario; a click (or
the arrow keys) chooses one, and the state picker and briefing follow; the maps are drawn a few
a frame and kept in memory; the cards fit and scroll at the smallest window.

The objectives panel: the real game screen, fed by the server's own game core (`Session`, as in
test_client_panels.py): my objectives' statuses from the view, a `me` delta within the phase
(an alliance signed) moving one of them through game/client/state.py, and a status that changes
changing what is drawn.  Screenshots go to build/screenshots/ (not committed).
"""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

import copy
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pygame
import pytest
from test_client_panels import Table

import game.client.gallery as gallery_module
import game.client.title_screen as title_module
from game.client.app import ClientApp
from game.client.gallery import MapWorker, ScenarioGallery, ThumbnailShelf, first_sentence, scenario_line
from game.client.game_screen import GameScreen
from game.client.panels.objectives import STATUS_MARKS, ObjectivesPanel, objective_html, summary_text
from game.client.scenario_cache import ScenarioCache
from game.client.state import ClientState
from game.launchers.demo import UiInput
from game.launchers.play import LocalPlay  # noqa: F401  (hands the scenario loader to the client's cache)
from game.rules.scenario import Scenario
from game.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "build" / "screenshots"
KNOWN = ("bismarck-1887", "europe-1939", "july-1914", "plombieres-1858")
"""Bundled scenarios that exist for sure (others are being added beside them)."""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One scenario cache for the module's tests: each scenario file is parsed once."""
    return tmp_path_factory.mktemp("home")


@pytest.fixture
def shelf(monkeypatch: pytest.MonkeyPatch, home: Path) -> ThumbnailShelf:
    """A fresh shelf of maps and worker for each test (nothing drawn or drawing before it)."""
    monkeypatch.setenv("BACKCHANNEL_HOME", str(home))
    fresh = ThumbnailShelf()
    monkeypatch.setattr(title_module, "THUMBNAILS", fresh)
    monkeypatch.setattr(gallery_module, "WORKER", MapWorker())
    return fresh


@pytest.fixture
def apps() -> Iterator[list[ClientApp]]:
    opened: list[ClientApp] = []
    yield opened
    for app in opened:
        app.close()


def steps(app: ClientApp, n: int = 3) -> None:
    for _ in range(n):
        assert app.step(), "the app quit"


def step_until(app: ClientApp, condition: Callable[[], bool], what: str, seconds: float = 120.0) -> None:
    """Step frames until `condition` holds (the gallery's worker draws in its own thread)."""
    end = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < end, f"not within {seconds} s: {what}"
        steps(app, 1)
        time.sleep(0.002)


def title_app(apps: list[ClientApp], size: tuple[int, int] = (1280, 800)) -> ClientApp:
    app = ClientApp(size=size, fps=None)
    apps.append(app)
    assert app.title is not None
    return app


def distinct_colours(surface: pygame.Surface) -> int:
    small = pygame.transform.scale(surface, (32, 20))
    return len({tuple(small.get_at((x, y)))[:3] for x in range(32) for y in range(20)})


# --- the gallery ---------------------------------------------------------------------------------


def test_the_gallery_shows_every_bundled_scenario_with_its_map(
    apps: list[ClientApp], shelf: ThumbnailShelf
) -> None:
    app = title_app(apps)
    title = app.title
    assert title is not None and title.gallery is not None
    gallery = title.gallery
    bundled = ScenarioCache.bundled_ids()
    assert set(KNOWN) <= set(bundled)
    assert [c.key for c in gallery.cards] == bundled, "one card per scenarios/*.yaml, in order"
    assert title.scenario_id == "july-1914" and gallery.selected == "july-1914", "the default stays July 1914"
    assert gallery.card("july-1914").button.is_selected  # type: ignore[union-attr]
    step_until(app, lambda: gallery.done, "the frames fill every card in")
    for card in gallery.cards:
        if card.key not in KNOWN and card.scenario is None:
            continue  # a scenario another hand is still writing
        scenario = card.scenario
        assert scenario is not None, f"{card.key} cannot be read"
        thumbnail = gallery.thumbnail(card.key)
        assert isinstance(thumbnail, pygame.Surface) and thumbnail.get_size() == gallery.thumb_size
        assert distinct_colours(thumbnail) > 4, f"{card.key}: a map, not a blank"
        assert card.title == scenario.title and card.line == scenario_line(scenario)
        assert str(scenario.calendar.start_year) in card.line and "to play" in card.line
        assert first_sentence(scenario.briefing)[:40] in card.button.tool_tip_text.replace("&amp;", "&")
    assert "Open a scenario file" in title.open_button.text, "files can still be opened"
    app.screenshot(SHOTS / "title-gallery.png")


def test_choosing_a_card_chooses_the_scenario_and_its_states(
    apps: list[ClientApp], shelf: ThumbnailShelf
) -> None:
    app = title_app(apps)
    title = app.title
    assert title is not None and title.gallery is not None
    title.gallery.finish()
    steps(app)
    july_states = [sid for _, sid in title._states]
    UiInput.press(title.gallery.card("bismarck-1887").button)  # type: ignore[union-attr]
    steps(app)
    assert title.scenario_id == "bismarck-1887"
    assert title.gallery.card("bismarck-1887").button.is_selected  # type: ignore[union-attr]
    assert not title.gallery.card("july-1914").button.is_selected  # type: ignore[union-attr]
    assert [sid for _, sid in title._states] != july_states and title.state_id == title._states[0][1]
    assert "Bismarck" in title.briefing.html_text and "Objectives" in title.briefing.html_text
    assert title.scenario_label.text == title.scenario("bismarck-1887").title  # type: ignore[union-attr]
    # The chosen card outlines the chosen state's homes: choosing another state redraws its map.
    before = title.gallery.thumbnail("bismarck-1887")
    UiInput.press(title.state_list.item_list[2]["button_element"])
    steps(app)
    title.gallery.finish()
    after = title.gallery.thumbnail("bismarck-1887")
    assert title.state_id == title._states[2][1] and after is not None and before is not None
    assert pygame.image.tobytes(after, "RGB") != pygame.image.tobytes(before, "RGB")
    # The arrow keys walk the gallery (when no text field has the keys).
    UiInput.key(pygame.K_RIGHT)
    steps(app)
    keys = [c.key for c in title.gallery.cards]
    assert title.scenario_id == keys[(keys.index("bismarck-1887") + 1) % len(keys)]


def test_maps_are_drawn_off_the_frame_and_kept_in_memory(
    apps: list[ClientApp], shelf: ThumbnailShelf
) -> None:
    app = title_app(apps)
    title = app.title
    assert title is not None and title.gallery is not None
    gallery = title.gallery
    assert shelf.drawn == 0, "building the title screen draws no map: the first frame comes at once"
    # A map that takes its time to draw: the frames go on meanwhile.
    release = threading.Event()
    draw = shelf.thumbnail

    def slow(scenario: Scenario, size: tuple[int, int], state_id: str | None = None) -> pygame.Surface:
        release.wait(10)
        return draw(scenario, size, state_id)

    shelf.thumbnail = slow  # type: ignore[method-assign]
    assert gallery.step() == 0, "the frame does not wait for the map"
    steps(app, 5)
    assert not gallery.done and gallery.thumbnail("july-1914") is None
    release.set()
    step_until(app, lambda: gallery.thumbnail("july-1914") is not None, "the chosen scenario's map")
    assert sum(gallery.thumbnail(c.key) is not None for c in gallery.cards) == 1, "the chosen scenario first"
    gallery.finish()
    drawn = shelf.drawn
    app.resize((1100, 760))
    assert app.title is not None and app.title.gallery is not None
    app.title.gallery.finish()
    assert shelf.drawn == drawn + len(gallery.cards), "a new size: drawn again"
    app.resize((1280, 800))  # a size already seen: the maps come off the shelf
    title = app.title
    assert title is not None and title.gallery is not None
    assert title.gallery.done and shelf.drawn == drawn + len(gallery.cards), "nothing drawn again"
    app.show_title()  # after a game, say: a new title screen
    assert app.title is not None and app.title.gallery is not None and app.title.gallery.done


def test_a_scenario_that_cannot_be_read_is_a_card_that_says_so(
    apps: list[ClientApp], shelf: ThumbnailShelf
) -> None:
    app = title_app(apps)
    title = app.title
    assert title is not None and title.gallery is not None
    gallery = ScenarioGallery(
        app.manager,
        pygame.Rect(0, 0, 640, 400),
        ["july-1914", "nowhere-1999"],
        title.scenario,
        selected="july-1914",
        shelf=shelf,
    )
    gallery.finish()
    broken = gallery.card("nowhere-1999")
    assert broken is not None and broken.line == "cannot be read" and not broken.button.is_enabled
    assert gallery.neighbour("july-1914", 1) == "july-1914", "the arrows skip it"
    gallery.kill()


@pytest.mark.parametrize("size", [(1024, 700), (1280, 800), (1600, 1000)])
def test_the_gallery_fits_the_window_and_scrolls_when_it_must(
    apps: list[ClientApp], shelf: ThumbnailShelf, size: tuple[int, int]
) -> None:
    app = title_app(apps, size)
    title = app.title
    assert title is not None and title.gallery is not None
    gallery = title.gallery
    steps(app)
    window = pygame.Rect((0, 0), size)
    view = gallery.scroll.get_abs_rect()
    assert window.contains(view) and view.bottom < title.briefing.get_abs_rect().top, "above the briefing"
    assert title.briefing.get_abs_rect().height >= 200, "the briefing keeps room to be read"
    rects = [c.rect for c in gallery.cards]
    assert all(r.right <= view.w for r in rects), "no card runs under the scroll bar or off the side"
    assert not any(a.colliderect(b) for i, a in enumerate(rects) for b in rects[i + 1 :]), (
        "cards never overlap"
    )
    needed = max(r.bottom for r in rects)
    if needed > view.h:
        assert gallery.scroll.vert_scroll_bar is not None, "more cards than fit: it scrolls"
    # Many scenarios (ten, as more are bundled): the grid still fits, one row and a half in sight.
    cols, card_w, _, height = ScenarioGallery.grid(view.w, 10, view.h)
    assert cols * card_w + (cols - 1) * 10 <= view.w and height <= view.h
    assert ScenarioGallery.height_for(view.w, 10, 10_000) > ScenarioGallery.height_for(view.w, 10, view.h)
    if size == (1024, 700):  # the smallest window, maps and all
        gallery.finish()
        steps(app)
        app.screenshot(SHOTS / "title-gallery-smallest.png")


def test_a_chosen_card_far_down_is_scrolled_into_sight(apps: list[ClientApp], shelf: ThumbnailShelf) -> None:
    app = title_app(apps, (1024, 700))
    title = app.title
    assert title is not None and title.gallery is not None
    gallery = title.gallery
    last = gallery.cards[-1]
    title.choose_scenario(last.key)
    steps(app, 4)
    view = gallery.scroll.get_abs_rect()
    shown = last.button.get_abs_rect()
    assert view.top - 1 <= shown.top and shown.bottom <= view.bottom + 1, "the chosen card is in sight"


def test_a_scenario_file_opened_joins_the_gallery_chosen(
    apps: list[ClientApp], shelf: ThumbnailShelf, tmp_path: Path
) -> None:
    mine = tmp_path / "my-board.yaml"
    mine.write_text(
        (ROOT / "tests" / "fixtures" / "classic_board.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    app = title_app(apps)
    title = app.title
    assert title is not None and title.open_file(str(mine))
    gallery = title.gallery
    assert gallery is not None and gallery.cards[-1].key == str(mine) and gallery.selected == str(mine)
    gallery.finish()
    card = gallery.cards[-1]
    assert card.line.startswith("my-board.yaml · ") and gallery.thumbnail(str(mine)) is not None
    assert card.button.is_selected and title.scenario_id == str(mine)


# --- the objectives panel ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def bismarck() -> Scenario:
    return load_scenario(ROOT / "scenarios" / "bismarck-1887.yaml")


class QuietLink:
    """The game screen's link: the server's frames reach the screen's ClientState through the table."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def start(self) -> None: ...

    def send(self, message: dict[str, Any]) -> str:
        self.sent.append(message)
        return f"r{len(self.sent)}"

    def poll(self) -> list[dict[str, Any]]:
        return []

    def close(self) -> None: ...


def france_screen(apps: list[ClientApp], scenario: Scenario) -> tuple[ClientApp, GameScreen, Table]:
    """The player's game screen of France, its ClientState fed by the session as the server feeds a seat."""
    table = Table(scenario)
    link = QuietLink()
    app = ClientApp(link=link, size=(1280, 800), fps=None)  # type: ignore[arg-type]
    apps.append(app)
    assert app.game is not None
    app.game.kill()
    state = ClientState()
    state.apply({"type": "link", "state": "online"})
    state.apply(table.session.view_message(table.members["fra"]))
    table.clients["fra"] = state
    screen = GameScreen(app.manager, link, state, scenario=scenario)
    app.game = screen
    steps(app, 3)
    return app, screen, table


def statuses(screen: GameScreen) -> list[str]:
    return [o["status"] for o in (screen.state.view or {})["me"]["objectives"]]


def panel_pixels(app: ClientApp, panel: ObjectivesPanel) -> bytes:
    return pygame.image.tobytes(app.surface.subsurface(panel.list.get_abs_rect()), "RGB")


def test_the_objectives_panel_shows_my_statuses_and_follows_a_me_delta(
    apps: list[ClientApp], bismarck: Scenario
) -> None:
    app, screen, table = france_screen(apps, bismarck)
    assert screen.status_bar is not None and screen.side is not None
    assert "France" in screen.caption() and screen.status_bar.playing.text == "France", "which state I play"
    assert screen.objectives_panel is None, "built when first shown"
    UiInput.press(screen.status_bar.objectives)
    steps(app)
    panel = screen.objectives_panel
    assert screen.side.current == "goals" and panel is not None, "the status bar's button opens the panel"
    objectives = (screen.state.view or {})["me"]["objectives"]
    assert [o["summary"] for o in panel.objectives] == [o["summary"] for o in objectives]
    for o in objectives:
        mark = STATUS_MARKS[o["status"]]
        assert objective_html(o) in panel.html
        assert f"{mark.symbol} {mark.word}" in objective_html(o) and mark.colour in objective_html(o)
        assert f"{o['points']} of {o['worth']} point" in objective_html(o)
    alliance = next(i for i, o in enumerate(objectives) if o["kind"] == "obtain_agreement")
    assert objectives[alliance]["status"] == "not_yet" and "NOT YET" in panel.html
    assert panel.summary.text == summary_text(objectives)
    button_before = screen.status_bar.objectives.text

    # An alliance with Russia, signed within the phase: the server's `me` delta moves the objective.
    reply = table.apply(
        {
            "kind": "propose",
            "state": "fra",
            "parties": ["fra", "rus"],
            "visibility": "secret",
            "title": "Franco-Russian alliance",
            "clauses": [{"kind": "mutual_defence"}],
        }
    )
    table.apply({"kind": "sign", "state": "rus", "agreement": reply["result"]["agreement"]})
    assert any(e.get("kind") == "me" for e in screen.state.events), "a `me` delta reached the client's state"
    before = panel_pixels(app, panel)
    steps(app, 3)
    assert statuses(screen)[alliance] == "met"
    assert (
        panel.objectives[alliance]["status"] == "met"
        and objective_html(panel.objectives[alliance]) in panel.html
    )
    assert "✓ MET" in objective_html(panel.objectives[alliance])
    assert screen.status_bar.objectives.text != button_before, "the bar's count follows"
    assert panel_pixels(app, panel) != before, "what is drawn changed"
    app.screenshot(SHOTS / "objectives-panel.png")


def test_a_status_that_changes_changes_what_is_drawn(apps: list[ClientApp], bismarck: Scenario) -> None:
    app, screen, _ = france_screen(apps, bismarck)
    assert screen.side is not None
    UiInput.key(pygame.K_g, "g")  # the keyboard way to the panel
    steps(app, 3)
    panel = screen.objectives_panel
    assert screen.side.current == "goals" and panel is not None
    me = copy.deepcopy((screen.state.view or {})["me"])
    met = next(i for i, o in enumerate(me["objectives"]) if o["status"] == "met")
    drawn = panel_pixels(app, panel)
    html = panel.html
    me["objectives"][met].update(status="failed", points=0, detail="lost for good")
    screen.state.apply(
        {"type": "event", "game": "g-test", "v": screen.state.v + 1, "event": {"kind": "me", "me": me}}
    )
    steps(app, 3)
    assert panel.objectives[met]["status"] == "failed"
    assert "✗ FAILED" in panel.html and "lost for good" in panel.html and panel.html != html
    assert panel_pixels(app, panel) != drawn, "a failed objective is drawn otherwise than a met one"
    # Seen from another tab, the change is counted on the Goals tab until it is opened.
    screen.side.show("orders")
    me = copy.deepcopy(me)
    me["objectives"][met].update(status="not_yet")
    screen.state.apply(
        {"type": "event", "game": "g-test", "v": screen.state.v + 1, "event": {"kind": "me", "me": me}}
    )
    steps(app, 2)
    assert screen.side.tab("goals").button.text == "Goals (1)"
    screen.show_objectives()
    steps(app, 2)
    assert screen.side.tab("goals").button.text == "Goals"


def test_without_statuses_the_panel_lists_the_scenario_s_objectives(
    apps: list[ClientApp], bismarck: Scenario
) -> None:
    """A view without `me.objectives` (an older server): the scenario's words and worth, status unknown."""
    app, screen, _ = france_screen(apps, bismarck)
    view = screen.state.view or {}
    del view["me"]["objectives"]
    screen.state.revision += 1
    screen.show_objectives()
    steps(app, 3)
    panel = screen.objectives_panel
    assert panel is not None and "TO BE SEEN" in panel.html
    assert [o["worth"] for o in panel.objectives] == [o.points for o in bismarck.state("fra").objectives]


def test_observers_and_the_umpire_have_no_objectives_panel(apps: list[ClientApp], bismarck: Scenario) -> None:
    """An objectives panel is a seat's own: the projector and the umpire's screen have none."""
    from game.client.observer_screen import ObserverScreen
    from game.client.umpire import UmpireScreen

    app = ClientApp(link=QuietLink(), size=(1280, 800), fps=None)  # type: ignore[arg-type]
    apps.append(app)
    assert app.game is not None
    app.game.kill()
    for cls in (ObserverScreen, UmpireScreen):
        screen = cls(app.manager, QuietLink(), ClientState(), scenario=bismarck)
        assert screen.side is not None and "goals" not in [t.key for t in screen.side.tabs]
        assert screen.objectives_panel is None
        screen.kill()
