"""The protocol's version and its limits, shared by the server, clients and bots.

A client names the version it speaks in its hello; the server refuses any other.  The
limits are part of the protocol: a client that keeps within them is never refused for size.
"""

from __future__ import annotations

PROTOCOL_VERSION = 1
"""The one version this code speaks.  A change that an old client could misread bumps it."""

MAX_FRAME_BYTES = 1 << 20
"""Largest frame the server reads (1 MiB, a scenario upload included); a bigger one closes with 1009."""

MAX_SCENARIO_CHARS = MAX_FRAME_BYTES - 4096
"""Largest uploaded scenario text: a frame's worth, less room for the rest of the message."""

MAX_STRING = MAX_FRAME_BYTES
"""Longest msgpack string decoded at all; each field has its own, much tighter, pydantic limit."""

MAX_ARRAY = 4096
"""Longest msgpack array decoded (orders are at most 2,000 a phase)."""

MAX_MAP = 256
"""Largest msgpack map decoded."""

MAX_DEPTH = 16
"""Deepest nesting of arrays and maps accepted (a command needs 5)."""

RATE_PER_SECOND = 20.0
"""Frames a connection may send per second, on average (a token bucket)..."""

RATE_BURST = 60
"""...and in one burst."""

MAX_TEXT = 2000
"""Longest press message, as the rules allow."""

MAX_NAME = 40
"""Longest name a person gives when joining."""
