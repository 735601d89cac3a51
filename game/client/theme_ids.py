"""A workaround for a slow step of pygame_gui's theming, installed before any widget is made.

Every widget asks its theme for its "combined ids" (every way a theme could name it, from its
own id up through its containers').  pygame_gui (0.6.x) keys its cache of those lists by a
string built with nested ``str.join`` calls, which puts one string between every character of
another: for a button four containers deep the key is megabytes long, and building the
messages panel of july-1914 took 2.4 s, most of it there.  The lists themselves depend only
on the ids, so they are cached here under a tuple of the ids, and computed by pygame_gui's own
algorithm (`_get_next_id_node` and the suffix loop, as in `build_all_combined_ids`) only once.
"""

from __future__ import annotations

from typing import Any

from pygame_gui.core.ui_appearance_theme import UIAppearanceTheme

_CACHE: dict[tuple[Any, ...], list[str]] = {}


def _combined_ids(
    theme: UIAppearanceTheme,
    element_base_ids: list[str | None] | None,
    element_ids: list[str] | None,
    class_ids: list[str | None] | None,
    object_ids: list[str | None] | None,
) -> list[str]:
    key = tuple(
        tuple(ids) if ids is not None else None
        for ids in (element_base_ids, element_ids, class_ids, object_ids)
    )
    found = _CACHE.get(key)
    if found is not None:
        return found
    if element_base_ids is None or element_ids is None or class_ids is None or object_ids is None:
        return ORIGINAL(theme, element_base_ids, element_ids, class_ids, object_ids)
    if not (len(object_ids) == len(class_ids) == len(element_base_ids) == len(element_ids)):
        return ORIGINAL(theme, element_base_ids, element_ids, class_ids, object_ids)  # raises its ValueError
    combined: list[str] = []
    if element_ids:
        theme._get_next_id_node(
            None, element_base_ids, element_ids, class_ids, object_ids, 0, len(element_ids), combined
        )
    # Then every shorter suffix of each id ("a.b.c" -> "b.c" -> "c"), in pygame_gui's order.
    current = combined[:]
    while current:
        following: list[str] = []
        for current_id in current:
            stop = current_id.find(".")
            if stop == -1:
                following = []
                break
            following.append(current_id[stop + 1 :])
        combined.extend(following)
        current = following
    _CACHE[key] = combined
    return combined


ORIGINAL = UIAppearanceTheme.build_all_combined_ids


def install() -> None:
    """Use the cached version for every theme (idempotent)."""
    UIAppearanceTheme.build_all_combined_ids = _combined_ids  # type: ignore[method-assign,assignment]  # pygame_gui patched on purpose (above)
