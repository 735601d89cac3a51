"""Pickers for states and territories: drop-downs for one, selection lists for several.

A player picks by name; the rules want ids.  Each option carries its id as the item's
object id (`#fra`), so what a picker returns is always an id, whatever the names say.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.core.interfaces import IUIManagerInterface
from pygame_gui.elements import UIDropDownMenu, UISelectionList

from game.client.panels.names import Names

NONE_ID = "#none"
Item = str | tuple[str, str]


def option(label: str, ident: str) -> tuple[str, str]:
    return (label, f"#{ident}")


def ident_of(item: tuple[str, str] | str | None) -> str | None:
    """The id behind an option (None for the "none" option)."""
    if item is None:
        return None
    object_id = item[1] if isinstance(item, tuple) else item
    if object_id == NONE_ID:
        return None
    return object_id[1:] if object_id.startswith("#") else object_id


def state_options(names: Names, ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    return [option(names.state(s), s) for s in (names.state_ids() if ids is None else ids)]


def territory_options(names: Names, ids: Iterable[str] | None = None) -> list[tuple[str, str]]:
    chosen = names.territory_ids() if ids is None else list(ids)
    return [option(names.territory(t), t) for t in chosen]


def dropdown(
    manager: IUIManagerInterface,
    rect: pygame.Rect,
    options: list[tuple[str, str]],
    *,
    container: Any,
    object_id: str,
    start: str | None = None,
    none_label: str | None = None,
) -> UIDropDownMenu:
    """A drop-down of (name, id) options; `none_label` adds a first option meaning "none"."""
    items: list[Item] = [(none_label, NONE_ID)] if none_label else []
    items += options
    if not items:
        items = [("—", NONE_ID)]
    first = next((o for o in items if ident_of(o) == start), items[0])
    return UIDropDownMenu(
        items,
        first,
        rect,
        manager,
        container=container,
        object_id=ObjectID(object_id, "@picker"),
        expansion_height_limit=260,
    )


def chosen(menu: UIDropDownMenu) -> str | None:
    """The id a drop-down shows."""
    return ident_of(menu.selected_option)


def multi_list(
    manager: IUIManagerInterface,
    rect: pygame.Rect,
    options: list[tuple[str, str]],
    *,
    container: Any,
    object_id: str,
    selected: Iterable[str] = (),
) -> UISelectionList:
    """A list where any number of items may be chosen (click to choose, click again to drop)."""
    wanted = {f"#{s}" for s in selected}
    default = [o for o in options if o[1] in wanted]
    items: list[Item] = list(options)
    chosen_items: list[Item] = list(default)
    return UISelectionList(
        rect,
        items,
        manager,
        allow_multi_select=True,
        container=container,
        object_id=ObjectID(object_id, "@picker"),
        default_selection=chosen_items or None,
    )


def single_list(
    manager: IUIManagerInterface,
    rect: pygame.Rect,
    options: list[tuple[str, str]],
    *,
    container: Any,
    object_id: str,
) -> UISelectionList:
    items: list[Item] = list(options)
    return UISelectionList(
        rect,
        items,
        manager,
        allow_multi_select=False,
        container=container,
        object_id=ObjectID(object_id, "@picker"),
    )


def picked(selection: UISelectionList) -> list[str]:
    """The ids chosen in a selection list, in the list's order."""
    items: list[Any]
    if selection.allow_multi_select:
        items = list(selection.get_multi_selection(include_object_id=True))
    else:
        one = selection.get_single_selection(include_object_id=True)
        items = [one] if one else []
    return [i for item in items if (i := ident_of(item)) is not None]


def item_button(selection: UISelectionList, ident: str) -> Any | None:
    """The button of one item of a selection list (None if it is scrolled out of sight)."""
    for item in selection.item_list:
        if item.get("object_id") == f"#{ident}":
            return item.get("button_element")
    return None
