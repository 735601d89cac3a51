"""Frames to messages and back: one msgpack map per binary websocket frame.

Decoding is defensive because every byte comes from an untrusted peer: msgpack is read with
tight limits (no binary or extension values, bounded strings, arrays and maps), nesting is
bounded, the top level must be a map with a known ``type``, and then the strict pydantic
model decides.  Every failure is a :class:`ProtocolError` with a code and a readable reason
that never repeats the offending input back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgpack
from pydantic import BaseModel, ValidationError

from game.protocol.messages import CLIENT_MESSAGE, CLIENT_TYPES, SERVER_MESSAGE, ClientMessage, ServerMessage
from game.protocol.version import MAX_ARRAY, MAX_DEPTH, MAX_MAP, MAX_STRING

MAX_MESSAGE_BYTES = 64 << 10
"""Largest frame of every message but an upload (a ``create`` with ``scenario_text``, up to
``MAX_FRAME_BYTES``): the server refuses a bigger one by its type, before unpacking it."""

MAX_HELLO_BYTES = 1 << 10
"""Largest frame before the hello (a hello is a few dozen bytes)."""

MAX_ITEMS = 10_000
"""Most array items and map values one frame may hold in all (2,000 orders fit with room to spare).
Counted as each container is read, so a frame of a million nils is refused after a few thousand."""

# Error codes (docs/protocol.md, "Errors").
BAD_FRAME = "bad_frame"  # not one well-formed msgpack value within the limits
BINARY_REQUIRED = "binary_required"  # a text frame
NOT_A_MAP = "not_a_map"  # the value is not a map
UNKNOWN_TYPE = "unknown_type"  # no "type", or one the protocol does not have
BAD_MESSAGE = "bad_message"  # a known type whose fields are wrong


class ProtocolError(ValueError):
    """A frame or message the peer should not have sent; ``code`` is one of the error codes."""

    def __init__(self, code: str, message: str, ref: str | int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.ref = ref


def pack(data: Mapping[str, Any]) -> bytes:
    """One message as a frame (a msgpack map); lists and tuples both become arrays."""
    return msgpack.packb(data, use_bin_type=True)  # type: ignore[no-any-return]


_EVENT_HEAD = b"\x84" + msgpack.packb("type") + msgpack.packb("event") + msgpack.packb("game")
_V_KEY = msgpack.packb("v")
_EVENT_KEY = msgpack.packb("event")


def event_frame(game: str, v: int, packed_event: bytes) -> bytes:
    """The frame of an `event` message around an event already packed: the same bytes as
    ``pack({"type": "event", "game": game, "v": v, "event": event})``, without packing the event again."""
    return b"".join((_EVENT_HEAD, msgpack.packb(game), _V_KEY, msgpack.packb(v), _EVENT_KEY, packed_event))


_VIEW_HEAD = b"\x85" + msgpack.packb("type") + msgpack.packb("view") + msgpack.packb("game")
_VIEW_KEY = msgpack.packb("view")
_TABLE_KEY = msgpack.packb("table")


def view_frame(game: str, v: int, packed_view: bytes, packed_table: bytes) -> bytes:
    """The frame of a `view` message around a view and a table already packed: the same bytes as
    ``pack({"type": "view", "game": game, "v": v, "view": view, "table": table})``.  A viewer's view
    is packed once for all its connections; the table, which names its member, for each."""
    return b"".join(
        (
            _VIEW_HEAD,
            msgpack.packb(game),
            _V_KEY,
            msgpack.packb(v),
            _VIEW_KEY,
            packed_view,
            _TABLE_KEY,
            packed_table,
        )
    )


def encode(message: BaseModel | Mapping[str, Any]) -> bytes:
    if isinstance(message, BaseModel):
        return pack(message.model_dump(mode="python"))
    return pack(message)


class _Shape:
    """Counts a frame's items as msgpack builds each container (its hooks run once per container,
    never per item): past `MAX_ITEMS` the unpacking stops at once.  What it lets through is small
    enough for the depth to be checked afterwards at no real cost."""

    __slots__ = ("containers", "items", "limit")

    def __init__(self, limit: int) -> None:
        self.items = 0
        self.containers = 0
        """Containers seen: the depth is at most this, so a frame with few needs no depth walk."""
        self.limit = limit

    def array(self, value: list[Any]) -> list[Any]:
        self.containers += 1
        self.items += len(value)
        if self.items > self.limit:
            raise _TooMany
        return value

    def map(self, value: dict[str, Any]) -> dict[str, Any]:
        self.containers += 1
        self.items += len(value)
        if self.items > self.limit:
            raise _TooMany
        return value


class _TooMany(Exception):
    pass


def unpack(frame: bytes, max_items: int = MAX_ITEMS) -> Any:
    """One msgpack value from a frame, read within the protocol's limits (a server's frames, which
    the client trusts as far as their size, may hold more items: a whole view).

    The cost is the unpacking's own (C), bounded by the frame's size and `MAX_ITEMS`: the Python
    work is one call per container, and the depth walk only runs over what the item limit let in."""
    shape = _Shape(max_items)
    try:
        value = msgpack.unpackb(
            frame,
            raw=False,
            use_list=True,
            strict_map_key=True,
            max_str_len=MAX_STRING,
            max_bin_len=0,
            max_ext_len=0,
            max_array_len=MAX_ARRAY,
            max_map_len=MAX_MAP,
            list_hook=shape.array,
            object_hook=shape.map,
        )
    except _TooMany:
        raise ProtocolError(
            BAD_FRAME, f"more than {max_items:,} array items and map values in one frame"
        ) from None
    except msgpack.ExtraData:
        raise ProtocolError(
            BAD_FRAME, "a frame holds exactly one msgpack value; this one has bytes after it"
        ) from None
    except msgpack.StackError:
        raise ProtocolError(BAD_FRAME, f"nested too deeply (at most {MAX_DEPTH} levels)") from None
    except UnicodeDecodeError:
        raise ProtocolError(BAD_FRAME, "a string is not valid UTF-8") from None
    except ValueError as exc:  # incomplete data, limits, bad keys (msgpack raises ValueError subclasses)
        text = str(exc)
        if "exceeds max" in text:
            reason = "a string, array or map is longer than the protocol allows (binary and extension values are not used)"
        elif "map key" in text:
            reason = "map keys must be strings"
        elif "incomplete" in text.lower() or "unpack(b) received extra data" in text:
            reason = "the msgpack value is truncated"
        else:
            reason = "not valid msgpack"
        raise ProtocolError(BAD_FRAME, reason) from None
    except Exception:  # FormatError, TypeError for unhashable keys...: all malformed input
        raise ProtocolError(BAD_FRAME, "not valid msgpack") from None
    if shape.containers > MAX_DEPTH and _depth_exceeds(value, MAX_DEPTH):  # (a command has a handful)
        raise ProtocolError(BAD_FRAME, f"nested too deeply (at most {MAX_DEPTH} levels)")
    return value


_CONTAINERS = (list, dict)


def _depth_exceeds(value: Any, limit: int) -> bool:
    """Whether containers nest deeper than `limit`, level by level (at most `MAX_ITEMS` items seen)."""
    level = [value] if isinstance(value, _CONTAINERS) else []
    depth = 0
    while level:
        depth += 1
        if depth > limit:
            return True
        below: list[Any] = []
        for item in level:
            below.extend(
                v for v in (item.values() if isinstance(item, dict) else item) if isinstance(v, _CONTAINERS)
            )
        level = below
    return False


def peek_type(frame: bytes) -> str | None:
    """The ``type`` of a frame's top-level map, read without building its other values (msgpack skips
    them in C): a big frame is refused by its type before it is unpacked.  None when there is none."""
    unpacker = msgpack.Unpacker(
        raw=False,
        max_buffer_size=len(frame) + 1,
        max_str_len=MAX_STRING,
        max_bin_len=0,
        max_ext_len=0,
        max_array_len=MAX_ARRAY,
        max_map_len=MAX_MAP,
    )
    unpacker.feed(frame)
    try:
        size = unpacker.read_map_header()
        for _ in range(size):
            key = unpacker.unpack()
            if key == "type":
                kind = unpacker.unpack()
                return kind if isinstance(kind, str) else None
            unpacker.skip()
    except Exception:  # not a map, truncated, over a limit: the full decoding says which
        return None
    return None


def _ref(data: Mapping[str, Any]) -> str | int | None:
    ref = data.get("id")
    if isinstance(ref, str) and 0 < len(ref) <= 64:
        return ref
    if isinstance(ref, int) and not isinstance(ref, bool) and 0 <= ref <= 2**53:
        return ref
    return None


def describe(error: ValidationError, tagged: bool = True) -> str:
    """A readable reason from a validation error: where and what, never the input itself."""
    parts = []
    for item in error.errors(include_input=False, include_url=False)[:3]:
        loc = list(item["loc"])
        if tagged and loc and isinstance(loc[0], str) and loc[0] in CLIENT_TYPES:
            loc = loc[1:]  # the discriminator's tag is the message type, already known
        where = ".".join(str(p) for p in loc) or "message"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def decode_client(frame: bytes | str) -> ClientMessage:
    """A client's frame as a message; raises ProtocolError saying what is wrong."""
    if isinstance(frame, str):
        raise ProtocolError(BINARY_REQUIRED, "send binary frames holding msgpack, not text frames")
    data = unpack(frame)
    if not isinstance(data, dict):
        raise ProtocolError(NOT_A_MAP, f"a message is a msgpack map with a 'type' key, not a {_kind(data)}")
    ref = _ref(data)
    kind = data.get("type")
    if not isinstance(kind, str) or kind not in CLIENT_TYPES:
        known = ", ".join(sorted(CLIENT_TYPES))
        what = "has no 'type'" if kind is None else "has a 'type' this protocol does not know"
        raise ProtocolError(UNKNOWN_TYPE, f"the message {what}; the types are {known}", ref)
    try:
        return CLIENT_MESSAGE.validate_python(data)
    except ValidationError as exc:
        raise ProtocolError(BAD_MESSAGE, f"{kind}: {describe(exc)}", ref) from None


def decode_server(frame: bytes) -> ServerMessage:
    """A server's frame as a message (for clients, bots and tests)."""
    data = unpack(frame, max_items=1 << 62)
    if not isinstance(data, dict):
        raise ProtocolError(NOT_A_MAP, f"a message is a msgpack map, not a {_kind(data)}")
    try:
        return SERVER_MESSAGE.validate_python(data)
    except ValidationError as exc:
        raise ProtocolError(BAD_MESSAGE, describe(exc, tagged=False)) from None


def _kind(value: Any) -> str:
    return {
        list: "array",
        str: "string",
        int: "integer",
        float: "float",
        bool: "boolean",
        type(None): "nil",
    }.get(type(value), type(value).__name__)
