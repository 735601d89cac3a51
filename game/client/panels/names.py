"""Names and colours of states and territories, and clauses told in words.

Players read "France" and "Belgium", not `fra` and `bel`.  The view names every state
(its public standing); territory names and state colours come from the scenario when the
client has it, and fall back to ids and the palette's stable colours when it has not yet
arrived, so a panel never waits for it.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from typing import Any

from game.render.palette import fallback_state_colour

CLAUSE_TITLES: dict[str, str] = {
    "non_aggression": "Non-aggression",
    "mutual_defence": "Mutual defence",
    "support_promise": "Support promise",
    "cession": "Cession of territory",
    "demilitarised_zone": "Demilitarised zone",
    "spheres_of_influence": "Spheres of influence",
    "neutrality": "Neutrality in a conflict",
    "tribute": "Tribute",
    "intelligence_sharing": "Intelligence sharing",
    "free_text": "Free text",
}
"""Every clause kind of the rules (game.rules.clauses.CLAUSE_KINDS), as a player reads it."""

STATUS_WORDS: dict[str, str] = {
    "proposed": "proposed",
    "active": "in force",
    "expired": "expired (kept)",
    "breached": "breached",
    "renounced": "renounced",
    "rejected": "rejected",
    "superseded": "superseded by a counter-proposal",
    "lapsed": "lapsed",
}

STATUS_COLOURS: dict[str, str] = {
    "proposed": "#f0e442",
    "active": "#7fd49a",
    "expired": "#8ec5e8",
    "breached": "#ff8a6a",
    "renounced": "#d8a0c8",
    "rejected": "#9aa4ad",
    "superseded": "#9aa4ad",
    "lapsed": "#9aa4ad",
}

LEAK_WORDS: dict[str, str] = {"none": "kept secret", "rumour": "rumoured", "exposed": "exposed"}


_BUNDLED: dict[str, Any] = {}


def scenario_of(state: Any, scenario: Any | None = None) -> Any | None:
    """The scenario given, else the one the client state carries, else the bundled file of the
    view's scenario id (names and colours only: a panel must not wait for the server's copy)."""
    if scenario is not None:
        return scenario
    carried = getattr(state, "scenario", None)
    if carried is not None and not isinstance(carried, (str, dict)):
        return carried
    view = getattr(state, "view", None) or {}
    scenario_id = view.get("scenario")
    if not isinstance(scenario_id, str):
        return None
    if scenario_id not in _BUNDLED:
        try:
            from game.client.scenario_cache import ScenarioCache

            _BUNDLED[scenario_id] = ScenarioCache().bundled(scenario_id)
        except Exception:  # not bundled here (an uploaded scenario): ids and default colours will do
            _BUNDLED[scenario_id] = None
    return _BUNDLED[scenario_id]


class Names:
    """Readable names for one view (and the scenario, when known)."""

    def __init__(self, view: Mapping[str, Any] | None, scenario: Any | None = None) -> None:
        self.view: Mapping[str, Any] = view or {}
        self.scenario = scenario
        self._states: dict[str, str] = {}
        self._colours: dict[str, str] = {}
        self._territories: dict[str, str] = {}
        if scenario is not None:
            for s in scenario.states:
                self._states[s.id] = s.name
                self._colours[s.id] = s.colour
            for t in scenario.map.territories:
                self._territories[t.id] = t.name
        for s in self.view.get("states", []):
            self._states.setdefault(s["id"], s.get("name", s["id"]))
        board = self.view.get("map") or {}
        for t in board.get("owners", {}):
            self._territories.setdefault(t, t)
        for u in board.get("units", []):
            where = str(u.get("location", "")).split("/")[0]
            if where:
                self._territories.setdefault(where, where)

    # --- states ------------------------------------------------------------------------------

    @property
    def me(self) -> str | None:
        me = self.view.get("me")
        return me.get("state") if me else None

    def state_ids(self) -> list[str]:
        """Every state, in the scenario's (the view's) order."""
        return [s["id"] for s in self.view.get("states", [])] or list(self._states)

    def others(self) -> list[str]:
        return [s for s in self.state_ids() if s != self.me]

    def state(self, state_id: str | None) -> str:
        if state_id is None:
            return "nobody"
        return self._states.get(state_id, state_id)

    def states(self, ids: Iterable[str]) -> str:
        """ "France, Britain and Russia"."""
        names = [self.state(s) for s in ids]
        if not names:
            return "nobody"
        if len(names) == 1:
            return names[0]
        return ", ".join(names[:-1]) + " and " + names[-1]

    def colour(self, state_id: str) -> str:
        return self._colours.get(state_id) or fallback_state_colour(state_id)

    def swatch(self, state_id: str) -> str:
        """A coloured square and the state's name, as text-box HTML."""
        return f"<font color='{self.colour(state_id)}'>■</font> {esc(self.state(state_id))}"

    def standing(self, state_id: str) -> Mapping[str, Any]:
        for s in self.view.get("states", []):
            if s["id"] == state_id:
                return dict(s)
        return {}

    # --- territories -------------------------------------------------------------------------

    def territory(self, territory_id: str | None) -> str:
        if not territory_id:
            return "?"
        base, _, coast = territory_id.partition("/")
        name = self._territories.get(base, base)
        return f"{name} ({coast})" if coast else name

    def territory_ids(self) -> list[str]:
        """Every territory known, sorted by name (the scenario's map, else what the view shows)."""
        return sorted(self._territories, key=lambda t: self._territories[t].lower())

    def territories(self, ids: Iterable[str]) -> str:
        return ", ".join(self.territory(t) for t in ids) or "nowhere"

    def humanize(self, text: str) -> str:
        """The rules' evidence ("ger attacked bel at bel: A ruh - bel") with names before the colon;
        the order after it stays in the notation players type."""
        head, colon, order = text.partition(": ")

        def name(match: re.Match[str]) -> str:
            word = match.group(0)
            if word in self._states:
                return self._states[word]
            return self._territories.get(word, word)

        return re.sub(r"\b[a-z][a-z0-9_]{1,31}\b", name, head) + colon + order

    # --- clauses -----------------------------------------------------------------------------

    def clause(self, clause: Mapping[str, Any]) -> str:
        """One clause in plain words, with names instead of ids."""
        kind = clause.get("kind", "")
        text = self._clause_body(kind, clause)
        against = clause.get("against") or []
        if against:
            text += f" (aimed at {self.states(against)})"
        return text

    def _clause_body(self, kind: str, c: Mapping[str, Any]) -> str:
        if kind == "non_aggression":
            between = c.get("between") or []
            return "Non-aggression" + (
                f" between {self.states(between)}" if between else " between all parties"
            )
        if kind == "mutual_defence":
            members = c.get("members") or []
            return "Mutual defence" + (f" of {self.states(members)}" if members else " of all parties")
        if kind == "support_promise":
            if c.get("dest"):
                what = f"the move {self.territory(c.get('target'))} → {self.territory(c.get('dest'))}"
            else:
                what = f"the unit in {self.territory(c.get('target'))} to hold"
            when = f" on turn {c['turn']}" if c.get("turn") else " on its first turn in force"
            return f"{self.state(c.get('by'))}'s unit in {self.territory(c.get('unit_at'))} supports {what}{when}"
        if kind == "cession":
            return f"{self.territory(c.get('territory'))} passes to {self.state(c.get('to'))} by turn {c.get('by_turn')}"
        if kind == "demilitarised_zone":
            return f"Demilitarised zone: {self.territories(c.get('territories', []))}"
        if kind == "spheres_of_influence":
            parts = [
                f"{self.state(s.get('state'))}: {self.territories(s.get('territories', []))}"
                for s in c.get("spheres", [])
            ]
            return "Spheres of influence — " + "; ".join(parts)
        if kind == "neutrality":
            conflict = c.get("conflict") or ["?", "?"]
            neutral = c.get("neutral") or []
            who = self.states(neutral) if neutral else "The other parties"
            verb = "stays" if len(neutral) == 1 else "stay"
            return f"{who} {verb} neutral between {self.state(conflict[0])} and {self.state(conflict[1])}"
        if kind == "tribute":
            return f"{self.state(c.get('payer'))} pays {self.state(c.get('payee'))} {c.get('amount')} a year"
        if kind == "intelligence_sharing":
            return "Intelligence sharing: what one learns, all learn; no spying on each other"
        if kind == "free_text":
            return f"“{c.get('text', '')}”"
        return CLAUSE_TITLES.get(kind, kind or "clause")


def esc(text: object) -> str:
    """Text for a pygame_gui text box: its HTML must not read a player's `<` as a tag."""
    return html.escape(str(text), quote=False)
