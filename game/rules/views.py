"""What each viewer may know of a game: a state's view, an observer's, the umpire's.

These are the only functions that turn a game into something a player receives, and
each fact in them passes the one audience filter (`game.rules.knowledge.visible`):
agreements layer by layer, messages, and events.  The map itself is public: every unit
and holder is seen by everyone, as an attack is seen by everyone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.rules.adjustments import supply_counts
from game.rules.agreements import agreement_view
from game.rules.forecast import breach_forecast
from game.rules.injects import injects_view
from game.rules.knowledge import OBSERVER, UMPIRE, visible, visible_events
from game.rules.objectives import objective_statuses

if TYPE_CHECKING:
    from game.rules.game import Game
    from game.rules.scenario import Scenario


def message_for(game: Game, m: dict[str, Any], viewer: str) -> dict[str, Any]:
    """A message as `viewer` (who may read it) sees it.  What it refers to passes the filter too: an
    answer names the message it answers only to one who may read that one, and an ask about an
    agreement shows as structure only to one who may know of the agreement — otherwise the reader
    has the words alone, which are the sender's to choose."""
    message = {k: v for k, v in m.items() if k != "audience"}
    if viewer == UMPIRE:
        return message
    answer = m.get("answer")
    if answer is not None:
        answered = game.diplomacy.message_by_id.get(answer["to"])
        if answered is None or not visible(answered["audience"], viewer):
            del message["answer"]
    ask = m.get("ask")
    if ask is not None and ask.get("agreement"):
        agreement = game.diplomacy.agreements.get(ask["agreement"])
        if agreement is None or not visible(agreement.existence_audience(), viewer):
            del message["ask"]
    return message


def refers_to_secrets(m: dict[str, Any]) -> bool:
    """Whether a message refers to something (a message, an agreement) that a reader may not know."""
    return "answer" in m or bool((m.get("ask") or {}).get("agreement"))


def message_authors(game: Game) -> dict[str, str]:
    """Each message's author, the team member who wrote it (message id -> name), for messages whose
    command names one.  The game's n-th press command wrote its n-th message: a press is kept in
    the commands exactly when its message is kept."""
    presses = (c.get("author") for c in game.commands if c["kind"] == "press")
    return {m["id"]: author for m, author in zip(game.diplomacy.messages, presses, strict=False) if author}


def author_shown(sender: str, viewer: str, blind: bool) -> bool:
    """Whether `viewer` sees who of the sender's team wrote a message: the team itself and the umpire
    always; everyone else unless labels are blinded (`blind`: others see only the state)."""
    return not blind or viewer in (UMPIRE, sender)


def _messages(
    game: Game, viewer: str, turn: int | None = None, *, blind: bool = False
) -> list[dict[str, Any]]:
    out = []
    authors = message_authors(game)
    for m in game.diplomacy.messages:
        if (turn is None or m["turn"] == turn) and visible(m["audience"], viewer):
            message = message_for(game, m, viewer)
            author = authors.get(m["id"])
            if author is not None and author_shown(m["from"], viewer, blind):
                message["author"] = author
            if viewer == UMPIRE:
                message["audience"] = m["audience"]
                message["sincerity"] = game.diplomacy.marks.get(m["id"])
            elif viewer == m["from"] and m["id"] in game.diplomacy.marks:
                message["sincerity"] = game.diplomacy.marks[m["id"]]  # the sender's own mark
            out.append(message)
    return out


def view_for(game: Game, viewer: str, *, blind: bool = False) -> dict[str, Any]:
    """Everything `viewer` (a state id, OBSERVER or UMPIRE) may know of the game now.  `blind`: others'
    messages show their state but not which member wrote them (`author_shown`)."""
    d = game.diplomacy
    index = game.board.index
    view: dict[str, Any] = {
        "viewer": viewer,
        "scenario": game.scenario.id,
        "turn": game.turn,
        "year": game.year,
        "season": game.season,
        "phase": game.phase,
        "winner": game.winner,
        "map": {
            "units": [u.to_json() for u in sorted(game.units.values(), key=lambda u: index[u.territory])],
            "owners": {t: game.owners[t] for t in sorted(game.owners, key=index.__getitem__)},
            "dislodged": sorted(game.dislodged, key=index.__getitem__),
            # A dislodged unit and where it may go are as public as the attack that dislodged it;
            # a player needs them to order a retreat.
            "retreats": [
                {"unit": game.dislodged[t].unit.to_json(), "options": list(game.retreat_options(t))}
                for t in sorted(game.dislodged, key=index.__getitem__)
            ],
        },
        "states": standing_view(game),
        "agreements": [v for a in d.agreements.values() if (v := agreement_view(a, viewer)) is not None],
        "messages": _messages(game, viewer, blind=blind),
        # A turn shows only if the viewer may see one of its events: an empty entry would tell it
        # that something it may not know has happened.
        "events": [
            {"turn": t.turn, "events": seen} for t in game.turns if (seen := visible_events(t.events, viewer))
        ],
    }
    if viewer == UMPIRE:
        view["trust"] = {a: dict(row) for a, row in d.trust.items()}
        view["treasury"] = dict(game.treasury)
        # Every state's orders as given so far this phase: the umpire watches all teams on one page.
        view["orders"] = {s: [o.text for o in game.pending.get(s, ())] for s in game.state_ids}
        # The prepared injects are the umpire's: their texts, private audiences and effects would
        # tell the players what is coming.  Released cards reach others as `inject` events.
        view["injects"] = injects_view(game)
    elif viewer != OBSERVER:
        view["me"] = seat_view(game, viewer)
    return view


def standing_view(game: Game) -> list[dict[str, Any]]:
    """Every state's public standing (a view's `states`): what everyone can see of each."""
    d = game.diplomacy
    # Counted once for every state: a count per state would walk the whole board once per state.
    supply = supply_counts(game.board, game.owners)
    units: dict[str, int] = {}
    for u in game.units.values():
        units[u.state] = units.get(u.state, 0) + 1
    return [
        {
            "id": s,
            "name": game.scenario.state(s).name,
            "supply": supply.get(s, 0),
            "units": units.get(s, 0),
            "legitimacy": d.legitimacy[s],
            "reputation": d.reputation(s),
            "conduct": dict(d.conduct[s]),
        }
        for s in game.state_ids
    ]


def seat_view(game: Game, state: str) -> dict[str, Any]:
    """A state's own part of its view (`me`): its treasury, its trust in others, its orders and actions."""
    d = game.diplomacy
    return {
        "state": state,
        "treasury": game.treasury[state],
        "trust": dict(d.trust[state]),
        "orders": [o.text for o in game.pending.get(state, ())],
        "actions": [{"kind": k, "target": t} for k, s, t in d.actions if s == state],
        # Met / not yet / failed, read from what the state may know (exposure, not quieter leaks).
        "objectives": [o.to_json() for o in objective_statuses(game, state)],
        # What its orders given so far would break, and at what price, if the others held.
        "forecast": [w.to_json() for w in breach_forecast(game, state)],
    }


def observer_view(game: Game) -> dict[str, Any]:
    """What an observer may know: public facts only."""
    return view_for(game, OBSERVER)


def umpire_view(game: Game) -> dict[str, Any]:
    return view_for(game, UMPIRE)


def turn_report(game: Game, viewer: str, turn: int, *, blind: bool = False) -> dict[str, Any]:
    """One viewer's report of one turn: the events and messages of that turn it may know."""
    events: list[dict[str, Any]] = []
    for record in game.turns:
        if record.turn == turn:
            events = visible_events(record.events, viewer)
    return {
        "viewer": viewer,
        "turn": turn,
        "events": events,
        "messages": _messages(game, viewer, turn, blind=blind),
    }


def scenario_for(scenario: Scenario, viewer: str, *, debrief: bool = False) -> dict[str, Any]:
    """The scenario as a viewer may read it, to draw the map and read the briefings.

    The map, calendar, states' public standing, rules and sources are public.  A state's
    objectives and briefing are its own (audience: that state); the starting agreements and
    relations are left out except for the umpire (each viewer learns of those it knows through
    its view); what happened in history and the prepared injects (each is told to its audience when
    released) are for the umpire, or for everyone in the debrief."""
    data = scenario.model_dump(mode="json")
    for state in data["states"]:
        if not visible((state["id"],), viewer):
            state["objectives"] = []
            state["briefing"] = ""
    if viewer != UMPIRE:
        data["agreements"] = []
        data["relations"] = []
        if not debrief:
            data["history"] = ""
            data["injects"] = []
    return data
