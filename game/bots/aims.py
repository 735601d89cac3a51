"""A bot's own objectives, read from its view: what its state is trying to achieve.

A state's objectives are its own (audience: that state), so a bot learns them as a person at a
client does: from its view, `view["me"]["objectives"]` — one entry per objective, in the
scenario's order, with its kind, its status (met / not yet / failed, from what the state may
know: `game.rules.objectives`), its worth in points, and a summary and detail in words.  The
bot reads the territories and states an objective names back from those words, by the public
names of the board and the states (`Table`); an objective it cannot read is left out, so a bot
without objectives plays the map as before.  Where an entry carries its terms as data (a
`terms` mapping of the objective's fields), those are read instead of the words.

Nothing here reads another state's objectives, and nothing a bot says is built from them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.bots.deal import Deal
from game.bots.table import Table

LIVE = ("met", "not_yet")
"""Statuses of an objective still worth playing for (a failed one can no longer be met)."""


@dataclass(frozen=True, slots=True)
class Aim:
    """One objective of the bot's state, as the bot reads it."""

    kind: str
    status: str  # met | not_yet | failed
    worth: int  # points when wholly met
    territories: tuple[str, ...] = ()  # hold, deny
    rival: str | None = None  # deny: who must not hold them
    between: tuple[str, ...] = ()  # prevent_war
    partner: str | None = None  # obtain_agreement
    clause: str | None = None  # obtain_agreement: the clause kind wanted
    public: bool | None = None  # obtain_agreement: public (True), secret (False), either (None)
    title: str | None = None  # keep_secret: the title of the agreement to keep secret
    count: int = 0  # supply
    above: int = 0  # legitimacy

    @property
    def live(self) -> bool:
        return self.status in LIVE

    @property
    def each(self) -> float:
        """Points per territory (hold, deny), else the whole worth."""
        return self.worth / len(self.territories) if self.territories else float(self.worth)


@dataclass(frozen=True, slots=True)
class Aims:
    """Every objective the bot could read, and the questions its decisions ask of them."""

    aims: tuple[Aim, ...] = ()

    @classmethod
    def read(cls, entries: Iterable[Mapping[str, Any]], table: Table) -> Aims:
        names = _Names(table)
        out = []
        for entry in entries:
            aim = names.aim(entry)
            if aim is not None:
                out.append(aim)
        return cls(tuple(out))

    def of(self, kind: str, live: bool = True) -> list[Aim]:
        return [a for a in self.aims if a.kind == kind and (a.live or not live)]

    # --- secrets ----------------------------------------------------------------------------------

    def secret_titles(self) -> set[str]:
        return {a.title for a in self.of("keep_secret") if a.title}

    def guards(self, deal: Deal) -> float:
        """Points riding on keeping `deal` secret (0 when no objective asks it)."""
        if not deal.title or deal.rumour:
            return 0.0
        return float(sum(a.worth for a in self.of("keep_secret") if a.title == deal.title))

    # --- war and peace ------------------------------------------------------------------------------

    def peace_with(self, me: str) -> dict[str, float]:
        """States `me` must not attack (a prevent_war objective naming it): state -> points."""
        out: dict[str, float] = {}
        for a in self.of("prevent_war"):
            if me in a.between:
                for s in a.between:
                    if s != me:
                        out[s] = out.get(s, 0.0) + a.worth
        return out

    def keep_apart(self, me: str) -> list[tuple[str, str, float]]:
        """Pairs of other states whose war `me` wants to prevent: (a, b, points)."""
        return [
            (a.between[0], a.between[1], float(a.worth))
            for a in self.of("prevent_war")
            if me not in a.between and len(a.between) == 2
        ]

    # --- agreements ---------------------------------------------------------------------------------

    def wanted(self) -> list[Aim]:
        """obtain_agreement objectives not met yet."""
        return [a for a in self.aims if a.kind == "obtain_agreement" and a.status == "not_yet" and a.partner]

    def obtained_by(self, deal: Deal, wanted_only: bool = False) -> float:
        """Points of obtain_agreement objectives that `deal` meets (or would meet once signed); with
        `wanted_only`, only those not met yet."""
        total = 0.0
        kinds = {str(getattr(c, "kind", "")) for c in deal.all_clauses}
        for a in self.wanted() if wanted_only else self.of("obtain_agreement"):
            if (
                a.partner in deal.parties
                and a.clause in kinds
                and (a.public is None or a.public == (not deal.secret))
            ):
                total += a.worth
        return total

    # --- the map --------------------------------------------------------------------------------------

    def priorities(self, me: str, owners: Mapping[str, str | None]) -> dict[str, float]:
        """Territories worth taking for an objective, and their points: those to hold that `me` does
        not hold, and those a rival must not hold that it does."""
        out: dict[str, float] = {}
        for a in self.aims:
            if a.status == "failed" and a.kind != "hold":
                continue
            if a.kind == "hold":
                for t in a.territories:
                    if owners.get(t) != me:
                        out[t] = out.get(t, 0.0) + a.each
            elif a.kind == "deny" and a.rival:
                for t in a.territories:
                    if owners.get(t) == a.rival:
                        out[t] = out.get(t, 0.0) + a.each
        return out

    def guarded(self, me: str, owners: Mapping[str, str | None]) -> dict[str, float]:
        """Territories `me` holds that an objective asks it to keep (hold, and deny ones a rival wants)."""
        out: dict[str, float] = {}
        for a in self.aims:
            if a.kind in ("hold", "deny"):
                for t in a.territories:
                    if owners.get(t) == me:
                        out[t] = out.get(t, 0.0) + a.each
        return out

    def denied_to(self) -> dict[str, set[str]]:
        """Rival -> territories it must not hold (deny objectives)."""
        out: dict[str, set[str]] = {}
        for a in self.aims:
            if a.kind == "deny" and a.rival:
                out.setdefault(a.rival, set()).update(a.territories)
        return out

    # --- standing -------------------------------------------------------------------------------------

    def legitimacy_floor(self) -> int | None:
        """The legitimacy an objective asks it to end with, if any."""
        levels = [a.above for a in self.aims if a.kind == "legitimacy"]
        return max(levels) if levels else None


class _Names:
    """Public names of territories and states back to their ids, to read an objective's words."""

    def __init__(self, table: Table) -> None:
        self.places = {info.name: t for t, info in table.board.territories.items()}
        self.states = {name: s for s, name in table.names.items()}

    def aim(self, entry: Mapping[str, Any]) -> Aim | None:
        kind = str(entry.get("kind", ""))
        status = str(entry.get("status", "not_yet"))
        worth = int(entry.get("worth", 0) or 0)
        terms = entry.get("terms")
        if isinstance(terms, Mapping):
            return _from_terms(kind, status, worth, terms, str(entry.get("detail", "")))
        summary, detail = str(entry.get("summary", "")), str(entry.get("detail", ""))
        try:
            return self._from_words(kind, status, worth, summary, detail)
        except ValueError:
            return None

    def _from_words(self, kind: str, status: str, worth: int, summary: str, detail: str) -> Aim | None:
        if kind == "hold":
            return Aim(kind, status, worth, territories=self.list_of(_after(summary, "Hold "), self.places))
        if kind == "supply":
            return Aim(kind, status, worth, count=_number(summary))
        if kind == "survive":
            return Aim(kind, status, worth)
        if kind == "deny":
            body = _after(summary, "Keep ")
            for name, state in sorted(self.states.items(), key=lambda kv: -len(kv[0])):
                if body.endswith(f" from {name}"):
                    places = self.list_of(body[: -len(f" from {name}")], self.places)
                    return Aim(kind, status, worth, territories=places, rival=state)
            raise ValueError(summary)
        if kind == "keep_secret":
            found = re.search(r"“(.+)”", detail)
            return Aim(kind, status, worth, title=found.group(1) if found else None)
        if kind == "obtain_agreement":
            body = _after(summary, "Obtain ")
            for name, state in sorted(self.states.items(), key=lambda kv: -len(kv[0])):
                if body.endswith(f" with {name}"):
                    clause = body[: -len(f" with {name}")].replace(" ", "_")
                    return Aim(kind, status, worth, partner=state, clause=clause)
            raise ValueError(summary)
        if kind == "legitimacy":
            return Aim(kind, status, worth, above=_number(summary))
        if kind == "prevent_war":
            pair = self.list_of(_after(summary, "No war between "), self.states, " and ")
            if len(pair) != 2:
                raise ValueError(summary)
            return Aim(kind, status, worth, between=pair)
        return None

    @staticmethod
    def list_of(text: str, lookup: Mapping[str, str], sep: str = ", ") -> tuple[str, ...]:
        """Names joined by `sep` back to ids (a name may itself hold the separator)."""
        names = sorted(lookup, key=len, reverse=True)

        def walk(i: int) -> list[str] | None:
            if i == len(text):
                return []
            for name in names:
                if text.startswith(name, i):
                    j = i + len(name)
                    if j == len(text):
                        return [lookup[name]]
                    if text.startswith(sep, j):
                        rest = walk(j + len(sep))
                        if rest is not None:
                            return [lookup[name], *rest]
            return None

        found = walk(0)
        if not found:
            raise ValueError(text)
        return tuple(found)


def _from_terms(kind: str, status: str, worth: int, terms: Mapping[str, Any], detail: str) -> Aim:
    between = tuple(terms.get("between") or ())
    title = terms.get("title")
    if kind == "keep_secret" and not title:
        found = re.search(r"“(.+)”", detail)
        title = found.group(1) if found else None
    return Aim(
        kind,
        status,
        worth,
        territories=tuple(terms.get("territories") or ()),
        rival=terms.get("rival"),
        between=between,
        partner=terms.get("partner"),
        clause=terms.get("clause"),
        public=terms.get("public"),
        title=title,
        count=int(terms.get("count") or 0),
        above=int(terms.get("above") or 0),
    )


def _after(text: str, prefix: str) -> str:
    if not text.startswith(prefix):
        raise ValueError(text)
    return text[len(prefix) :]


def _number(text: str) -> int:
    found = re.search(r"\d+", text)
    if found is None:
        raise ValueError(text)
    return int(found.group())


def read_aims(view: Mapping[str, Any], table: Table) -> Aims:
    """The objectives of the view's own state (none for a view without a seat)."""
    me = view.get("me")
    entries: Sequence[Mapping[str, Any]] = me.get("objectives", ()) if isinstance(me, Mapping) else ()
    return Aims.read(entries, table)
