"""The umpire's table read for the seat list: who sits where, who is connected, who leads.

The server sends the umpire a table with every member (`members`: id, role, state, name,
connected, ready, leader) and the orders each state has given this phase (`orders_in`); these
functions only read it, so the seat list and its tests share one reading.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from game.client.panels.names import Names

Table = Mapping[str, Any]


@dataclass(frozen=True)
class SeatRow:
    """One row of the seat list: a state (`member` None) or one person in it."""

    ident: str
    """The row's id in the list: `s_<state>` or `m_<member>`."""
    text: str
    state: str | None
    member: str | None = None


def members(table: Table | None) -> list[dict[str, Any]]:
    return [m for m in (table or {}).get("members") or [] if isinstance(m, dict)]


def team(table: Table | None, state: str) -> list[dict[str, Any]]:
    """The people playing `state`, in the order they joined."""
    return [m for m in members(table) if m.get("role") == "player" and m.get("state") == state]


def leader_of(table: Table | None, state: str) -> str | None:
    """The member who alone signs for `state`, if the umpire named one."""
    return next((str(m["id"]) for m in team(table, state) if m.get("leader")), None)


def seat_kind(table: Table | None, state: str) -> str:
    """human, bot or none: who plays the state now (a state given to a bot says bot)."""
    seat = ((table or {}).get("seats") or {}).get(state) or {}
    return str(seat.get("player", "none"))


def orders_count(table: Table | None, state: str, given: Mapping[str, Sequence[str]]) -> int:
    """Orders the state has given this phase: the table's count, or what this screen was told since."""
    counted = ((table or {}).get("orders_in") or {}).get(state)
    told = len(given.get(state, ()))
    return max(told, counted) if isinstance(counted, int) else told


def seat_rows(
    table: Table | None, names: Names, given: Mapping[str, Sequence[str]], major: Sequence[str] | None = None
) -> list[SeatRow]:
    """The seat list: each state (who plays it, how many joined and are connected, ready, orders in),
    then its people (name, connected, leader); observers and umpires at the end.  `major`: the states
    listed one by one (the playable ones) besides those people play; the rest share one row."""
    rows: list[SeatRow] = []
    ready = set((table or {}).get("ready") or [])
    status = (table or {}).get("status")
    keep = set(major) if major is not None else None
    minor: list[str] = []
    for state in names.state_ids():
        kind = seat_kind(table, state)
        people = team(table, state)
        if keep is not None and state not in keep and kind != "human" and not people:
            minor.append(state)
            continue
        online = sum(1 for m in people if m.get("connected"))
        parts = [names.state(state)]
        if kind == "bot":
            parts.append("bot" + (f" (replacing {len(people)})" if people else ""))
        elif kind == "none":
            parts.append("nobody plays it")
        elif people:
            parts.append(f"{len(people)} joined, {online} online")
        else:
            parts.append("nobody yet")
        if status == "running" and kind == "human":
            parts.append("ready ✓" if state in ready else "not ready")
            parts.append(f"{orders_count(table, state, given)} orders")
        rows.append(SeatRow(f"s_{state}", " · ".join(parts), state))
        for m in people:
            flags = ["online" if m.get("connected") else "away"]
            if m.get("leader"):
                flags.append("leader")
            rows.append(
                SeatRow(
                    f"m_{m['id']}",
                    f"      {m.get('name') or m['id']} — {', '.join(flags)}",
                    state,
                    str(m["id"]),
                )
            )
    if minor:
        bots = sum(1 for s in minor if seat_kind(table, s) == "bot")
        rows.append(
            SeatRow(
                "minor",
                f"Other states: {len(minor)} ({bots} played by bots, {len(minor) - bots} by nobody)",
                None,
            )
        )
    watchers = [m for m in members(table) if m.get("role") in ("observer", "umpire")]
    for m in watchers:
        role = "umpire" if m.get("role") == "umpire" else "observer"
        presence = "online" if m.get("connected") else "away"
        rows.append(
            SeatRow(
                f"m_{m['id']}",
                f"{role.capitalize()}: {m.get('name') or m['id']} — {presence}",
                None,
                str(m["id"]),
            )
        )
    return rows


def summary(table: Table | None, names: Names) -> str:
    """One line over the list: people connected, states ready."""
    people = [m for m in members(table) if m.get("role") == "player"]
    online = sum(1 for m in people if m.get("connected"))
    humans = [s for s in names.state_ids() if seat_kind(table, s) == "human"]
    ready = [s for s in (table or {}).get("ready") or [] if s in humans]
    text = f"{online} of {len(people)} students online"
    if (table or {}).get("status") == "running":
        text += f" · {len(ready)} of {len(humans)} teams ready"
    return text
