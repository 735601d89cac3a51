"""Cross-reference checks: what a scenario must satisfy beyond each field's own validation.

Pydantic checks every field by itself (an id's shape, a number's range, a kind's spelling).
These checks look across fields: every id is unique, every reference names something that
exists, every unit stands somewhere its type can stand, the geometry is sound.  They take a
validated :class:`~game.rules.scenario.Scenario` and return every problem found, each with
the path of the offending field, so a loader can name the file's line.

Problems have a severity: an *error* makes the scenario unplayable or clearly wrong; a
*warning* is legal but probably not what the designer meant (a label outside its
territory, a home territory that is not a supply territory).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from game.rules.clauses import CLAUSE_KINDS, clause_states, clause_territories
from game.rules.scenario import Link, Scenario, Territory

Severity = Literal["error", "warning"]
FieldPath = tuple[str | int, ...]

_TERRITORIES: FieldPath = ("map", "territories")


@dataclass(frozen=True)
class CheckProblem:
    """One problem: where it is (a path into the scenario's fields) and what is wrong."""

    path: FieldPath
    """e.g. ("states", 2, "units", 0, "at"); see :func:`format_path`."""
    message: str
    severity: Severity = "error"
    ref: str | None = None
    """The id this problem reports as unknown, if it is a dangling reference.  A loader that
    had to leave out a broken territory or state uses it to skip references to that id."""

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{format_path(self.path)}: {prefix}{self.message}"


def format_path(path: Sequence[str | int]) -> str:
    """``("states", 2, "units", 0, "at")`` → ``states[2].units[0].at``."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def suggest(word: str, choices: Iterable[str], what: str) -> str:
    """``"; did you mean 'paris'?"`` for a near miss, or the valid choices when there are few."""
    options = sorted(set(choices))
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return f"; did you mean {close[0]!r}?"
    if not options:
        return f"; there are no {what}"
    if len(options) <= 12:
        return f"; {what} are: {', '.join(options)}"
    return ""


def check_scenario(scenario: Scenario) -> list[CheckProblem]:
    """Every cross-reference problem of ``scenario``, errors and warnings, in field order."""
    return _Checker(scenario).run()


class _Checker:
    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.problems: list[CheckProblem] = []
        # The first territory or state with an id wins; later ones are reported as duplicates.
        self.territories: dict[str, Territory] = {}
        for territory in scenario.map.territories:
            self.territories.setdefault(territory.id, territory)
        self.state_ids: set[str] = {state.id for state in scenario.states}

    def run(self) -> list[CheckProblem]:
        self.unique_ids()
        self.territory_fields()
        self.coasts()
        self.links()
        self.units()
        self.objectives()
        self.diplomatic_objectives()
        self.agreements()
        self.relations()
        self.injects()
        self.states()
        self.calendar()
        self.geometry()
        return self.problems

    # -- reporting ----------------------------------------------------------------------------

    def error(self, path: FieldPath, message: str, ref: str | None = None) -> None:
        self.problems.append(CheckProblem(path, message, "error", ref))

    def warning(self, path: FieldPath, message: str) -> None:
        self.problems.append(CheckProblem(path, message, "warning"))

    # -- lookups ------------------------------------------------------------------------------

    def state_ref(self, path: FieldPath, state_id: str) -> bool:
        """Whether ``state_id`` names a state; reports it if not."""
        if state_id in self.state_ids:
            return True
        self.error(path, f"unknown state {state_id!r}{suggest(state_id, self.state_ids, 'states')}", state_id)
        return False

    def territory_ref(self, path: FieldPath, territory_id: str) -> Territory | None:
        """The territory ``territory_id`` names; reports it if there is none."""
        territory = self.territories.get(territory_id)
        if territory is None:
            self.error(
                path,
                f"unknown territory {territory_id!r}{suggest(territory_id, self.territories, 'territories')}",
                territory_id,
            )
        return territory

    def location_ref(self, path: FieldPath, location: str) -> tuple[Territory, str | None] | None:
        """Resolve ``ter`` or ``ter/coast`` to its territory and coast; reports it if unknown."""
        territory_id, slash, coast_id = location.partition("/")
        territory = self.territory_ref(path, territory_id)
        if territory is None:
            return None
        if not slash:
            return territory, None
        coast_ids = [coast.id for coast in territory.coasts]
        if coast_id not in coast_ids:
            if not coast_ids:
                self.error(path, f"{territory_id!r} has no named coasts; write just {territory_id!r}")
            else:
                known = [f"{territory_id}/{c}" for c in coast_ids]
                self.error(
                    path, f"unknown coast {location!r}{suggest(location, known, 'its coasts')}", location
                )
            return None
        return territory, coast_id

    # -- the checks ---------------------------------------------------------------------------

    def unique_ids(self) -> None:
        first: dict[str, int] = {}
        for i, territory in enumerate(self.s.map.territories):
            if territory.id in first:
                self.error(
                    (*_TERRITORIES, i, "id"),
                    f"duplicate territory id {territory.id!r}: map.territories[{first[territory.id]}] "
                    "already has it",
                )
            else:
                first[territory.id] = i
        first = {}
        for i, state in enumerate(self.s.states):
            if state.id in first:
                self.error(
                    ("states", i, "id"),
                    f"duplicate state id {state.id!r}: states[{first[state.id]}] already has it",
                )
            else:
                first[state.id] = i

    def territory_fields(self) -> None:
        for i, territory in enumerate(self.s.map.territories):
            path = (*_TERRITORIES, i)
            if territory.kind == "sea":
                if territory.supply:
                    self.error(
                        (*path, "supply"), f"sea territory {territory.id!r} cannot be a supply territory"
                    )
                if territory.home is not None:
                    self.error((*path, "home"), f"sea territory {territory.id!r} cannot be a home territory")
                if territory.holder is not None:
                    self.error((*path, "holder"), f"sea territory {territory.id!r} cannot be held by a state")
            if territory.holder is not None:
                self.state_ref((*path, "holder"), territory.holder)
            if territory.home is not None and self.state_ref((*path, "home"), territory.home):
                if territory.kind != "sea" and not territory.supply:
                    self.warning(
                        (*path, "home"),
                        f"home territory {territory.id!r} is not a supply territory, so nothing can be built "
                        "there (set supply: true)",
                    )
                if territory.holder != territory.home:
                    held = f"held by {territory.holder!r}" if territory.holder else "held by nobody"
                    self.warning(
                        (*path, "holder"),
                        f"home territory {territory.id!r} of {territory.home!r} starts {held}",
                    )
        if not any(t.supply for t in self.s.map.territories):
            self.error(_TERRITORIES, "the map has no supply territories: no state could keep a unit")

    def coasts(self) -> None:
        for i, territory in enumerate(self.s.map.territories):
            seen: dict[str, int] = {}
            if len(territory.coasts) == 1:
                self.warning(
                    (*_TERRITORIES, i, "coasts"),
                    f"{territory.id!r} has one named coast; name coasts only for a territory touching "
                    "separate seas, or leave coasts out",
                )
            for j, coast in enumerate(territory.coasts):
                path = (*_TERRITORIES, i, "coasts", j)
                if coast.id in seen:
                    self.error(
                        (*path, "id"),
                        f"duplicate coast id {coast.id!r} in {territory.id!r}: coasts[{seen[coast.id]}] has it",
                    )
                else:
                    seen[coast.id] = j
                for k, neighbour in enumerate(coast.neighbours):
                    npath = (*path, "neighbours", k)
                    found = self.location_ref(npath, neighbour)
                    if found is None:
                        continue
                    other, _ = found
                    if other.id == territory.id:
                        self.error(
                            npath, f"a coast of {territory.id!r} cannot neighbour {territory.id!r} itself"
                        )
                    elif other.kind == "land":
                        self.error(
                            npath, f"{other.id!r} is land: a fleet on a coast can only reach sea or coast"
                        )
                    elif other.coasts and "/" not in neighbour:
                        options = ", ".join(f"{other.id}/{c.id}" for c in other.coasts)
                        self.error(npath, f"{other.id!r} has named coasts: name one ({options})")

    def links(self) -> None:
        added: dict[frozenset[str], int] = {}
        for field in ("add_links", "remove_links"):
            links: list[Link] = getattr(self.s.map, field)
            for i, link in enumerate(links):
                path = ("map", field, i)
                ends = [self.location_ref((*path, "between", k), end) for k, end in enumerate(link.between)]
                key = frozenset(link.between)
                if field == "add_links":
                    added.setdefault(key, i)
                elif key in added:
                    self.warning(path, f"this link is also added by map.add_links[{added[key]}]")
                if link.between[0] == link.between[1]:
                    self.error(
                        (*path, "between"),
                        f"a link joins two different places, not {link.between[0]!r} to itself",
                    )
                    continue
                if ends[0] is None or ends[1] is None:
                    continue
                self.link_units(path, link, ends[0], ends[1])

    def link_units(
        self,
        path: FieldPath,
        link: Link,
        end_a: tuple[Territory, str | None],
        end_b: tuple[Territory, str | None],
    ) -> None:
        def fits(unit: str, end: tuple[Territory, str | None]) -> str | None:
            territory, coast = end
            if unit == "army" and territory.kind == "sea":
                return f"{territory.id!r} is sea"
            if unit == "army" and coast is not None:
                return "an army link names territories, not coasts"
            if unit == "fleet" and territory.kind == "land":
                return f"{territory.id!r} is land"
            return None

        reasons = {unit: fits(unit, end_a) or fits(unit, end_b) for unit in link.units}
        explicit = "units" in link.model_fields_set
        for unit, reason in reasons.items():
            if reason is not None and (explicit or all(r is not None for r in reasons.values())):
                where = (*path, "units") if explicit else (*path, "between")
                article = "an" if unit == "army" else "a"
                self.error(where, f"{article} {unit} cannot use this link: {reason}")

    def units(self) -> None:
        occupied: dict[str, FieldPath] = {}
        for i, state in enumerate(self.s.states):
            for j, unit in enumerate(state.units):
                path: FieldPath = ("states", i, "units", j, "at")
                found = self.location_ref(path, unit.at)
                if found is None:
                    continue
                territory, coast = found
                self.unit_fits(path, unit.type, territory, coast)
                if territory.id in occupied:
                    self.error(
                        path,
                        f"two units in {territory.id!r}: {format_path(occupied[territory.id][:-1])} is there too",
                    )
                else:
                    occupied[territory.id] = path
            supply_held = sum(1 for t in self.s.map.territories if t.supply and t.holder == state.id)
            if len(state.units) > supply_held:
                self.warning(
                    ("states", i, "units"),
                    f"{state.id!r} starts with {_count(len(state.units), 'unit')} but holds "
                    f"{_count(supply_held, 'supply territory', 'supply territories')}; it will have to disband "
                    "at the first adjustment",
                )

    def unit_fits(self, path: FieldPath, unit_type: str, territory: Territory, coast: str | None) -> None:
        """Reports a unit where its type cannot stand."""
        if unit_type == "army":
            if territory.kind == "sea":
                self.error(path, f"an army cannot stand on {territory.id!r}: it is sea")
            elif coast is not None:
                self.error(path, f"an army stands on the territory, not a coast: write {territory.id!r}")
        elif territory.kind == "land":
            self.error(path, f"a fleet cannot stand on {territory.id!r}: it is land")
        elif territory.coasts and coast is None:
            options = ", ".join(f"{territory.id}/{c.id}" for c in territory.coasts)
            self.error(path, f"a fleet in {territory.id!r} must name its coast: one of {options}")

    def objectives(self) -> None:
        total_supply = sum(1 for t in self.s.map.territories if t.supply)
        for i, state in enumerate(self.s.states):
            for j, objective in enumerate(state.objectives):
                path: FieldPath = ("states", i, "objectives", j)
                if objective.kind in ("hold", "deny"):
                    seen: set[str] = set()
                    for k, territory_id in enumerate(objective.territories):
                        if territory_id in seen:
                            self.warning((*path, "territories", k), f"{territory_id!r} is listed twice")
                        seen.add(territory_id)
                        self.territory_ref((*path, "territories", k), territory_id)
                if (
                    objective.kind == "deny"
                    and self.state_ref((*path, "rival"), objective.rival)
                    and objective.rival == state.id
                ):
                    self.error((*path, "rival"), f"{state.id!r} cannot deny territories to itself")
                if objective.kind == "supply" and objective.count > total_supply:
                    self.error(
                        (*path, "count"),
                        f"needs {objective.count} supply territories but the map has only {total_supply}",
                    )

    def diplomatic_objectives(self) -> None:
        agreement_ids = {a.id for a in self.s.agreements}
        for i, state in enumerate(self.s.states):
            for j, objective in enumerate(state.objectives):
                path: FieldPath = ("states", i, "objectives", j)
                if objective.kind == "keep_secret":
                    if objective.agreement not in agreement_ids:
                        self.error(
                            (*path, "agreement"),
                            f"unknown agreement {objective.agreement!r}"
                            f"{suggest(objective.agreement, agreement_ids, 'agreements')}",
                        )
                elif objective.kind == "obtain_agreement":
                    if (
                        self.state_ref((*path, "partner"), objective.partner)
                        and objective.partner == state.id
                    ):
                        self.error((*path, "partner"), "an agreement needs another state")
                    if objective.clause not in CLAUSE_KINDS:
                        self.error(
                            (*path, "clause"),
                            f"unknown clause kind {objective.clause!r}; must be one of {', '.join(CLAUSE_KINDS)}",
                        )
                elif objective.kind == "prevent_war":
                    for k, other in enumerate(objective.between):
                        self.state_ref((*path, "between", k), other)
                    if objective.between[0] == objective.between[1]:
                        self.error((*path, "between"), "name two different states")

    def agreements(self) -> None:
        seen: set[str] = set()
        for i, agreement in enumerate(self.s.agreements):
            path: FieldPath = ("agreements", i)
            if agreement.id in seen:
                self.error((*path, "id"), f"duplicate agreement id {agreement.id!r}")
            seen.add(agreement.id)
            parties = set()
            for k, party in enumerate(agreement.parties):
                if self.state_ref((*path, "parties", k), party) and party in parties:
                    self.error((*path, "parties", k), f"{party!r} is named twice")
                parties.add(party)
            if agreement.intermediary is not None:
                if (
                    self.state_ref((*path, "intermediary"), agreement.intermediary)
                    and agreement.intermediary in parties
                ):
                    self.error((*path, "intermediary"), "the intermediary cannot be a party")
            for k, known in enumerate(agreement.known_by):
                self.state_ref((*path, "known_by", k), known)
            if agreement.annex and agreement.visibility != "public":
                self.error(
                    (*path, "annex"),
                    "only a public agreement has a secret annex; the whole agreement is secret",
                )
            for section in ("clauses", "annex"):
                for k, clause in enumerate(getattr(agreement, section)):
                    where: FieldPath = (*path, section, k)
                    for named in sorted(clause_states(clause)):
                        self.state_ref(where, named)
                    for territory in sorted(clause_territories(clause)):
                        self.territory_ref(where, territory)
                    by = getattr(clause, "by", None) or getattr(clause, "payer", None)
                    if by is not None and by not in parties:
                        self.error(where, f"{by!r} is not a party, so it cannot promise this")

    def relations(self) -> None:
        for i, relation in enumerate(self.s.relations):
            for k, state_id in enumerate(relation.between):
                self.state_ref(("relations", i, "between", k), state_id)
            if relation.between[0] == relation.between[1]:
                self.error(("relations", i, "between"), "name two different states")

    def injects(self) -> None:
        seen: dict[str, int] = {}
        agreements = {a.id: a for a in self.s.agreements}
        calendar = self.s.calendar
        last_turn = (
            None
            if calendar.end_year is None
            else (calendar.end_year - calendar.start_year + 1) * len(calendar.seasons)
        )
        for i, inject in enumerate(self.s.injects):
            path: FieldPath = ("injects", i)
            if inject.id in seen:
                self.error(
                    (*path, "id"),
                    f"duplicate inject id {inject.id!r}: injects[{seen[inject.id]}] already has it",
                )
            seen.setdefault(inject.id, i)
            if inject.audience != "all":
                named: set[str] = set()
                for k, state_id in enumerate(inject.audience):
                    if self.state_ref((*path, "audience", k), state_id) and state_id in named:
                        self.warning((*path, "audience", k), f"{state_id!r} is named twice")
                    named.add(state_id)
            if inject.turn is not None and last_turn is not None and inject.turn > last_turn:
                self.error(
                    (*path, "turn"),
                    f"the game ends after turn {last_turn} ({calendar.end_year}); this inject would never come",
                )
            for k, effect in enumerate(inject.effects):
                where: FieldPath = (*path, "effects", k)
                owner: str | None = getattr(effect, "state", None)
                if owner is not None:
                    self.state_ref((*where, "state"), owner)
                if effect.kind == "place_unit":
                    found = self.location_ref((*where, "at"), effect.at)
                    if found is not None:
                        self.unit_fits((*where, "at"), effect.type, *found)
                elif effect.kind == "remove_unit":
                    self.territory_ref((*where, "at"), effect.at.partition("/")[0])
                elif effect.kind == "reveal_agreement":
                    agreement = agreements.get(effect.agreement)
                    if agreement is None:
                        self.error(
                            (*where, "agreement"),
                            f"unknown agreement {effect.agreement!r}: name one of the scenario's agreements"
                            f"{suggest(effect.agreement, agreements, 'agreements')}",
                            effect.agreement,
                        )
                    elif agreement.visibility == "public" and not agreement.annex:
                        self.error(
                            (*where, "agreement"),
                            f"{effect.agreement!r} is public and has no secret annex: there is nothing to reveal",
                        )

    def states(self) -> None:
        if not any(state.playable for state in self.s.states):
            self.error(("states",), "no state is playable: set playable: true on at least one")
        colours: dict[str, int] = {}
        for i, state in enumerate(self.s.states):
            if state.colour in colours:
                self.warning(
                    ("states", i, "colour"),
                    f"{state.colour} is also the colour of states[{colours[state.colour]}]; players will "
                    "not tell them apart",
                )
            colours.setdefault(state.colour, i)
            if state.legitimacy < state.legitimacy_threshold:
                self.error(
                    ("states", i, "legitimacy"),
                    f"starting legitimacy {state.legitimacy} is below the threshold {state.legitimacy_threshold}: "
                    "the government would fall at once",
                )

    def calendar(self) -> None:
        seen: dict[str, int] = {}
        for i, season in enumerate(self.s.calendar.seasons):
            path = ("calendar", "seasons", i)
            name = season.strip()
            if not name:
                self.error(path, "a season needs a name, e.g. spring")
            elif name in seen:
                self.error(path, f"season {name!r} comes twice in a year (also seasons[{seen[name]}])")
            else:
                seen[name] = i

    def geometry(self) -> None:
        width, height = self.s.map.width, self.s.map.height
        for i, territory in enumerate(self.s.map.territories):
            path = (*_TERRITORIES, i)
            outside = False
            for field in ("polygons", "holes"):
                rings: list[list[tuple[float, float]]] = getattr(territory, field)
                for j, ring in enumerate(rings):
                    if not all(math.isfinite(c) for point in ring for c in point):
                        self.error((*path, field, j), "coordinates must be finite numbers (no .inf or .nan)")
                        continue
                    if _area(ring) == 0:
                        self.error((*path, field, j), "this ring has no area: its points lie on one line")
                    if not outside and any(not (0 <= x <= width and 0 <= y <= height) for x, y in ring):
                        outside = True
                        self.warning(
                            (*path, field, j),
                            f"points lie outside the canvas (0..{width:g} x 0..{height:g})",
                        )
            label = territory.label
            if label is None:
                continue
            if not all(math.isfinite(c) for c in label):
                self.error((*path, "label"), "coordinates must be finite numbers (no .inf or .nan)")
            elif territory.polygons and not _inside(label, territory.polygons, territory.holes):
                self.warning(
                    (*path, "label"),
                    f"label [{label[0]:g}, {label[1]:g}] is outside the polygons of {territory.id!r}; its name "
                    "would be drawn elsewhere",
                )


def _count(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _area(ring: Sequence[tuple[float, float]]) -> float:
    """Twice the signed area of a ring (shoelace formula); zero for a degenerate ring."""
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True))


def _in_ring(point: tuple[float, float], ring: Sequence[tuple[float, float]]) -> bool:
    """Even-odd ray casting: whether ``point`` lies inside ``ring``."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _inside(
    point: tuple[float, float],
    polygons: Sequence[Sequence[tuple[float, float]]],
    holes: Sequence[Sequence[tuple[float, float]]],
) -> bool:
    return any(_in_ring(point, ring) for ring in polygons) and not any(
        _in_ring(point, ring) for ring in holes
    )
