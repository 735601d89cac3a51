"""A link without a server, for tests and benches: a screen fed the messages it is given.

The client's window and screens talk to a server only through a link (`game.client.link.Link`);
this one hands them a fixed list of messages (a view, a table, then events appended as they come)
and keeps what they send, so a screen can be stepped headless, frame by frame, with no network.
"""

from __future__ import annotations

from game.client.link import Message


class StandInLink:
    """What a screen needs of a link — `start`, `send`, `poll`, `close` — fed by the caller."""

    def __init__(self, messages: list[Message] | None = None) -> None:
        self.messages: list[Message] = messages if messages is not None else []
        """Messages the next `poll` returns; append to feed more."""
        self.sent: list[Message] = []
        """Everything the screen sent, in order."""

    def start(self) -> None:
        """Nothing to connect to."""

    def send(self, message: Message) -> int:
        """Keep the command; its id is its place in `sent` (from 1)."""
        self.sent.append(message)
        return len(self.sent)

    def poll(self) -> list[Message]:
        """The messages given since the last poll, once each."""
        out, self.messages = self.messages, []
        return out

    def close(self) -> None:
        """Nothing to close."""
