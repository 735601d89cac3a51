"""The keyboard help (? or F1): every shortcut of the game screen, and the map's signs, over the map."""

from __future__ import annotations

import pygame

from game.render import arrows
from game.render.fonts import get_font
from game.render.units import unit_token

SHORTCUTS: tuple[tuple[str, str], ...] = (
    ("R", "ready / not ready"),
    ("O", "order box"),
    ("D", "diplomacy: agreements"),
    ("N", "new agreement"),
    ("M", "messages"),
    ("I", "intelligence and news"),
    ("G", "my objectives (goals) and how they stand"),
    ("T", "last turn report"),
    ("V / S / C / H", "move / support / convoy / hold mode"),
    ("Shift-click, Ctrl-click", "support / convoy with the selected unit"),
    ("Right-click", "cancel the selection"),
    ("Drag, arrow keys", "pan the map"),
    ("Wheel, + / -", "zoom; Home: the whole map"),
    ("L", "legend: abbreviations (Bel. = Belgium) and signs"),
    ("Space", "skip the playback"),
    ("Esc", "cancel; close a window"),
    ("F11", "full screen"),
    ("F12", "screenshot (with --screenshots DIR)"),
    ("? or F1", "this help"),
)


MAP_SIGNS: tuple[tuple[str, str], ...] = (
    ("army", "an army: a round badge with a star"),
    ("fleet", "a fleet: a ship"),
    ("move", "a move"),
    ("hold", "a hold: a ring round the unit"),
    ("support", "a support: dashed"),
    ("convoy", "a convoy: dotted"),
    ("warning", "this order would break an agreement"),
)
"""The legend of the map: each sign drawn as the map draws it, and what it means."""

SIGN_INK = (232, 226, 212)
SIGN_EDGE = (28, 28, 32)


def sign(kind: str) -> pygame.Surface:
    """One of the map's signs, 40 by 24 pixels, as the renderer draws it."""
    surface = pygame.Surface((40, 24), pygame.SRCALPHA)
    if kind in ("army", "fleet"):
        token = unit_token(kind, (119, 170, 221), 8)
        surface.blit(token, token.get_rect(center=(20, 12)))
    elif kind == "move":
        arrows.draw_move(surface, (4, 12), (36, 12), SIGN_INK, SIGN_EDGE, 4)
    elif kind == "hold":
        token = unit_token("army", (119, 170, 221), 6)
        surface.blit(token, token.get_rect(center=(20, 12)))
        arrows.draw_hold(surface, (20, 12), 10, SIGN_INK, SIGN_EDGE, 2)
    elif kind in ("support", "convoy"):
        arrows.draw_dashed(surface, (4, 12), (32, 12), SIGN_INK, SIGN_EDGE, 2.5, dotted=kind == "convoy")
    elif kind == "warning":
        arrows.draw_warning(surface, (20, 12), 20)
    return surface


class HelpOverlay:
    """A dark card listing the shortcuts; drawn on top of everything while shown."""

    def __init__(self) -> None:
        self.shown = False
        self._card: pygame.Surface | None = None

    def toggle(self) -> None:
        self.shown = not self.shown

    def _render(self) -> pygame.Surface:
        title = get_font(22, "serif").render("Keyboard shortcuts", True, (242, 237, 226))
        legend = get_font(22, "serif").render("On the map", True, (242, 237, 226))
        key_font, text_font = get_font(15, "bold"), get_font(15)
        rows = [
            (key_font.render(k, True, (230, 159, 0)), text_font.render(t, True, SIGN_INK))
            for k, t in SHORTCUTS
        ]
        signs = [(sign(k), text_font.render(t, True, SIGN_INK)) for k, t in MAP_SIGNS]
        key_w = max(k.get_width() for k, _ in rows)
        left = max(title.get_width(), key_w + 24 + max(t.get_width() for _, t in rows))
        right = max(legend.get_width(), 40 + 14 + max(t.get_width() for _, t in signs))
        w = left + 48 + right + 24
        h = title.get_height() + 24 + sum(k.get_height() + 6 for k, _ in rows) + 40
        card = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(card, (21, 28, 35, 240), card.get_rect(), border_radius=10)
        pygame.draw.rect(card, (90, 106, 120), card.get_rect(), 1, border_radius=10)
        card.blit(title, (24, 18))
        y = 18 + title.get_height() + 14
        for k, t in rows:
            card.blit(k, (24, y))
            card.blit(t, (24 + key_w + 24, y))
            y += k.get_height() + 6
        x = 24 + left + 24
        card.blit(legend, (x, 18))
        y = 18 + legend.get_height() + 14
        for image, t in signs:
            card.blit(image, (x, y))
            card.blit(t, (x + 54, y + (24 - t.get_height()) // 2))
            y += 30
        hint = get_font(12).render("Press ? or Esc to close", True, (150, 160, 170))
        card.blit(hint, (24, h - hint.get_height() - 14))
        return card

    def draw(self, surface: pygame.Surface) -> None:
        if not self.shown:
            return
        if self._card is None:
            self._card = self._render()
        rect = self._card.get_rect(center=surface.get_rect().center)
        surface.blit(self._card, rect)
