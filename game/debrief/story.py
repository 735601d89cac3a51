"""Every fact of the game told in a sentence, with its audience opened, for the debrief.

The rules record facts as plain dicts with ids (`ger`, `ruh`, `agr-40718263`); a class reads
sentences with names ("Germany's army moved from Ruhr to Belgium").  Each sentence is HTML
(`Markup`): every piece of text from the game is escaped, states carry their colour, and an
agreement links to its life further down the report.  Unknown kinds (a fact added to the rules
after this was written) are still told, as their fields, never dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from game.rules.scenario import Scenario

Event = Mapping[str, Any]
_ID = re.compile(r"\b[a-z][a-z0-9_]{1,31}\b")

MAP_KINDS = frozenset({"move", "bounce", "dislodged", "retreat", "disband", "build", "remove", "captured"})
AGREEMENT_KINDS = frozenset(
    {
        "agreement_proposed",
        "agreement_signed",
        "annex_signed",
        "agreement_signature",
        "agreement_rejected",
        "agreement_renounced",
        "agreement_ratification",
        "agreement_ratified",
        "agreement_expired",
        "agreement_lapsed",
        "trust_shaken",
    }
)
SECRET_KINDS = frozenset(
    {
        "agreement_leaked",
        "agreement_discovered",
        "leak_planned",
        "leak_done",
        "agreement_breached",
        "backlash",
        "denial",
        "justification",
        "government_fell",
    }
)
NEWS_KINDS = frozenset({"inject", "legitimacy", "treasury", "unit_placed", "unit_removed", "game_over"})
INTELLIGENCE_KINDS = frozenset(
    {"investigation", "interception", "message_intercepted", "action_failed", "propaganda"}
)
MONEY_KINDS = frozenset({"income", "payment"})

SECTIONS: tuple[tuple[str, str], ...] = (
    ("news", "News and injects"),
    ("map", "Moves and captures"),
    ("agreements", "Proposals and signatures"),
    ("secrets", "Leaks, breaches and their consequences"),
    ("intelligence", "Intelligence and propaganda"),
    ("money", "Treasury"),
    ("void", "Orders that could not be carried out"),
    ("other", "Other facts"),
)


def section_of(kind: str) -> str:
    if kind in NEWS_KINDS:
        return "news"
    if kind in MAP_KINDS:
        return "map"
    if kind in AGREEMENT_KINDS:
        return "agreements"
    if kind in SECRET_KINDS:
        return "secrets"
    if kind in INTELLIGENCE_KINDS:
        return "intelligence"
    if kind in MONEY_KINDS:
        return "money"
    if kind == "order_void":
        return "void"
    return "other"


@dataclass(frozen=True, slots=True)
class Told:
    """One fact in words, with who could know it at the time."""

    kind: str
    section: str
    text: Markup
    audience: Markup
    public: bool
    agreement: str | None


class Teller:
    """Says facts, clauses and audiences with the scenario's names."""

    def __init__(self, scenario: Scenario, agreements: Iterable[Mapping[str, Any]] = ()) -> None:
        self.scenario = scenario
        self.state_names = {s.id: s.name for s in scenario.states}
        self.places = {t.id: t.name for t in scenario.map.territories}
        # A prepared inject's history (its `note`), told beside it in the debrief.
        self.inject_notes = {
            str(i.id): str(i.note) for i in getattr(scenario, "injects", []) if getattr(i, "note", "")
        }
        self.titles: dict[str, str] = {}
        for a in agreements:
            if a.get("title"):
                self.titles[str(a["id"])] = str(a["title"])

    # --- words ---------------------------------------------------------------------------------

    def state(self, state: str | None) -> Markup:
        if not state:
            return Markup("nobody")
        name = self.state_names.get(state, state)
        return Markup('<span class="st s-{}">{}</span>').format(css_id(state), name)

    def state_code(self, state: str) -> Markup:
        """A state by its id in capitals, for narrow table columns (the name is in the title)."""
        return Markup('<span class="st s-{}">{}</span>').format(css_id(state), state.upper())

    def states(self, states: Iterable[str] | str | None, last: str = "and") -> Markup:
        if states == "all":
            return Markup("everyone")
        items = [self.state(s) for s in (states or [])]
        if not items:
            return Markup("nobody")
        if len(items) == 1:
            return items[0]
        return Markup(", ").join(items[:-1]) + Markup(f" {last} ") + items[-1]

    def place(self, location: str | None) -> Markup:
        if not location:
            return Markup("?")
        territory, _, coast = str(location).partition("/")
        name = self.places.get(territory, territory)
        return escape(f"{name} ({coast} coast)" if coast else name)

    def agreement(self, ref: str | None) -> Markup:
        if not ref:
            return Markup("an agreement")
        title = self.titles.get(ref)
        label = f"“{title}”" if title else ref
        return Markup('<a class="agr" href="#{}">{}</a>').format(ref, label)

    def audience(self, audience: Any) -> Markup:
        """The mark of a fact only some states knew; a public fact goes unmarked (most are public, and
        the few secret ones must stand out)."""
        if audience == "all":
            return Markup("")
        return Markup('<span class="aud sec">known to {}</span>').format(self.states(list(audience)))

    def evidence(self, text: str, order: str | None) -> Markup:
        """A breach's evidence as the rules wrote it (with ids), read with names; the order itself is
        quoted as given."""
        parts = text.split(order) if order else [text]
        said = [self._named(part) for part in parts]
        return Markup("<code>{}</code>").format(order).join(said) if order else said[0]

    def _named(self, text: str) -> Markup:
        def name(match: re.Match[str]) -> str:
            word = match.group(0)
            before = text[max(0, match.start() - 3) : match.start()]
            if word in self.places and (
                before.endswith("at ") or before.endswith(", ") or word not in self.state_names
            ):
                return str(self.places[word])
            return str(self.state_names.get(word, word))

        return escape(_ID.sub(name, text))

    def clause(self, clause: Mapping[str, Any], parties: Sequence[str] = ()) -> Markup:
        """A clause in plain words (from its JSON form), places and states by name."""
        kind = clause.get("kind")
        against = clause.get("against") or []
        aimed = Markup(" (aimed at {})").format(self.states(against)) if against else Markup("")
        if kind == "non_aggression":
            text = Markup("no attack between {}").format(self.states(clause.get("between") or parties))
        elif kind == "mutual_defence":
            text = Markup("mutual defence of {}").format(self.states(clause.get("members") or parties))
        elif kind == "support_promise":
            what = (
                Markup("the move from {} to {}").format(
                    self.place(clause.get("target")), self.place(clause["dest"])
                )
                if clause.get("dest")
                else Markup("the unit in {} to hold").format(self.place(clause.get("target")))
            )
            when = Markup(" on turn {}").format(clause["turn"]) if clause.get("turn") else Markup("")
            text = Markup("{}'s unit in {} supports {}{}").format(
                self.state(clause.get("by")), self.place(clause.get("unit_at")), what, when
            )
        elif kind == "cession":
            text = Markup("{} passes to {} by turn {}").format(
                self.place(clause.get("territory")), self.state(clause.get("to")), clause.get("by_turn")
            )
        elif kind == "demilitarised_zone":
            text = Markup("no troops in {}").format(
                Markup(", ").join(self.place(t) for t in clause.get("territories", []))
            )
        elif kind == "spheres_of_influence":
            text = Markup("; ").join(
                Markup("{} for {}").format(
                    Markup(", ").join(self.place(t) for t in s.get("territories", [])),
                    self.state(s.get("state")),
                )
                for s in clause.get("spheres", [])
            )
        elif kind == "neutrality":
            a, b = [*(clause.get("conflict") or ()), "?", "?"][:2]
            who = self.states(clause["neutral"]) if clause.get("neutral") else Markup("the other parties")
            text = Markup("{} neutral between {} and {}").format(who, self.state(a), self.state(b))
        elif kind == "tribute":
            text = Markup("{} pays {} {} a year").format(
                self.state(clause.get("payer")), self.state(clause.get("payee")), clause.get("amount")
            )
        elif kind == "intelligence_sharing":
            text = Markup("intelligence shared, and no spying on each other")
        elif kind == "free_text":
            text = Markup("“{}”").format(clause.get("text", ""))
        else:
            text = escape(str(kind or "clause"))
        return text + aimed

    def clauses(self, clauses: Sequence[Mapping[str, Any]] | None, parties: Sequence[str] = ()) -> Markup:
        return Markup("; ").join(self.clause(c, parties) for c in clauses or [])

    # --- facts ---------------------------------------------------------------------------------

    def tell(self, event: Event, brief: bool = False) -> Told:
        """A fact in words; `brief` leaves out the terms an exposé or a discovery revealed (for an
        agreement's own card, which shows its terms once)."""
        kind = str(event.get("kind"))
        if brief and event.get("clauses"):
            event = {**event, "clauses": None}
        text = self._say(kind, event)
        audience = event.get("audience", "all")
        return Told(
            kind,
            section_of(kind),
            text,
            self.audience(audience),
            audience == "all",
            event.get("agreement") if isinstance(event.get("agreement"), str) else None,
        )

    def _say(self, kind: str, e: Event) -> Markup:  # one branch per kind of fact, as the rules list them
        s, a, p = self.state, self.agreement, self.place
        unit = e.get("unit", "unit")
        if kind == "move":
            return Markup("{}'s {} moved from {} to {}").format(s(e["state"]), unit, p(e["from"]), p(e["to"]))
        if kind == "bounce":
            return Markup("{}'s {} in {} failed to enter {}").format(
                s(e["state"]), unit, p(e["from"]), p(e["to"])
            )
        if kind == "dislodged":
            by = Markup(" by {} from {}").format(s(e["by"]), p(e.get("from"))) if e.get("by") else Markup("")
            return Markup("{}'s {} in {} was dislodged{}").format(s(e["state"]), unit, p(e["at"]), by)
        if kind == "retreat":
            return Markup("{}'s {} retreated from {} to {}").format(
                s(e["state"]), unit, p(e["from"]), p(e["to"])
            )
        if kind == "disband":
            return Markup("{}'s {} in {} was disbanded").format(s(e["state"]), unit, p(e["at"]))
        if kind == "build":
            return Markup("{} built an {} in {}").format(s(e["state"]), unit, p(e["at"]))
        if kind == "remove":
            return Markup("{} removed its {} in {}").format(s(e["state"]), unit, p(e["at"]))
        if kind == "captured":
            supply = Markup(" <b>(supply centre)</b>") if e.get("supply") else Markup("")
            source = Markup(" from {}").format(s(e["from"])) if e.get("from") else Markup("")
            return Markup("{} took {}{}{}").format(s(e["state"]), p(e["territory"]), source, supply)
        if kind == "agreement_proposed":
            others = [x for x in e.get("parties", []) if x != e.get("by")]
            counter = (
                Markup(", a counter to {}").format(a(e["counter_of"])) if e.get("counter_of") else Markup("")
            )
            return Markup("{} proposed {} to {} ({}{})").format(
                s(e["by"]), a(e["agreement"]), self.states(others), e.get("visibility", ""), counter
            )
        if kind == "agreement_signed":
            if e.get("at_start"):
                return Markup("{} was in force at the start, between {} ({})").format(
                    a(e["agreement"]), self.states(e.get("parties", [])), e.get("visibility", "")
                )
            return Markup("{} signed {} ({}): it is in force").format(
                self.states(e.get("parties", [])), a(e["agreement"]), e.get("visibility", "")
            )
        if kind == "annex_signed":
            return Markup("{} came with a secret annex: {}").format(
                a(e["agreement"]), self.clauses(e.get("annex"))
            )
        if kind == "agreement_signature":
            return Markup("{} signed {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "agreement_rejected":
            if e.get("state") is None:
                return Markup("{} lapsed unsigned").format(a(e["agreement"]))
            return Markup("{} rejected {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "agreement_renounced":
            return Markup("{} renounced {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "agreement_ratification":
            return Markup("{} ratified {} in public").format(s(e["state"]), a(e["agreement"]))
        if kind == "agreement_ratified":
            return Markup("{} was ratified by {} and made public{}").format(
                a(e["agreement"]), self.states(e.get("parties", [])), self._terms(e)
            )
        if kind == "agreement_expired":
            return Markup("{} expired{}").format(
                a(e["agreement"]), Markup(", kept") if e.get("kept") else Markup("")
            )
        if kind == "agreement_lapsed":
            return Markup("{} lapsed: the government of {} fell").format(a(e["agreement"]), s(e["state"]))
        if kind == "trust_shaken":
            return Markup("{} lost trust in {}, whose {} cuts across their {}").format(
                s(e["state"]), s(e.get("in")), a(e.get("because")), a(e["agreement"])
            )
        if kind == "agreement_breached":
            more = Markup(" (and {} more)").format(len(e["more"])) if e.get("more") else Markup("")
            return Markup("<b>{} breached {}</b>, clause {} ({}), protecting {}. Evidence: {}{}").format(
                s(e["breaker"]),
                a(e["agreement"]),
                int(e.get("clause", 0)) + 1,
                str(e.get("clause_kind", "")).replace("_", " "),
                self.states(e.get("protected", [])),
                self.evidence(str(e.get("evidence", "")), e.get("order")),
                more,
            )
        if kind == "agreement_discovered":
            return Markup("{} discovered {} between {} by investigating {}{}").format(
                s(e["by"]),
                a(e["agreement"]),
                self.states(e.get("parties", [])),
                s(e.get("target")),
                self._terms(e),
            )
        if kind == "agreement_leaked":
            how = Markup(" ({})").format(e["how"]) if e.get("how") else Markup("")
            chance = (
                Markup(" — leak chance {:.0%}").format(e["chance"])
                if e.get("chance") is not None
                else Markup("")
            )
            if e.get("level") == "exposed":
                return Markup("<b>Exposé</b>: {} between {} is public{}{}{}").format(
                    a(e["agreement"]), self.states(e.get("parties", [])), how, chance, self._terms(e)
                )
            return Markup("<b>Rumour</b>: {} have a secret agreement, {}{}{}").format(
                self.states(e.get("parties", [])), a(e["agreement"]), how, chance
            )
        if kind == "leak_planned":
            return Markup("{} arranged to leak {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "leak_done":
            return Markup("{} leaked {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "backlash":
            return Markup("{} lost {} legitimacy over {} (credibility gap {:.0%}), now {}").format(
                s(e["state"]),
                e.get("legitimacy_lost"),
                a(e["agreement"]),
                float(e.get("credibility_gap", 0)),
                e.get("legitimacy"),
            )
        if kind == "denial":
            return Markup("{} publicly denied {}").format(s(e["state"]), a(e["agreement"]))
        if kind == "justification":
            return Markup("{} publicly justified {} (regained {} legitimacy)").format(
                s(e["state"]), a(e["agreement"]), e.get("legitimacy_regained")
            )
        if kind == "government_fell":
            return Markup("<b>The government of {} fell</b> (legitimacy now {})").format(
                s(e["state"]), e.get("legitimacy")
            )
        if kind == "investigation":
            found = "found a secret" if e.get("found") else "found nothing"
            return Markup("{} investigated {}: {}").format(s(e["state"]), s(e.get("target")), found)
        if kind == "interception":
            return Markup("{} intercepted {}'s messages and read {}").format(
                s(e["state"]), s(e.get("target")), e.get("read", 0)
            )
        if kind == "message_intercepted":
            return Markup("{} read {}'s message to {}: <q>{}</q>").format(
                s(e["by"]), s(e.get("from")), self.states(e.get("to")), e.get("text", "")
            )
        if kind == "action_failed":
            return Markup("{}'s {} failed: {}").format(s(e["state"]), e.get("action"), e.get("reason"))
        if kind == "propaganda":
            return Markup("{} ran propaganda at home (legitimacy now {})").format(
                s(e["state"]), e.get("legitimacy")
            )
        if kind == "income":
            return Markup("{} earned {} (treasury {})").format(
                s(e["state"]), e.get("amount"), e.get("treasury")
            )
        if kind == "payment":
            return Markup("{} paid {} {}").format(s(e["state"]), s(e.get("to")), e.get("amount"))
        if kind == "order_void":
            return Markup("{}: <code>{}</code> — {}").format(s(e["state"]), e.get("order"), e.get("reason"))
        if kind == "game_over":
            if e.get("winner"):
                return Markup("<b>The game ended: {} won</b>").format(s(e["winner"]))
            return Markup("<b>The game ended</b> ({})").format(e.get("reason"))
        if kind == "inject":
            effects = e.get("effects") or []
            said = Markup("; ").join(self.effect(x) for x in effects)
            note = self.inject_notes.get(str(e.get("id")))
            return Markup("<b>{}</b>: {}{}{}").format(
                e.get("title") or "News",
                e.get("text", ""),
                Markup(" — {}").format(said) if effects else Markup(""),
                Markup('<br><span class="detail">In history: {}</span>').format(note) if note else Markup(""),
            )
        if kind in ("legitimacy", "treasury"):
            delta = int(e.get("delta", 0))
            return Markup("{}'s {} {} by {} (now {})").format(
                s(e.get("state")), kind, "rose" if delta >= 0 else "fell", abs(delta), e.get(kind)
            )
        if kind == "unit_placed":
            return Markup("An {} of {} appeared in {}").format(unit, s(e.get("state")), p(e.get("at")))
        if kind == "unit_removed":
            return Markup("{}'s {} in {} was removed").format(s(e.get("state")), unit, p(e.get("at")))
        return self._fields(kind, e)

    def _terms(self, e: Event) -> Markup:
        if not e.get("clauses"):
            return Markup("")
        return Markup(": ") + self.clauses(e["clauses"], e.get("parties", []))

    def effect(self, effect: Mapping[str, Any]) -> Markup:
        """An inject's effect in words (game/rules: legitimacy, treasury, place_unit, remove_unit,
        reveal_agreement); another kind is told by its fields."""
        kind = effect.get("kind")
        if kind in ("legitimacy", "treasury"):
            delta = int(effect.get("delta", 0))
            return Markup("{} {} {}{}").format(
                self.state(effect.get("state")), kind, "+" if delta >= 0 else "", delta
            )
        if kind == "place_unit":
            return Markup("{} gains an {} in {}").format(
                self.state(effect.get("state")), effect.get("type", "unit"), self.place(effect.get("at"))
            )
        if kind == "remove_unit":
            return Markup("the unit in {} is removed").format(self.place(effect.get("at")))
        if kind == "reveal_agreement":
            return Markup("{} is revealed").format(self.agreement(effect.get("agreement")))
        return self._fields(str(kind), effect)

    @staticmethod
    def _fields(kind: str, e: Mapping[str, Any]) -> Markup:
        fields = ", ".join(f"{k}: {v}" for k, v in e.items() if k not in ("kind", "audience"))
        return Markup("{} — {}").format(kind.replace("_", " "), fields)


def css_id(state: str) -> str:
    """A state id made safe for a CSS class name."""
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in state)
