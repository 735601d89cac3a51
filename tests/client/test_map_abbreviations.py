"""Every territory named on the client's map (issue 13, point 3): in words, or where too small by an
abbreviation ("Bel.") that hovering expands and the legend (L, or the Legend button) lists."""

from __future__ import annotations

import os

os.environ["SDL_VIDEODRIVER"] = "dummy"
os.environ["SDL_AUDIODRIVER"] = "dummy"

from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pygame
import pygame_gui
import pytest

from game.client.app import ClientApp
from game.client.game_screen import GameScreen
from game.client.map_view import MapView
from game.client.scenario_cache import ScenarioCache
from game.client.state import ClientState
from game.render.labels import abbreviation_candidates, abbreviations
from game.rules.game import Game
from game.rules.views import view_for

SHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"


class StandInLink:
    def __init__(self, messages: list[dict[str, Any]]) -> None:
        self.messages = messages

    def start(self) -> None:
        pass

    def send(self, message: dict[str, Any]) -> int:
        return 1

    def poll(self) -> list[dict[str, Any]]:
        out, self.messages = self.messages, []
        return out

    def close(self) -> None:
        pass


TABLE = {
    "status": "running",
    "ready": [],
    "clock": {"seconds": None, "deadline": None, "paused": False},
    "seats": {"fra": {"player": "human", "taken": True, "members": 1}},
    "you": {"game": "g", "role": "player", "state": "fra"},
}


@pytest.fixture(scope="module")
def july() -> Any:
    return ScenarioCache().bundled("july-1914")


@pytest.fixture
def client(july: Any) -> Iterator[ClientApp]:
    """The client at 1280 x 800, fed france's first view of july-1914, at its default zoom."""
    view = view_for(Game(july, 1), "fra")
    link = StandInLink(
        [
            {"type": "link", "state": "online"},
            {"type": "view", "game": "g", "v": 1, "view": view, "table": TABLE},
        ]
    )
    app = ClientApp(link=link, size=(1280, 800), fps=None)  # type: ignore[arg-type]
    assert app.game is not None
    app.game.kill()
    app.game = GameScreen(app.manager, link, ClientState(), scenario=july)
    for _ in range(3):
        app.step()
    yield app
    app.close()


def _map_view(app: ClientApp) -> MapView:
    assert app.game is not None and app.game.map_view is not None
    return app.game.map_view


def _overlaps(a: pygame.Rect, b: pygame.Rect) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def test_abbreviations_are_short_title_case_unique_and_stable() -> None:
    assert abbreviation_candidates("Belgium")[0] == "Bel."
    assert abbreviation_candidates("Holland")[0] == "Hol."
    names = [
        ("bel", "Belgium"),
        ("ber", "Berlin"),
        ("hol", "Holland"),
        ("hols", "Holstein"),
        ("ser", "Serbia"),
    ]
    forms = abbreviations(names)
    assert forms == abbreviations(names), "deterministic"
    assert forms["bel"] == "Bel." and forms["ber"] == "Ber." and forms["ser"] == "Ser."
    assert forms["hol"] != forms["hols"] and forms["hol"].startswith("Hol")
    assert len(set(forms.values())) == len(forms)


def test_every_territory_is_named_or_abbreviated_at_the_default_zoom(client: ClientApp, july: Any) -> None:
    mv = _map_view(client)
    layout = mv.renderer.label_layout()
    names = {t.id: t.name for t in july.map.territories}
    named = {label.territory for label in layout.labels}
    short = {a.territory: a.text for a in layout.abbreviations}
    everything = {t.id for t in july.map.territories if t.polygons}
    assert layout.unplaced == ()
    assert named | set(short) == everything, sorted(everything - named - set(short))
    assert named.isdisjoint(short)
    for small in ("bel", "hol", "den", "ser"):
        assert small in named or small in short, small
    assert len(set(short.values())) == len(short), "abbreviations are unique"
    for tid, text in short.items():
        assert text != tid.upper() and not text.isupper(), f"a bare id: {text}"
        assert text[0].isupper() and text.endswith("."), text
        assert 2 <= len(text.rstrip(".")) <= 5, text
        assert names[tid].lower().startswith(text.rstrip(".").lower()[:2]), (tid, text)
    canvas = pygame.Rect(0, 0, *layout.size)
    boxes = [pygame.Rect(label.rect) for label in (*layout.labels, *layout.abbreviations)]
    for box in boxes:
        assert canvas.contains(box), box
    for a, b in combinations(boxes, 2):
        assert not _overlaps(a, b), (a, b)
    for a in layout.abbreviations:
        assert a.size == min(label.size for label in layout.labels), "at the smallest size"


def test_hovering_an_abbreviation_names_the_territory_in_words(client: ClientApp) -> None:
    mv = _map_view(client)
    layout = mv.renderer.label_layout()
    assert layout.abbreviations
    for label in layout.abbreviations:
        centre = mv.screen_rect_of(label.text_rect).center
        assert mv.territory_at(centre) == label.territory
        lines = mv.tooltip_lines(label.territory, None)
        assert lines[0].startswith(mv.names[label.territory]), lines
        assert label.text in lines[1]


def test_the_legend_opens_with_l_and_the_button_and_lists_every_abbreviation(client: ClientApp) -> None:
    mv = _map_view(client)
    game = client.game
    assert game is not None
    entries = mv.abbreviations()
    layout = mv.renderer.label_layout()
    assert {a for a, _ in entries} == {a.text for a in layout.abbreviations}
    assert ("Bel.", "Belgium") in entries or "bel" in {lb.territory for lb in layout.labels}
    assert not mv.legend.shown
    pygame.event.post(pygame.event.Event(pygame.KEYDOWN, key=pygame.K_l, unicode="l", mod=0, scancode=0))
    client.step()
    assert mv.legend.shown and mv.legend.rect is not None
    assert mv.rect.contains(mv.legend.rect), "the card lies over the map"
    SHOTS.mkdir(parents=True, exist_ok=True)
    client.screenshot(SHOTS / "map-legend.png")
    pygame.event.post(
        pygame.event.Event(pygame.KEYDOWN, key=pygame.K_ESCAPE, unicode="\x1b", mod=0, scancode=0)
    )
    client.step()
    assert not mv.legend.shown
    assert mv.legend_button is not None
    pygame.event.post(pygame.event.Event(pygame_gui.UI_BUTTON_PRESSED, ui_element=mv.legend_button))
    client.step()
    assert mv.legend.shown
    # The card names each abbreviation: drawn once more, it is the same card for the same entries.
    card = mv.legend.render(entries, 600)
    assert card is mv.legend.render(entries, 600) and card.get_height() <= 600 + 200


def test_the_help_card_lists_the_legend_key() -> None:
    from game.client.help_overlay import SHORTCUTS

    assert any(k == "L" and "legend" in t.lower() for k, t in SHORTCUTS)
