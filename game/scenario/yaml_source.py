"""Reading a scenario's (or a map spec's) YAML: YAML 1.2, plain data only, and the line of every field.

A scenario is plain data, so the reader accepts exactly that: mappings with word keys,
lists, text, numbers, true/false and null.  It refuses what a scenario never needs and
what makes YAML dangerous or surprising:

- anchors and aliases (``&x`` / ``*x``): they enable "billion laughs" expansion;
- tags (``!!python/object``, ``!!binary``, ``!foo``), merge keys (``<<``) and sets;
- duplicate keys, which YAML parsers otherwise resolve silently;
- any ``%YAML`` version but 1.2, so that ``NO`` (Norway), ``yes`` and ``on`` stay text
  and only ``true`` and ``false`` are booleans;
- files over :data:`MAX_BYTES`.

Every problem is collected, never just the first.  Alongside the data, the reader keeps
the line and column of every mapping key and list item, so a problem found later (by
pydantic or by the cross-reference checks) can be reported at the line of its field.

Scenario files and map specs (:mod:`game.scenario.mapbuild`) share this reader; a
:class:`YamlKind` names the kind of file in its messages and sets its size cap.  A syntax
error is told in plain words at the line of the mistake (:mod:`game.scenario.yaml_mistakes`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentStartEvent,
    Event,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
)

from game.rules.checks import format_path
from game.scenario.problems import Problem
from game.scenario.yaml_mistakes import explain_syntax_error

MAX_BYTES = 8 * 1024 * 1024
"""Largest scenario file accepted (8 MiB); real scenarios are a few hundred KiB."""


@dataclass(frozen=True)
class YamlKind:
    """The kind of file being read, for its messages and its size cap."""

    plural: str
    """What such files are called, e.g. "scenario files"."""
    one: str
    """One of them, e.g. "a scenario file"."""
    first_line: str
    """The line such a file starts with, e.g. "format: backchannel-scenario/1"."""
    max_bytes: int


SCENARIO_FILE = YamlKind("scenario files", "a scenario file", "format: backchannel-scenario/1", MAX_BYTES)

FieldPath = tuple[str | int, ...]
"""A path into the data: mapping keys and list indexes, e.g. ("states", 2, "units", 0, "at")."""

_TAG = "tag:yaml.org,2002:"


@dataclass
class YamlDocument:
    """A file's plain data and the position of everything in it."""

    data: Any
    positions: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    """Line and column (from 1) of each mapping key and list item, keyed by its path."""
    hints: dict[FieldPath, str] = field(default_factory=dict)
    """Advice for a problem later found at a path: ``colour: #0072b2`` is an empty value and a comment."""

    def line(self, path: FieldPath) -> int:
        """Line of ``path``, or of its nearest ancestor present in the file."""
        return self.locate(path)[0]

    def locate(self, path: FieldPath) -> tuple[int, int]:
        """Line and column of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            position = self.positions.get(path[:end])
            if position is not None:
                return position
        return (1, 1)


def format_size(n_bytes: int) -> str:
    if n_bytes >= 1024 * 1024:
        return f"{n_bytes / (1024 * 1024):.1f} MiB"
    if n_bytes >= 1024:
        return f"{n_bytes / 1024:.1f} KiB"
    return f"{n_bytes} bytes"


def size_problem(n_bytes: int, file: str, kind: YamlKind = SCENARIO_FILE) -> Problem | None:
    """A problem if a file of ``n_bytes`` is over the cap."""
    if n_bytes <= kind.max_bytes:
        return None
    return Problem(
        file,
        None,
        None,
        "",
        f"the file is {format_size(n_bytes)} ({n_bytes} bytes); {kind.plural} may be at most "
        f"{format_size(kind.max_bytes)} ({kind.max_bytes} bytes)",
    )


def read_yaml_file(path: Path, kind: YamlKind = SCENARIO_FILE) -> tuple[YamlDocument | None, list[Problem]]:
    """Read a file as :func:`read_yaml` does; one too big is refused from its size, before it is read."""
    file = str(path)
    try:
        too_big = size_problem(path.stat().st_size, file, kind)
        if too_big is not None:
            return None, [too_big]
        raw = path.read_bytes()
    except OSError as error:
        return None, [Problem(file, None, None, "", f"cannot read the file: {error.strerror or error}")]
    text, problems = decode_source(raw, file, kind)
    if text is None:
        return None, problems
    return read_yaml(text, file, kind)


def decode_source(raw: bytes, file: str, kind: YamlKind = SCENARIO_FILE) -> tuple[str | None, list[Problem]]:
    """The text of a file: UTF-8, with or without a byte-order mark."""
    problem = size_problem(len(raw), file, kind)
    if problem is not None:
        return None, [problem]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        return None, [
            Problem(file, line, column, "", f"the file is not UTF-8 text (byte {raw[error.start]:#04x} here)")
        ]


def read_yaml(
    text: str, file: str, kind: YamlKind = SCENARIO_FILE
) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML 1.2 document into plain data with positions, collecting every problem.

    The document is None when the text cannot be used at all (a syntax error, an alias,
    no document, a file too big); otherwise ``problems`` may still list refused tags or
    duplicate keys, whose values are left out of the data.
    """
    problem = size_problem(len(text.encode("utf-8", errors="replace")), file, kind)
    if problem is not None:
        return None, [problem]
    builder = _Builder(file, kind, text)
    try:
        # One pass over the parser's events: ruamel's pure-Python parser is the slow part,
        # so the data is built straight from the events rather than composed and then read.
        for event in YAML(typ="safe", pure=True).parse(text):
            builder.feed(event)
    except MarkedYAMLError as error:
        return None, [*builder.finish(), *_syntax_problems(error, file, text)]
    except YAMLError as error:  # unmarked: rare, but still a problem of this file
        return None, [*builder.finish(), Problem(file, None, None, "", f"not valid YAML: {error}")]
    problems = builder.finish()
    if builder.fatal:
        return None, problems
    if not builder.has_root or builder.root is None:
        return None, [
            Problem(file, 1, 1, "", f"the file is empty; {kind.one} starts with `{kind.first_line}`")
        ]
    return YamlDocument(builder.root, builder.positions, builder.hints), problems


def _syntax_problems(error: MarkedYAMLError, file: str, text: str) -> list[Problem]:
    return [Problem(file, m.line, m.column, "", m.message) for m in explain_syntax_error(error, text)]


# YAML 1.2 core schema: what a plain (unquoted) scalar means.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


def _core_value(text: str) -> Any:
    """The value of a plain scalar under the YAML 1.2 core schema: null, bool, int, float or text."""
    if _NULL.match(text):
        return None
    if _BOOL.match(text):
        return text.lower() == "true"
    if _INT.match(text):
        if text.startswith("0o"):
            return int(text[2:], 8)
        if text.startswith("0x"):
            return int(text[2:], 16)
        return int(text)
    if _FLOAT.match(text):
        lower = text.lower()
        if lower.endswith(".inf") or lower == ".nan":
            return float(lower.replace(".", ""))  # +.inf → +inf, .nan → nan
        return float(text)
    return text


_EXPLICIT = {
    _TAG + "null": lambda text: _NULL.match(text) is not None,
    _TAG + "bool": lambda text: _BOOL.match(text) is not None,
    _TAG + "int": lambda text: _INT.match(text) is not None,
    _TAG + "float": lambda text: _FLOAT.match(text) is not None or _INT.match(text) is not None,
}


@dataclass
class _Frame:
    """An open mapping or list while the events are read."""

    container: dict[str, Any] | list[Any]
    path: FieldPath
    attached: bool
    key: str | None = None
    skip_value: bool = False
    key_lines: dict[str, int] = field(default_factory=dict)
    comment_after: str | None = None
    """The key just read when a comment follows its colon at once: ``colour: #0072b2``."""


class _Builder:
    """Builds plain data and positions from parser events, collecting every problem."""

    def __init__(self, file: str, kind: YamlKind, text: str) -> None:
        self.file = file
        self.kind = kind
        self.lines = text.splitlines()
        self.problems: list[Problem] = []
        self.positions: dict[FieldPath, tuple[int, int]] = {}
        self.hints: dict[FieldPath, str] = {}
        self.stack: list[_Frame] = []
        self.root: Any = None
        self.has_root = False
        self.fatal = False
        """A problem after which the data must not be used (an alias, a second document)."""
        self.references: list[tuple[Event, FieldPath, str]] = []
        """Every anchor (``&a``) and alias (``*a``): one problem tells of them all."""

    def finish(self) -> list[Problem]:
        """The problems found, with one for all the anchors and aliases (a "billion laughs" file has thousands)."""
        if not self.references:
            return self.problems
        event, path, _ = self.references[0]
        said = list(
            dict.fromkeys(f"{said} on line {e.start_mark.line + 1}" for e, _, said in self.references)
        )
        where = ", ".join(said[:4])
        more = len(said) - 4
        if more > 0:
            last = self.references[-1][0].start_mark.line + 1
            where += f", and {more} more up to line {last}"
        mark = event.start_mark
        problem = Problem(
            self.file,
            mark.line + 1,
            mark.column + 1,
            format_path(path),
            f"anchors and aliases are not allowed: {self.kind.plural} may not use them ({where}); "
            "write each value out in full",
        )
        self.references = []
        self.problems.append(problem)
        return self.problems

    def problem(self, event: Event, path: FieldPath, message: str, fatal: bool = False) -> None:
        mark = event.start_mark
        self.problems.append(Problem(self.file, mark.line + 1, mark.column + 1, format_path(path), message))
        self.fatal = self.fatal or fatal

    def feed(self, event: Event) -> None:
        if isinstance(event, DocumentStartEvent):
            self.document_start(event)
        elif isinstance(event, AliasEvent):
            self.references.append((event, self.value_path(), f"*{event.anchor}"))
            self.fatal = True
            frame = self.stack[-1] if self.stack else None
            if (
                frame is not None
                and isinstance(frame.container, dict)
                and frame.key is None
                and not frame.skip_value
            ):
                frame.skip_value = True  # an alias as a key (`*a: x`): its value is left out too
                return
            self.place(event, None, True)
        elif isinstance(event, ScalarEvent | MappingStartEvent | SequenceStartEvent):
            self.node(event)
        elif isinstance(event, MappingEndEvent | SequenceEndEvent):
            self.stack.pop()

    def document_start(self, event: DocumentStartEvent) -> None:
        if self.has_root:
            self.problem(
                event, (), f"{self.kind.one} holds one YAML document; remove the second `---`", fatal=True
            )
        if event.version not in (None, (1, 2)):
            major, minor = event.version
            self.problem(
                event,
                (),
                f"%YAML {major}.{minor} is not supported; {self.kind.plural} are YAML 1.2 (remove the %YAML line)",
                fatal=True,
            )

    def value_path(self) -> FieldPath:
        """The path the next value will have."""
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            return (*frame.path, len(frame.container))
        return (*frame.path, frame.key) if frame.key is not None else frame.path

    def node(self, event: ScalarEvent | MappingStartEvent | SequenceStartEvent) -> None:
        path = self.value_path()
        if event.anchor is not None:
            self.references.append((event, path, f"&{event.anchor}"))
            self.fatal = True
        if self.stack and isinstance(self.stack[-1].container, dict) and self.stack[-1].key is None:
            if not self.stack[-1].skip_value:
                self.key(event)
                return
        if isinstance(event, ScalarEvent):
            self.place(event, self.scalar(event, path), True)
            return
        container: dict[str, Any] | list[Any]
        if isinstance(event, MappingStartEvent):
            container, expected, what = {}, _TAG + "map", "a plain mapping"
        else:
            container, expected, what = [], _TAG + "seq", "a plain list"
        ok = event.tag in (None, "!", expected)
        if not ok:
            self.problem(event, path, f"the tag {_show_tag(event.tag)} is not allowed; write {what}")
        attached = self.place(event, container if ok else None, ok)
        self.stack.append(_Frame(container, path, attached))

    def key(self, event: ScalarEvent | MappingStartEvent | SequenceStartEvent) -> None:
        frame = self.stack[-1]
        if not isinstance(event, ScalarEvent):
            self.problem(event, frame.path, "a key must be a plain word, not a list or a mapping")
            frame.skip_value = True
            self.stack.append(_Frame({} if isinstance(event, MappingStartEvent) else [], frame.path, False))
            return
        text = event.value
        line = event.start_mark.line + 1
        if event.tag not in (None, "!", _TAG + "str"):
            self.problem(event, frame.path, f"the tag {_show_tag(event.tag)} is not allowed on a key")
            frame.skip_value = True
        elif text == "<<" and event.style is None:
            self.problem(event, frame.path, "merge keys (<<) are not allowed; write the fields out in full")
            frame.skip_value = True
        elif text in frame.key_lines:
            self.problem(
                event,
                (*frame.path, text),
                f"duplicate key {text!r}: it is already set on line {frame.key_lines[text]}; keep one",
            )
            frame.skip_value = True
        else:
            frame.key_lines[text] = line
            frame.key = text
            if frame.attached:
                self.positions[(*frame.path, text)] = (line, event.start_mark.column + 1)
                end = event.end_mark
                rest = self.lines[end.line][end.column :] if end.line < len(self.lines) else ""
                if _COMMENT_VALUE.match(rest):
                    frame.comment_after = text

    def place(self, event: Event, value: Any, keep: bool) -> bool:
        """Put a value where it belongs; whether it became part of the data."""
        if not self.stack:
            if self.has_root:
                return False
            self.root, self.has_root = value, True
            self.positions[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
            return keep
        frame = self.stack[-1]
        if isinstance(frame.container, list):
            index = len(frame.container)
            frame.container.append(value)
            if frame.attached:
                self.positions[(*frame.path, index)] = (
                    event.start_mark.line + 1,
                    event.start_mark.column + 1,
                )
            return keep and frame.attached
        if frame.skip_value:
            frame.skip_value = False
            return False
        assert frame.key is not None
        if frame.comment_after == frame.key and value is None and frame.attached:
            self.hints[(*frame.path, frame.key)] = _comment_hint(
                frame.key, self.lines, frame.key_lines[frame.key]
            )
        frame.comment_after = None
        frame.container[frame.key] = value
        frame.key = None
        return keep and frame.attached

    def scalar(self, event: ScalarEvent, path: FieldPath) -> Any:
        text = event.value
        tag = event.tag
        if tag is None:
            plain = event.implicit[0] if event.implicit else False
            return _core_value(text) if plain else text
        if tag in ("!", _TAG + "str"):
            return text
        check = _EXPLICIT.get(tag)
        if check is None:
            self.problem(
                event,
                path,
                f"the tag {_show_tag(tag)} is not allowed; {self.kind.plural} hold plain values only",
            )
            return None
        if not check(text):
            self.problem(event, path, f"{text!r} is not a valid {_show_tag(tag)}")
            return None
        value = _core_value(text)
        return float(value) if tag == _TAG + "float" and isinstance(value, int) else value


_COMMENT_VALUE = re.compile(r"^\s*:\s+#")


def _comment_hint(key: str, lines: list[str], line: int) -> str:
    """``colour: #0072b2`` reads as an empty value and a comment: say so, with the fix."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    comment = text[text.find("#") :].strip() if "#" in text else "#..."
    return f'(`#` starts a comment, so `{key}:` is empty here; put the text in quotes: {key}: "{comment}")'


def _show_tag(tag: str | None) -> str:
    """``tag:yaml.org,2002:binary`` → ``!!binary``, as it is written in the file."""
    tag = tag or "?"
    return "!!" + tag.removeprefix(_TAG) if tag.startswith(_TAG) else tag
