"""A playback on the map of what a resolution did, paced for a person to follow, in steps:
first the moves slide, then the bounces go halfway and back, then the dislodged units are
struck; breaches and leaks are told in banners throughout, and the last picture stays a
moment.  Each step is named at the bottom ("Moves", "Bounces", "Dislodged").

It lasts some seven seconds (less when a step has nothing to show); any key or click skips
it, and the turn report's Replay button shows it again.  It reads only the events the
server sent this seat, so it shows exactly what this player may know, and the units as they
stood in the previous view.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pygame

from game.render import MapRenderer
from game.render import arrows as arrow_drawing
from game.render.fonts import get_font
from game.render.units import unit_token
from game.rules.board import territory_of

STEPS: tuple[tuple[str, str, float], ...] = (
    ("moves", "Moves", 2.4),
    ("bounces", "Bounces", 1.6),
    ("dislodged", "Dislodged units", 1.6),
    ("hold", "What happened", 1.4),
)
"""The playback's steps in order: (key, caption, seconds).  A step with nothing to show is left out."""
DURATION = sum(seconds for _, _, seconds in STEPS)
BANNER_BG = (16, 21, 25, 225)
BANNER_INK = (242, 237, 226)
ALARM = (213, 94, 0)
MAP_KINDS = frozenset({"move", "bounce", "dislodged", "retreat", "disband", "build", "remove"})


@dataclass(frozen=True, slots=True)
class Token:
    state: str
    kind: str
    start: str
    end: str
    bounce: bool = False
    appears: bool = False
    vanishes: bool = False


def banner_lines(events: Sequence[Mapping[str, Any]], names: Mapping[str, str]) -> list[str]:
    """The news worth a banner: breaches, leaks, falls of governments, captures of supply, game over."""

    def name(state: object) -> str:
        return names.get(str(state), str(state))

    lines: list[str] = []
    for e in events:
        kind = e.get("kind")
        if kind == "agreement_breached":
            clause = (
                str(e.get("clause_kind", "clause"))
                .replace("non_aggression", "non-aggression")
                .replace("_", " ")
            )
            lines.append(f"Breach: {name(e.get('breaker'))} broke a {clause} clause")
        elif kind == "agreement_leaked":
            parties = " and ".join(name(p) for p in e.get("parties", []))
            level = "Exposed" if e.get("level") == "exposed" else "Rumour"
            lines.append(f"{level}: a secret agreement between {parties}")
        elif kind == "agreement_discovered":
            lines.append(f"Discovered: a secret agreement of {name(e.get('target'))}")
        elif kind == "government_fell":
            lines.append(f"The government of {name(e.get('state'))} has fallen")
        elif kind == "captured" and e.get("supply"):
            lines.append(f"{name(e.get('state'))} takes {e.get('territory')}")
        elif kind == "game_over":
            winner = e.get("winner")
            lines.append(f"Game over: {name(winner)} wins" if winner else "Game over")
    if len(lines) > 5:
        lines = [*lines[:4], f"… and {len(lines) - 4} more in the turn report"]
    return lines


class Playback:
    """One resolution shown on the map; `draw` each frame until `done`."""

    def __init__(
        self,
        events: Sequence[Mapping[str, Any]],
        before: Sequence[Mapping[str, Any]],
        names: Mapping[str, str],
        start: float,
        duration: float | None = None,
        title: str = "",
    ) -> None:
        self.start = start
        self.skipped = False
        self.title = title
        """The turn being played back ("Turn 1 · Summer 1914"): the status bar shows it meanwhile."""
        self.tokens = self._tokens(events, before)
        self.struck = [e.get("at", "") for e in events if e.get("kind") == "dislodged"]
        self.banners = banner_lines(events, names)
        self._banner_surfaces: list[pygame.Surface] | None = None
        shown = {
            "moves": any(t.start != t.end or t.appears or t.vanishes for t in self.tokens if not t.bounce),
            "bounces": any(t.bounce for t in self.tokens),
            "dislodged": bool(self.struck),
            "hold": True,
        }
        steps = [(key, caption, seconds) for key, caption, seconds in STEPS if shown[key]]
        natural = sum(seconds for _, _, seconds in steps)
        scale = 1.0 if duration is None else duration / natural
        self.steps: list[tuple[str, str, float, float]] = []
        """(key, caption, start, end) in seconds from the playback's start."""
        t = 0.0
        for key, caption, seconds in steps:
            self.steps.append((key, caption, t, t + seconds * scale))
            t += seconds * scale
        self.duration = t

    @staticmethod
    def worth_showing(events: Sequence[Mapping[str, Any]]) -> bool:
        return any(e.get("kind") in MAP_KINDS for e in events) or bool(banner_lines(events, {}))

    @staticmethod
    def _tokens(events: Sequence[Mapping[str, Any]], before: Sequence[Mapping[str, Any]]) -> list[Token]:
        moving: dict[str, Token] = {}
        for e in events:
            kind = e.get("kind")
            if kind in ("move", "retreat"):
                moving[territory_of(e["from"])] = Token(e["state"], e["unit"], e["from"], e["to"])
            elif kind == "bounce":
                moving[territory_of(e["from"])] = Token(
                    e["state"], e["unit"], e["from"], e["to"], bounce=True
                )
            elif kind in ("disband", "remove"):
                moving[territory_of(e["at"])] = Token(e["state"], e["unit"], e["at"], e["at"], vanishes=True)
            elif kind == "build":
                moving[territory_of(e["at"])] = Token(e["state"], e["unit"], e["at"], e["at"], appears=True)
        tokens = list(moving.values())
        for u in before:
            if territory_of(u["location"]) not in moving:
                tokens.append(Token(u["state"], u["type"], u["location"], u["location"]))
        return tokens

    def progress(self, now: float) -> float:
        return 1.0 if self.skipped else min(1.0, max(0.0, (now - self.start) / self.duration))

    def done(self, now: float) -> bool:
        return self.progress(now) >= 1.0

    def skip(self) -> None:
        self.skipped = True

    def step(self, now: float) -> tuple[str, str]:
        """The step shown at `now`: (key, caption)."""
        elapsed = self.duration if self.skipped else now - self.start
        for key, caption, _start, end in self.steps:
            if elapsed < end:
                return key, caption
        return self.steps[-1][0], self.steps[-1][1]

    def _eased(self, key: str, now: float) -> float:
        """How far step `key` has gone at `now` (0 before it, 1 after it; smoothed), 1 if it has none."""
        elapsed = self.duration if self.skipped else now - self.start
        for k, _caption, start, end in self.steps:
            if k == key:
                t = min(1.0, max(0.0, (elapsed - start) / max(1e-6, (end - start) * 0.8)))
                return t * t * (3 - 2 * t)
        return 1.0

    def _begun(self, key: str, now: float) -> bool:
        elapsed = self.duration if self.skipped else now - self.start
        return any(k == key and elapsed >= start for k, _c, start, _e in self.steps)

    def draw(self, surface: pygame.Surface, renderer: MapRenderer, now: float) -> None:
        """Draw the tokens where they are at `now`, the strikes and the banners, over the map."""
        p = self.progress(now)
        moved = self._eased("moves", now)
        bounced = self._eased("bounces", now)
        r = renderer.token_radius()
        self._draw_trails(surface, renderer, r, now)
        for token in self.tokens:
            try:
                a = renderer.unit_position(token.start)
                b = renderer.unit_position(token.end)
            except KeyError:
                continue
            f = (0.5 - abs(bounced - 0.5)) if token.bounce else moved
            x, y = a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f
            image = unit_token(token.kind, renderer.state_colour(token.state), r)
            if token.appears or token.vanishes:
                image = image.copy()
                image.set_alpha(round(255 * (moved if token.appears else 1 - moved)))
            surface.blit(image, (round(x - image.get_width() / 2), round(y - image.get_height() / 2)))
        if self._begun("dislodged", now):
            for location in self.struck:
                try:
                    x, y = renderer.unit_position(location)
                except KeyError:
                    continue
                pulse = 1.0 + 0.25 * math.sin(now * 12)
                size = round(r * 1.2 * pulse)
                pygame.draw.line(surface, ALARM, (x - size, y - size), (x + size, y + size), 5)
                pygame.draw.line(surface, ALARM, (x - size, y + size), (x + size, y - size), 5)
        self._draw_banners(surface)
        self._draw_skip_hint(surface, p, self.step(now)[1])

    def _draw_trails(self, surface: pygame.Surface, renderer: MapRenderer, r: int, now: float) -> None:
        """Where each unit went (an arrow) or tried to go (dashed), from its step on: readable in a still too."""
        outline = renderer.palette.unit_outline
        bounces = self._begun("bounces", now)
        for token in self.tokens:
            if token.start == token.end or (token.bounce and not bounces):
                continue
            try:
                a = renderer.unit_position(token.start)
                b = renderer.unit_position(token.end)
            except KeyError:
                continue
            colour = renderer.state_colour(token.state)
            start, end = arrow_drawing.shorten(a, b, r * 1.1, r * 0.9)
            if token.bounce:
                arrow_drawing.draw_dashed(surface, start, end, colour, outline, max(3.0, r * 0.45))
            else:
                arrow_drawing.draw_move(surface, start, end, colour, outline, max(4.0, r * 0.55))

    def _draw_banners(self, surface: pygame.Surface) -> None:
        if not self.banners:
            return
        if self._banner_surfaces is None:
            font = get_font(16, "bold")
            self._banner_surfaces = []
            for line in self.banners:
                ink = font.render(line, True, BANNER_INK)
                box = pygame.Surface((ink.get_width() + 28, ink.get_height() + 12), pygame.SRCALPHA)
                pygame.draw.rect(box, BANNER_BG, box.get_rect(), border_radius=6)
                pygame.draw.rect(box, ALARM, pygame.Rect(0, 0, 6, box.get_height()), border_radius=3)
                box.blit(ink, (16, 6))
                self._banner_surfaces.append(box)
        y = 52
        for box in self._banner_surfaces:
            surface.blit(box, ((surface.get_width() - box.get_width()) // 2, y))
            y += box.get_height() + 6

    def _draw_skip_hint(self, surface: pygame.Surface, p: float, caption: str) -> None:
        font = get_font(14)
        what = f"{self.title} — {caption}" if self.title else caption
        ink = font.render(f"{what} · any key or click skips", True, BANNER_INK)
        box = pygame.Surface((ink.get_width() + 20, ink.get_height() + 8), pygame.SRCALPHA)
        box.fill(BANNER_BG)
        box.blit(ink, (10, 4))
        bar = pygame.Rect(0, box.get_height() - 3, round(box.get_width() * p), 3)
        pygame.draw.rect(box, (230, 159, 0), bar)
        surface.blit(
            box, ((surface.get_width() - box.get_width()) // 2, surface.get_height() - box.get_height() - 12)
        )
