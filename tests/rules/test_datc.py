"""DATC conformance: cases 6.A.1 to 6.H.16 on the classic Diplomacy board.

The cases are data (tests/datc_cases.py); this module turns each into a test named after its
case (`test_datc_6_e_4` for 6.E.4) and runs it in a `Sandbox` on the board compiled from
tests/fixtures/classic_board.yaml. The rule choices behind the expected results are listed in
docs/rules.md ("Choices where the DATC offers several").
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from datc_cases import CASES, DatcCase, territory_of
from ruamel.yaml import YAML

from game.rules.scenario import Scenario

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "classic_board.yaml"
UNIT_TYPES = {"A": "army", "F": "fleet"}
SECTION_SIZES = {"A": 12, "B": 15, "C": 9, "D": 34, "E": 15, "F": 25, "G": 20, "H": 16}


def load_classic_scenario() -> Scenario:
    yaml = YAML(typ="safe", pure=True)
    yaml.version = (1, 2)
    return Scenario.model_validate(yaml.load(FIXTURE.read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def classic_board() -> Any:
    from game.rules.board import Board

    return Board.from_scenario(load_classic_scenario())


def _sandbox(board: Any) -> Any:
    from game.rules.sandbox import Sandbox

    return Sandbox(board)


# --------------------------------------------------------------------------- running a case


def _table(results: Any) -> str:
    return "\n".join(
        f"    {r.state}: {r.order:<28} -> {r.result:<8} {getattr(r, 'reason', '')}" for r in results
    )


def _check_results(
    phase: str, outcome: Any, orders: tuple[tuple[str, str], ...], expected: dict[str, str]
) -> list[str]:
    problems = []
    if len(outcome.results) != len(orders):
        problems.append(f"{phase}: {len(outcome.results)} results for {len(orders)} orders")
    for territory, want in expected.items():
        got = outcome.result_of(territory)
        if got != want:
            problems.append(f"{phase}: order of the unit in {territory}: expected {want}, got {got}")
    return problems


def _check_board(case: DatcCase, units: dict[str, Any]) -> list[str]:
    problems = []
    for state, unit in case.after:
        letter, location = unit.split()
        present = units.get(territory_of(location))
        if present is None:
            problems.append(f"after: expected {state} {unit}, the territory is empty")
            continue
        seen = (present.state, present.type, present.location)
        if seen != (state, UNIT_TYPES[letter], location):
            problems.append(f"after: expected {state} {unit}, found {seen}")
    for territory in case.empty:
        if territory in units:
            present = units[territory]
            problems.append(f"after: expected {territory} empty, found {present.state} {present.type}")
    return problems


def run_case(board: Any, case: DatcCase) -> None:
    sandbox = _sandbox(board)
    for state, unit in case.units:
        sandbox.place(state, unit)

    movement = sandbox.movement(list(case.orders))
    report = [f"DATC {case.number} {case.title}", "  movement:", _table(movement.results)]
    problems = _check_results("movement", movement, case.orders, case.results)
    dislodged = set(movement.dislodged)
    if dislodged != set(case.dislodged):
        problems.append(f"movement: dislodged {sorted(dislodged)}, expected {sorted(case.dislodged)}")

    if case.retreats is not None:
        retreat = sandbox.retreats(list(case.retreats))
        report += ["  retreats:", _table(retreat.results)]
        problems += _check_results("retreats", retreat, case.retreats, case.retreat_results)

    problems += _check_board(case, sandbox.units)
    if problems:
        pytest.fail("\n".join([*problems, *report, f"  note: {case.note}" if case.note else ""]))


def _check_6_b_14(board: Any) -> None:
    """Russia: Build F stp. A fleet on a territory with named coasts must name its coast.

    The sandbox has no adjustment phase; what the case tests, that `F stp` names no place a fleet
    can stand, is checked on `place`, which goes through the same unit validation.
    """
    sandbox = _sandbox(board)
    with pytest.raises(ValueError):
        sandbox.place("rus", "F stp")
    assert "stp" not in sandbox.units
    sandbox.place("rus", "F stp/nc")
    assert sandbox.units["stp"].location == "stp/nc"


SPECIAL: dict[str, Callable[[Any], None]] = {"6.B.14": _check_6_b_14}


# --------------------------------------------------------------------------- one test per case


def _make_test(case: DatcCase) -> Callable[[Any], None]:
    special = SPECIAL.get(case.number)

    def test(classic_board: Any) -> None:
        if special is not None:
            special(classic_board)
        else:
            run_case(classic_board, case)

    test.__name__ = case.test_name
    test.__qualname__ = case.test_name
    test.__doc__ = f"DATC {case.number}. {case.title}"
    return test


for _case in CASES:
    globals()[_case.test_name] = _make_test(_case)
del _case


# --------------------------------------------------------------------------- the data itself


def test_datc_case_list_is_complete() -> None:
    numbers = [case.number for case in CASES]
    expected = [f"6.{section}.{n}" for section, size in SECTION_SIZES.items() for n in range(1, size + 1)]
    assert numbers == expected


def test_datc_cases_are_consistent() -> None:
    """Every checked order belongs to an ordered unit; every ordered unit is on the board."""
    for case in CASES:
        placed = {territory_of(unit.split()[1]) for _, unit in case.units}
        ordered = {territory_of(order.split()[1]) for _, order in case.orders}
        assert set(case.results) <= ordered, case.number
        assert case.dislodged <= placed, case.number
        if case.number != "6.A.6":  # the one case where a unit is ordered by the wrong state
            assert ordered <= placed, case.number
        if case.retreats is not None:
            assert set(case.retreat_results) <= {territory_of(o.split()[1]) for _, o in case.retreats}


def test_classic_board_fixture() -> None:
    scenario = load_classic_scenario()
    territories = {t.id: t for t in scenario.map.territories}
    assert len(territories) == 75
    assert sum(t.supply for t in territories.values()) == 34
    homes = {s.id: sorted(t.id for t in territories.values() if t.home == s.id) for s in scenario.states}
    assert homes == {
        "eng": ["edi", "lon", "lvp"],
        "fra": ["bre", "mar", "par"],
        "ger": ["ber", "kie", "mun"],
        "ita": ["nap", "rom", "ven"],
        "aus": ["bud", "tri", "vie"],
        "rus": ["mos", "sev", "stp", "war"],
        "tur": ["ank", "con", "smy"],
    }
    coasts = {t.id: {c.id: sorted(c.neighbours) for c in t.coasts} for t in territories.values() if t.coasts}
    assert coasts == {
        "bul": {"ec": ["bla", "con", "rum"], "sc": ["aeg", "con", "gre"]},
        "spa": {"nc": ["gas", "mao", "por"], "sc": ["lyo", "mao", "mar", "por", "wes"]},
        "stp": {"nc": ["bar", "nwy"], "sc": ["bot", "fin", "lvn"]},
    }

    links: dict[frozenset[str], set[str]] = {}
    for link in scenario.map.add_links:
        links.setdefault(frozenset(link.between), set()).update(link.units)
    for between in links:
        for location in between:
            assert territory_of(location) in territories, location

    def units(a: str, b: str) -> set[str]:
        return links.get(frozenset((a, b)), set())

    # Army only between two coasts: a fleet cannot sail these.
    for pair in ["ank smy", "apu rom", "arm smy", "arm syr", "edi lvp", "fin nwy", "gas mar",
                 "lvp yor", "pie ven", "rom ven", "tus ven", "wal yor"]:  # fmt: skip
        assert units(*pair.split()) == {"army"}, pair
    # Both kinds of unit across these.
    for pair in ["kie den", "den swe", "con ank", "con smy", "kie hol", "kie ber", "pie tus", "rom tus",
                 "rom nap", "apu nap", "apu ven", "nwy swe", "lon yor", "lvp wal", "bre gas"]:  # fmt: skip
        assert units(*pair.split()) == {"army", "fleet"}, pair
    # Named coasts: the army link goes to the territory, the fleet link to the coast.
    assert units("gas", "spa") == {"army"} and units("gas", "spa/nc") == {"fleet"}
    assert units("mar", "spa/sc") == {"fleet"} and units("gas", "spa/sc") == set()
    assert units("con", "bul") == {"army"} and units("con", "bul/ec") == units("con", "bul/sc") == {"fleet"}
    assert units("nwy", "stp") == {"army"} and units("nwy", "stp/nc") == {"fleet"}
    assert units("fin", "stp/sc") == {"fleet"} and units("fin", "stp/nc") == set()
    assert units("por", "spa/nc") == units("por", "spa/sc") == {"fleet"}
    # Not neighbours at all (a fleet link to Bulgaria goes to one of its coasts).
    for pair in ["cly iri", "lon bel", "nth pic", "bul bla", "swe lvn"]:
        assert units(*pair.split()) == set(), pair
    assert units("lvp", "nao") == units("lvp", "iri") == {"fleet"}
