"""Orders and the conventional notation, parsed by one parser everywhere.

`A par - bur`, `F nth C A lon - nwy`, `A mun S A bur - ruh`, `A mun S bur`,
`F spa/sc - mao`, `A vie H`, `A lon - nwy via convoy`; in a retreat phase
`A bur R par` (or `A bur - par`) and `A bur D`; in an adjustment phase
`build A par`, `build F stp/nc`, `remove F nth`, `waive`.

The parser knows only the notation; whether an order is legal on a board is the
adjudicator's business (an illegal order becomes a hold, with the reason recorded).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from game.rules.errors import OrderSyntaxError

UNIT_LETTER = {"army": "A", "fleet": "F"}
LETTER_UNIT = {"a": "army", "f": "fleet"}


@dataclass(frozen=True, slots=True)
class Hold:
    unit_type: str
    location: str

    @property
    def text(self) -> str:
        return f"{UNIT_LETTER[self.unit_type]} {self.location} H"


@dataclass(frozen=True, slots=True)
class Move:
    """A move; `via_convoy` (`... via convoy`, or just `via`) makes an army's move go by convoy only:
    never by land, even to a neighbour (the adjudicator's rule, DATC 6.G.8)."""

    unit_type: str
    location: str
    dest: str
    via_convoy: bool = False

    @property
    def text(self) -> str:
        via = " via convoy" if self.via_convoy else ""
        return f"{UNIT_LETTER[self.unit_type]} {self.location} - {self.dest}{via}"


@dataclass(frozen=True, slots=True)
class Support:
    """Support of a hold (dest None) or of a move from `target` to `dest` (territories, coasts ignored)."""

    unit_type: str
    location: str
    target: str
    dest: str | None = None
    target_type: str | None = None
    dest_coast: str | None = None

    @property
    def text(self) -> str:
        letter = f"{UNIT_LETTER[self.target_type]} " if self.target_type else ""
        coast = f"/{self.dest_coast}" if self.dest_coast else ""
        tail = f" - {self.dest}{coast}" if self.dest is not None else ""
        return f"{UNIT_LETTER[self.unit_type]} {self.location} S {letter}{self.target}{tail}"


@dataclass(frozen=True, slots=True)
class Convoy:
    unit_type: str
    location: str
    army_at: str
    dest: str

    @property
    def text(self) -> str:
        return f"{UNIT_LETTER[self.unit_type]} {self.location} C A {self.army_at} - {self.dest}"


@dataclass(frozen=True, slots=True)
class Retreat:
    unit_type: str
    location: str
    dest: str

    @property
    def text(self) -> str:
        return f"{UNIT_LETTER[self.unit_type]} {self.location} R {self.dest}"


@dataclass(frozen=True, slots=True)
class Disband:
    unit_type: str
    location: str

    @property
    def text(self) -> str:
        return f"{UNIT_LETTER[self.unit_type]} {self.location} D"


@dataclass(frozen=True, slots=True)
class Build:
    unit_type: str
    location: str

    @property
    def text(self) -> str:
        return f"build {UNIT_LETTER[self.unit_type]} {self.location}"


@dataclass(frozen=True, slots=True)
class Remove:
    unit_type: str
    location: str

    @property
    def text(self) -> str:
        return f"remove {UNIT_LETTER[self.unit_type]} {self.location}"


@dataclass(frozen=True, slots=True)
class Waive:
    location: str = ""

    @property
    def text(self) -> str:
        return "waive"


MovementOrder = Hold | Move | Support | Convoy
RetreatOrder = Retreat | Disband
AdjustmentOrder = Build | Remove | Waive
Order = MovementOrder | RetreatOrder | AdjustmentOrder

_LOC = r"([a-z][a-z0-9_]*)(?:\s*(?:/|\()\s*([a-z][a-z0-9_]*)\s*\)?)?"
_UNIT = r"(?:(a|f|army|fleet)\s+)"
_RE_UNIT_HEAD = re.compile(rf"^{_UNIT}?{_LOC}\s*(.*)$")
_RE_LOC = re.compile(rf"^{_LOC}$")
_RE_TARGET = re.compile(rf"^{_UNIT}?{_LOC}(?:\s*(?:-|->)\s*{_LOC})?(?:\s+h(?:old)?s?)?$")
_RE_CONVOY = re.compile(rf"^{_UNIT}?{_LOC}\s*(?:-|->)\s*{_LOC}$")
_RE_MOVE_TAIL = re.compile(rf"^(?:-|->)\s*{_LOC}(\s+via(?:\s+convoy)?)?$")


def _norm_loc(territory: str, coast: str | None) -> str:
    return f"{territory}/{coast}" if coast else territory


def _unit_type(word: str | None, line: str) -> str:
    if word is None:
        raise OrderSyntaxError(f"{line!r}: an order starts with the unit type, A (army) or F (fleet)")
    return LETTER_UNIT.get(word[0], "army")


def parse_order(text: str, phase: str = "movement") -> Order:
    """Parse one order in the conventional notation for the given phase (movement, retreat, adjustment)."""
    line = " ".join(text.strip().split())
    if not line:
        raise OrderSyntaxError("empty order")
    if len(line) > 200:
        raise OrderSyntaxError(f"order too long ({len(line)} characters, at most 200)")
    low = line.lower()
    if phase == "adjustment":
        return _parse_adjustment(low, line)
    head = _RE_UNIT_HEAD.match(low)
    if head is None:
        raise OrderSyntaxError(f"{line!r}: expected a unit and its place, e.g. 'A par - bur'")
    word, territory, coast, rest = head.groups()
    unit_type = _unit_type(word, line)
    location = _norm_loc(territory, coast)
    rest = rest.strip()
    if phase == "retreat":
        return _parse_retreat(unit_type, location, rest, line)
    if rest in ("", "h", "hold", "holds"):
        return Hold(unit_type, location)
    move = _RE_MOVE_TAIL.match(rest)
    if move is not None:
        dest_t, dest_c, via = move.groups()
        return Move(unit_type, location, _norm_loc(dest_t, dest_c), via_convoy=via is not None)
    if rest.startswith(("s ", "support ", "supports ")):
        body = rest.split(" ", 1)[1].strip()
        target = _RE_TARGET.match(body)
        if target is None:
            raise OrderSyntaxError(
                f"{line!r}: a support names a unit and, for a move, where it goes: 'S A bur - ruh'"
            )
        t_word, t_terr, _t_coast, d_terr, d_coast = target.groups()
        t_type = LETTER_UNIT[t_word[0]] if t_word else None
        return Support(unit_type, location, t_terr, d_terr, t_type, d_coast if d_terr else None)
    if rest.startswith(("c ", "convoy ", "convoys ")):
        body = rest.split(" ", 1)[1].strip()
        convoy = _RE_CONVOY.match(body)
        if convoy is None:
            raise OrderSyntaxError(f"{line!r}: a convoy names the army and its move: 'C A lon - nwy'")
        c_word, a_terr, _a_coast, d_terr, _d_coast = convoy.groups()
        if c_word is not None and c_word[0] != "a":
            raise OrderSyntaxError(f"{line!r}: only armies can be convoyed")
        return Convoy(unit_type, location, a_terr, d_terr)
    raise OrderSyntaxError(
        f"{line!r}: after the unit comes H (hold), - PLACE (move), S (support) or C (convoy)"
    )


def _parse_retreat(unit_type: str, location: str, rest: str, line: str) -> RetreatOrder:
    if rest in ("d", "disband", "disbands"):
        return Disband(unit_type, location)
    m = re.match(rf"^(?:r|retreat|retreats|-|->)\s*{_LOC}$", rest)
    if m is None and rest.startswith(("s ", "support", "c ", "convoy", "h")):
        # A movement order in a retreat phase is well-formed but void; the rules say why.
        return parse_order(line, "movement")  # type: ignore[return-value]
    if m is None:
        raise OrderSyntaxError(
            f"{line!r}: a retreat is 'A bur R par' (or 'A bur - par'), or 'A bur D' to disband"
        )
    return Retreat(unit_type, location, _norm_loc(m.group(1), m.group(2)))


def _parse_adjustment(low: str, line: str) -> AdjustmentOrder:
    if low in ("waive", "w"):
        return Waive()
    m = re.match(rf"^(build|b|remove|disband|d|r)\s+{_UNIT}?{_LOC}$", low)
    if m is None:
        m2 = re.match(rf"^{_UNIT}?{_LOC}\s+(b|build|d|disband|r|remove)$", low)
        if m2 is None:
            raise OrderSyntaxError(f"{line!r}: an adjustment is 'build A par', 'remove F nth' or 'waive'")
        word, territory, coast, verb = m2.groups()
    else:
        verb, word, territory, coast = m.groups()
    unit_type = _unit_type(word, line)
    location = _norm_loc(territory, coast)
    if verb in ("build", "b"):
        return Build(unit_type, location)
    return Remove(unit_type, location)
