"""The grade sheet: a row per student and a row per state, as CSV for a spreadsheet.

A state's row counts everything done in its name, by its students or a bot.  A student's row
counts what that student did personally, from the member named on each command:

* messages sent, orders given (order lists submitted), agreements proposed (or countered);
* agreements signed: those that came into force with the student's own signature for the
  state (a proposer signs at once); kept and leaks suffered count among those;
* agreements breached: those broken by an order of a list the student gave;
* objectives met and score are the team's: the state's at the end.

A state's `agreements_signed` and `agreements_kept` leave out the agreements already in force
when the game began (history signed those); its breaches and leaks count every agreement.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

from game.debrief.chronicle import Act, Chronicle
from game.debrief.lives import Life
from game.debrief.objectives import ObjectiveResult
from game.debrief.source import DebriefSource

COLUMNS = (
    "row",
    "name",
    "state",
    "state_name",
    "messages_sent",
    "orders_given",
    "agreements_proposed",
    "agreements_signed",
    "agreements_kept",
    "agreements_breached",
    "leaks_suffered",
    "objectives_met",
    "objectives_total",
    "score",
)


@dataclass(slots=True)
class GradeRow:
    row: str
    """"student" or "state"."""
    name: str
    state: str
    state_name: str
    messages_sent: int = 0
    orders_given: int = 0
    agreements_proposed: int = 0
    agreements_signed: int = 0
    agreements_kept: int = 0
    agreements_breached: int = 0
    leaks_suffered: int = 0
    objectives_met: int = 0
    objectives_total: int = 0
    score: int = 0


def grade_rows(
    source: DebriefSource,
    chronicle: Chronicle,
    lives: Sequence[Life],
    objectives: Mapping[str, Sequence[ObjectiveResult]],
    scores: Mapping[str, int],
) -> list[GradeRow]:
    """Students first (by state, in the order they joined), then every state in scenario order."""
    names = {s.id: s.name for s in source.scenario.states}
    by_id = {life.id: life for life in lives}
    breakers = _breakers(chronicle)
    rows: list[GradeRow] = []

    def team(row: GradeRow, state: str) -> None:
        results = objectives.get(state, [])
        row.objectives_met = sum(r.met for r in results)
        row.objectives_total = len(results)
        row.score = int(scores.get(state, 0))

    order = {s.id: i for i, s in enumerate(source.scenario.states)}
    for member in sorted(source.students, key=lambda m: order.get(m.state or "", len(order))):
        state = member.state or ""
        row = GradeRow("student", member.name, state, names.get(state, state))
        mine = [a for a in chronicle.acts if a.author == member.name and a.state == state]
        row.messages_sent = sum(a.kind == "press" for a in mine)
        row.orders_given = sum(a.kind == "orders" for a in mine)
        row.agreements_proposed = sum(a.kind in ("propose", "counter") and bool(a.made) for a in mine)
        signed = {ref for a in mine for ref in _signed_by(a)}
        in_force = [
            by_id[ref]
            for ref in signed
            if ref in by_id and by_id[ref].in_force and state in by_id[ref].parties
        ]
        row.agreements_signed = len(in_force)
        row.agreements_kept = sum(life.kept for life in in_force)
        row.leaks_suffered = sum(life.view.get("leak_level", "none") != "none" for life in in_force)
        row.agreements_breached = sum(
            breaker == state and member.name in authors for breaker, authors in breakers.values()
        )
        team(row, state)
        rows.append(row)
    for s in source.scenario.states:
        row = GradeRow("state", s.name, s.id, s.name)
        acts = [a for a in chronicle.acts if a.state == s.id]
        row.messages_sent = sum(a.kind == "press" for a in acts)
        row.orders_given = sum(a.kind == "orders" for a in acts)
        row.agreements_proposed = sum(a.kind in ("propose", "counter") and bool(a.made) for a in acts)
        ours = [life for life in lives if s.id in life.parties and life.in_force]
        row.agreements_signed = sum(not life.at_start for life in ours)
        row.agreements_kept = sum(life.kept and not life.at_start for life in ours)
        row.agreements_breached = sum(breaker == s.id for breaker, _ in breakers.values())
        row.leaks_suffered = sum(life.view.get("leak_level", "none") != "none" for life in ours)
        team(row, s.id)
        rows.append(row)
    return rows


def _signed_by(act: Act) -> list[str]:
    if act.kind in ("propose", "counter"):
        return list(act.made)
    if act.kind == "sign":
        return [str(act.command.get("agreement"))]
    return []


def _breakers(chronicle: Chronicle) -> dict[str, tuple[str, set[str]]]:
    """Agreement id -> (its first breaker, the members whose order lists broke it).

    An agreement is counted once against the state that broke it first, as the rules' own tally
    does; a breach by an order is the author's of the last order list that state gave that turn."""
    last_orders: dict[tuple[str, int], Act] = {}
    for act in chronicle.acts:
        if act.kind == "orders" and act.state and act.phase == "movement":
            last_orders[(act.state, act.turn)] = act
    out: dict[str, tuple[str, set[str]]] = {}
    for record in chronicle.game.turns:
        for e in record.events:
            if e.get("kind") != "agreement_breached":
                continue
            ref, breaker = str(e["agreement"]), str(e["breaker"])
            first, authors = out.setdefault(ref, (breaker, set()))
            if breaker != first:
                continue
            given = last_orders.get((breaker, record.turn))
            if e.get("order") and given is not None and given.author:
                authors.add(given.author)
    return out


def grades_csv(rows: Sequence[GradeRow]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow(asdict(row))
    return out.getvalue()
