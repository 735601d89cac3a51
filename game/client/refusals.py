"""A refusal as a player reads it: a short label for its code, then the server's whole reason.

The server's error codes (docs/protocol.md, "Errors") are stable names for programs; a player
sees a few words instead, and never a raw `not_started:` prefix.  Given the view, the reason's
ids read as names too: an agreement by its title (or "that agreement" when I do not know it),
a state or a territory by its name ("no agreement “Entente Cordiale” known to France").
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

ID = re.compile(r"'?\b((?:agr|msg|ask|inj)-[0-9a-z]{4,})\b'?")
WORD = re.compile(r"\b[a-z][a-z0-9_]{1,31}\b")

LABELS = {
    "unknown_agreement": "No such agreement",
    "unknown_message": "No such message",
    "unknown_state": "No such state",
    "unknown_territory": "No such place",
    "not_a_party": "Not a party to it",
    "wrong_status": "Not possible now",
    "bad_terms": "Terms refused",
    "wrong_phase": "Not in this phase",
    "treasury": "Not enough money",
    "already_done": "Already done",
    "bad_order": "Order refused",
    "game_over": "The game is over",
    "not_started": "Not started yet",
    "already_started": "Already started",
    "not_allowed": "Not allowed",
    "not_your_seat": "Not your seat",
    "umpire_only": "Only the umpire can",
    "invalid_command": "Not understood",
    "id_reused": "Sent twice",
    "rejected": "Refused",
    "rate_limited": "Too fast",
    "bad_frame": "Not sent",
    "bad_message": "Not understood",
    "no_seat": "No seat",
    "bad_code": "Wrong code",
    "seat_unavailable": "Seat taken",
    "seats_empty": "Seats still empty",
    "name_taken": "Name taken",
    "not_leader": "Only the leader can",
    "seat_replaced": "A bot plays this state now",
    "unknown_inject": "No such inject",
    "already_released": "Already released",
    "unknown_member": "No such member",
    "internal": "Server fault",
    "unavailable": "Server busy",
}
"""A few words per code; an unknown code reads as plain "Refused"."""


def refusal_text(error: Mapping[str, Any], context: Any = None) -> str:
    """`Label — reason.` for an error reply, the reason whole; given the client's state (or a
    view), its ids read as names."""
    view: Mapping[str, Any] | None
    if isinstance(context, Mapping):
        view, scenario = context, None
    else:
        view, scenario = getattr(context, "view", None), getattr(context, "scenario", None)
    if scenario is not None and not hasattr(scenario, "states"):
        scenario = None  # not read yet: the view's names will do
    code = str(error.get("code") or "")
    label = LABELS.get(code, "Refused")
    message = str(error.get("message") or "").strip()
    for prefix in (f"{code}:", f"{code.replace('_', ' ')}:", "rejected:"):
        if code and message.lower().startswith(prefix):
            message = message[len(prefix) :].strip()  # a code is for programs, not for the player
    message = named(message, view, scenario)
    if not message:
        return label + "."
    return f"{label} — {message}" + ("" if message.endswith((".", "!", "?")) else ".")


def named(message: str, view: Mapping[str, Any] | None, scenario: Any | None = None) -> str:
    """The reason with ids as names: agreements by title, states and territories by name.

    Only whole words that are ids of this game change; the rest of the sentence stays as the
    rules wrote it (an order in the notation, `A par - bur`, keeps its ids: players type them)."""
    if not message:
        return message
    view = view or {}
    titles = {
        str(a.get("id")): str(a.get("title")) for a in view.get("agreements", []) or [] if a.get("title")
    }

    def title(match: re.Match[str]) -> str:
        ref = match.group(1)
        if ref in titles:
            return f"“{titles[ref]}”"
        return {"agr": "that agreement", "msg": "that message", "inj": "that inject"}.get(ref[:3], "that one")

    for word, prefix in (("agreement", "agr"), ("message", "msg"), ("inject", "inj")):
        known = titles if prefix == "agr" else {}

        def no_such(m: re.Match[str], w: str = word, k: dict[str, str] = known) -> str:
            return f"no {w} {title(m)}" if m.group(1) in k else f"no such {w}"

        def that_one(m: re.Match[str], w: str = word, k: dict[str, str] = known) -> str:
            if m.group(2) in k:
                return f"{m.group(1)}{w[1:]} “{k[m.group(2)]}”"
            return ("T" if m.group(1).isupper() else "t") + f"hat {w}"

        message = re.sub(rf"\bno {word} '?({prefix}-[0-9a-z]{{4,}})\b'?", no_such, message)
        message = re.sub(
            rf"\b({word[0]}|{word[0].upper()}){word[1:]} '?({prefix}-[0-9a-z]{{4,}})\b'?", that_one, message
        )
    message = ID.sub(title, message)
    if not view and scenario is None:
        return message
    from game.client.panels.names import Names  # the panels' names; imported late: panels import this module

    names = Names(view, scenario)
    states = {s: names.state(s) for s in names.state_ids()}
    head, colon, order = message.partition(": ")
    if _ORDER.match(order):  # "… : A par - bur": the order keeps its notation
        return WORD.sub(lambda m: states.get(m.group(0), m.group(0)), head) + colon + order
    return WORD.sub(lambda m: states.get(m.group(0), m.group(0)), message)


_ORDER = re.compile(r"^(?:[AF] [a-z]|build |remove |waive)")
