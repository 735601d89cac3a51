"""Seats, clocks, rate buckets and event streams: the server's small parts, without sockets."""

from __future__ import annotations

import pytest

from server.clock import Clock
from server.connection import TokenBucket
from server.seats import CODE_ALPHABET, Member, Tokens, new_code, new_token, normalise_code, token_digest
from server.session import Stream


def test_codes_are_short_and_unambiguous_and_tokens_long() -> None:
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 8 and set(c) <= set(CODE_ALPHABET) for c in codes)
    assert not set("01OIL") & set(CODE_ALPHABET)
    assert normalise_code("abcd-efgh ") == "ABCDEFGH"
    token = new_token()
    assert len(token) >= 43  # 256 bits, url-safe base64
    tokens = Tokens()
    member = Member("m1", "g", "player", "fra", token_digest(token))
    tokens.add(member)
    assert tokens.find(token) == member
    assert tokens.find(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


def test_clock_pause_resume_extend() -> None:
    clock = Clock(60)
    clock.start_phase(1000.0)
    assert clock.deadline == 1060.0 and not clock.due(1059.9) and clock.due(1060.0)
    clock.pause(1010.0)
    assert clock.remaining == 50.0 and clock.deadline is None and not clock.due(5000.0)
    clock.extend(30)
    clock.resume(2000.0)
    assert clock.deadline == 2080.0
    with pytest.raises(ValueError):
        clock.resume(2000.0)
    ready_only = Clock(None)
    ready_only.start_phase(0.0)
    assert ready_only.deadline is None
    with pytest.raises(ValueError):
        ready_only.extend(10)
    assert Clock.from_json(clock.to_json()) == clock


def test_token_bucket() -> None:
    bucket = TokenBucket(rate=2.0, burst=3, now=0.0)
    assert [bucket.take(0.0) for _ in range(4)] == [True, True, True, False]
    assert bucket.take(0.5) and not bucket.take(0.5)
    assert [bucket.take(100.0) for _ in range(4)] == [True, True, True, False]


def test_stream_versions_and_resume_window() -> None:
    stream = Stream()
    for i in range(5):
        assert stream.append({"i": i}) == i + 1
    assert [v for v, _ in stream.since(2) or []] == [3, 4, 5]
    assert stream.since(5) == [] and stream.since(6) is None
