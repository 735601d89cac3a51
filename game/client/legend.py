"""The map's legend (L, or the Legend button on the map): every abbreviation on the map at the
present zoom with the name it stands for, and the map's signs.

Territories too small for their name carry an abbreviation ("Bel."); hovering one names it in
full, and this card lists them all at once.
"""

from __future__ import annotations

from collections.abc import Sequence

import pygame

from game.client.help_overlay import MAP_SIGNS, SIGN_INK, sign
from game.render.fonts import get_font

TITLE_INK = (242, 237, 226)
KEY_INK = (230, 159, 0)
MUTED = (150, 160, 170)
CARD_BG = (21, 28, 35, 240)
CARD_EDGE = (90, 106, 120)


class MapLegend:
    """A card over the map's top-right corner; drawn while shown."""

    def __init__(self) -> None:
        self.shown = False
        self.rect: pygame.Rect | None = None
        """Where the card was last drawn (window pixels), None while hidden."""
        self._card: tuple[tuple[object, ...], pygame.Surface | None] = ((), None)

    def toggle(self) -> None:
        self.shown = not self.shown
        if not self.shown:
            self.rect = None

    def close(self) -> None:
        self.shown = False
        self.rect = None

    def render(self, entries: Sequence[tuple[str, str]], max_h: int) -> pygame.Surface:
        """The card: abbreviations (in columns if they are many), then the signs."""
        key = (tuple(entries), max_h)
        if self._card[0] == key and self._card[1] is not None:
            return self._card[1]
        title_font, key_font, text_font = get_font(18, "serif"), get_font(14, "bold"), get_font(14)
        title = title_font.render("Legend", True, TITLE_INK)
        heading = key_font.render("Abbreviations on the map", True, TITLE_INK)
        rows = [(key_font.render(a, True, KEY_INK), text_font.render(n, True, SIGN_INK)) for a, n in entries]
        if not rows:
            rows = [(text_font.render("none at this zoom", True, MUTED), pygame.Surface((0, 0)))]
        signs_heading = key_font.render("Signs", True, TITLE_INK)
        signs = [(sign(k), text_font.render(t, True, SIGN_INK)) for k, t in MAP_SIGNS]
        hint = get_font(12).render("L or Esc to close · hover a territory for its name", True, MUTED)
        pad, row_h = 14, max(k.get_height() for k, _ in rows) + 3
        key_w = max(k.get_width() for k, _ in rows)
        col_w = key_w + 10 + max(t.get_width() for _, t in rows)
        fixed = pad + title.get_height() + 8 + heading.get_height() + 6 + 10 + signs_heading.get_height() + 6
        fixed += len(signs) * 28 + 8 + hint.get_height() + pad
        per_col = max(1, (max_h - fixed) // row_h)
        columns = max(1, -(-len(rows) // per_col))
        per_col = -(-len(rows) // columns)
        signs_w = 40 + 10 + max(t.get_width() for _, t in signs)
        w = 2 * pad + max(
            title.get_width(),
            heading.get_width(),
            columns * col_w + (columns - 1) * 18,
            signs_w,
            hint.get_width(),
        )
        h = fixed + per_col * row_h
        card = pygame.Surface((w, h), pygame.SRCALPHA)
        pygame.draw.rect(card, CARD_BG, card.get_rect(), border_radius=8)
        pygame.draw.rect(card, CARD_EDGE, card.get_rect(), 1, border_radius=8)
        y = pad
        card.blit(title, (pad, y))
        y += title.get_height() + 8
        card.blit(heading, (pad, y))
        y += heading.get_height() + 6
        for i, (k, t) in enumerate(rows):
            col, row = divmod(i, per_col)
            x = pad + col * (col_w + 18)
            card.blit(k, (x, y + row * row_h))
            card.blit(t, (x + key_w + 10, y + row * row_h))
        y += per_col * row_h + 10
        card.blit(signs_heading, (pad, y))
        y += signs_heading.get_height() + 6
        for image, t in signs:
            card.blit(image, (pad, y))
            card.blit(t, (pad + 50, y + (24 - t.get_height()) // 2))
            y += 28
        card.blit(hint, (pad, h - pad - hint.get_height()))
        self._card = (key, card)
        return card

    def draw(
        self, surface: pygame.Surface, map_rect: pygame.Rect, entries: Sequence[tuple[str, str]]
    ) -> None:
        """The card at the map's top-right, below its buttons, if shown."""
        if not self.shown:
            return
        card = self.render(entries, max(200, map_rect.h - 60))
        rect = card.get_rect(topright=(map_rect.right - 8, map_rect.y + 46))
        rect.clamp_ip(surface.get_rect())
        surface.blit(card, rect)
        self.rect = rect
