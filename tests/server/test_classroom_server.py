"""The classroom through the real server: names and teams, authors shown or blinded, a state's
leader, the start that will not hand a reserved seat to a bot unasked, replacing an absent team by
a bot, removing a member, injects released by the umpire or by the clock (and seen by their
audience only), the record for the debrief, and players pressing the umpire's buttons.

Each test runs the server in-process on 127.0.0.1 port 0 with real websockets clients, and waits
for the messages it expects (timeouts are only a safety net).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from support.server import CLASSIC, Client, hold_orders, new_game, running_server
from websockets.exceptions import ConnectionClosed

from server.addresses import reach_note

Message = dict[str, Any]

INJECTS = """
injects:
  - id: opening_report
    turn: 1
    title: A report for London only
    audience: [eng]
    text: OPENING-REPORT-FOR-ENG
    effects:
      - {kind: treasury, state: eng, delta: 3}
  - id: autumn_riots
    turn: 2
    title: Bread riots in Berlin
    audience: all
    text: AUTUMN-RIOTS-IN-BERLIN
    effects:
      - {kind: legitimacy, state: ger, delta: -5}
  - id: held_back
    title: Held for the umpire
    audience: [fra, ger]
    text: HELD-BACK-FOR-FRA-AND-GER
    effects: []
"""
BOTS = {"ita": "bot", "aus": "bot", "rus": "bot", "tur": "bot"}
"""The classic board with people in England, France and Germany, bots elsewhere."""


def classic_with_injects() -> str:
    text = CLASSIC.read_text(encoding="utf-8")
    head, _, tail = text.partition("\nmap:")
    return head + INJECTS + "\nmap:" + tail


def unique(what: str) -> str:
    return f"{what}-{secrets.token_hex(4)}"


async def classroom(url: str, **settings: Any) -> tuple[Client, Message]:
    """An umpire and a new game on the classic board (England, France, Germany for people)."""
    return await new_game(url, scenario=None, scenario_text=classic_with_injects(), seats=BOTS, **settings)


async def student(url: str, created: Message, state: str, name: str | None = None) -> Client:
    client = await Client.open(url, name or state)
    await client.join(created["codes"]["states"][state], name)
    return client


def events_of(client: Client, kind: str) -> list[Message]:
    return [m["event"] for m in client.frames if m["type"] == "event" and m["event"]["kind"] == kind]


async def close_all(*clients: Client) -> None:
    for client in clients:
        await client.close()


async def test_names_on_join_and_a_name_taken_on_the_team(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await Client.open(url, "alice")
        joined = await alice.join(created["codes"]["states"]["fra"], "  Alice   Martin ")
        assert joined["name"] == "Alice Martin" and joined["member"]
        # The same name on the same team, while Alice is connected: refused, and nothing changed.
        again = await Client.open(url, "again")
        refused = await again.request("join", code=created["codes"]["states"]["fra"], name="alice martin")
        assert (
            refused["type"] == "error"
            and refused["code"] == "name_taken"
            and "Alice" not in refused["message"]
        )
        # Another team may have its own Alice; a name left blank takes a default.
        other = await student(url, created, "eng", "Alice Martin")
        nameless = await Client.open(url, "nameless")
        assert (await nameless.join(created["codes"]["states"]["fra"]))["name"] == "Player 2"
        blank = await Client.open(url, "blank")
        assert (await blank.request("join", code=created["codes"]["states"]["fra"], name="   "))[
            "code"
        ] == "bad_message"
        assert (await blank.request("join", code="ZZZZ-ZZZZ", name="Zed"))["code"] == "bad_code"

        # The umpire's table lists every member with its name and whether it is connected; a team
        # sees its own members; the observer sees none.
        view = await umpire.fresh_view()
        members = {(m["state"], m["name"]): m for m in view["table"]["members"]}
        assert members["fra", "Player 2"]["connected"] and members["fra", "Alice Martin"]["connected"]
        assert members[None, "Umpire"]["role"] == "umpire"
        assert {m["state"] for m in view["table"]["members"] if m["name"] == "Alice Martin"} == {"fra", "eng"}
        assert view["table"]["seats"]["fra"]["members"] == 2 and view["table"]["seats"]["eng"]["members"] == 1
        team = (await alice.fresh_view())["table"]
        assert {m["name"] for m in team["members"]} == {"Alice Martin", "Player 2"} and team["me"] == joined[
            "member"
        ]
        assert "codes" not in team or team["codes"] is None
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        assert observer.view is not None and observer.view["table"].get("members") is None
        # Teammates are told who joined them; the other team is not.
        assert {e["name"] for e in events_of(alice, "member")} >= {"Player 2"}
        assert not any(e["state"] == "fra" for e in events_of(other, "member"))

        # Alice's connection closes: the umpire's table says so, and her name is free again.
        await alice.close()
        await umpire.expect(
            "table",
            lambda m: any(
                x["name"] == "Alice Martin" and x["state"] == "fra" and not x["connected"]
                for x in m["table"]["members"]
            ),
        )
        back = await Client.open(url, "back")
        assert (await back.join(created["codes"]["states"]["fra"], "Alice Martin"))["member"] != joined[
            "member"
        ]
        await close_all(umpire, again, other, nameless, blank, observer, back)


async def test_a_second_umpire_shares_the_seat_and_both_are_listed(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        colleague = await Client.open(url, "colleague")
        joined = await colleague.join(created["codes"]["umpire"], "Ms Okafor")
        assert joined["seat"]["role"] == "umpire"
        table = await umpire.expect("table", lambda m: len(m["table"]["members"]) == 2)
        assert [(m["name"], m["role"]) for m in table["table"]["members"]] == [
            ("Umpire", "umpire"),
            ("Ms Okafor", "umpire"),
        ]
        third = await Client.open(url, "third")
        assert (await third.join(created["codes"]["umpire"]))["name"] == "Umpire 3"
        assert (await colleague.request("start"))["type"] == "ack"
        await close_all(umpire, colleague, third)


async def test_authors_shown_to_all_or_blinded_to_other_states(tmp_path: Path) -> None:
    for labels in ("names", "state"):
        async with running_server(tmp_path / labels) as (_, url):
            umpire, created = await classroom(url, labels=labels)
            alice_name, bob_name, carol_name = unique("Alice"), unique("Bob"), unique("Carol")
            alice = await student(url, created, "fra", alice_name)
            bob = await student(url, created, "fra", bob_name)
            carol = await student(url, created, "eng", carol_name)
            dan = await student(url, created, "ger")
            observer = await Client.open(url, "observer")
            await observer.join(created["codes"]["observer"])
            assert (await umpire.request("start"))["type"] == "ack"

            private, public = unique("PRIVATE"), unique("PUBLIC")
            assert (await alice.act(kind="press", to=["eng"], text=private))["type"] == "ack"
            assert (await alice.act(kind="press", text=public))["type"] == "ack"
            forged = await carol.act(kind="press", to=["fra"], text="as someone else", author=alice_name)
            assert forged["type"] == "ack"  # the server writes the author from the seat
            orders = hold_orders(alice.view["view"], "fra")  # type: ignore[index]
            assert (await alice.act(kind="orders", turn=1, phase="movement", orders=orders))["type"] == "ack"

            told_all = labels == "names"
            for client, sees in ((bob, True), (umpire, True), (carol, told_all)):
                got = await client.event("message", lambda e, text=private: e["text"] == text)
                assert got.get("author") == (alice_name if sees else None), (labels, client.name)
            for client, sees in (
                (bob, True),
                (umpire, True),
                (carol, told_all),
                (dan, told_all),
                (observer, told_all),
            ):
                got = await client.event("message", lambda e, text=public: e["text"] == text)
                assert got.get("author") == (alice_name if sees else None), (labels, client.name)
            mine = await alice.event("message", lambda e: e["text"] == "as someone else")
            assert mine["author"] == (carol_name if told_all else None)
            given = await bob.event("orders_submitted")
            assert given["author"] == alice_name and given["orders"] == orders
            assert (await umpire.event("orders_submitted"))["author"] == alice_name
            # Whole views say the same, each cut for its reader.
            for client in (bob, carol, observer, umpire):
                view = await client.fresh_view()
                authors = {m["text"]: m.get("author") for m in view["view"]["messages"]}
                sees = client in (bob, umpire) or told_all
                assert authors[public] == (alice_name if sees else None), (labels, client.name)
            if not told_all:
                for client in (carol, dan, observer):
                    assert not client.received(alice_name) and not client.received(bob_name), client.name
            await close_all(umpire, alice, bob, carol, dan, observer)


async def test_a_leader_alone_acts_on_agreements_for_the_state(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        bob = await student(url, created, "fra", "Bob")
        carol = await student(url, created, "eng", "Carol")
        assert (await umpire.request("start"))["type"] == "ack"
        table = (await umpire.fresh_view())["table"]
        alice_id = next(m["id"] for m in table["members"] if m["name"] == "Alice")
        bob_id = next(m["id"] for m in table["members"] if m["name"] == "Bob")
        carol_id = next(m["id"] for m in table["members"] if m["name"] == "Carol")

        assert (await umpire.request("leader", state="fra", member=carol_id))["code"] == "unknown_member"
        assert (await umpire.request("leader", state="xyz", member=alice_id))["code"] == "unknown_state"
        named = await umpire.request("leader", state="fra", member=alice_id)
        assert named["type"] == "ack" and named["result"] == {"state": "fra", "member": alice_id}
        for client in (alice, bob, umpire):
            assert (await client.event("leader"))["name"] == "Alice"
        await umpire.expect(
            "table", lambda m: any(x["leader"] and x["name"] == "Alice" for x in m["table"]["members"])
        )

        deal = {"kind": "propose", "parties": ["fra", "eng"], "clauses": [{"kind": "non_aggression"}]}
        refused = await bob.act(**deal)
        assert refused["code"] == "not_leader" and "Alice" in refused["message"]
        assert (await bob.act(kind="press", to=["eng"], text="Bob may still talk"))["type"] == "ack"
        orders = hold_orders(bob.view["view"], "fra")  # type: ignore[index]
        assert (await bob.act(kind="orders", turn=1, phase="movement", orders=orders))["type"] == "ack"
        proposed = await alice.act(**deal)
        assert proposed["type"] == "ack"
        # England has no leader: any of its members signs.
        assert (await carol.act(kind="sign", agreement=proposed["result"]["agreement"]))["type"] == "ack"

        # Removing the leader frees the state's agreements for everyone again.
        assert (await umpire.request("kick", member=alice_id))["type"] == "ack"
        assert (await bob.event("leader", lambda e: e["member"] is None))["state"] == "fra"
        assert (await bob.act(**deal))["type"] == "ack"
        assert (await umpire.request("leader", state="fra", member=bob_id))["type"] == "ack"
        assert (await umpire.request("leader", state="fra"))["result"] == {"state": "fra", "member": None}
        assert not events_of(carol, "leader"), "a team's leader is its own business"
        await close_all(umpire, bob, carol)


async def test_start_refuses_empty_reserved_seats_unless_confirmed(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        refused = await umpire.request("start", fill_bots=True)
        assert refused["code"] == "seats_empty" and refused["states"] == ["eng", "ger"]
        assert "England" in refused["message"] and "Germany" in refused["message"]
        assert (await alice.act(kind="press", text="too soon"))["code"] == "not_started", "nothing started"
        started = await umpire.request("start", fill_bots=True, confirm=True)
        assert started["type"] == "ack" and set(started["result"]["bots"]) == {"eng", "ger", *BOTS}
        assert set((await alice.event("started"))["bots"]) == {"eng", "ger", *BOTS}
        await close_all(umpire, alice)


async def test_replace_an_absent_team_by_a_bot(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        carol = await student(url, created, "eng", "Carol")
        dan = await student(url, created, "ger", "Dan")
        assert (await umpire.request("start"))["type"] == "ack"
        assert (await umpire.request("replace", state="ita"))["code"] == "seat_unavailable"
        assert (await umpire.request("replace", state="xyz"))["code"] == "unknown_state"

        replaced = await umpire.request("replace", state="ger")
        assert replaced["type"] == "ack" and replaced["result"] == {"state": "ger"}
        for client in (alice, carol, dan, umpire):
            assert await client.event("seat", lambda e: e["player"] == "bot" and e["state"] == "ger")
        table = await alice.expect("table", lambda m: m["table"]["seats"]["ger"]["player"] == "bot")
        assert table["table"]["seats"]["ger"]["taken"]
        assert (await dan.act(kind="press", text="we are still here"))["code"] == "seat_replaced"
        assert (await dan.request("ready"))["code"] == "seat_replaced"
        assert (await umpire.request("replace", state="ger"))["code"] == "seat_unavailable"
        late = await Client.open(url, "late")
        assert (await late.request("join", code=created["codes"]["states"]["ger"]))[
            "code"
        ] == "seat_unavailable"
        # Dan still watches Germany; and the phase waits only for the people left.
        statement = unique("STATEMENT")
        assert (await carol.act(kind="press", text=statement))["type"] == "ack"
        await dan.event("message", lambda e: e["text"] == statement)
        for client in (alice, carol):
            assert (await client.request("ready"))["type"] == "ack"
        for client in (alice, dan, umpire):
            await client.event("phase", lambda e: (e["turn"], e["phase"]) != (1, "movement"))
        await close_all(umpire, alice, carol, dan, late)


async def test_kick_revokes_the_token_and_closes_the_connection(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        bob = await student(url, created, "fra", "Bob")
        assert bob.token is not None
        table = (await umpire.fresh_view())["table"]
        bob_id = next(m["id"] for m in table["members"] if m["name"] == "Bob")
        umpire_id = table["me"]
        assert (await umpire.request("kick", member="m99"))["code"] == "unknown_member"
        assert (await umpire.request("kick", member=umpire_id))["code"] == "not_allowed"
        assert (await alice.request("kick", member=bob_id))["code"] == "umpire_only"

        kicked = await umpire.request("kick", member=bob_id)
        assert kicked["type"] == "ack" and kicked["result"] == {"member": bob_id}
        assert (await bob.expect("error"))["code"] == "kicked"
        try:
            while True:
                await bob._receive()
        except ConnectionClosed:
            pass
        assert bob.ws.close_code == 4001
        gone = await alice.event("member", lambda e: e["change"] == "kicked")
        assert gone["member"] == bob_id and gone["name"] == "Bob"
        await umpire.expect("table", lambda m: all(x["id"] != bob_id for x in m["table"]["members"]))
        # The token opens nothing any more; the code still seats a new member.
        again = await Client.open(url, "again", hello=False)
        await again.send({"type": "hello", "protocol": 1, "id": "h", "token": bob.token})
        assert (await again.expect("error"))["code"] == "bad_token"
        assert (await again.request("kick", member=bob_id))["code"] == "hello_first"
        rejoined = await Client.open(url, "rejoined")
        assert (await rejoined.join(created["codes"]["states"]["fra"], "Bob"))["member"] != bob_id
        assert (await umpire.request("kick", member=bob_id))["code"] == "unknown_member"
        await close_all(umpire, alice, again, rejoined)

    # After a restart the token is still refused (the kick is in the log).
    async with running_server(tmp_path) as (_, url):
        after = await Client.open(url, "after", hello=False)
        await after.send({"type": "hello", "protocol": 1, "id": "h", "token": bob.token})
        assert (await after.expect("error"))["code"] == "bad_token"
        resumed = await Client.open(url, "resumed", token=alice.token)
        assert resumed.seat is not None and resumed.seat["state"] == "fra"
        view = await resumed.expect("view")
        assert {m["name"] for m in view["table"]["members"]} == {"Alice", "Bob"}  # Bob: the new member
        await close_all(after, resumed)


async def test_injects_released_by_the_clock_and_the_umpire_reach_their_audience_only(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        carol = await student(url, created, "eng", "Carol")
        dan = await student(url, created, "ger", "Dan")
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        everyone = (alice, carol, dan, observer, umpire)
        scenario = (await alice.request("get_scenario"))["scenario"]
        assert scenario["injects"] == [], "prepared injects are the umpire's until released"
        assert len((await umpire.request("get_scenario"))["scenario"]["injects"]) == 3

        # Turn 1 begins: the report due at turn 1 reaches England (and the umpire) only.
        assert (await umpire.request("start"))["type"] == "ack"
        report = await carol.event("inject", lambda e: e["id"] == "opening_report")
        assert report["text"] == "OPENING-REPORT-FOR-ENG" and report["effects"] == [
            {"kind": "treasury", "state": "eng", "delta": 3}
        ]
        assert (await carol.event("treasury"))["delta"] == 3
        assert (await umpire.event("inject", lambda e: e["id"] == "opening_report"))["audience"] == ["eng"]
        for client in everyone:
            await client.event("phase")
        view = (await umpire.fresh_view())["view"]
        assert [r["id"] for r in view["injects"]["released"]] == ["opening_report"]

        # The umpire releases a prepared one for France and Germany, then writes one on the spot.
        released = await umpire.request("inject", inject="held_back")
        assert released["type"] == "ack" and released["result"] == {"inject": "held_back"}
        for client in (alice, dan):
            assert (await client.event("inject", lambda e: e["id"] == "held_back"))[
                "title"
            ] == "Held for the umpire"
        assert (await umpire.request("inject", inject="held_back"))["code"] == "already_released"
        assert (await umpire.request("inject", inject="no_such"))["code"] == "unknown_inject"
        card = {
            "title": "Spot news",
            "text": "SPOT-NEWS-FOR-ALL",
            "audience": "all",
            "effects": [{"kind": "legitimacy", "state": "fra", "delta": -4}],
        }
        spot = await umpire.request("inject", card=card)
        assert spot["type"] == "ack" and spot["result"]["inject"].startswith("inj-")
        for client in everyone:
            news = await client.event("inject", lambda e: e["text"] == "SPOT-NEWS-FOR-ALL")
            assert news["effects"] == [{"kind": "legitimacy", "state": "fra", "delta": -4}]
            now = (await client.event("legitimacy", lambda e: e["state"] == "fra"))["legitimacy"]
            # Everyone's whole view follows an inject: the standing as it left it.
            await client.expect(
                "view",
                lambda m, now=now: {s["id"]: s["legitimacy"] for s in m["view"]["states"]}["fra"] == now,
            )

        # A card naming a state the scenario does not have: refused with the reason, nothing changed.
        before = (await umpire.request("sync", v=umpire.v))["v"]
        wrong = {**card, "effects": [{"kind": "legitimacy", "state": "xyz", "delta": 5}]}
        refused = await umpire.request("inject", card=wrong)
        assert refused["code"] == "unknown_state" and "xyz" in refused["message"]
        assert (await umpire.request("inject", card={**card, "audience": ["fra", "qqq"]}))[
            "code"
        ] == "unknown_state"
        assert (await umpire.request("sync", v=umpire.v))["v"] == before
        assert (await umpire.request("inject", card={"title": "no audience"}))["code"] == "bad_message"

        # Turn 2 begins: the riots are public news.
        assert (await umpire.request("resolve"))["type"] == "ack"
        for client in everyone:
            await client.event("inject", lambda e: e["id"] == "autumn_riots")
        for client in (alice, dan, observer):
            assert not client.received("OPENING-REPORT-FOR-ENG"), client.name
        for client in (carol, observer):
            assert not client.received("HELD-BACK-FOR-FRA-AND-GER"), client.name
        assert not any(
            e.get("id") == "held_back"
            for m in observer.frames
            if m["type"] == "view"
            for t in m["view"]["events"]
            for e in t["events"]
        )
        await close_all(*everyone)


async def test_the_record_is_the_umpires_alone(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url, labels="state")
        alice = await student(url, created, "fra", "Alice")
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        assert (await umpire.request("start"))["type"] == "ack"
        text = unique("RECORDED")
        assert (await alice.act(kind="press", to=["eng"], text=text, sincerity="deceptive"))["type"] == "ack"
        for client in (alice, observer):
            refused = await client.request("get_record")
            assert refused["type"] == "error" and refused["code"] == "umpire_only"
        reply = await umpire.request("get_record")
        assert reply["type"] == "record" and reply["game"] == created["game"]
        record = reply["record"]
        assert record["format"] == "backchannel-record/1" and record["labels"] == "state"
        assert record["scenario_text"] == classic_with_injects()
        assert {(m["role"], m["state"], m["name"]) for m in record["members"]} >= {
            ("umpire", None, "Umpire"),
            ("player", "fra", "Alice"),
        }
        assert len(record["by"]) == len(record["commands"])
        press = next(
            i for i, c in enumerate(record["commands"]) if c["kind"] == "press" and c["text"] == text
        )
        assert record["commands"][press]["author"] == "Alice"
        alice_id = next(m["id"] for m in record["members"] if m["name"] == "Alice")
        assert record["by"][press] == alice_id
        assert record["by"][0] is None and record["commands"][0]["kind"] == "inject"  # released by the clock
        message = next(m for m in record["messages"] if m["text"] == text)
        assert message["sincerity"] == "deceptive"
        assert [r["id"] for r in record["injects"]] == ["opening_report"]
        await close_all(umpire, alice, observer)


async def test_players_and_observers_pressing_umpire_buttons_are_refused_by_the_server(
    tmp_path: Path,
) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url, deadline=600)
        alice = await student(url, created, "fra", "Alice")
        observer = await Client.open(url, "observer")
        await observer.join(created["codes"]["observer"])
        buttons: list[tuple[str, dict[str, Any]]] = [
            ("start", {"fill_bots": True, "confirm": True}),
            ("pause", {}),
            ("resume", {}),
            ("extend", {"seconds": 60}),
            ("resolve", {}),
            ("leader", {"state": "fra", "member": "m2"}),
            ("replace", {"state": "fra"}),
            ("kick", {"member": "m1"}),
            ("inject", {"inject": "held_back"}),
            ("get_record", {}),
        ]
        for running in (False, True):
            if running:
                assert (await umpire.request("start"))["type"] == "ack"
                await alice.event("phase")
            before = (await umpire.request("sync", v=umpire.v))["v"]
            for button, fields in buttons:
                for client in (alice, observer):
                    refused = await client.request(button, **fields)
                    assert refused["type"] == "error" and refused["code"] == "umpire_only", (
                        button,
                        client.name,
                        refused,
                    )
            smuggled = await alice.act(kind="inject", inject="held_back")
            assert smuggled["code"] == "umpire_only"
            assert (await umpire.request("sync", v=umpire.v))["v"] == before, (
                "nothing changed, nobody was told"
            )
        assert not any(e.get("id") == "held_back" for e in events_of(alice, "inject"))
        await close_all(umpire, alice, observer)


async def test_the_umpire_sees_orders_in_and_presence_live(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, created = await classroom(url)
        alice = await student(url, created, "fra", "Alice")
        assert alice.token is not None
        assert (await umpire.request("start"))["type"] == "ack"
        await alice.event("phase")
        orders = hold_orders(alice.view["view"], "fra")  # type: ignore[index]
        assert (await alice.act(kind="orders", turn=1, phase="movement", orders=orders))["type"] == "ack"
        table = await umpire.expect("table", lambda m: m["table"]["orders_in"]["fra"] == len(orders))
        assert table["table"]["orders_in"]["eng"] == 0
        assert (await umpire.fresh_view())["view"]["orders"]["fra"] == orders
        await alice.close()
        await umpire.expect(
            "table", lambda m: any(x["name"] == "Alice" and not x["connected"] for x in m["table"]["members"])
        )
        back = await Client.open(url, "back", token=alice.token)
        await umpire.expect(
            "table", lambda m: any(x["name"] == "Alice" and x["connected"] for x in m["table"]["members"])
        )
        await close_all(umpire, back)


def test_serve_says_who_can_reach_it_and_what_students_type() -> None:
    local = reach_note("127.0.0.1", 8765, ["192.168.1.23"])
    assert "cannot" in local[0] and "--host 0.0.0.0" in local[1] and "ws://192.168.1.23:8765" in local[2]
    lan = reach_note("0.0.0.0", 9000, ["192.168.1.23", "10.0.0.5"])
    assert "ws://192.168.1.23:9000" in lan[0] and "ws://10.0.0.5:9000" in lan[0] and "9000/tcp" in lan[1]
    assert "no network address" in reach_note("0.0.0.0", 9000, [])[0]
    assert reach_note("192.168.1.23", 8765, [])[0] == "Students type: ws://192.168.1.23:8765"
