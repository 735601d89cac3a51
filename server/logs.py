"""The server's log: one line per connection event and per command outcome.

Lines carry ids, kinds, codes and counts, never content: no message text, no clause, no
order, no token, no rules error text (it may name an agreement) at info level.  Values
a client chose (its command ids) are written with repr() so they cannot forge a line.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

log = logging.getLogger("backchannel.server")


def setup(level: int = logging.INFO) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger("backchannel")
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # websockets logs every handshake and closing at info; ours says the same once, without the noise.
    logging.getLogger("websockets").setLevel(logging.WARNING)


def _fields(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={_value(value)}" for key, value in fields.items() if value is not None)


def _value(value: Any) -> str:
    if isinstance(value, str) and _plain(value):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return repr(value)


def _plain(text: str) -> bool:
    return 0 < len(text) <= 80 and all(ch.isalnum() or ch in "-_.:@/" for ch in text)


def connection(event: str, conn: int, **fields: Any) -> None:
    """A connection opened, greeted, took or resumed a seat, was refused, or closed."""
    log.info("conn %s conn=%d %s", event, conn, _fields(fields))


def command(outcome: str, conn: int, kind: str, **fields: Any) -> None:
    """A command's outcome: applied, refused (with its error code), answered again (resent)."""
    log.info("cmd %s conn=%d kind=%s %s", outcome, conn, kind, _fields(fields))


def game(event: str, game_id: str, **fields: Any) -> None:
    """A game event: created, started, phase resolved, restored."""
    log.info("game %s game=%s %s", event, game_id, _fields(fields))
