"""What my orders would break, in words: the rules' forecast (`me.forecast`) as a player reads it.

The rules compute, for the orders my state has given this phase, which clauses of my
agreements they would break and at what price (game/rules/forecast.py).  The client adds
nothing to that answer: it only says it — on the order's line in the order box and as a mark
on the order's arrow — before Ready, when the order can still be changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from game.client.panels.names import CLAUSE_TITLES, Names

Warning = Mapping[str, Any]

CLAUSE_WORDS: dict[str, str] = {kind: title.lower() for kind, title in CLAUSE_TITLES.items()}
CLAUSE_WORDS["support_promise"] = "a promised support"
CLAUSE_WORDS["cession"] = "a cession of territory"
CLAUSE_WORDS["demilitarised_zone"] = "a demilitarised zone"
CLAUSE_WORDS["free_text"] = "a written clause"


def forecast_of(view: Mapping[str, Any] | None) -> list[Warning]:
    """The warnings the server sent with my view (none outside a movement phase)."""
    me = (view or {}).get("me") or {}
    found = me.get("forecast") or []
    return [w for w in found if isinstance(w, Mapping)]


def warnings_by_order(forecast: Sequence[Warning]) -> dict[str, list[Warning]]:
    """Each warned order's warnings, by the order's text (a missing order has none: see `missing`)."""
    out: dict[str, list[Warning]] = {}
    for w in forecast:
        if w.get("order"):
            out.setdefault(str(w["order"]), []).append(w)
    return out


def missing(forecast: Sequence[Warning]) -> list[Warning]:
    """Warnings about an order not given (a promised support, say)."""
    return [w for w in forecast if not w.get("order")]


def _signed(n: int) -> str:
    return f"−{abs(n)}" if n < 0 else f"+{n}" if n > 0 else "0"


def clause_words(w: Warning, names: Names) -> str:
    """ "non-aggression with Belgium": the clause's kind, and whom it protects."""
    kind = str(w.get("clause_kind", ""))
    words = CLAUSE_WORDS.get(kind, kind.replace("_", " ") or "a clause")
    protected = [p for p in w.get("protected") or [] if p != names.me]
    if protected:
        words += (
            f" with {names.states(protected)}"
            if kind == "non_aggression"
            else f", owed to {names.states(protected)}"
        )
    if w.get("in_annex"):
        words += ", in its secret annex"
    return words


def cost_words(w: Warning, names: Names) -> str:
    """The price: "public: legitimacy −3, reputation −12; Belgium's trust −25, everyone else's −8"."""
    parts: list[str] = []
    public = bool(w.get("public"))
    if public:
        money = [f"legitimacy {_signed(-abs(int(w.get('legitimacy') or 0)))}"]
        if w.get("reputation"):
            money.append(f"reputation {_signed(int(w['reputation']))}")
        parts.append("public: " + ", ".join(money))
    else:
        told = [t for t in w.get("told") or [] if t not in ("all", names.me)]
        parts.append("told to " + (names.states(told) if told else "the parties") + " only")
    trust: list[str] = []
    protected = [p for p in w.get("protected") or [] if p != names.me]
    if w.get("trust_victim"):
        whose = f"{names.states(protected)}'s" if protected else "the victims'"
        trust.append(f"{whose} trust {_signed(-abs(int(w['trust_victim'])))}")
    if w.get("trust_witness"):
        others = "everyone else's" if public else "the other parties'"
        trust.append(f"{others} {_signed(-abs(int(w['trust_witness'])))}")
    return parts[0] + ("; " + ", ".join(trust) if trust else "")


def warning_line(w: Warning, names: Names) -> str:
    """One warning as a sentence: what it breaks, which clause, and the cost."""
    title = str(w.get("title") or "an agreement")
    head = "Missing order: breaks" if not w.get("order") else "Breaks"
    return f"{head} {title}: {clause_words(w, names)} — {cost_words(w, names)}."


def warning_detail(w: Warning, names: Names) -> str:
    """The warning and the rules' evidence, for a tooltip."""
    evidence = names.humanize(str(w.get("evidence") or ""))
    return warning_line(w, names) + (f" ({evidence})" if evidence else "")
