"""Issue 11, part 7: a classroom rehearsal, headless, through the real server.

A teacher's script hosts july-1914 (its calendar cut to one year, so that the game ends after the
adjustments of 1914), 30 scripted students join the six great powers in teams of five, each with a
name, and bots take the minor states.  Every student sends messages or gives orders; Britain
proposes an agreement to France and France signs it.  The teacher pauses, releases a prepared
inject, resumes, extends the phase and resolves it now; an Italian student drops and the teacher
gives Italy to a bot.  The teacher resolves until the calendar ends the game, fetches the record,
and the debrief report and the grades hold what happened.

The server runs in-process on 127.0.0.1 port 0; the game is seeded; the test waits for the
messages it expects, never for a clock (timeouts are only a safety net).
"""

from __future__ import annotations

import asyncio
import csv
import io
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from support.server import Client, hold_orders, new_game, running_server

from game.debrief import build_report, grades_csv, report_from_record, source_from_record
from game.scenario.loader import find_scenario

SEED = 1914
POWERS = ("gbr", "fra", "ger", "aus", "rus", "ita")
FIRST = {
    "gbr": ("Amelia", "Barnaby", "Clara", "Dominic", "Edith"),
    "fra": ("Amandine", "Bastien", "Camille", "Denis", "Elodie"),
    "ger": ("Anke", "Bernd", "Clemens", "Dagmar", "Erich"),
    "aus": ("Agnes", "Bela", "Cenek", "Dora", "Emil"),
    "rus": ("Anya", "Boris", "Cyril", "Dasha", "Egor"),
    "ita": ("Alba", "Bruno", "Carla", "Dario", "Enzo"),
}
STATE_NAMES = {
    "gbr": "Britain",
    "fra": "France",
    "ger": "Germany",
    "aus": "Austria-Hungary",
    "rus": "Russia",
    "ita": "Italy",
}
NEIGHBOUR = {"gbr": "fra", "fra": "ger", "ger": "aus", "aus": "rus", "rus": "ita", "ita": "gbr"}
DROPPED = ("ita", 2)  # Carla drops; Italy goes to a bot


def one_year_scenario() -> str:
    """july-1914 as uploaded by the teacher, with the calendar ending in its first year (two movement
    turns); the shell scandal, due at turn 3, is left to the umpire (a card due after the end is refused)."""
    text = find_scenario("july-1914").read_text(encoding="utf-8")
    for old, new in (
        ("  end_year: 1923\n", "  end_year: 1914\n"),
        ("    turn: 3\n    title: The shell scandal\n", "    title: The shell scandal\n"),
    ):
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def student_name(state: str, i: int) -> str:
    return f"{FIRST[state][i]} {state.upper()}{i + 1}"


@dataclass
class Rehearsal:
    """What the scripts did, and what the server's record says about it."""

    record: dict[str, Any] = field(default_factory=dict)
    sent: Counter[str] = field(default_factory=Counter)
    orders_given: Counter[str] = field(default_factory=Counter)
    agreement: str = ""
    title: str = ""
    phases: list[tuple[int, str]] = field(default_factory=list)
    seconds: float = 0.0


async def play(tmp_path: Path) -> Rehearsal:
    """The class, from hosting to the record."""
    out = Rehearsal()
    async with running_server(tmp_path) as (_, url):
        # The teacher hosts: a deadline per phase (so the clock can be paused and extended).
        umpire, created = await new_game(
            url, scenario=None, scenario_text=one_year_scenario(), seed=SEED, deadline=600
        )
        codes = created["codes"]["states"]
        assert set(POWERS) <= set(codes), "the great powers are the people's"
        assert not set(codes) - set(POWERS), "the minor states are the bots'"

        # 30 students join in teams of five, each with a name.
        students: dict[tuple[str, int], Client] = {}
        for state in POWERS:
            for i in range(5):
                client = await Client.open(url, f"{state}{i}")
                joined = await client.join(codes[state], student_name(state, i))
                assert joined["name"] == student_name(state, i) and joined["seat"]["state"] == state
                students[state, i] = client
        table = (await umpire.fresh_view())["table"]
        assert Counter(m["state"] for m in table["members"] if m["role"] == "player") == {
            s: 5 for s in POWERS
        }
        assert all(m["connected"] for m in table["members"])

        # The start: no reserved seat is empty, so bots take only the rest.
        started = await umpire.request("start", fill_bots=True)
        assert started["type"] == "ack", started
        assert not set(started["result"]["bots"]) & set(POWERS)
        # The scenario's first prepared news (turn 1) is released by the clock, to everyone.
        for client in (umpire, students["gbr", 0], students["ita", 4]):
            await client.event("inject", lambda e: e["id"] == "ultimatum")

        # Every student does something: students 0-2 write (0: three messages, 1: two, 2: one,
        # public or private), student 3 gives the state's orders, student 4 writes once more.
        sent, orders_given = out.sent, out.orders_given
        for (state, i), client in students.items():
            name = student_name(state, i)
            if i == 3:
                orders = hold_orders(client.view["view"], state)  # type: ignore[index]
                reply = await client.act(kind="orders", turn=1, phase="movement", orders=orders)
                assert reply["type"] == "ack", reply
                orders_given[name] += 1
                continue
            for n in range({0: 3, 1: 2}.get(i, 1)):
                to = [] if n == 2 else [NEIGHBOUR[state]]
                text = f"REHEARSAL {name} #{n + 1}"
                sincerity = "deceptive" if (i + n) % 3 == 0 else "sincere"
                reply = await client.act(kind="press", to=to, text=text, sincerity=sincerity)
                assert reply["type"] == "ack", reply
                sent[name] += 1
        # The last message reaches its reader: the neighbour's team and the umpire see it.
        last = f"REHEARSAL {student_name('ita', 4)} #1"
        await students["gbr", 1].event("message", lambda e: e["text"] == last)
        await umpire.event("message", lambda e: e["text"] == last)

        # Britain's Barnaby proposes, France's Camille signs.
        title = out.title = "Rehearsal Channel entente"
        proposed = await students["gbr", 1].act(
            kind="propose",
            parties=["gbr", "fra"],
            title=title,
            visibility="public",
            clauses=[{"kind": "non_aggression"}],
            duration=4,
        )
        assert proposed["type"] == "ack", proposed
        agreement = out.agreement = proposed["result"]["agreement"]
        await students["fra", 2].event("agreement_proposed", lambda e: e["agreement"] == agreement)
        signed = await students["fra", 2].act(kind="sign", agreement=agreement)
        assert signed["type"] == "ack", signed
        await students["gbr", 0].event("agreement_signed", lambda e: e["agreement"] == agreement)

        # The teacher pauses, releases a prepared inject, resumes, extends and resolves now.
        paused = await umpire.request("pause")
        assert paused["type"] == "ack" and paused["result"]["clock"]["paused"], paused
        await students["rus", 0].event("clock", lambda e: e["change"] == "pause")
        released = await umpire.request("inject", inject="russian_mobilisation")
        assert released["type"] == "ack" and released["result"] == {"inject": "russian_mobilisation"}, (
            released
        )
        for client in (students["rus", 0], students["ger", 4], umpire):
            card = await client.event("inject", lambda e: e["id"] == "russian_mobilisation")
            assert card["title"] == "Russia orders general mobilisation"
        assert (await umpire.request("resume"))["type"] == "ack"
        extended = await umpire.request("extend", seconds=300)
        assert extended["type"] == "ack", extended
        await students["fra", 0].event("clock", lambda e: e["change"] == "extend")

        # A student drops; the teacher sees it and gives Italy to a bot.
        state, i = DROPPED
        dropped = student_name(state, i)
        await students[DROPPED].close()
        await umpire.expect(
            "table", lambda m: any(x["name"] == dropped and not x["connected"] for x in m["table"]["members"])
        )
        replaced = await umpire.request("replace", state=state)
        assert replaced["type"] == "ack" and replaced["result"] == {"state": state}, replaced
        await students["ita", 0].event("seat", lambda e: e["state"] == state and e["player"] == "bot")
        assert (await students["ita", 0].act(kind="press", text="still here"))["code"] == "seat_replaced"

        # Resolve now, phase after phase, until the calendar ends the game.
        phases = out.phases
        for _ in range(10):
            resolved = await umpire.request("resolve")
            if resolved["type"] == "error":
                assert resolved["code"] == "game_over", resolved
                break
            phases.append((resolved["result"]["turn"], resolved["result"]["phase"]))
        over = await umpire.event("game_over")
        assert over["reason"] == "calendar" and over["winner"] is None
        for client in (students["gbr", 0], students["ita", 0]):
            assert (await client.event("game_over"))["reason"] == "calendar"
        assert phases and phases[0] == (1, "movement")

        reply = await umpire.request("get_record")
        assert reply["type"] == "record", reply
        out.record = reply["record"]
        for client in (umpire, *(c for k, c in students.items() if k != DROPPED)):
            await client.close()

    return out


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory: pytest.TempPathFactory) -> Rehearsal:
    clock = time.perf_counter()
    out = asyncio.run(play(tmp_path_factory.mktemp("rehearsal")))
    out.seconds = time.perf_counter() - clock
    return out


EVERYONE = tuple(student_name(s, i) for s in POWERS for i in range(5))


def test_the_rehearsal_is_short(rehearsal: Rehearsal) -> None:
    # Two movement turns and the year's end, resolved by the umpire: the class runs in seconds.
    assert rehearsal.phases[0] == (1, "movement") and (2, "movement") in rehearsal.phases
    assert rehearsal.seconds < 30, rehearsal.seconds


def test_the_record_holds_the_class(rehearsal: Rehearsal) -> None:
    record = rehearsal.record
    assert record["status"] == "over" and record["seed"] == SEED
    assert record["final"]["scores"] and set(POWERS) <= set(record["final"]["scores"])
    assert {m["name"] for m in record["members"] if m["role"] == "player"} == set(EVERYONE)
    assert {m["name"]: m["state"] for m in record["members"] if m["role"] == "player"} == {
        student_name(s, i): s for s in POWERS for i in range(5)
    }
    # The replaced state: Italy is a bot's in the record, and its orders after the replacement are the bot's.
    assert record["seats"]["ita"] == "bot" and all(
        record["seats"][s] == "human" for s in POWERS if s != "ita"
    )
    italy = [
        (b, c)
        for b, c in zip(record["by"], record["commands"], strict=True)
        if c["kind"] == "orders" and c.get("state") == "ita"
    ]
    ids = {m["name"]: m["id"] for m in record["members"]}
    assert italy[0][0] == ids[student_name("ita", 3)] and italy[-1][0] == "bot", italy
    # Both injects, the one due at turn 1 (the server's own) and the one the umpire released.
    assert [r["id"] for r in record["injects"]] == ["ultimatum", "russian_mobilisation"]
    released = [
        (b, c["inject"])
        for b, c in zip(record["by"], record["commands"], strict=True)
        if c["kind"] == "inject"
    ]
    umpire_id = next(m["id"] for m in record["members"] if m["role"] == "umpire")
    assert released == [(None, "ultimatum"), (umpire_id, "russian_mobilisation")]
    agreement = next(a for a in record["agreements"] if a["id"] == rehearsal.agreement)
    assert agreement["title"] == rehearsal.title and set(agreement["parties"]) == {"gbr", "fra"}
    events = [e for t in record["turns"] for e in t["events"]]
    assert any(e["kind"] == "agreement_signed" and e["agreement"] == rehearsal.agreement for e in events)
    over = [e for e in events if e["kind"] == "game_over"]
    assert [(e["reason"], e["winner"]) for e in over] == [("calendar", None)]
    assert record["turns"][-1]["events"][-1]["kind"] == "game_over" and record["turns"][-1]["year"] == 1914


def test_the_report_holds_what_happened(rehearsal: Rehearsal) -> None:
    html = report_from_record(rehearsal.record)
    assert html.startswith("<!DOCTYPE html>")
    # Both injects, with their text.
    assert "Vienna&#39;s ultimatum to Belgrade" in html and "Baron Giesl" in html
    assert "Russia orders general mobilisation" in html and "Red notices go up" in html
    # The agreement Britain proposed and France signed.
    assert f'id="{rehearsal.agreement}"' in html
    assert re.search(
        rf"Britain</span> and <span[^>]*>France</span> signed .{{0,80}}{rehearsal.title}", html, re.S
    )
    # Every message, under its author's name.
    for name, n in rehearsal.sent.items():
        for k in range(1, n + 1):
            assert f"REHEARSAL {name} #{k}" in html, (name, k)
    # The orders as given, under the student who gave them; Italy's last orders are its bot's (no name).
    for state in POWERS:
        if state != "ita":
            assert f"{STATE_NAMES[state]}</span> ({student_name(state, 3)}):" in html, state
    assert '<span class="st s-ita">Italy</span>: <code>' in html
    assert f"({student_name('ita', 3)}):" not in html  # replaced in the same phase by the bot's list
    # The end.
    assert "2 turns, ended in Autumn 1914" in html
    assert re.search(r"The game ended\s*(<[^>]*>\s*)*\(calendar\)", html)


def test_the_report_says_that_italy_was_handed_to_a_bot(rehearsal: Rehearsal) -> None:
    text = re.sub(r"<[^>]+>", " ", report_from_record(rehearsal.record))
    assert re.search(r"Italy\s+(was\s+)?(replaced|handed|given)[^.]{0,40}bot", text, re.I)


def test_the_grades_hold_every_student(rehearsal: Rehearsal) -> None:
    report = build_report(source_from_record(rehearsal.record))
    rows = list(csv.DictReader(io.StringIO(grades_csv(report.grades))))
    students = {r["name"]: r for r in rows if r["row"] == "student"}
    assert sorted(students) == sorted(EVERYONE) and len(students) == 30
    for s in POWERS:
        for i in range(5):
            name = student_name(s, i)
            row = students[name]
            assert row["state"] == s, row
            assert int(row["messages_sent"]) == rehearsal.sent[name], (name, row)
            assert int(row["orders_given"]) == rehearsal.orders_given[name], (name, row)
    assert sum(int(r["messages_sent"]) for r in students.values()) == sum(rehearsal.sent.values()) == 6 * 7
    assert sum(int(r["orders_given"]) for r in students.values()) == 6
    assert int(students["Barnaby GBR2"]["agreements_proposed"]) == 1
    assert int(students["Amelia GBR1"]["agreements_proposed"]) == 0
    assert int(students["Camille FRA3"]["agreements_signed"]) == 1
    states = {r["state"]: r for r in rows if r["row"] == "state"}
    for s in POWERS:
        team = sum(rehearsal.sent[student_name(s, i)] for i in range(5))
        assert int(states[s]["messages_sent"]) >= team  # a state's row also counts what bots sent in its name
    final = rehearsal.record["final"]["scores"]
    assert {s: int(r["score"]) for s, r in states.items()} == final
    for name, row in students.items():
        assert int(row["score"]) == final[row["state"]], name  # a student shares the team's result


def test_the_same_class_plays_the_same_game(rehearsal: Rehearsal, tmp_path: Path) -> None:
    # Seeded bots, scripted students, waits on messages only: the log of a second run is the same.
    again = asyncio.run(play(tmp_path))
    assert again.record["commands"] == rehearsal.record["commands"]
    assert again.record["by"] == rehearsal.record["by"]
    assert again.record["final"] == rehearsal.record["final"]
