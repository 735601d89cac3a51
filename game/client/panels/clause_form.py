"""The fields of one clause being drafted, for each clause kind of the rules.

Each kind has its own form (game/rules/clauses.py says what each field means); `value()`
reads the form into the clause's JSON, or says in words what is missing, so a draft never
reaches the server with a clause the umpire would refuse for a reason the player could
have been told here.
"""

from __future__ import annotations

from typing import Any

import pygame
from pygame_gui.core import ObjectID
from pygame_gui.core.interfaces import IUIManagerInterface
from pygame_gui.elements import UIButton, UILabel, UIPanel, UITextEntryLine

from game.client.panels.names import Names
from game.client.panels.pickers import (
    chosen,
    dropdown,
    multi_list,
    picked,
    single_list,
    state_options,
    territory_options,
)
from game.client.panels.text_box import SafeTextEntryBox

FIELD_H = 28
LABEL_H = 18


class ClauseForm:
    """The fields for one clause kind, laid out in `rect` of `container`."""

    def __init__(
        self,
        manager: IUIManagerInterface,
        rect: pygame.Rect,
        kind: str,
        names: Names,
        *,
        container: Any,
        turn: int = 1,
    ) -> None:
        self.manager = manager
        self.kind = kind
        self.names = names
        self.turn = turn
        self.rect = pygame.Rect(rect)
        self.panel = UIPanel(
            self.rect,
            manager=manager,
            container=container,
            object_id=ObjectID("#clause_form", "@clause_form"),
        )
        self.c = self.panel.get_container()
        self.w = self.c.get_rect().width
        self.h = self.c.get_rect().height
        self.fields: dict[str, Any] = {}
        self.spheres: list[dict[str, Any]] = []
        getattr(self, f"_build_{kind}")()

    # --- helpers ---------------------------------------------------------------------------------

    def _label(self, x: int, y: int, w: int, text: str) -> UILabel:
        return UILabel(
            pygame.Rect(x, y, w, LABEL_H),
            text,
            self.manager,
            container=self.c,
            object_id=ObjectID("#field_label", "@field_label"),
        )

    def _state_menu(
        self,
        name: str,
        x: int,
        y: int,
        w: int,
        label: str,
        start: str | None = None,
        none_label: str | None = None,
    ) -> None:
        self._label(x, y, w, label)
        self.fields[name] = dropdown(
            self.manager,
            pygame.Rect(x, y + LABEL_H, w, FIELD_H),
            state_options(self.names),
            container=self.c,
            object_id=f"#clause_{name}",
            start=start,
            none_label=none_label,
        )

    def _territory_menu(
        self,
        name: str,
        x: int,
        y: int,
        w: int,
        label: str,
        none_label: str | None = "— choose —",
        ids: list[str] | None = None,
    ) -> None:
        self._label(x, y, w, label)
        self.fields[name] = dropdown(
            self.manager,
            pygame.Rect(x, y + LABEL_H, w, FIELD_H),
            territory_options(self.names, ids),
            container=self.c,
            object_id=f"#clause_{name}",
            none_label=none_label,
        )

    def _turn_menu(
        self, name: str, x: int, y: int, w: int, label: str, first: str | None, start: int
    ) -> None:
        self._label(x, y, w, label)
        options = [(f"turn {t}", f"#{t}") for t in range(self.turn, self.turn + 10)]
        self.fields[name] = dropdown(
            self.manager,
            pygame.Rect(x, y + LABEL_H, w, FIELD_H),
            options,
            container=self.c,
            object_id=f"#clause_{name}",
            start=str(start),
            none_label=first,
        )

    def _hint(self, y: int, text: str) -> None:
        UILabel(
            pygame.Rect(0, y, self.w, LABEL_H),
            text,
            self.manager,
            container=self.c,
            object_id=ObjectID("#field_hint", "@panel_hint"),
        )

    def _land(self) -> list[str] | None:
        """Territories a state can hold (not the sea), when the scenario says which are which."""
        scenario = self.names.scenario
        if scenario is None:
            return None
        sea = {t.id for t in scenario.map.territories if t.kind == "sea"}
        return [t for t in self.names.territory_ids() if t not in sea]

    # --- one builder per clause kind -------------------------------------------------------------

    def _build_non_aggression(self) -> None:
        self._label(0, 0, self.w, "Between (none chosen: all the parties)")
        self.fields["between"] = multi_list(
            self.manager,
            pygame.Rect(0, LABEL_H, self.w, self.h - LABEL_H),
            state_options(self.names),
            container=self.c,
            object_id="#clause_between",
        )

    def _build_mutual_defence(self) -> None:
        self._label(0, 0, self.w, "Members (none chosen: all the parties)")
        self.fields["members"] = multi_list(
            self.manager,
            pygame.Rect(0, LABEL_H, self.w, self.h - LABEL_H),
            state_options(self.names),
            container=self.c,
            object_id="#clause_members",
        )

    def _build_support_promise(self) -> None:
        half = (self.w - 10) // 2
        row = LABEL_H + FIELD_H + 8
        self._state_menu("by", 0, 0, half, "Whose unit gives the support", start=self.names.me)
        self._territory_menu("unit_at", half + 10, 0, half, "The supporting unit is in")
        self._territory_menu("target", 0, row, half, "It supports the unit in")
        self._territory_menu("dest", half + 10, row, half, "…moving to", none_label="(holding)")
        self._turn_menu("turn", 0, 2 * row, half, "On", "its first turn in force", self.turn)

    def _build_cession(self) -> None:
        half = (self.w - 10) // 2
        self._label(0, 0, half, "Territory ceded")
        self.fields["territory"] = single_list(
            self.manager,
            pygame.Rect(0, LABEL_H, half, self.h - LABEL_H),
            territory_options(self.names, self._land()),
            container=self.c,
            object_id="#clause_territory",
        )
        self._state_menu("to", half + 10, 0, half, "Goes to", start=self.names.me)
        self._turn_menu(
            "by_turn", half + 10, LABEL_H + FIELD_H + 8, half, "By the end of", None, self.turn + 1
        )

    def _build_demilitarised_zone(self) -> None:
        self._label(0, 0, self.w, "Territories no party may enter or keep a unit in")
        self.fields["territories"] = multi_list(
            self.manager,
            pygame.Rect(0, LABEL_H, self.w, self.h - LABEL_H),
            territory_options(self.names),
            container=self.c,
            object_id="#clause_territories",
        )

    def _build_spheres_of_influence(self) -> None:
        half = (self.w - 10) // 2
        self._state_menu("sphere_state", 0, 0, half, "Sphere of", start=self.names.me)
        self._label(half + 10, 0, half, "Its territories")
        self.fields["sphere_territories"] = multi_list(
            self.manager,
            pygame.Rect(half + 10, LABEL_H, half, self.h - LABEL_H),
            territory_options(self.names),
            container=self.c,
            object_id="#clause_sphere_territories",
        )
        self.add_sphere_button = UIButton(
            pygame.Rect(0, LABEL_H + FIELD_H + 8, half, FIELD_H),
            "Add this sphere",
            self.manager,
            container=self.c,
            object_id=ObjectID("#add_sphere", "@act_button"),
            command=self._add_sphere,
        )
        self.spheres_label = UILabel(
            pygame.Rect(0, LABEL_H + 2 * FIELD_H + 16, half, self.h - 100),
            "No sphere yet",
            self.manager,
            container=self.c,
            object_id=ObjectID("#spheres_so_far", "@panel_hint"),
        )

    def _add_sphere(self) -> None:
        state = chosen(self.fields["sphere_state"])
        territories = picked(self.fields["sphere_territories"])
        if state is None or not territories:
            self.spheres_label.set_text("Choose a state and its territories")
            return
        self.spheres = [s for s in self.spheres if s["state"] != state] + [
            {"state": state, "territories": territories}
        ]
        self.spheres_label.set_text(
            "; ".join(f"{self.names.state(s['state'])}: {len(s['territories'])}" for s in self.spheres)
        )
        self.fields["sphere_territories"].set_item_list(territory_options(self.names))

    def _build_neutrality(self) -> None:
        half = (self.w - 10) // 2
        others = self.names.others()
        self._state_menu("side_a", 0, 0, half, "In the conflict between", start=others[0] if others else None)
        self._state_menu(
            "side_b", 0, LABEL_H + FIELD_H + 8, half, "and", start=others[1] if len(others) > 1 else None
        )
        self._label(half + 10, 0, half, "Neutral (none: the other parties)")
        self.fields["neutral"] = multi_list(
            self.manager,
            pygame.Rect(half + 10, LABEL_H, half, self.h - LABEL_H),
            state_options(self.names),
            container=self.c,
            object_id="#clause_neutral",
        )

    def _build_tribute(self) -> None:
        third = (self.w - 20) // 3
        others = self.names.others()
        self._state_menu("payer", 0, 0, third, "Payer", start=others[0] if others else None)
        self._state_menu("payee", third + 10, 0, third, "Payee", start=self.names.me)
        self._label(2 * third + 20, 0, third, "Amount a year")
        entry = UITextEntryLine(
            pygame.Rect(2 * third + 20, LABEL_H, third, FIELD_H),
            self.manager,
            container=self.c,
            object_id=ObjectID("#clause_amount", "@text_entry"),
            initial_text="5",
        )
        entry.set_allowed_characters("numbers")
        entry.set_text_length_limit(4)
        self.fields["amount"] = entry
        self._hint(LABEL_H + FIELD_H + 10, "Paid with Pay orders before the year's end; less is a breach.")

    def _build_intelligence_sharing(self) -> None:
        self._hint(0, "What any party learns by investigation or intercept, the others learn too;")
        self._hint(LABEL_H, "and no party spies on another. There is nothing more to fill in.")

    def _build_free_text(self) -> None:
        self._label(0, 0, self.w, "In your own words (only a party's declaration can breach it)")
        self.fields["text"] = SafeTextEntryBox(
            pygame.Rect(0, LABEL_H, self.w, min(120, self.h - LABEL_H)),
            "",
            self.manager,
            container=self.c,
            object_id=ObjectID("#clause_text", "@text_entry"),
            placeholder_text="e.g. Neither navy enters the Adriatic.",
        )

    # --- reading ---------------------------------------------------------------------------------

    def value(self) -> tuple[dict[str, Any] | None, str | None]:
        """(the clause, None), or (None, what is wrong in words)."""
        f = self.fields
        k = self.kind
        if k == "non_aggression":
            return {"kind": k, "between": picked(f["between"])}, None
        if k == "mutual_defence":
            return {"kind": k, "members": picked(f["members"])}, None
        if k == "support_promise":
            by, unit_at, target, dest = (chosen(f[n]) for n in ("by", "unit_at", "target", "dest"))
            if by is None or unit_at is None or target is None:
                return None, "A support promise needs whose unit, where it is, and which unit it supports."
            if unit_at == target or dest == unit_at:
                return None, "A unit cannot support itself."
            if dest == target:
                return None, "The supported unit cannot move to where it already is."
            turn = chosen(f["turn"])
            return {
                "kind": k,
                "by": by,
                "unit_at": unit_at,
                "target": target,
                "dest": dest,
                "turn": int(turn) if turn else None,
            }, None
        if k == "cession":
            territory = next(iter(picked(f["territory"])), None)
            to = chosen(f["to"])
            if territory is None:
                return None, "Choose the territory ceded."
            if to is None:
                return None, "Choose the state it goes to."
            return {
                "kind": k,
                "territory": territory,
                "to": to,
                "by_turn": int(chosen(f["by_turn"]) or self.turn),
            }, None
        if k == "demilitarised_zone":
            territories = picked(f["territories"])
            if not territories:
                return None, "Choose at least one territory for the zone."
            return {"kind": k, "territories": territories}, None
        if k == "spheres_of_influence":
            spheres = list(self.spheres)
            state, territories = chosen(f["sphere_state"]), picked(f["sphere_territories"])
            if state is not None and territories:
                spheres = [s for s in spheres if s["state"] != state] + [
                    {"state": state, "territories": territories}
                ]
            if not spheres:
                return None, "Give at least one sphere: a state and its territories."
            return {"kind": k, "spheres": spheres}, None
        if k == "neutrality":
            a, b = chosen(f["side_a"]), chosen(f["side_b"])
            if a is None or b is None or a == b:
                return None, "Name the two different states of the conflict."
            neutral = picked(f["neutral"])
            if a in neutral or b in neutral:
                return None, "A state at war cannot be neutral in its own conflict."
            return {"kind": k, "conflict": [a, b], "neutral": neutral}, None
        if k == "tribute":
            payer, payee = chosen(f["payer"]), chosen(f["payee"])
            text = f["amount"].get_text().strip()
            if payer is None or payee is None or payer == payee:
                return None, "Tribute needs a payer and a different payee."
            if not text.isdigit() or not 1 <= int(text) <= 1000:
                return None, "The tribute is a whole amount from 1 to 1000 a year."
            return {"kind": k, "payer": payer, "payee": payee, "amount": int(text)}, None
        if k == "intelligence_sharing":
            return {"kind": k}, None
        if k == "free_text":
            text = f["text"].get_text().strip()
            if not text:
                return None, "Write the clause's text."
            if len(text) > 500:
                return None, f"The clause is {len(text)} characters long; at most 500."
            return {"kind": k, "text": text}, None
        return None, f"Unknown clause kind {k}"

    def kill(self) -> None:
        self.panel.kill()
