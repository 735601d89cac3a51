"""The debrief report: one self-contained HTML file, and the grade sheet beside it.

`build_report` replays the game and gathers everything the report shows; `render_html`
writes it through the jinja2 template (templates/report.html.j2) with the map pictures and
charts embedded as base64 PNG, so the file opens anywhere, offline, and can be mailed to a
class.  After the game every fact's audience is open: each fact shows who knew it at the time.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from game.debrief import charts
from game.debrief.chronicle import Chronicle, TurnState, replay
from game.debrief.grades import GradeRow, grade_rows
from game.debrief.lives import Life, lives
from game.debrief.maps import MapPainter
from game.debrief.objectives import ObjectiveResult, objective_results
from game.debrief.source import DebriefSource, source_from_record
from game.debrief.story import SECTIONS, Teller, Told, css_id
from game.rules.game import TurnEvents


@dataclass(frozen=True, slots=True)
class StateInfo:
    id: str
    name: str
    colour: str
    css: str
    charted: bool


@dataclass(slots=True)
class TurnPage:
    turn: int
    label: str
    in_progress: bool
    map_uri: str
    sections: list[tuple[str, str, list[Told]]]
    """(section id, heading, facts)."""
    orders: list[tuple[str, str, str | None, list[str]]]
    """(phase, state, author, order lines) as last given in each phase of the turn."""
    messages: int


@dataclass(slots=True)
class MessageRow:
    id: str
    turn: int
    sender: str
    author: str | None
    to: Any
    text: str
    said: str
    """"ask" / "answer" / "": what kind of message it was."""
    sincerity: str | None
    audience: Any
    intercepted_by: list[str]


@dataclass(slots=True)
class ResultRow:
    state: StateInfo
    score: int
    supply: int
    units: int
    legitimacy: int
    reputation: int
    objectives: list[ObjectiveResult]

    @property
    def met(self) -> int:
        return sum(o.met for o in self.objectives)


@dataclass(slots=True)
class Report:
    source: DebriefSource
    chronicle: Chronicle
    record: dict[str, Any]
    states: list[StateInfo]
    results: list[ResultRow]
    bystanders: list[StateInfo]
    """States with no objectives that ended with nothing: named in one line under the results."""
    turns: list[TurnPage]
    start_map: str
    charts: list[tuple[str, str, str]]
    """(title, caption, data URI)."""
    lives: list[Life]
    messages: list[MessageRow]
    grades: list[GradeRow]
    knowledge_states: list[str]
    teller: Teller
    timings: dict[str, float] = field(default_factory=dict)


def png_uri(data: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


def build_report(source: DebriefSource) -> Report:
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = now - clock
        clock = now

    chronicle = replay(source)
    game = chronicle.game
    record = game.record()
    lap("replay")
    teller = Teller(source.scenario, record["agreements"])
    final = game.scores()
    objectives = objective_results(game)
    student_states = {m.state for m in source.students}
    moments = [chronicle.start, *chronicle.ends.values()]
    peak = {s.id: max(st.supply.get(s.id, 0) for st in moments) for s in source.scenario.states}
    states = [
        StateInfo(
            s.id,
            s.name,
            s.colour,
            css_id(s.id),
            s.playable or s.id in student_states or (s.controller != "none" and peak[s.id] >= 3),
        )
        for s in source.scenario.states
    ]
    if sum(s.charted for s in states) < 2:
        states = [StateInfo(s.id, s.name, s.colour, s.css, True) for s in states]
    by_id = {s.id: s for s in states}
    d = game.diplomacy
    results = sorted(
        (
            ResultRow(
                by_id[s.id],
                final[s.id],
                game.supply_count(s.id),
                len(game.units_of(s.id)),
                d.legitimacy[s.id],
                d.reputation(s.id),
                objectives[s.id],
            )
            for s in source.scenario.states
        ),
        key=lambda r: (-r.score, -r.supply, r.state.name),
    )
    bystanders = [
        r.state for r in results if not r.objectives and not r.score and not r.supply and not r.units
    ]
    results = [r for r in results if r.state not in bystanders]
    agreement_lives = lives(chronicle, record["agreements"], teller)
    lap("facts")

    painter = MapPainter(source.scenario)
    start_map = png_uri(painter.png(chronicle.start))
    acted = {act.turn for act in chronicle.acts}
    # A turn just begun, where nothing was done yet (a simulation stopped, a server between phases), is left out.
    turns = [_turn_page(chronicle, t, teller, painter) for t in game.turns if t.events or t.turn in acted]
    lap("maps")

    chart_list = _charts(chronicle, [s for s in states if s.charted])
    lap("charts")

    messages = [
        MessageRow(
            id=m["id"],
            turn=m["turn"],
            sender=m["from"],
            author=chronicle.authors_of_messages.get(m["id"]) or m.get("author"),
            to=m["to"],
            text=m["text"],
            said="ask" if m.get("ask") else "answer" if m.get("answer") else "",
            sincerity=m.get("sincerity"),
            audience=m["audience"],
            intercepted_by=[]
            if m["audience"] == "all"
            else [s for s in m["audience"] if s != m["from"] and (m["to"] == "all" or s not in m["to"])],
        )
        for m in record["messages"]
    ]
    grades = grade_rows(source, chronicle, agreement_lives, objectives, final)
    knowers = {
        k.state for life in agreement_lives if life.secret_part and life.in_force for k in life.learned
    }
    knowledge_states = [s.id for s in source.scenario.states if s.id in knowers]
    lap("tables")
    return Report(
        source,
        chronicle,
        record,
        states,
        results,
        bystanders,
        turns,
        start_map,
        chart_list,
        agreement_lives,
        messages,
        grades,
        knowledge_states,
        teller,
        timings,
    )


def _turn_page(chronicle: Chronicle, turn: TurnEvents, teller: Teller, painter: MapPainter) -> TurnPage:
    state: TurnState = chronicle.state_after(turn.turn)
    moves = [(e["state"], e["from"], e["to"]) for e in turn.events if e["kind"] in ("move", "retreat")]
    told = [teller.tell(e) for e in turn.events]
    sections = [(key, heading, [t for t in told if t.section == key]) for key, heading in SECTIONS]
    orders: dict[tuple[str, str], tuple[str, str, str | None, list[str]]] = {}
    for (
        act
    ) in chronicle.acts:  # a state's later list replaces its earlier one in the same phase, as in the rules
        if act.kind == "orders" and act.turn == turn.turn and act.state:
            orders[(act.phase or "", act.state)] = (
                act.phase or "",
                act.state,
                act.author,
                list(act.command.get("orders", [])),
            )
    in_progress = state.in_progress or (turn.turn not in chronicle.ends)
    return TurnPage(
        turn=turn.turn,
        label=f"{turn.season.capitalize()} {turn.year}",
        in_progress=in_progress,
        map_uri=png_uri(painter.png(state, moves)),
        sections=[s for s in sections if s[2]],
        orders=list(
            orders.values()
        ),  # phases come in their order; in each, the states as they first gave orders
        messages=sum(1 for m in chronicle.game.diplomacy.messages if m["turn"] == turn.turn),
    )


def _charts(chronicle: Chronicle, states: Sequence[StateInfo]) -> list[tuple[str, str, str]]:
    points = [chronicle.start, *(chronicle.ends[t] for t in sorted(chronicle.ends))]
    ticks = ["start" if p.turn == 0 else str(p.year) for p in points]

    def series(value: Any) -> list[charts.Line]:
        return [charts.Line(s.name, s.colour, [value(p, s.id) for p in points]) for s in states]

    def trust_in(p: TurnState, state: str) -> float:
        others = [row[state] for a, row in p.trust.items() if a != state and state in row]
        return sum(others) / len(others) if others else 0.0

    charted = {x.id for x in states}
    thresholds = {s.legitimacy_threshold for s in chronicle.game.scenario.states if s.id in charted}
    guide = thresholds.pop() if len(thresholds) == 1 else None
    below = (
        f"; the dashed line is {guide}, below which a government falls"
        if guide is not None
        else "; a government falls below its state's threshold"
    )
    out = [
        (
            "Supply centres",
            "Supply centres held at the end of each turn (holders change at the end of a year).",
            png_uri(
                charts.line_chart(
                    "Supply centres held", ticks, series(lambda p, s: p.supply.get(s, 0)), "centres"
                )
            ),
        ),
        (
            "Legitimacy",
            f"Domestic legitimacy (0-100) at the end of each turn{below}.",
            png_uri(
                charts.line_chart(
                    "Domestic legitimacy",
                    ticks,
                    series(lambda p, s: p.legitimacy.get(s, 0)),
                    "legitimacy",
                    (0, 100),
                    guide,
                )
            ),
        ),
        (
            "Trust",
            "How far the other states trusted each state: the mean of their trust in it (0-100).",
            png_uri(
                charts.line_chart("Trust in each state", ticks, series(trust_in), "mean trust", (0, 100))
            ),
        ),
    ]
    last = points[-1]
    out.append(
        (
            "Who trusts whom",
            "Trust at the end: each row is how far that state trusts each state in the columns.",
            png_uri(
                charts.trust_matrix(
                    "Who trusts whom, at the end", [(s.id, s.name) for s in states], last.trust
                )
            ),
        )
    )
    return out


# --- HTML -------------------------------------------------------------------------------------------


_ENV: Environment | None = None


def _environment() -> Environment:
    global _ENV
    if _ENV is None:
        env = Environment(
            loader=PackageLoader("game.debrief", "templates"),
            autoescape=select_autoescape(["html", "j2"], default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _ENV = env
    return _ENV


def render_html(report: Report) -> str:
    game = report.chronicle.game
    scenario = report.source.scenario
    winner = report.record["final"].get("winner")
    in_force = [life for life in report.lives if life.in_force]
    unsigned = [life for life in report.lives if not life.in_force]
    template = _environment().get_template("report.html.j2")
    return template.render(
        r=report,
        scenario=scenario,
        game=game,
        t=report.teller,
        winner=winner,
        in_force=in_force,
        unsigned=unsigned,
        secret_lives=[life for life in in_force if life.secret_part],
        turn_label={p.turn: f"{p.label}" for p in report.turns},
        messages_by_turn=_group(report.messages),
    )


def _group(messages: Sequence[MessageRow]) -> list[tuple[int, list[MessageRow]]]:
    out: dict[int, list[MessageRow]] = {}
    for m in messages:
        out.setdefault(m.turn, []).append(m)
    return sorted(out.items())


def report_from_record(record: Mapping[str, Any]) -> str:
    """The report's HTML for a record of any kind: a `simulate` record.json, the server's `get_record`
    answer (the game's record with the scenario text and the members), or `record_from_log`'s."""
    return render_html(build_report(source_from_record(record)))
