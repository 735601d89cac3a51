"""`backchannel adjudicate`: one movement phase of a given situation, as JSON.

The sandbox in which a designer or teacher checks a situation, and by which anyone can
compare this adjudicator with another.  Orders are matched to units by place; a line
may start with `STATE:` to give the order as that state (to check what happens when a
state orders a unit that is not its own).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, ValidationError

from game.rules.board import Board
from game.rules.errors import RulesError
from game.rules.orders import parse_order
from game.rules.sandbox import Sandbox


class UnitEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["army", "fleet"]
    at: str = Field(min_length=1, max_length=40)
    coast: str | None = Field(None, max_length=20)


class UnitsFile(RootModel[dict[str, list[UnitEntry]]]):
    """UNITS.json: {STATE: [{"type": "army" | "fleet", "at": TERRITORY, "coast": COAST?}, ...]}."""


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 1


def adjudicate_command(scenario_ref: str, units_path: Path, orders_path: Path) -> int:
    from game.scenario.loader import ScenarioError, find_scenario, load_scenario

    try:
        scenario = load_scenario(find_scenario(scenario_ref))
    except (ScenarioError, FileNotFoundError) as exc:
        return _fail(str(exc))
    try:
        raw = json.loads(units_path.read_text(encoding="utf-8"))
        units = UnitsFile.model_validate(raw).root
    except OSError as exc:
        return _fail(f"{units_path}: {exc.strerror}")
    except json.JSONDecodeError as exc:
        return _fail(f"{units_path}:{exc.lineno}: not valid JSON: {exc.msg}")
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return _fail(f"{units_path}: {where}: {first['msg']}")
    state_ids = {s.id for s in scenario.states}
    sandbox = Sandbox(Board.from_scenario(scenario))
    for state, entries in units.items():
        if state not in state_ids:
            return _fail(f"{units_path}: unknown state {state!r}; states are {', '.join(sorted(state_ids))}")
        for i, entry in enumerate(entries):
            location = f"{entry.at}/{entry.coast}" if entry.coast else entry.at
            try:
                sandbox.put(state, entry.type, location)
            except RulesError as exc:
                return _fail(f"{units_path}: {state}[{i}]: {exc}")
    try:
        lines = orders_path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        return _fail(f"{orders_path}: {exc.strerror}")
    given: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        text = line.split("#", 1)[0].strip()
        if not text:
            continue
        state = ""
        if ":" in text:
            state, text = (part.strip() for part in text.split(":", 1))
            if state not in state_ids:
                return _fail(f"{orders_path}:{number}: unknown state {state!r}")
        try:
            order = parse_order(text)
        except RulesError as exc:
            return _fail(f"{orders_path}:{number}: {exc}")
        if not state:
            unit = sandbox.units.get(order.location.split("/")[0])
            state = unit.state if unit is not None else ""
        given.append((state, text))
    result = sandbox.movement(given)
    index = sandbox.board.index
    print(
        json.dumps(
            {
                "results": [
                    {"order": r.order, "result": r.result, "reason": r.reason} for r in result.results
                ],
                "dislodged": sorted(result.dislodged, key=index.__getitem__),
            },
            indent=2,
        )
    )
    return 0
