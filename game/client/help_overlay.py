"""The keyboard help (? or F1): every shortcut of the game screen, over the map."""

from __future__ import annotations

import pygame

from game.render.fonts import get_font

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
    ("Space", "skip the playback"),
    ("Esc", "cancel; close a window"),
    ("F11", "full screen"),
    ("F12", "screenshot (with --screenshots DIR)"),
    ("? or F1", "this help"),
)


class HelpOverlay:
    """A dark card listing the shortcuts; drawn on top of everything while shown."""

    def __init__(self) -> None:
        self.shown = False
        self._card: pygame.Surface | None = None

    def toggle(self) -> None:
        self.shown = not self.shown

    def _render(self) -> pygame.Surface:
        title = get_font(22, "serif").render("Keyboard shortcuts", True, (242, 237, 226))
        key_font, text_font = get_font(15, "bold"), get_font(15)
        rows = [(key_font.render(k, True, (230, 159, 0)), text_font.render(t, True, (232, 226, 212))) for k, t in SHORTCUTS]
        key_w = max(k.get_width() for k, _ in rows)
        w = max(title.get_width(), key_w + 24 + max(t.get_width() for _, t in rows)) + 48
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
