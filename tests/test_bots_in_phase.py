"""Bots negotiate inside the phase, through the real server: a person proposes and asks, and the
bot answers in words before the phase resolves, as a command in the log like anyone's."""

from __future__ import annotations

import re
from pathlib import Path

from test_server_support import Client, new_game, running_server

# A territory or state id standing alone in a sentence ("support against bel") is an id where a
# name belongs; agreement ids are never words either.
ID_WORD = re.compile(r"(?<![\w-])(?:gbr|fra|ger|aus|rus|ita|ott|bel|bur|par|ruh|mun|agr-[0-9]{8})(?![\w-])")


async def _seated(url: str, **settings: object) -> tuple[Client, Client, str]:
    umpire, created = await new_game(url, seats={"fra": "human"}, **settings)
    player = await Client.open(url, "fra")
    await player.join(created["codes"]["states"]["fra"])
    assert (await umpire.request("start", fill_bots=True))["type"] == "ack"
    phase = await player.event("phase")
    assert phase["phase"] == "movement"
    return umpire, player, "ger"


async def test_a_bot_answers_a_proposal_within_the_phase_with_its_reason_in_words(tmp_path: Path) -> None:
    async with running_server(tmp_path) as (_, url):
        umpire, fra, ger = await _seated(url, bot_delay=0)
        proposed = await fra.act(kind="propose", parties=["fra", ger], visibility="secret", title="Rhine quiet",
                                 clauses=[{"kind": "non_aggression"}])
        ref = proposed["result"]["agreement"]
        answer = await fra.expect_any(
            ("event",),
            lambda m: m["event"]["kind"] in ("agreement_signed", "agreement_rejected", "agreement_proposed")
            and (m["event"]["agreement"] == ref or m["event"].get("counter_of") == ref),
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
        reply = await fra.event("message", lambda e: e["from"] == ger and (e.get("answer") or {}).get("to") == ask_id)
        assert isinstance(reply["answer"]["yes"], bool) and not ID_WORD.search(reply["text"]), reply
        chat = await fra.act(kind="press", to=[ger], text="How is the weather in Berlin?")
        chat_id = chat["result"]["message"]
        polite = await fra.event("message", lambda e: e["from"] == ger and (e.get("answer") or {}).get("to") == chat_id)
        assert polite["text"] and polite["answer"]["yes"] is None
        refused = await fra.act(kind="press", to=[ger], ask={"kind": "warn", "territory": "atlantis"})
        assert refused["code"] == "unknown_territory" and "atlantis" in refused["message"]
        for client in (fra, umpire):
            await client.close()
