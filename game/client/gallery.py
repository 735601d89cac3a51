"""The title screen's gallery of scenarios: one card each, with its map, its title and one line.

A card's map is drawn from the scenario itself (game/render), small, without names or units;
the chosen card outlines the chosen state's home territories.  Reading a scenario for the
first time and preparing a big map each take a good part of a second, so a background thread
(`MapWorker`) does that work, a card at a time, the chosen card first, while the title screen
stays live; the gallery shows each map as it comes (`step`, once a frame, never waiting).
Drawn maps are kept in memory (`THUMBNAILS`), so a title screen built
again (after a game, or for a new window size already seen) shows them at once.

Cards are laid out in as many columns as the width allows and scroll when there are more
rows than fit.
"""

from __future__ import annotations

import functools
import queue
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

import pygame
import pygame_gui
from pygame_gui.core import ObjectID
from pygame_gui.core.interfaces import IContainerLikeInterface
from pygame_gui.elements import UIButton, UIImage, UIScrollingContainer

from game.render import Camera, MapPicture, MapRenderer, RenderOptions
from game.render.fonts import get_font
from game.rules.scenario import Scenario

CARD_MIN_W = 196
"""A card is never narrower than this (the columns follow the width)."""
GAP = 10
PAD = 6
THUMB_RATIO = 0.55
"""The map's box, as a share of its width (maps are fitted into it, keeping their shape)."""
TITLE_PX, LINE_PX = 13, 12
TITLE_LEADING = 17
TEXT_H = 58
"""The title (two lines at most) and the line under the map."""
SCROLLBAR_W = 20

TIP_ID = ObjectID("#scenario_tip", "@scenario_tip")
"""A card's tooltip (its title and the opening of its briefing): wider than the default."""

CARD_BG = (34, 43, 52)
MAP_BG = (26, 33, 40)
TITLE_INK = (242, 237, 226)
LINE_INK = (170, 180, 189)
WAITING_INK = (120, 132, 142)

Loader = Callable[[str], Scenario | None]


def first_sentence(text: str, limit: int = 220, at_least: int = 60) -> str:
    """The opening of a text on one line: its first sentence, with the next ones while it is
    shorter than `at_least` characters (a dateline is not a sentence), cut at `limit`."""
    flat = " ".join(text.split())
    cuts = [m.start() for m in re.finditer(r"(?<=[.!?])\s+(?=[A-Z\"'“‘(])", flat)]
    opening = flat
    for cut in cuts:
        if cut >= at_least:
            opening = flat[:cut]
            break
    return opening if len(opening) <= limit else opening[: limit - 1].rstrip() + "…"


def playable_count(scenario: Scenario) -> int:
    """How many states a player may take (those meant for players, else any playable one)."""
    players = [s for s in scenario.states if s.playable and s.controller == "player"]
    return len(players or [s for s in scenario.states if s.playable])


def scenario_line(scenario: Scenario) -> str:
    """The card's one line: the years it spans and how many states can be played (the first
    sentence of its briefing is the card's tooltip)."""
    start, end = scenario.calendar.start_year, scenario.calendar.end_year
    years = f"{start}–{end}" if end is not None and end != start else f"from {start}"
    n = playable_count(scenario)
    return f"{years} · {n} state{'s' if n != 1 else ''} to play"


def placeholder_title(key: str) -> str:
    """What a card says before its scenario is read: its file name, in words."""
    stem = Path(key).stem if ("/" in key or "\\" in key) else key
    return stem.replace("-", " ").replace("_", " ").capitalize()


def fitted(size: tuple[int, int], world: tuple[float, float]) -> tuple[int, int]:
    """The largest size of the map's shape that fits in `size`."""
    w, h = size
    ww, wh = max(world[0], 1e-9), max(world[1], 1e-9)
    scale = min(w / ww, h / wh)
    return max(1, round(ww * scale)), max(1, round(wh * scale))


THUMBNAIL_OPTIONS = RenderOptions(names=False, units=False, arrows=False, supply=False)
"""Owners' colours and borders only: names, units and supply marks would be specks at this size."""


def thumbnail_renderer(scenario: Scenario) -> MapRenderer:
    """A renderer for a scenario's small maps (any size: the camera fits the map to the surface)."""
    world = (scenario.map.width, scenario.map.height)
    return MapRenderer(scenario, options=THUMBNAIL_OPTIONS, camera=Camera(world, (200, 120)))


def draw_thumbnail(
    scenario: Scenario,
    size: tuple[int, int],
    state_id: str | None = None,
    renderer: MapRenderer | None = None,
) -> pygame.Surface:
    """The scenario's opening map fitted into `size` (centred, keeping its shape), `state_id`'s home
    territories outlined.  Preparing a renderer is the slow part: pass one to draw again."""
    world = (scenario.map.width, scenario.map.height)
    fw, fh = fitted(size, world)
    renderer = renderer or thumbnail_renderer(scenario)
    homes = {t.id for t in scenario.map.territories if state_id and t.home == state_id}
    picture = pygame.Surface((fw, fh))
    renderer.draw(picture, MapPicture.from_scenario(scenario).with_highlight(homes))
    out = pygame.Surface(size)
    out.fill(MAP_BG)
    out.blit(picture, ((size[0] - fw) // 2, (size[1] - fh) // 2))
    return out


class ThumbnailShelf:
    """Drawn maps in memory, by scenario, size and outlined state (the least recently used go first)."""

    def __init__(self, limit: int = 64) -> None:
        self.limit = limit
        self._items: OrderedDict[tuple[object, ...], tuple[Scenario, pygame.Surface]] = OrderedDict()
        self._renderers: OrderedDict[int, tuple[Scenario, MapRenderer]] = OrderedDict()
        """A renderer per scenario (its borders prepared once, for every size and outline)."""
        self._drawing = threading.Lock()
        """Drawing is done by one thread at a time (a renderer keeps a cached layer)."""
        self.drawn = 0
        """How many maps were drawn (not found on the shelf)."""

    @staticmethod
    def _key(scenario: Scenario, size: tuple[int, int], state_id: str | None) -> tuple[object, ...]:
        # The scenario cache hands out one object per source text; the shelf keeps that object
        # alive beside its picture, so its id cannot be reused by another scenario meanwhile.
        return (id(scenario), scenario.id, tuple(size), state_id)

    def get(
        self, scenario: Scenario, size: tuple[int, int], state_id: str | None = None
    ) -> pygame.Surface | None:
        key = self._key(scenario, size, state_id)
        found = self._items.get(key)
        if found is None:
            return None
        self._items.move_to_end(key)
        return found[1]

    def thumbnail(
        self, scenario: Scenario, size: tuple[int, int], state_id: str | None = None
    ) -> pygame.Surface:
        """The map at `size`, drawn now unless it is on the shelf."""
        found = self.get(scenario, size, state_id)
        if found is not None:
            return found
        with self._drawing:
            found = self.get(scenario, size, state_id)  # drawn meanwhile by the other thread
            if found is not None:
                return found
            known = self._renderers.get(id(scenario))
            renderer = (
                known[1] if known is not None and known[0] is scenario else thumbnail_renderer(scenario)
            )
            self._renderers[id(scenario)] = (scenario, renderer)
            self._renderers.move_to_end(id(scenario))
            while len(self._renderers) > 12:
                self._renderers.popitem(last=False)
            surface = draw_thumbnail(scenario, size, state_id, renderer)
            self.drawn += 1
            self._items[self._key(scenario, size, state_id)] = (scenario, surface)
            while len(self._items) > self.limit:
                self._items.popitem(last=False)
            return surface


THUMBNAILS = ThumbnailShelf()
"""The maps of every gallery of this program."""

Job = Callable[[], tuple[Scenario | None, pygame.Surface | None]]


class MapWorker:
    """A background thread that reads scenarios and draws their maps, one job at a time.

    Reading a big scenario the first time, or preparing its map's borders, takes a good part of
    a second; done here, the title screen keeps drawing frames meanwhile.  A job asked for again
    while it runs (the title screen was built anew) is not done twice.  Only the thread that
    asked touches the widgets: a job returns a surface, the gallery shows it."""

    def __init__(self) -> None:
        self._jobs: queue.Queue[tuple[Future[tuple[Scenario | None, pygame.Surface | None]], Job]] = (
            queue.Queue()
        )
        self._running: dict[tuple[object, ...], Future[tuple[Scenario | None, pygame.Surface | None]]] = {}
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(
        self, key: tuple[object, ...], job: Job
    ) -> Future[tuple[Scenario | None, pygame.Surface | None]]:
        with self._lock:
            future = self._running.get(key)
            if future is not None and not future.done():
                return future
            future = Future()
            self._running[key] = future
            future.add_done_callback(functools.partial(self._forget, key))
            self._jobs.put((future, job))
            if self._thread is None or not self._thread.is_alive():
                # A daemon: quitting never waits for a map nobody will see.
                self._thread = threading.Thread(target=self._run, name="backchannel-maps", daemon=True)
                self._thread.start()
            return future

    def _forget(
        self, key: tuple[object, ...], done: Future[tuple[Scenario | None, pygame.Surface | None]]
    ) -> None:
        with self._lock:
            if self._running.get(key) is done:
                del self._running[key]

    def _run(self) -> None:
        while True:
            future, job = self._jobs.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to the gallery, which shows the card as unreadable
                future.set_exception(exc)


WORKER = MapWorker()


def _result(
    future: Future[tuple[Scenario | None, pygame.Surface | None]], wait: bool = False
) -> tuple[Scenario | None, pygame.Surface | None]:
    try:
        return future.result(timeout=None if wait else 0)
    except Exception:
        return None, None


def _fit_text(font: pygame.font.Font, text: str, width: int) -> str:
    """`text`, cut with an ellipsis to `width` pixels."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _title_lines(font: pygame.font.Font, title: str, width: int) -> list[str]:
    """A title on one line, or two broken between words (the second cut with an ellipsis)."""
    if font.size(title)[0] <= width:
        return [title]
    words = title.split(" ")
    first = ""
    for i, word in enumerate(words):
        candidate = f"{first} {word}" if first else word
        if font.size(candidate)[0] > width:
            if not first:  # one long word: cut it
                return [_fit_text(font, title, width)]
            return [first, _fit_text(font, " ".join(words[i:]), width)]
        first = candidate
    return [first]


@dataclass
class Card:
    key: str
    rect: pygame.Rect
    """Where it sits in the gallery's scrolling area."""
    image: UIImage
    button: UIButton
    title: str
    line: str
    scenario: Scenario | None = None
    thumbnail: pygame.Surface | None = None
    drawn_for: str | None = None
    """The state whose homes its map outlines (None: no state)."""
    read: bool = False
    """Its scenario was looked for (found or not)."""


class ScenarioGallery:
    """Cards of scenarios in a scrolling grid; `step()` each frame fills them in."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        keys: list[str],
        load: Loader,
        *,
        peek: Loader | None = None,
        container: IContainerLikeInterface | None = None,
        selected: str = "",
        state_id: str | None = None,
        labels: dict[str, str] | None = None,
        shelf: ThumbnailShelf | None = None,
        worker: MapWorker | None = None,
    ) -> None:
        self.manager = manager
        self.rect = pygame.Rect(rect)
        self.keys = list(keys)
        self.load = load
        self.peek = peek
        """Answers only from memory (None when the scenario would have to be read): a card whose
        scenario and map are both in memory is shown whole from the first frame."""
        self.selected = selected
        self.state_id = state_id
        self.labels = labels or {}
        """A note after a card's line (the file name of a scenario opened from a file)."""
        self.shelf = shelf if shelf is not None else THUMBNAILS
        self.worker = worker if worker is not None else WORKER
        self._pending: dict[
            str, tuple[Future[tuple[Scenario | None, pygame.Surface | None]], str | None]
        ] = {}
        """The card whose map the worker is making (and the state it outlines)."""
        self.cards: list[Card] = []
        self.scroll = UIScrollingContainer(
            self.rect,
            manager,
            container=container,
            allow_scroll_x=False,
            object_id=ObjectID("#scenario_gallery", "@scenario_gallery"),
        )
        self._build()

    # --- layout ------------------------------------------------------------------------------

    @staticmethod
    def grid(width: int, count: int, max_height: int) -> tuple[int, int, int, int]:
        """(columns, card width, card height, height needed up to `max_height`) for `count` cards."""
        cols = max(1, (width + GAP) // (CARD_MIN_W + GAP))
        rows = max(1, -(-count // cols))

        def card_size(inner: int) -> tuple[int, int]:
            w = max(80, (inner - GAP * (cols - 1)) // cols)
            return w, PAD + round((w - 2 * PAD) * THUMB_RATIO) + TEXT_H + PAD

        w, h = card_size(width)
        if rows * h + (rows - 1) * GAP > max_height:  # scrolls: leave room for the scroll bar
            w, h = card_size(width - SCROLLBAR_W)
        return cols, w, h, min(max_height, rows * h + (rows - 1) * GAP)

    @classmethod
    def height_for(cls, width: int, count: int, max_height: int) -> int:
        """How tall a gallery of `count` cards at `width` wants to be, at most `max_height`, at
        least one row (a row and a half when it scrolls, so the next row shows there is more)."""
        _, _, card_h, needed = cls.grid(width, count, 10**6)
        if needed <= max_height:
            return needed
        return max(min(needed, card_h + card_h // 2 + GAP), max_height)

    def _build(self) -> None:
        cols, card_w, card_h, _ = self.grid(self.rect.w, len(self.keys), self.rect.h)
        self.card_size = (card_w, card_h)
        self.thumb_size = (card_w - 2 * PAD, card_h - 2 * PAD - TEXT_H)
        rows = max(1, -(-len(self.keys) // cols))
        self.scroll.set_scrollable_area_dimensions(
            (cols * card_w + (cols - 1) * GAP, rows * card_h + (rows - 1) * GAP)
        )
        for i, key in enumerate(self.keys):
            row, col = divmod(i, cols)
            rect = pygame.Rect(col * (card_w + GAP), row * (card_h + GAP), card_w, card_h)
            title = placeholder_title(key)
            image = UIImage(
                rect,
                self._compose(None, title, "…"),
                self.manager,
                container=self.scroll,
                object_id=ObjectID(f"#card_image_{i}", "@scenario_card_image"),
            )
            button = UIButton(
                rect,
                "",
                self.manager,
                container=self.scroll,
                object_id=ObjectID(f"#card_{i}", "@scenario_card"),
                tool_tip_text=title,
                tool_tip_object_id=TIP_ID,
            )
            card = Card(key, rect, image, button, title, "…")
            self.cards.append(card)
            found = self.shelf_picture(card)
            if found is not None:  # already read and drawn once: shown at once
                self._show(card, found)
        self.select(self.selected, self.state_id)

    def shelf_picture(self, card: Card) -> pygame.Surface | None:
        """The card's map if the scenario is already in memory and its map on the shelf."""
        scenario = card.scenario or (self.peek(card.key) if self.peek is not None else None)
        if scenario is None:
            return None
        if card.scenario is None:
            self._take(card, scenario)
        return self.shelf.get(scenario, self.thumb_size, self._outlined(card))

    def _take(self, card: Card, scenario: Scenario) -> None:
        """The card's scenario is known: its title, line and tooltip."""
        card.scenario, card.read = scenario, True
        card.title, card.line = self._words(card.key, scenario)
        card.button.set_tooltip(self._tooltip(scenario), TIP_ID)

    def _words(self, key: str, scenario: Scenario) -> tuple[str, str]:
        line = scenario_line(scenario)
        if key in self.labels:
            line = f"{self.labels[key]} · {line}"
        return scenario.title, line

    def _outlined(self, card: Card) -> str | None:
        return self.state_id if card.key == self.selected else None

    def _compose(self, thumbnail: pygame.Surface | None, title: str, line: str) -> pygame.Surface:
        """A card's face: the map, the title in bold, the line below it."""
        w, h = self.card_size
        face = pygame.Surface((w, h))
        face.fill(CARD_BG)
        tw, th = self.thumb_size
        if thumbnail is not None:
            face.blit(thumbnail, (PAD, PAD))
        else:
            pygame.draw.rect(face, MAP_BG, pygame.Rect(PAD, PAD, tw, th))
            ink = get_font(LINE_PX).render("drawing the map…", True, WAITING_INK)
            face.blit(ink, ink.get_rect(center=(PAD + tw // 2, PAD + th // 2)))
        title_font, line_font = get_font(TITLE_PX, "bold"), get_font(LINE_PX)
        y = PAD + th + 4
        for text in _title_lines(title_font, title, w - 2 * PAD):
            face.blit(title_font.render(text, True, TITLE_INK), (PAD, y))
            y += TITLE_LEADING
        face.blit(
            line_font.render(_fit_text(line_font, line, w - 2 * PAD), True, LINE_INK),
            (PAD, PAD + th + 4 + 2 * TITLE_LEADING + 2),
        )
        return face

    def _show(self, card: Card, thumbnail: pygame.Surface | None) -> None:
        card.thumbnail = thumbnail
        card.drawn_for = self._outlined(card) if thumbnail is not None else None
        card.image.set_image(self._compose(thumbnail, card.title, card.line))

    # --- filling in ----------------------------------------------------------------------------

    def _wanting(self) -> list[Card]:
        """Cards still to read or draw, the chosen one first."""
        out = [
            c
            for c in self.cards
            if not c.read
            or (c.scenario is not None and (c.thumbnail is None or c.drawn_for != self._outlined(c)))
        ]
        out.sort(key=lambda c: c.key != self.selected)
        return out

    @property
    def done(self) -> bool:
        """Every card shows its scenario's map (or says it cannot be read)."""
        return not self._wanting()

    def _job(self, card: Card) -> Callable[[], tuple[Scenario | None, pygame.Surface | None]]:
        key, size, state, load, shelf = card.key, self.thumb_size, self._outlined(card), self.load, self.shelf
        known = card.scenario

        def work() -> tuple[Scenario | None, pygame.Surface | None]:
            try:
                scenario = known or load(key)
            except Exception:  # a broken file shows as unreadable, never kills the worker
                scenario = None
            return scenario, (shelf.thumbnail(scenario, size, state) if scenario is not None else None)

        return work

    def step(self) -> int:
        """Once a frame, never waiting: show the cards whose maps the worker finished, and hand it
        the next one (a card whose map is already in memory is shown at once).  Returns how many
        cards were filled in."""
        n = 0
        for key, (future, state) in list(self._pending.items()):
            if future.done():
                del self._pending[key]
                card = self.card(key)
                if card is not None:
                    n += self._apply(card, state, *_result(future))
        for card in self._wanting():
            if card.key in self._pending:
                continue
            if card.scenario is not None:
                found = self.shelf.get(card.scenario, self.thumb_size, self._outlined(card))
                if found is not None:
                    self._show(card, found)
                    n += 1
                    continue
            if not self._pending:  # one at a time: a new choice goes ahead of the rest
                state = self._outlined(card)
                self._pending[card.key] = (
                    self.worker.submit((card.key, self.thumb_size, state), self._job(card)),
                    state,
                )
            break
        return n

    def finish(self) -> None:
        """Fill in every card now, on this thread (tests, screenshots)."""
        for _ in range(4 * len(self.cards) + 4):
            wanting = self._wanting()
            if not wanting:
                return
            card = wanting[0]
            pending = self._pending.pop(card.key, None)
            if pending is not None:
                state, result = pending[1], _result(pending[0], wait=True)
            else:
                state, result = self._outlined(card), self._job(card)()
            self._apply(card, state, *result)

    def _apply(
        self, card: Card, state: str | None, scenario: Scenario | None, thumbnail: pygame.Surface | None
    ) -> int:
        """Show what the worker made of a card (a map outlining a state no longer chosen waits for the next)."""
        if not card.read:
            if scenario is None:
                card.read = True
                card.title, card.line = placeholder_title(card.key), "cannot be read"
                card.button.disable()
                self._show(card, None)
                return 1
            self._take(card, scenario)
        if thumbnail is None or state != self._outlined(card):
            return 0
        self._show(card, thumbnail)
        return 1

    @staticmethod
    def _tooltip(scenario: Scenario) -> str:
        sentence = first_sentence(scenario.briefing) if scenario.briefing else ""
        return f"<b>{_esc(scenario.title)}</b>" + (f"<br>{_esc(sentence)}" if sentence else "")

    # --- choosing ------------------------------------------------------------------------------

    def card(self, key: str) -> Card | None:
        return next((c for c in self.cards if c.key == key), None)

    def key_of(self, element: object) -> str | None:
        """The scenario of a card's button (None: not a card of this gallery)."""
        return next((c.key for c in self.cards if c.button is element), None)

    def thumbnail(self, key: str) -> pygame.Surface | None:
        """The map a card shows (None until drawn)."""
        card = self.card(key)
        return card.thumbnail if card is not None else None

    def select(self, key: str, state_id: str | None = None) -> None:
        """Mark the chosen card (its map outlines `state_id`'s homes once redrawn) and bring it in sight."""
        self.selected, self.state_id = key, state_id
        for card in self.cards:
            if card.key == key:
                card.button.select()
                found = self.shelf_picture(card) if card.scenario is not None else None
                if found is not None and card.drawn_for != state_id:
                    self._show(card, found)
            else:
                card.button.unselect()
        self.scroll_to(key)

    def neighbour(self, key: str, step: int) -> str | None:
        """The card `step` places after `key` (wrapping), skipping those that cannot be read."""
        keys = [c.key for c in self.cards if not (c.read and c.scenario is None)]
        if not keys:
            return None
        i = keys.index(key) if key in keys else -step
        return keys[(i + step) % len(keys)]

    def scroll_to(self, key: str) -> None:
        """Scroll so the card of `key` is in sight."""
        card = self.card(key)
        bar = getattr(self.scroll, "vert_scroll_bar", None)
        if card is None or bar is None:
            return
        total = max(1, int(getattr(self.scroll, "scrolling_height", self.rect.h)))
        top = bar.start_percentage * total
        visible = self.rect.h
        slack = 4  # the scroll bar moves by whole pixels of its own track: aim a little beyond
        if card.rect.top < top:
            bar.set_scroll_from_start_percentage(max(0.0, (card.rect.top - slack) / total))
        elif card.rect.bottom > top + visible:
            bar.set_scroll_from_start_percentage(min(1.0, (card.rect.bottom + slack - visible) / total))

    def kill(self) -> None:
        self.scroll.kill()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
