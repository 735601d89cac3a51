"""The right-hand side of the game screen: one tab per panel, only the chosen one shown.

Each tab's panel lives in a container of its own, so switching tabs hides and shows whole
containers instead of rebuilding widgets; a panel's `refresh` is called only while its tab
is shown (it re-reads the client's state when the state's revision changed).

A tab that is not shown counts what arrived for it meanwhile ("Deals (2)"): the client's
state keeps the counts by topic, one per tab key, and showing the tab clears its count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import pygame
import pygame_gui
from pygame_gui.elements import UIButton, UIPanel

TAB_H = 34


class UnreadCounts(Protocol):
    """What the tabs read their counts from (ClientState has both)."""

    def unread_count(self, topic: str) -> int: ...
    def mark_read(self, topic: str) -> None: ...


def tab_text(title: str, unread: int) -> str:
    """A tab's label: its title, and how many things arrived unseen."""
    return f"{title} ({unread})" if unread > 0 else title


class Panel(Protocol):
    """What a tab's panel does for the side area (SidePanel, or the order box)."""

    def refresh(self) -> object:
        """Re-read the state if it changed (a SidePanel says whether it redrew; unused here)."""
        ...

    def process_event(self, event: pygame.event.Event) -> bool: ...
    def set_rect(self, rect: pygame.Rect) -> None: ...
    def kill(self) -> None: ...


PanelFactory = Callable[[pygame_gui.UIManager, pygame.Rect, UIPanel], Panel]


@dataclass
class Tab:
    key: str
    title: str
    factory: PanelFactory
    button: UIButton | None = None
    container: UIPanel | None = None
    panel: Any = None


class SideArea:
    """Tabs along the top of `rect`, the chosen tab's panel below them."""

    def __init__(
        self,
        manager: pygame_gui.UIManager,
        rect: pygame.Rect,
        tabs: Sequence[tuple[str, str, PanelFactory]],
        *,
        unread: UnreadCounts | None = None,
    ) -> None:
        self.manager = manager
        self.rect = pygame.Rect(rect)
        self.unread = unread
        self.tabs = [Tab(key, title, factory) for key, title, factory in tabs]
        self.current = self.tabs[0].key if self.tabs else ""
        self._build()

    def _content_rect(self) -> pygame.Rect:
        return pygame.Rect(self.rect.x, self.rect.y + TAB_H, self.rect.w, self.rect.h - TAB_H)

    def _tab_spans(self) -> list[tuple[int, int]]:
        """(x, width) of each tab: shared in proportion to the titles' lengths, with room for a
        count, so five tabs still read whole in the narrowest side area."""
        weights = [len(t.title) + 4 for t in self.tabs]
        total = max(1, sum(weights))
        spans, x = [], self.rect.x
        for i, weight in enumerate(weights):
            w = self.rect.right - x if i == len(weights) - 1 else round(self.rect.w * weight / total)
            spans.append((x, w))
            x += w
        return spans

    def _build(self) -> None:
        content = self._content_rect()
        for tab, (x, w) in zip(self.tabs, self._tab_spans(), strict=True):
            tab.button = UIButton(
                pygame.Rect(x, self.rect.y, w, TAB_H),
                tab.title,
                self.manager,
                object_id=pygame_gui.core.ObjectID(class_id="@side_tab", object_id=f"#tab_{tab.key}"),
            )
            tab.container = UIPanel(content, manager=self.manager, object_id="#side_panel")
        self.show(self.current)

    def _ensure_panel(self, tab: Tab) -> None:
        """Build a tab's panel the first time it is shown: the map's first frame waits for none but the first."""
        if tab.panel is None and tab.container is not None:
            content = self._content_rect()
            tab.container.show()
            tab.panel = tab.factory(
                self.manager, pygame.Rect(0, 0, content.w - 2, content.h - 2), tab.container
            )

    def tab(self, key: str) -> Tab:
        return next(t for t in self.tabs if t.key == key)

    def show(self, key: str) -> None:
        """Bring a tab forward (the others' containers are hidden, not destroyed)."""
        if not any(t.key == key for t in self.tabs):
            return
        self.current = key
        for tab in self.tabs:
            assert tab.container is not None and tab.button is not None
            if tab.key == key:
                self._ensure_panel(tab)
                tab.container.show()
                tab.button.select()
            else:
                tab.container.hide()
                tab.button.unselect()
        self._count()

    def _count(self) -> None:
        """The shown tab's news is seen; the others' labels say how much waits in them."""
        if self.unread is None:
            return
        self.unread.mark_read(self.current)
        for tab in self.tabs:
            text = tab_text(tab.title, 0 if tab.key == self.current else self.unread.unread_count(tab.key))
            if tab.button is not None and tab.button.text != text:
                tab.button.set_text(text)

    def unread_count(self, key: str) -> int:
        """The count a tab shows now (0 for the tab that is shown)."""
        if self.unread is None or key == self.current:
            return 0
        return self.unread.unread_count(key)

    def set_rect(self, rect: pygame.Rect) -> None:
        """Re-lay the tabs and panels for a new window size (panels keep their own state)."""
        self.rect = pygame.Rect(rect)
        content = self._content_rect()
        for tab, (x, w) in zip(self.tabs, self._tab_spans(), strict=True):
            assert tab.container is not None and tab.button is not None
            # pygame_gui cannot build some widgets (scrolling containers) inside a hidden container.
            tab.container.show()
            tab.button.set_relative_position((x, self.rect.y))
            tab.button.set_dimensions((w, TAB_H))
            tab.container.set_relative_position(content.topleft)
            tab.container.set_dimensions(content.size)
            if tab.panel is not None:
                tab.panel.set_rect(pygame.Rect(0, 0, content.w - 2, content.h - 2))
        self.show(self.current)

    def refresh(self) -> None:
        for tab in self.tabs:
            if tab.key == self.current and tab.panel is not None:
                tab.panel.refresh()
        self._count()

    def process_event(self, event: pygame.event.Event) -> bool:
        if event.type == pygame_gui.UI_BUTTON_PRESSED:
            for tab in self.tabs:
                if event.ui_element is tab.button:
                    self.show(tab.key)
                    return True
        for tab in self.tabs:
            if tab.panel is not None and tab.panel.process_event(event):
                return True
        return False

    def kill(self) -> None:
        for tab in self.tabs:
            if tab.panel is not None:
                tab.panel.kill()
            if tab.container is not None:
                tab.container.kill()
            if tab.button is not None:
                tab.button.kill()
