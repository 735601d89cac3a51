"""Press: private messages and public statements, with the structured asks and answers they carry.

A message changes no agreement and costs nothing; it is kept with its audience (who may read it),
which intelligence may later widen, and it counts against its sender when an agreement it
contradicts is exposed (the credibility gap, game/rules/consequences.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from game.rules.asks import (
    AnyAsk,
    answer_sentence,
    ask_agreement,
    ask_sentence,
    ask_states,
    ask_territories,
    parse_ask,
)
from game.rules.commands import Press
from game.rules.diplomacy_data import CommandContext, DiplomacyData, Event
from game.rules.errors import BadTerms, UnknownAgreement, UnknownMessage, UnknownState, UnknownTerritory
from game.rules.knowledge import ALL, Audience, audience_of, visible


def press(d: DiplomacyData, command: Press, at: CommandContext) -> list[Event]:
    """Keep a message (no event: views read the messages themselves)."""
    for s in command.to:
        d.known_state(s)
        if s == command.state:
            raise BadTerms("a message cannot be sent to oneself")
    if len(set(command.to)) != len(command.to):
        raise BadTerms("a recipient is named twice")
    text = command.text.strip()
    said: dict[str, Any] = {}
    territory_name, state_name = _territory_namer(d), _state_namer(d)
    if command.ask is not None:
        _check_ask(d, command.ask, command.state)
        said["ask"] = command.ask.model_dump(mode="json")
        text = text or ask_sentence(command.ask, territory_name, state_name)
    if command.answer is not None:
        asked = _asked(d, command.answer.to, command.state)
        if asked is None and command.answer.yes is not None:
            raise BadTerms(f"message {command.answer.to} asks nothing to say yes or no to")
        said["answer"] = command.answer.model_dump(mode="json")
        if not text:
            text = (
                "Noted."
                if asked is None
                else answer_sentence(asked, command.answer.yes, territory_name, state_name)
            )
    mid = d.new_id("msg", command.state)
    audience: Audience = audience_of([command.state, *command.to]) if command.to else ALL
    message = {
        "id": mid,
        "turn": at.turn,
        "from": command.state,
        "to": sorted(command.to) if command.to else ALL,
        "text": text,
        **said,
        "audience": audience,
    }
    d.messages.append(message)
    d.message_by_id[mid] = message
    if command.sincerity is not None:
        d.marks[mid] = command.sincerity
    return []


def _check_ask(d: DiplomacyData, ask: AnyAsk, sender: str) -> None:
    """An ask names places and states that exist, and agreements the sender knows."""
    for t in ask_territories(ask):
        if t not in d.board.territories:
            raise UnknownTerritory(f"there is no territory {t!r} on this map")
    for s in ask_states(ask):
        if s not in d.trust:
            raise UnknownState(f"there is no state {s!r} in this game")
    ref = ask_agreement(ask)
    if ref is not None:
        # One may complain of, or demand a justification for, any agreement one can see: a public
        # one, an exposed one, one's own; one it cannot see is refused as one that does not exist.
        seen = d.agreements.get(ref)
        if seen is None or not visible(seen.existence_audience(), sender):
            raise UnknownAgreement(f"no agreement {ref} known to {sender}")


def _asked(d: DiplomacyData, ref: str, sender: str) -> AnyAsk | None:
    """The ask (or None) of message `ref`, which `sender` received; a message the sender may not
    read is refused exactly as one that does not exist."""
    m = d.message_by_id.get(ref)
    if m is None or m["from"] == sender or not visible(m["audience"], sender):
        raise UnknownMessage(f"no message {ref} to {sender} to answer")
    return parse_ask(m["ask"]) if "ask" in m else None


def _territory_namer(d: DiplomacyData) -> Callable[[str], str]:
    def name(territory: str) -> str:
        info = d.board.territories.get(territory)
        return info.name if info is not None else territory

    return name


def _state_namer(d: DiplomacyData) -> Callable[[str], str]:
    def name(state: str) -> str:
        return d.scenario.state(state).name if state in d.trust else state

    return name
