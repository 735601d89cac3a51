"""What a debrief is made from: a scenario, a seed, the accepted commands, and who gave them.

A report can start from three places, and each becomes the same `DebriefSource`:

* a `backchannel simulate` record.json (bots in every seat: no students);
* a server's log, read from its store by the command line and handed over as plain entries
  (`record_from_log`), so this package never imports the server;
* the record the server sends the umpire on `get_record` (`game.record()`, plus the scenario
  text and the members).

The game itself is never taken from the record: it is rebuilt by replaying the commands
(`game.debrief.chronicle`), which is what lets the report draw the map at the end of every turn.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.rules.scenario import Scenario

DEBRIEF_FORMAT = "backchannel-debrief/1"
"""The `format` of a record made from a server's log (`record_from_log`)."""


class DebriefError(ValueError):
    """A record the report cannot be made from, and why."""


@dataclass(frozen=True, slots=True)
class Member:
    """A person at the table: a student of a state (role player), an observer or the umpire."""

    id: str
    role: str
    state: str | None
    name: str


@dataclass(slots=True)
class DebriefSource:
    scenario: Scenario
    seed: int
    commands: list[dict[str, Any]]
    authors: list[str | None]
    """Per command: the name of the member who gave it; None for a bot, the server, or unknown."""
    members: list[Member] = field(default_factory=list)
    origin: str = ""
    """Where the record came from, in words, for the report's title block."""
    replaced: list[str] = field(default_factory=list)
    """States a bot played in the end although students had joined them: the umpire replaced them."""

    @property
    def students(self) -> list[Member]:
        return [m for m in self.members if m.role == "player" and m.state is not None]


def member_names(joins: Iterable[Mapping[str, Any]]) -> list[Member]:
    """Members from join entries (`{"k": "join", "m", "role", "state", "name"?}`) or member dicts
    (`{"id", "role", "state", "name"?}`).  A player without a name is called as the server calls
    one, "Player N", numbered per state in the order of joining."""
    out: list[Member] = []
    numbered: dict[str, int] = {}
    for j in joins:
        ident = str(j.get("m", j.get("id", "")))
        role = str(j.get("role", "player"))
        state = j.get("state")
        name = j.get("name")
        if role == "player" and state is not None:
            numbered[state] = numbered.get(state, 0) + 1
        if not name:
            name = f"Player {numbered.get(state, 1)}" if role == "player" and state else role.capitalize()
        if any(m.id == ident for m in out):
            continue  # a member joins once; a resumed seat is not a second person
        out.append(Member(ident, role, state, str(name)))
    return out


def record_from_log(
    scenario_text: str,
    seed: int,
    entries: Sequence[Mapping[str, Any]],
    game_id: str | None = None,
) -> dict[str, Any]:
    """A plain record from a server game's log: the rules commands in order (`{"k": "cmd"}`
    entries), the member who gave each, and the members from the join entries."""
    members = member_names(e for e in entries if e.get("k") == "join")
    names = {m.id: m.name for m in members}
    commands: list[dict[str, Any]] = []
    authors: list[str | None] = []
    for entry in entries:
        if entry.get("k") != "cmd":
            continue
        commands.append(dict(entry["cmd"]))
        # "bot" (a bot's command) and None (the server's own, e.g. a resolve at the deadline) are nobody's.
        authors.append(names.get(str(entry.get("m"))))
    return {
        "format": DEBRIEF_FORMAT,
        "game": game_id,
        "scenario_text": scenario_text,
        "seed": seed,
        "commands": commands,
        "authors": authors,
        "members": [{"id": m.id, "role": m.role, "state": m.state, "name": m.name} for m in members],
    }


def load_record_file(path: Path) -> dict[str, Any]:
    """A record.json (from `simulate`, or saved from the server's `get_record`)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DebriefError(f"{path}: cannot read it: {exc}") from None
    except json.JSONDecodeError as exc:
        raise DebriefError(f"{path}: not a JSON record (line {exc.lineno}: {exc.msg})") from None
    if not isinstance(data, dict):
        raise DebriefError(f"{path}: not a game record (a JSON object was expected)")
    return data


def source_from_record(record: Mapping[str, Any], scenario: Scenario | None = None) -> DebriefSource:
    """The debrief source of a record of any of the three kinds.  `scenario` overrides the one the
    record names (a simulate record of a scenario file that is not bundled)."""
    for key in ("seed", "commands"):
        if key not in record:
            raise DebriefError(f"the record has no {key!r}: is it a game record?")
    commands = record["commands"]
    if not isinstance(commands, list) or not all(isinstance(c, dict) and "kind" in c for c in commands):
        raise DebriefError("the record's 'commands' is not a list of commands")
    if scenario is None:
        scenario = _scenario_of(record)
    members = member_names(record.get("members") or [])
    given = record.get("authors")
    if not isinstance(given, list):
        # The server's record names the member id who sent each command (`by`: an id, "bot" or None).
        names = {m.id: m.name for m in members}
        by = record.get("by")
        given = [names.get(str(b)) for b in by] if isinstance(by, list) else []
    authors: list[str | None] = []
    for i, command in enumerate(commands):
        named = command.get("author")
        if not named and i < len(given):
            named = given[i]
        authors.append(str(named) if named else None)
    game = record.get("game")
    origin = (
        f"server game {game}"
        if game
        else ("a server game" if members else "a simulated game (bots in every seat)")
    )
    given_seats = record.get("seats")
    seats: dict[str, Any] = given_seats if isinstance(given_seats, dict) else {}
    replaced = [
        s.id
        for s in scenario.states
        if seats.get(s.id) == "bot" and any(m.state == s.id and m.role == "player" for m in members)
    ]
    return DebriefSource(
        scenario, int(record["seed"]), [dict(c) for c in commands], authors, members, origin, replaced
    )


def _scenario_of(record: Mapping[str, Any]) -> Scenario:
    from game.scenario.loader import (
        ScenarioError,
        ScenarioNotFoundError,
        find_scenario,
        load_scenario,
        load_scenario_text,
    )

    text = record.get("scenario_text")
    try:
        if isinstance(text, str) and text.strip():
            return load_scenario_text(text, "the record's scenario")
        ref = record.get("scenario")
        if not isinstance(ref, str) or not ref:
            raise DebriefError("the record names no scenario and carries no scenario text")
        return load_scenario(find_scenario(ref))
    except (ScenarioNotFoundError, FileNotFoundError):
        raise DebriefError(
            f"scenario {record.get('scenario')!r} is not bundled: give its file with --scenario"
        ) from None
    except ScenarioError as exc:
        raise DebriefError(f"the record's scenario does not load: {exc}") from None
