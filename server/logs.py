"""The server's log: one line per connection event and per game event; commands at debug.

A command's outcome (applied, refused, resent) is counted always (`command_counts`, on /stats)
and written as a line only at debug: at thousands of commands a second a line each was 4% of
the event loop (issue 14), and an operator needs the totals, not the stream.

Lines carry ids, kinds, codes and counts, never content: no message text, no clause, no
order, no token, no rules error text (it may name an agreement) at info level.  Values
a client chose (its command ids) are written with repr() so they cannot forge a line.
"""

from __future__ import annotations

import atexit
import collections
import logging
import re
import sys
import threading
from typing import Any

log = logging.getLogger("backchannel.server")

FLUSH_SECONDS = 0.25
"""Info lines reach stderr within this; warnings and errors at once."""


class BufferedStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Log lines to stderr through a buffer flushed a few times a second.

    A line per command is a write system call per command otherwise: at hundreds of commands a
    second that is a noticeable share of the event loop.  Warnings and errors are flushed at once."""

    def __init__(self) -> None:
        stream = open(  # noqa: SIM115  (the handler owns the stream for the process's life)
            sys.stderr.fileno(),
            "w",
            buffering=1 << 16,
            encoding="utf-8",
            errors="backslashreplace",
            closefd=False,
        )
        super().__init__(stream)
        self._stop = threading.Event()
        threading.Thread(target=self._flusher, name="log-flusher", daemon=True).start()
        atexit.register(self.close)

    def flush(self) -> None:
        """Called after every record: the buffer decides."""

    def flush_now(self) -> None:
        with self.lock:  # type: ignore[union-attr]
            if not self.stream.closed:
                self.stream.flush()

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if record.levelno >= logging.WARNING:
            self.flush_now()

    def _flusher(self) -> None:
        while not self._stop.wait(FLUSH_SECONDS):
            self.flush_now()

    def close(self) -> None:
        self._stop.set()
        self.flush_now()
        super().close()


class _Formatter(logging.Formatter):
    """The standard format, with the date and time formatted once a second rather than once a line."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")
        self._second = -1
        self._text = ""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        second = int(record.created)
        if second != self._second:
            self._second, self._text = second, super().formatTime(record, datefmt)[:-4]
        return f"{self._text},{int(record.msecs):03d}"


def setup(level: int = logging.INFO) -> None:
    # A line per command: skip what a log record gathers that these lines never show (the
    # caller's file and line, process and thread names): it costs more than the line itself.
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False
    handler = BufferedStderr()
    handler.setFormatter(_Formatter())
    root = logging.getLogger("backchannel")
    for old in root.handlers:
        old.close()
    root.handlers[:] = [handler]
    root.setLevel(level)
    root.propagate = False
    # websockets logs every handshake and closing at info; ours says the same once, without the noise.
    logging.getLogger("websockets").setLevel(logging.WARNING)


def flush() -> None:
    for handler in logging.getLogger("backchannel").handlers:
        if isinstance(handler, BufferedStderr):
            handler.flush_now()


def _fields(fields: dict[str, Any]) -> str:
    return " ".join(f"{key}={_value(value)}" for key, value in fields.items() if value is not None)


def _value(value: Any) -> str:
    if isinstance(value, str) and _plain(value):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return repr(value)


_PLAIN = re.compile(r"[\w\-.:@/]{1,80}", re.ASCII)


def _plain(text: str) -> bool:
    return _PLAIN.fullmatch(text) is not None


def connection(event: str, conn: int, **fields: Any) -> None:
    """A connection opened, greeted, took or resumed a seat, was refused, or closed."""
    log.info("conn %s conn=%d %s", event, conn, _fields(fields))


command_counts: collections.Counter[str] = collections.Counter()
"""Commands by outcome (applied, refused, resent, answered) since the process started."""


def command(outcome: str, conn: int, kind: str, **fields: Any) -> None:
    """A command's outcome: applied, refused (with its error code), answered again (resent).
    Counted; a line at debug only."""
    command_counts[outcome] += 1
    if log.isEnabledFor(logging.DEBUG):
        log.debug("cmd %s conn=%d kind=%s %s", outcome, conn, kind, _fields(fields))


def game(event: str, game_id: str, **fields: Any) -> None:
    """A game event: created, started, phase resolved, restored."""
    log.info("game %s game=%s %s", event, game_id, _fields(fields))
