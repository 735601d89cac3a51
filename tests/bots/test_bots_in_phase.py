"""Bots negotiate inside the phase, through the real server: a person proposes and asks, and the
bot answers in words before the phase resolves, as a command in the log like anyone's."""

from __future__ import annotations

import re
from pathlib import Path

from support.server import Client, new_game, running_server

# A territory or state id standing alone in a sentence ("support against bel") is an id where a
# name belongs; agreement ids are never words either.
ID_WORD = re.compile(r"(?<![\w-])(?:gbr|fra|ger|aus|rus|ita|ott|bel|bur|par|ruh|mun|agr-[0-9]{8})(?![\w-])")


async def _seated(url: str, **settings: object) -> tuple[Client, Client, str]:
    umpire, created = await new_game(url, seats={"fra": "human"}, **settings)
    player = await Client.open(url, "fra")
    await player.join(created["codes"]["states"]["fra"])
    assert (await umpire.request("start", fill_bots=True, confirm=True))["type"] == "ack"
    phase = await player.event("phase")
    assert phase["phase"] == "movement"
    return umpire, player, "ger"


async def test_a_bot_answers_a_proposal_within_the_phase_with_its_reason_in_words(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, fra, ger = await _seated(url, bot_delay=0)
        proposed = await fra.act(
            kind="propose",
            parties=["fra", ger],
            visibility="secret",
            title="Rhine quiet",
            clauses=[{"kind": "non_aggression"}],
        )
        ref = proposed["result"]["agreement"]
        answer = await fra.expect_any(
            ("event",),
            lambda m: (
                m["event"]["kind"] in ("agreement_signed", "agreement_rejected", "agreement_proposed")
                and (m["event"]["agreement"] == ref or m["event"].get("counter_of") == ref)
            ),
        )
        why = await fra.event("message", lambda e: e["from"] == ger)
        assert why["text"] and not ID_WORD.search(why["text"]), why["text"]
        card = await fra.event("agreement", lambda e: e["agreement"]["id"] == answer["event"]["agreement"])
        assert card["agreement"]["status"] in ("active", "rejected", "proposed")
        assert not any(m["type"] == "event" and m["event"]["kind"] == "phase" for m in fra.inbox), (
            "the answer came only with the next phase"
        )
        for client in (fra, umpire):
            await client.close()


async def test_a_bot_answers_an_ask_and_free_text_in_the_thread(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, fra, ger = await _seated(url, bot_delay=0)
        asked = await fra.act(kind="press", to=[ger], ask={"kind": "intentions", "territory": "bel"})
        ask_id = asked["result"]["message"]
        reply = await fra.event(
            "message", lambda e: e["from"] == ger and (e.get("answer") or {}).get("to") == ask_id
        )
        assert isinstance(reply["answer"]["yes"], bool) and not ID_WORD.search(reply["text"]), reply
        chat = await fra.act(kind="press", to=[ger], text="How is the weather in Berlin?")
        chat_id = chat["result"]["message"]
        polite = await fra.event(
            "message", lambda e: e["from"] == ger and (e.get("answer") or {}).get("to") == chat_id
        )
        assert polite["text"] and polite["answer"]["yes"] is None
        refused = await fra.act(kind="press", to=[ger], ask={"kind": "warn", "territory": "atlantis"})
        assert refused["code"] == "unknown_territory" and "atlantis" in refused["message"]
        for client in (fra, umpire):
            await client.close()


MAJOR = ("gbr", "ger", "aus", "rus", "ita", "ott")


def _intentions(view: dict, board: object, state: str) -> list[str]:
    """Territories next to `state`'s armies that it could move into: what to ask it about."""
    from game.rules.board import territory_of

    places: list[str] = []
    for unit in view["view"]["map"]["units"]:
        if unit["state"] == state and unit["type"] == "army":
            for near in sorted(board.army_adj[unit["location"]]):  # type: ignore[attr-defined]
                if territory_of(near) not in places:
                    places.append(territory_of(near))
    return places[:2]


async def test_bots_keep_their_word_and_mark_their_lies_over_seeded_games(tmp_path: Path) -> None:
    """Through the real server, a person asks each great power's bot its intentions toward two places
    next to its armies, every turn, in seeded games; at resolution the umpire sees every order.  A
    loyal bot's answers match its orders in at least 90% of asks; every answer a schemer gave that
    its orders then contradicted carries its private deceptive mark; and no bot's words name an
    agreement its own state does not know."""
    from game.rules.board import Board, territory_of
    from server.bot_seats import personalities
    from server.lobby import BOOK

    honest = total = schemed = 0
    lies: list[str] = []
    async with running_server(tmp_path) as (_, url):
        for seed in (7, 10):
            umpire, fra, _ = await _seated(url, bot_delay=0, seed=seed)
            table = umpire.view["table"]  # type: ignore[index]
            seats = [s for s, info in table["seats"].items() if info["player"] != "none"]
            mix = personalities(seats, seed)
            scenario_text = (Path(__file__).resolve().parents[2] / "scenarios" / "july-1914.yaml").read_text()
            _, board = BOOK.load(scenario_text, "july-1914")
            assert isinstance(board, Board)
            for _turn in range(3):
                view = fra.view if fra.view is not None else await fra.expect("view")
                turn = view["view"]["turn"]
                asked: dict[str, tuple[str, str]] = {}  # ask id -> (bot, territory)
                for bot in MAJOR:
                    for place in _intentions(view, board, bot):
                        reply = await fra.act(
                            kind="press", to=[bot], ask={"kind": "intentions", "territory": place}
                        )
                        asked[reply["result"]["message"]] = (bot, place)
                answers: dict[str, bool] = {}
                while len(answers) < len(asked):
                    e = await fra.event(
                        "message", lambda e, asked=asked: (e.get("answer") or {}).get("to") in asked
                    )
                    answers[e["answer"]["to"]] = e["answer"]["yes"]
                assert (await umpire.request("resolve"))["type"] == "ack"
                orders: dict[str, list[str]] = {}
                marked: dict[str, str] = {}
                while True:
                    m = await umpire.expect("event")
                    ev = m["event"]
                    if ev["kind"] == "orders_submitted" and ev["turn"] == turn and ev["phase"] == "movement":
                        orders[ev["state"]] = ev["orders"]
                    elif ev["kind"] == "message_mark":
                        marked[ev["message"]] = ev["sincerity"]
                    elif ev["kind"] == "phase" and ev["turn"] != turn:
                        break
                answer_ids = {
                    e["event"]["answer"]["to"]: e["event"]["id"]
                    for e in umpire.frames
                    if e["type"] == "event" and e["event"]["kind"] == "message" and e["event"].get("answer")
                }
                for ref, (bot, place) in asked.items():
                    said = answers[ref]
                    did = any(
                        len(o.split()) >= 4 and o.split()[2] == "-" and territory_of(o.split()[3]) == place
                        for o in orders.get(bot, [])
                    )
                    if mix.get(bot) == "loyal":
                        total += 1
                        honest += said == did
                    schemed += mix.get(bot) == "schemer" and said != did
                    if (
                        mix.get(bot) == "schemer"
                        and said != did
                        and marked.get(answer_ids[ref]) != "deceptive"
                    ):
                        lies.append(
                            f"seed {seed} turn {turn}: {bot} ({mix.get(bot)}) said {said} of {place}, did {did}"
                        )
                await fra.expect("view", lambda m, turn=turn: m["view"]["turn"] != turn)
            # No bot names an agreement its state does not know: the umpire knows every title and who knows it.
            final = await umpire.request("sync", v=0)
            assert final["type"] == "ack"
            known: dict[str, set[str]] = {}  # a title (bots reuse titles) -> every state that knows one by it
            for a in umpire.view["view"]["agreements"]:  # type: ignore[index]
                if len(a["title"]) > 12 and a["title"] != "Untitled agreement":
                    public = (a["visibility"] == "public" and a["status"] != "proposed") or a[
                        "leak_level"
                    ] != "none"
                    known.setdefault(a["title"], set()).update(MAJOR if public else a["known_by"])
            for message in umpire.view["view"]["messages"]:  # type: ignore[index]
                if message["from"] in MAJOR:
                    for title, knowers in known.items():
                        if title in message["text"]:
                            assert message["from"] in knowers, (
                                f"{message['from']} names {title!r}, which it may not know"
                            )
            for client in (fra, umpire):
                await client.close()
    assert total >= 10, f"too few asks to loyal bots to measure ({total})"
    assert honest / total >= 0.9, f"loyal bots kept {honest} of {total} stated intentions"
    assert schemed >= 1, "no schemer lied in these games: the mark was not put to the test"
    assert not lies, "answers contradicted by the orders without the deceptive mark:\n" + "\n".join(lies)
