"""What one client may cost the server: rates per connection, per address and per seat, the hello
timeout, strikes for refused frames, game quotas, expiry, uploads.

A limit kept per connection alone is no limit: a client opens more connections.  So frames are
counted three ways, each with a token bucket — per connection, per address (every connection
from one IP) and per seat (every connection resuming one seat token) — and a frame must find a
token in each.  Refusals cost too: each refused frame is a *strike*, strikes fade slowly, and a
connection with too many is closed (1008).  Past the first few, refusals are no longer answered:
a flood gets silence, not a reply per frame.

docs/protocol.md ("Limits") lists the defaults; `backchannel serve` can change the ones an
operator needs (`--create-token`, `--games-per-address`, `--expire-hours`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from game.protocol.version import RATE_BURST, RATE_PER_SECOND


@dataclass(slots=True)
class Limits:
    rate: float = RATE_PER_SECOND
    """Frames a second per connection (a token bucket)..."""
    burst: int = RATE_BURST
    """...and in one burst."""
    address_rate: float = 100.0
    """Frames a second from one address, all its connections together (0: no limit)."""
    address_burst: int = 300
    seat_rate: float = RATE_PER_SECOND
    """Commands a second from one seat token, all its connections together."""
    seat_burst: int = RATE_BURST
    hello_timeout: float = 10.0
    """Seconds a new connection has to send its hello before it is closed (1008)."""
    connections_per_address: int = 512
    """Open connections from one address (0: no limit); more are refused at the handshake (HTTP 503)."""
    strikes: float = 40.0
    """Refused frames (bad, out of place, over a rate) a connection may accumulate before it is closed (1008)..."""
    strike_fade: float = 0.5
    """...each fading after 1/strike_fade seconds: a flood paced under the rate still adds up."""
    answered: float = 8.0
    """Refusals answered while a connection's strikes are below this; the rest are dropped unanswered."""
    create_token: str | None = None
    """When set, `create` must carry it (`serve --create-token`); None: anyone may create."""
    creates_burst: int = 10
    """Games one address may create in a burst..."""
    creates_per_hour: float = 60.0
    """...and an hour after that (0: no limit)."""
    games_per_address: int = 20
    """Live games created from one address at once (0: no limit)."""
    guesses_burst: int = 20
    """Refused join codes one address may send in a burst..."""
    guesses_per_minute: float = 10.0
    """...and a minute after that; then every join from it is refused for a while (`too_many_guesses`)."""
    idle_seconds: float = 7 * 24 * 3600.0
    """A game with nobody connected and no command for this long is archived: out of memory, its codes
    and tokens dead, its log kept in the store (0: never)."""
    lobby_idle_seconds: float = 24 * 3600.0
    """The same for a game never started, or already over."""
    trusted: frozenset[str] = frozenset()
    """Addresses the per-address limits leave alone (`serve --trust`): a load generator, a school's one
    public address for a whole class.  Their connections and seats are still limited."""
    upload_seconds: float = 20.0
    """Processor time an uploaded scenario may take to parse, in a process of its own, before it is
    refused (and a wall-clock bound of 10 times that, at least a minute, for a worker that never gets
    a processor on a busy machine)."""
    uploads_waiting: int = 4
    """Uploads queued for that process at once; more are refused (`busy`)."""


class TokenBucket:
    """`rate` tokens a second, at most `burst` saved up; a frame costs one."""

    __slots__ = ("burst", "last", "rate", "tokens")

    def __init__(self, rate: float, burst: float, now: float | None = None) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = float(burst)
        self.last = time.monotonic() if now is None else now

    def _refill(self, now: float) -> None:
        self.tokens = min(self.burst, self.tokens + (now - self.last) * self.rate)
        self.last = now

    def take(self, now: float | None = None, cost: float = 1.0) -> bool:
        now = time.monotonic() if now is None else now
        self._refill(now)
        if self.tokens >= cost:
            self.tokens -= cost
            return True
        return False

    def full(self, now: float) -> bool:
        self._refill(now)
        return self.tokens >= self.burst


class Buckets:
    """A token bucket per key (an address, a seat), made on first use and forgotten once full again."""

    def __init__(self, rate: float, burst: float, exempt: frozenset[str] = frozenset()) -> None:
        self.rate = rate
        self.burst = burst
        self.exempt = exempt
        self._buckets: dict[object, TokenBucket] = {}

    def take(self, key: object, now: float | None = None, cost: float = 1.0) -> bool:
        if self.rate <= 0 or key in self.exempt:
            return True
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(self.rate, self.burst, now)
        return bucket.take(now, cost)

    def available(self, key: object, now: float | None = None) -> bool:
        """Whether `key` has a token left, without taking it."""
        bucket = self._buckets.get(key)
        if self.rate <= 0 or bucket is None or key in self.exempt:
            return True
        bucket._refill(time.monotonic() if now is None else now)
        return bucket.tokens >= 1.0

    def prune(self, now: float | None = None) -> None:
        """Forget the buckets that have refilled: they are what a new one would be."""
        now = time.monotonic() if now is None else now
        for key in [k for k, b in self._buckets.items() if b.full(now)]:
            del self._buckets[key]


class Strikes:
    """Refused frames of one connection, fading at `fade` a second."""

    __slots__ = ("count", "fade", "last")

    def __init__(self, fade: float) -> None:
        self.count = 0.0
        self.fade = fade
        self.last = time.monotonic()

    def add(self) -> float:
        now = time.monotonic()
        self.count = max(0.0, self.count - (now - self.last) * self.fade) + 1.0
        self.last = now
        return self.count
