"""A bot for the map half of the game: it heads for supply territories it does not hold,
attacks with support, convoys across water, defends what it holds, retreats sensibly and
builds.  It decides only through order text, the same notation a person types.

It reads the position (units, holders, the board): all of it is public on the map.  Its
state's objectives, when it is given them, weigh in: a territory an objective asks it to take
(`priorities`, territory -> points) pulls its units as if it were nearer by a step a point (at
most `MAX_PULL`), and one an objective asks it to keep (`guard`) is held when threatened, as a
home supply centre is.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass

from game.rules.board import Board, territory_of
from game.rules.rng import Rng
from game.rules.units import Unit

FAR = 10**6
MAX_PULL = 3
"""The most steps an objective's territory seems nearer than a plain target."""


@dataclass(frozen=True, slots=True)
class Position:
    """What the bot looks at: the public map position."""

    board: Board
    units: Mapping[str, Unit]
    owners: Mapping[str, str | None]
    last_season: bool


class MapBot:
    """Plays one state's units.  `aggression` is the chance to attack a defended territory unsupported."""

    def __init__(
        self,
        state: str,
        aggression: float = 0.35,
        priorities: Mapping[str, float] | None = None,
        guard: Collection[str] = (),
    ) -> None:
        self.state = state
        self.aggression = aggression
        self.priorities = dict(priorities or {})
        self.guard = frozenset(guard)

    def pull(self, territory: str) -> int:
        """How many steps nearer an objective makes a target seem."""
        points = self.priorities.get(territory, 0.0)
        return min(MAX_PULL, round(points + 0.49)) if points > 0 else 0

    # --- movement ------------------------------------------------------------------------

    def movement_orders(self, pos: Position, rng: Rng) -> list[str]:
        board, units = pos.board, pos.units
        mine = [u for u in units.values() if u.state == self.state]
        if not mine:
            return []
        targets = self._targets(pos)
        army_dist = _army_distances(board, targets, self.pull)
        fleet_dist = _fleet_distances(board, targets, self.pull)
        rng.shuffle(mine)
        mine.sort(key=lambda u: self._distance(u, army_dist, fleet_dist))
        orders: dict[str, str] = {}
        claimed: dict[str, str] = {}  # destination territory -> mover territory
        self._plan_convoys(pos, orders, claimed, army_dist, rng)
        for unit in mine:
            here = unit.territory
            if here in orders:
                continue
            # Sit on a supply territory we do not hold yet at the year's end: that takes it.
            if pos.last_season and self._takes(pos, here):
                orders[here] = f"{unit.text} H"
                continue
            if self._threatened_home(pos, unit) and rng.chance(0.6):
                orders[here] = f"{unit.text} H"
                continue
            options = self._moves(pos, unit, army_dist, fleet_dist)
            rng.shuffle(options)
            options.sort(key=lambda o: o[0])
            chosen = None
            for _dist, dest_loc in options:
                dest = territory_of(dest_loc)
                if dest in claimed:
                    continue
                occupant = units.get(dest)
                if occupant is not None and occupant.state == self.state:
                    continue
                if occupant is not None and not rng.chance(self.aggression + 0.4):
                    continue
                chosen = dest_loc
                break
            if chosen is None:
                orders[here] = f"{unit.text} H"
                continue
            claimed[territory_of(chosen)] = here
            orders[here] = f"{unit.text} - {chosen}"
        self._add_supports(pos, orders, claimed, rng)
        index = board.index
        return [orders[t] for t in sorted(orders, key=index.__getitem__)]

    def _targets(self, pos: Position) -> list[str]:
        board = pos.board
        targets = [t for t in board.supply if pos.owners.get(t) != self.state]
        # Our own supply territories occupied by someone else are targets too.
        targets += [
            t
            for t in board.supply
            if pos.owners.get(t) == self.state and t in pos.units and pos.units[t].state != self.state
        ]
        # Territories an objective asks for, supply or not.
        targets += [
            t
            for t in self.priorities
            if t in board.territories
            and t not in targets
            and (pos.owners.get(t) != self.state or (t in pos.units and pos.units[t].state != self.state))
        ]
        return targets

    def _takes(self, pos: Position, here: str) -> bool:
        """Whether a unit standing here takes the territory by staying to the year's end."""
        if pos.owners.get(here) == self.state:
            return False
        return pos.board.territories[here].supply or here in self.priorities

    def _distance(self, unit: Unit, army_dist: Mapping[str, int], fleet_dist: Mapping[str, int]) -> int:
        if unit.type == "army":
            return army_dist.get(unit.territory, FAR)
        return fleet_dist.get(unit.location, FAR)

    def _moves(
        self, pos: Position, unit: Unit, army_dist: Mapping[str, int], fleet_dist: Mapping[str, int]
    ) -> list[tuple[int, str]]:
        board = pos.board
        here = self._distance(unit, army_dist, fleet_dist)
        if unit.type == "army":
            options = [(army_dist.get(n, FAR), n) for n in board.army_adj[unit.location]]
        else:
            options = [(fleet_dist.get(n, FAR), n) for n in board.fleet_adj[unit.location]]
        # Move only if it gets closer, or sideways now and then so that blocked fronts shift.
        return [o for o in options if o[0] < here or (o[0] == here and o[0] < FAR and here > 0)]

    def _threatened_home(self, pos: Position, unit: Unit) -> bool:
        board = pos.board
        here = unit.territory
        if pos.owners.get(here) != self.state or not (board.territories[here].supply or here in self.guard):
            return False
        return any(
            (other := pos.units.get(n)) is not None and other.state != self.state
            for n in board.neighbours[here]
        )

    def _add_supports(self, pos: Position, orders: dict[str, str], claimed: dict[str, str], rng: Rng) -> None:
        """Units that hold help an attack they can reach, or a threatened neighbour."""
        board, units = pos.board, pos.units
        for territory, text in list(orders.items()):
            if not text.endswith(" H"):
                continue
            unit = units[territory]
            if pos.last_season and self._takes(pos, territory):
                continue
            helped = False
            attacks = [(dest, src) for dest, src in claimed.items() if dest in units]
            rng.shuffle(attacks)
            for dest, src in attacks:
                if board.can_reach(unit.type, unit.location, dest):
                    mover = units[src]
                    orders[territory] = f"{unit.text} S {mover.letter} {src} - {dest}"
                    helped = True
                    break
            if helped:
                continue
            friends = [
                n
                for n in board.neighbours[territory]
                if n in units
                and units[n].state == self.state
                and orders.get(n, "").endswith(" H")
                and board.can_reach(unit.type, unit.location, n)
            ]
            if friends and rng.chance(0.5):
                n = rng.choice(friends)
                orders[territory] = f"{unit.text} S {units[n].letter} {n}"

    def _plan_convoys(
        self,
        pos: Position,
        orders: dict[str, str],
        claimed: dict[str, str],
        army_dist: Mapping[str, int],
        rng: Rng,
    ) -> None:
        """An army on a coast takes a ride from a fleet of ours next to it when the sea is a shortcut
        (two steps or more saved), or when it cannot walk anywhere useful (an island)."""
        board, units = pos.board, pos.units
        armies = [u for u in units.values() if u.state == self.state and u.type == "army"]
        armies.sort(key=lambda u: board.index[u.territory])
        for unit in armies:
            territory = unit.territory
            if board.territories[territory].kind != "coast" or territory in orders:
                continue
            if pos.last_season and self._takes(pos, territory):
                continue
            walking = min((army_dist.get(n, FAR) for n in board.army_adj[territory]), default=FAR)
            best: tuple[int, str, str] | None = None
            for sea in board.neighbours[territory]:
                fleet = units.get(sea)
                if fleet is None or fleet.state != self.state or not board.is_sea(sea) or sea in orders:
                    continue
                for landing in board.neighbours[sea]:
                    if (
                        landing == territory
                        or board.territories[landing].kind != "coast"
                        or landing in claimed
                    ):
                        continue
                    occupant = units.get(landing)
                    if occupant is not None and occupant.state == self.state:
                        continue
                    gain = walking - army_dist.get(landing, FAR)
                    if gain >= 2 and (best is None or gain > best[0]):
                        best = (gain, sea, landing)
            if best is None or not rng.chance(0.85):
                continue
            _gain, sea, landing = best
            orders[territory] = f"A {territory} - {landing} via convoy"
            orders[sea] = f"F {sea} C A {territory} - {landing}"
            claimed[landing] = territory

    # --- retreats and adjustments --------------------------------------------------------------

    def retreat_orders(
        self, pos: Position, dislodged: Sequence[tuple[Unit, Sequence[str]]], rng: Rng
    ) -> list[str]:
        targets = self._targets(pos)
        army_dist = _army_distances(pos.board, targets, self.pull)
        fleet_dist = _fleet_distances(pos.board, targets, self.pull)
        orders: list[str] = []
        taken: set[str] = set()
        for unit, options in dislodged:
            if unit.state != self.state:
                continue
            ranked = sorted(
                (o for o in options if territory_of(o) not in taken),
                key=lambda o: (
                    army_dist.get(o, FAR) if unit.type == "army" else fleet_dist.get(o, FAR),
                    rng.random(),
                ),
            )
            if ranked:
                taken.add(territory_of(ranked[0]))
                orders.append(f"{unit.text} R {ranked[0]}")
            else:
                orders.append(f"{unit.text} D")
        return orders

    def adjustment_orders(self, pos: Position, balance: int, sites: Sequence[str], rng: Rng) -> list[str]:
        board = pos.board
        if balance > 0:
            orders = []
            fleets = sum(1 for u in pos.units.values() if u.state == self.state and u.type == "fleet")
            armies = sum(1 for u in pos.units.values() if u.state == self.state and u.type == "army")
            for site in list(sites)[:balance]:
                info = board.territories[site]
                want_fleet = info.kind == "coast" and (fleets < armies / 2 or rng.chance(0.3))
                if want_fleet:
                    location = board.fleet_locations(site)[0] if info.coasts else site
                    orders.append(f"build F {location}")
                    fleets += 1
                else:
                    orders.append(f"build A {site}")
                    armies += 1
            return orders
        targets = self._targets(pos)
        army_dist = _army_distances(board, targets, self.pull)
        fleet_dist = _fleet_distances(board, targets, self.pull)
        mine = [u for u in pos.units.values() if u.state == self.state]
        mine.sort(key=lambda u: (-self._distance(u, army_dist, fleet_dist), board.index[u.territory]))
        return [f"remove {u.text}" for u in mine[:-balance]]


def _army_distances(
    board: Board, targets: Sequence[str], pull: Callable[[str], int] = lambda t: 0
) -> dict[str, int]:
    """Steps from each territory to the nearest target for an army; a target an objective pulls
    toward starts below zero."""
    starts = {t: -pull(t) for t in targets if board.territories[t].kind != "sea"}
    if not any(starts.values()):
        return _breadth_first(starts, board.army_adj)
    return _nearest_first(starts, board.army_adj)


def _fleet_distances(
    board: Board, targets: Sequence[str], pull: Callable[[str], int] = lambda t: 0
) -> dict[str, int]:
    starts: dict[str, int] = {}
    for t in targets:
        for loc in board.fleet_locations(t):
            starts[loc] = min(starts.get(loc, 0), -pull(t))
    if not any(starts.values()):
        return _breadth_first(starts, board.fleet_adj)
    return _nearest_first(starts, board.fleet_adj)


def _breadth_first(starts: Mapping[str, int], adj: Mapping[str, Sequence[str]]) -> dict[str, int]:
    dist = dict(starts)
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for n in adj[here]:
            if n not in dist:
                dist[n] = dist[here] + 1
                queue.append(n)
    return dist


def _nearest_first(starts: Mapping[str, int], adj: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """As `_breadth_first`, when the starts are not all at zero."""
    dist: dict[str, int] = {}
    heap = [(d, i, t) for i, (t, d) in enumerate(starts.items())]
    heapq.heapify(heap)
    order = len(heap)
    while heap:
        d, _, here = heapq.heappop(heap)
        if here in dist:
            continue
        dist[here] = d
        for n in adj[here]:
            if n not in dist:
                order += 1
                heapq.heappush(heap, (d + 1, order, n))
    return dist
