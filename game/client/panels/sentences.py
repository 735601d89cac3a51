"""Events told as sentences a player reads, grouped the way a turn report reads.

Every event the rules and the server send (docs/protocol.md, "Kinds") has a sentence here;
an unknown kind still reads as its name, so a newer server never shows a blank line.  Only
what the event itself holds is told: the view has already filtered it to what I may know.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from game.client.panels.names import Names

Event = Mapping[str, Any]

SECTIONS: tuple[tuple[str, frozenset[str]], ...] = (
    ("On the map", frozenset({"move", "bounce", "dislodged", "retreat", "disband", "build", "remove"})),
    ("Territory and supply", frozenset({"captured"})),
    ("Betrayals", frozenset({"agreement_breached"})),
    (
        "Leaks and secrets",
        frozenset(
            {
                "agreement_leaked",
                "leak_done",
                "agreement_discovered",
                "message_intercepted",
                "denial",
                "justification",
                "backlash",
                "trust_shaken",
            }
        ),
    ),
    ("Intelligence", frozenset({"investigation", "interception", "propaganda", "action_failed"})),
    (
        "Agreements",
        frozenset(
            {
                "agreement_proposed",
                "agreement_signature",
                "agreement_signed",
                "annex_signed",
                "agreement_rejected",
                "agreement_renounced",
                "agreement_ratification",
                "agreement_ratified",
                "agreement_expired",
                "agreement_lapsed",
                "leak_planned",
            }
        ),
    ),
    ("Events", frozenset({"inject", "legitimacy", "unit_placed", "unit_removed"})),
    ("Money", frozenset({"income", "payment", "treasury"})),
    ("Governments", frozenset({"government_fell", "game_over"})),
    ("Your orders", frozenset({"order_void"})),
)
"""The turn report's sections, in reading order."""

INTEL_KINDS = frozenset(
    {
        "agreement_leaked",
        "leak_done",
        "agreement_discovered",
        "message_intercepted",
        "agreement_breached",
        "investigation",
        "interception",
        "denial",
        "justification",
        "backlash",
        "trust_shaken",
        "government_fell",
        "propaganda",
        "action_failed",
        "payment",
        "agreement_ratified",
        "inject",
        "legitimacy",
        "treasury",
        "unit_placed",
        "unit_removed",
    }
)
"""What the intelligence panel lists as "what I learned": secrets, spying, betrayals, money."""


def unit_word(event: Event) -> str:
    return "fleet" if event.get("unit") == "fleet" else "army"


def sentence(event: Event, names: Names, titles: Mapping[str, str] | None = None) -> str:
    """One event as a sentence; `titles` names agreements by their title where I know it."""
    text = _sentence(event, names, titles)
    return text[:1].upper() + text[1:]  # "an agreement lapsed…" starts a sentence too


def _sentence(event: Event, names: Names, titles: Mapping[str, str] | None) -> str:
    k = event.get("kind", "")
    s = names.state
    t = names.territory
    who = s(event.get("state"))

    def agreement() -> str:
        ref = event.get("agreement", "")
        title = (titles or {}).get(ref) or event.get("title")
        return f"“{title}”" if title else "an agreement"

    if k == "move":
        return f"{who}'s {unit_word(event)} moved from {t(event.get('from'))} to {t(event.get('to'))}."
    if k == "bounce":
        return f"{who}'s {unit_word(event)} in {t(event.get('from'))} bounced off {t(event.get('to'))}."
    if k == "dislodged":
        by = f" by {s(event.get('by'))}" if event.get("by") else ""
        frm = f", attacking from {t(event.get('from'))}" if event.get("from") else ""
        return f"{who}'s {unit_word(event)} in {t(event.get('at'))} was dislodged{by}{frm}."
    if k == "retreat":
        return f"{who}'s {unit_word(event)} retreated from {t(event.get('from'))} to {t(event.get('to'))}."
    if k == "disband":
        return f"{who}'s {unit_word(event)} in {t(event.get('at'))} was disbanded."
    if k == "build":
        return f"{who} built a{'' if unit_word(event) == 'fleet' else 'n'} {unit_word(event)} in {t(event.get('at'))}."
    if k == "remove":
        return f"{who} removed its {unit_word(event)} in {t(event.get('at'))}."
    if k == "captured":
        supply = " (a supply territory)" if event.get("supply") else ""
        frm = f" from {s(event.get('from'))}" if event.get("from") else ""
        return f"{who} took {t(event.get('territory'))}{supply}{frm}."
    if k == "income":
        return f"{who} received {event.get('amount')} in income (treasury {event.get('treasury')})."
    if k == "payment":
        return f"{who} paid {s(event.get('to'))} {event.get('amount')}."
    if k == "order_void":
        whose = "" if event.get("state") in (None, names.me) else f"{who}'s "
        return f"{whose}Void order “{event.get('order')}”: {event.get('reason')}."
    if k == "agreement_breached":
        protected = names.states(event.get("protected", []))
        evidence = names.humanize(str(event.get("evidence") or ""))
        return f"{s(event.get('breaker'))} broke {agreement()} at the expense of {protected}: {evidence}."
    if k == "agreement_leaked":
        parties = names.states(event.get("parties", []))
        if event.get("level") == "rumour":
            return f"Rumour: {parties} have a secret agreement."
        clauses = "; ".join(names.clause(c) for c in event.get("clauses", []))
        return f"Exposed: {agreement()} between {parties} — {clauses}."
    if k == "leak_done":
        return f"You leaked {agreement()} to the press."
    if k == "leak_planned":
        return f"You will leak {agreement()} at the end of the turn."
    if k == "agreement_discovered":
        clauses = "; ".join(names.clause(c) for c in event.get("clauses", []))
        return (
            f"{s(event.get('by'))}'s agents, investigating {s(event.get('target'))}, discovered a secret "
            f"between {names.states(event.get('parties', []))}: {clauses}."
        )
    if k == "message_intercepted":
        to = event.get("to")
        to_text = "everyone" if to == "all" else names.states(to or [])
        return (
            f"Intercepted ({s(event.get('by'))} on {s(event.get('target'))}): "
            f"{s(event.get('from'))} to {to_text}: “{event.get('text', '')}”"
        )
    if k == "investigation":
        found = "found a secret" if event.get("found") else "found nothing new"
        return f"{who}'s investigation of {s(event.get('target'))} {found}."
    if k == "interception":
        return f"{who}'s intercept of {s(event.get('target'))} read nothing."
    if k == "propaganda":
        return f"{who} ran a propaganda campaign at home (legitimacy {event.get('legitimacy')})."
    if k == "action_failed":
        return f"{who}'s {event.get('action')} failed: {event.get('reason')}."
    if k == "denial":
        return f"{who} publicly denied the rumoured agreement of {names.states(event.get('parties', []))}."
    if k == "justification":
        return f"{who} publicly justified {agreement()} (legitimacy regained: {event.get('legitimacy_regained')})."
    if k == "backlash":
        return (
            f"Backlash in {who}: {event.get('legitimacy_lost')} legitimacy lost over {agreement()} "
            f"(credibility gap {event.get('credibility_gap')})."
        )
    if k == "trust_shaken":
        return f"{who}'s trust in {s(event.get('in'))} is shaken: it signed in public with a state your secret targets."
    if k == "government_fell":
        return f"The government of {who} fell (legitimacy {event.get('legitimacy')})."
    if k == "agreement_proposed":
        counter = " as a counter-proposal" if event.get("counter_of") else ""
        vis = "secret" if event.get("visibility") == "secret" else "public"
        # The proposer is a party: "Germany proposed … to France", never "… to Germany and France".
        others = [p for p in event.get("parties", []) if p != event.get("by")]
        return f"{s(event.get('by'))} proposed a {vis} agreement to {names.states(others)}{counter}."
    if k == "agreement_signature":
        return f"{who} signed {agreement()}."
    if k == "agreement_signed":
        if event.get("at_start"):
            return f"In force from the start: {agreement()} ({names.states(event.get('parties', []))})."
        return f"{agreement()} is in force between {names.states(event.get('parties', []))}."
    if k == "annex_signed":
        return f"The secret annex of {agreement()} is in force."
    if k == "agreement_rejected":
        return f"{who} rejected {agreement()}." if event.get("state") else f"{agreement()} lapsed unanswered."
    if k == "agreement_renounced":
        return f"{who} renounced {agreement()}."
    if k == "agreement_ratification":
        return f"{who} ratified {agreement()} in public."
    if k == "agreement_ratified":
        return f"{agreement()} was ratified by all its parties and is now public."
    if k == "agreement_expired":
        return f"{agreement()} ran its course and was kept."
    if k == "agreement_lapsed":
        return f"{agreement()} lapsed when {who}'s government fell."
    if k == "game_over":
        if event.get("winner"):
            return f"The game is over: {s(event.get('winner'))} wins."
        return "The game is over."
    if k == "message":
        to = event.get("to")
        to_text = "everyone" if to == "all" else names.states(to or [])
        return f"{s(event.get('from'))} to {to_text}: “{event.get('text', '')}”"
    if k == "ready":
        return f"{who} is {'ready' if event.get('ready') else 'not ready any more'}."
    if k == "inject":
        text = str(event.get("text") or "").strip()
        return f"News: {event.get('title', '')}" + (f" — {text}" if text else "")
    if k == "legitimacy":
        return f"{who}'s legitimacy {int(event.get('delta', 0)):+d}, now {event.get('legitimacy')}."
    if k == "treasury":
        return f"{who}'s treasury {int(event.get('delta', 0)):+d}, now {event.get('treasury')}."
    if k == "unit_placed":
        return f"A new {unit_word(event)} of {who} appeared in {t(event.get('at'))}."
    if k == "unit_removed":
        return f"The {unit_word(event)} of {who} in {t(event.get('at'))} left the board."
    if k == "phase":
        return f"{str(event.get('season', '')).capitalize()} {event.get('year', '')}: {event.get('phase')} phase."
    return str(k).replace("_", " ").capitalize() + "."


def report_turn(view: Mapping[str, Any]) -> int | None:
    """The last resolved turn: the previous one during a movement phase, else this one's results."""
    turns = [t["turn"] for t in view.get("events", [])]
    if not turns:
        return None
    current = view.get("turn") or 0
    if view.get("phase") in ("retreat", "adjustment"):
        return current if current in turns else max(turns)
    earlier = [t for t in turns if t < current]
    return max(earlier) if earlier else None


def turn_events(view: Mapping[str, Any], turn: int | None) -> list[Event]:
    for entry in view.get("events", []):
        if entry.get("turn") == turn:
            return list(entry.get("events", []))
    return []


OTHERS_ORDERS = "Other states' void orders"


def sectioned(events: list[Event], me: str | None = None) -> list[tuple[str, list[Event]]]:
    """The events grouped under the report's sections, empty sections left out.  "Your orders"
    holds only `me`'s orders (given `me`); another state's void order has its own heading."""
    kind_section = {kind: title for title, kinds in SECTIONS for kind in kinds}
    groups: dict[str, list[Event]] = {}
    for event in events:
        title = kind_section.get(event.get("kind", ""), "Other news")
        if title == "Your orders" and me is not None and event.get("state") not in (None, me):
            title = OTHERS_ORDERS
        groups.setdefault(title, []).append(event)
    order = [title for title, _ in SECTIONS] + [OTHERS_ORDERS, "Other news"]
    return [(title, groups[title]) for title in order if title in groups]
