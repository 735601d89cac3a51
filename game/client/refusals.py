"""A refusal as a player reads it: a short label for its code, then the server's whole reason.

The server's error codes (docs/protocol.md, "Errors") are stable names for programs; a player
sees a few words instead, and never a raw `not_started:` prefix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def refusal_text(error: Mapping[str, Any]) -> str:
    """`Label — reason.` for an error reply, the reason whole."""
    code = str(error.get("code") or "")
    label = LABELS.get(code, "Refused")
    message = str(error.get("message") or "").strip()
    for prefix in (f"{code}:", f"{code.replace('_', ' ')}:", "rejected:"):
        if code and message.lower().startswith(prefix):
            message = message[len(prefix):].strip()  # a code is for programs, not for the player
    if not message:
        return label + "."
    return f"{label} — {message}" + ("" if message.endswith((".", "!", "?")) else ".")
