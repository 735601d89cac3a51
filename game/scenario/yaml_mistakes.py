"""A YAML syntax error told in plain words, at the line of the mistake.

The parser says ``while parsing a block collection expected <block end>, but found
'<block mapping start>'`` at the place it gave up.  A designer needs ``this line is indented
3 spaces, but bounds: above it is indented 2`` at the line they got wrong.  The common
mistakes each have a rule here:

- a tab in the indentation (YAML indents with spaces only);
- a line indented more or less than the keys it belongs with;
- ``key: text: more`` or ``{name: a: b}``: a colon and a space inside a value, which YAML
  reads as another key;
- ``a:1`` (no space after the colon) and ``-id: x`` (no space after the dash);
- text after a closing quote, a quote or bracket never closed, a value starting with a
  character YAML reserves (``@``, `````, ``%``, ``*``, ``&``, ``!``, ``|``, ``>``).

Anything else keeps the parser's words, with the advice that fits most cases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ruamel.yaml.error import MarkedYAMLError


@dataclass(frozen=True)
class Mistake:
    """A syntax mistake: where it is (line and column from 1) and what to do about it."""

    line: int
    column: int
    message: str


_KEY_LINE = re.compile(
    r"^(?P<indent> *)(?P<dashes>(?:- +)*)(?P<key>[^\s#'\"\[\]{}:,-][^:#]*?|'[^']*'|\"[^\"]*\")\s*:(?=\s|$)"
)
_NO_SPACE_AFTER_COLON = re.compile(r"^ *(?:- +)*(?P<key>[A-Za-z_][\w-]*):(?P<value>[^\s/:][^#]*)$")
_NO_SPACE_AFTER_DASH = re.compile(r"^ *-(?P<rest>[A-Za-z_][\w-]*:.*)$")
_QUOTE_TIP = "put the text in quotes"


def explain_syntax_error(error: MarkedYAMLError, text: str) -> list[Mistake]:
    """Plain-words mistakes for a parser error, most likely first; never empty."""
    lines = text.splitlines()
    problem = error.problem or ""
    context = error.context or ""
    mark = error.problem_mark or error.context_mark
    if mark is None:
        return [Mistake(1, 1, f"not valid YAML: {_jargon(error)}")]
    line, column = mark.line, mark.column
    start = error.context_mark

    if "'\\t'" in problem:
        return _tabs(lines, line, column)
    for rule in (_no_space_after_dash, _no_space_after_colon):
        found = rule(lines, start.line if start is not None else 0, line)
        if found is not None:
            return [found]
    if "quoted scalar" not in context:
        # An unclosed quote runs on to the next quote in the file; the parser fails after that.
        unclosed = _unclosed_quote(lines, line)
        if unclosed is not None:
            return [unclosed]
    if "cannot start any token" in problem:
        char = _char_at(lines, line, column)
        return [
            Mistake(
                line + 1,
                column + 1,
                f'a value cannot start with {char!r} in YAML; {_QUOTE_TIP}: "{char}..."',
            )
        ]
    if problem == "mapping values are not allowed here":
        return [_colon_or_indent(lines, line, column)]
    if problem == "sequence entries are not allowed here":
        return [
            Mistake(
                line + 1,
                column + 1,
                "a list item (`- `) cannot follow a key on the same line; start it on the next line, "
                "indented, or write the list as [a, b]",
            )
        ]
    if "quoted scalar" in context and start is not None:
        return [_quote(error, lines, start.line, start.column, line, column)]
    if "flow" in context and start is not None:
        return [_flow(lines, start.line, start.column, line, column, context)]
    if "block end" in problem or "simple key" in context or "<document start>" in problem:
        return [_indentation(lines, line, column, problem, start.line if start is not None else None)]
    if "alias" in context:
        return [
            Mistake(
                line + 1,
                column + 1,
                f"`*` starts an alias, which map files and scenarios do not use; {_QUOTE_TIP}",
            )
        ]
    if "block scalar" in context:
        return [
            Mistake(
                line + 1,
                column + 1,
                f"`|` and `>` start a block of text on the next lines; {_QUOTE_TIP} instead",
            )
        ]
    return [
        Mistake(
            line + 1,
            column + 1,
            f"not valid YAML: {_jargon(error)}; check the indentation, and {_QUOTE_TIP} if it holds `: ` or ` #`",
        )
    ]


def _jargon(error: MarkedYAMLError) -> str:
    return " ".join(part for part in (error.context, error.problem) if part)


def _char_at(lines: list[str], line: int, column: int) -> str:
    if 0 <= line < len(lines) and 0 <= column < len(lines[line]):
        return lines[line][column]
    return "?"


def _indent(text: str) -> int:
    return len(text) - len(text.lstrip(" "))


def _content(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and not stripped.startswith("#")


def _key_column(text: str) -> tuple[int, str] | None:
    """The column and name of the key a line starts with (after any `- `), if it starts with one."""
    match = _KEY_LINE.match(text)
    if match is None:
        return None
    return len(match.group("indent")) + len(match.group("dashes")), match.group("key").strip()


def _tabs(lines: list[str], line: int, column: int) -> list[Mistake]:
    """Every line indented with a tab, the one the parser stopped at first."""
    message = "a tab: YAML indents with spaces only; use spaces, not tabs"
    found = [Mistake(line + 1, column + 1, message)]
    for number, text in enumerate(lines):
        indent = text[: len(text) - len(text.lstrip(" \t"))]
        if "\t" in indent and number != line:
            found.append(Mistake(number + 1, indent.index("\t") + 1, message))
    return found


def _no_space_after_dash(lines: list[str], first: int, last: int) -> Mistake | None:
    for number in range(max(first, 0), min(last, len(lines) - 1) + 1):
        match = _NO_SPACE_AFTER_DASH.match(lines[number])
        if match is not None:
            column = _indent(lines[number])
            return Mistake(
                number + 1,
                column + 1,
                f"put a space after the dash of a list item: `- {match.group('rest').strip()}`",
            )
    return None


def _no_space_after_colon(lines: list[str], first: int, last: int) -> Mistake | None:
    for number in range(max(first, 0), min(last, len(lines) - 1) + 1):
        match = _NO_SPACE_AFTER_COLON.match(lines[number].rstrip())
        if match is not None and not match.group("value").startswith(("//",)):
            key, value = match.group("key"), match.group("value").strip()
            return Mistake(
                number + 1,
                lines[number].index(key) + 1,
                f"put a space after the colon: `{key}: {value}` (without it YAML reads `{key}:{value}` as text)",
            )
    return None


_QUOTED_VALUE = re.compile(
    r"""^ *(?:- +)*(?:[^\s#'"\[\]{}:,-][^:#]*?\s*: +|- +)(?P<quote>["'])(?P<rest>.*)$"""
)


def _unclosed_quote(lines: list[str], last: int) -> Mistake | None:
    """The first value up to ``last`` that opens a quote and does not close it on its line."""
    for number in range(0, min(last, len(lines) - 1) + 1):
        match = _QUOTED_VALUE.match(lines[number])
        if match is None:
            continue
        quote, rest = match.group("quote"), match.group("rest")
        closed = (
            re.search(r'(?<!\\)"', rest) if quote == '"' else re.search(r"'(?!')", rest.replace("''", ""))
        )
        if closed is None:
            return Mistake(
                number + 1,
                match.start("quote") + 1,
                f"this quote ({quote}) is never closed on its line; end the text with {quote}",
            )
    return None


def _previous_content(lines: list[str], line: int) -> int | None:
    for number in range(line - 1, -1, -1):
        if _content(lines[number]):
            return number
    return None


def _colon_or_indent(lines: list[str], line: int, column: int) -> Mistake:
    """`mapping values are not allowed here`: a colon inside a value, or a line indented too far."""
    text = lines[line] if line < len(lines) else ""
    key = _key_column(text)
    if key is not None and key[0] + len(key[1]) < column and text.find(":", key[0]) < column:
        # The line has its own key before this colon: the colon is inside the value.
        value_start = text.find(":", key[0]) + 1
        value = text[value_start:].strip()
        return Mistake(
            line + 1,
            value_start + 2 if value_start < len(text) else value_start + 1,
            f"the value of `{key[1]}` holds a colon and a space (`: `), which YAML reads as another key; "
            f'{_QUOTE_TIP}: {key[1]}: "{value}"',
        )
    above = _previous_content(lines, line)
    if above is not None:
        here = key[0] if key is not None else _indent(text)
        above_key = _key_column(lines[above])
        if above_key is not None and here > above_key[0]:
            return Mistake(
                line + 1,
                here + 1,
                f"bad indentation: {_name(text)} is indented {_spaces(here)}, more than `{above_key[1]}` on "
                f"line {above + 1}, which already has a value; line it up with `{above_key[1]}` "
                f"({_spaces(above_key[0])})",
            )
        return Mistake(
            line + 1,
            here + 1,
            "bad indentation: YAML reads this line as part of the value on the line above; "
            f"check its indentation, or {_QUOTE_TIP} if it holds `: `",
        )
    return Mistake(line + 1, column + 1, f"a colon and a space (`: `) inside a value; {_QUOTE_TIP}")


def _open_levels(lines: list[str], line: int) -> list[tuple[int, int, bool]]:
    """The indentation levels open at ``line``: (column, line that set it, whether it is a list's dash)."""
    levels: list[tuple[int, int, bool]] = []
    for number in range(0, min(line, len(lines))):
        text = lines[number]
        if not _content(text) or text.lstrip().startswith(("]", "}")):
            continue
        column = _indent(text)
        while levels and levels[-1][0] > column:
            levels.pop()
        dash = text.lstrip().startswith("- ") or text.strip() == "-"
        if levels and levels[-1][0] == column:
            levels[-1] = (column, number, dash)
        else:
            levels.append((column, number, dash))
        key = _key_column(text)
        if key is not None and key[0] > column:  # `- id: x`: the item's keys line up after the dash
            levels.append((key[0], number, False))
    return levels


def _next_content(lines: list[str], line: int) -> int | None:
    for number in range(line + 1, len(lines)):
        if _content(lines[number]):
            return number
    return None


def _odd_one_above(lines: list[str], line: int, above: int | None, here: int) -> Mistake | None:
    """The line above, when it is the odd one out: the first line of its block, out of line
    with this line and the next, which agree with each other."""
    if above is None:
        return None
    before = _previous_content(lines, above)
    after = _next_content(lines, line)
    above_indent = _indent(lines[above])
    if above_indent == here or before is None or _indent(lines[before]) >= min(above_indent, here):
        return None  # the line above is not the first of its block
    after_indent = _indent(lines[after]) if after is not None else None
    if after_indent == above_indent:
        return None  # the line above agrees with the one after: this line is the odd one
    usual = _indent(lines[before]) + 2  # nothing else to go by: two spaces a level is usual
    if after_indent != here and (here != usual or lines[above].lstrip().startswith("-")):
        return None
    return Mistake(
        above + 1,
        above_indent + 1,
        f"bad indentation: {_name(lines[above])} is indented {_spaces(above_indent)}, but "
        f"{_name(lines[line])} on the next line is indented {_spaces(here)}; "
        "lines that belong together start in the same column",
    )


def _spaces(n: int) -> str:
    return f"{n} space{'s' * (n != 1)}"


def _name(text: str) -> str:
    """How to name a line in a message: its key, or its first words."""
    key = _key_column(text)
    words = text.strip()
    if key is not None and not words.startswith("-"):
        return f"`{key[1]}`"
    return f"`{words if len(words) <= 30 else words[:27] + '...'}`"


def _has_value(text: str) -> bool:
    """Whether a `key: value` line has a value after its colon (a nested block would start below)."""
    key = _key_column(text)
    if key is None:
        return False
    after = text[text.find(":", key[0]) + 1 :].strip()
    return bool(after) and not after.startswith("#")


def _indentation(lines: list[str], line: int, column: int, problem: str, start: int | None) -> Mistake:
    """`expected <block end>` and friends: a line that does not line up with those above it."""
    text = lines[line] if line < len(lines) else ""
    if "'<scalar>'" in problem and text[:column].rstrip().endswith(("'", '"')):
        return Mistake(
            line + 1, column + 1, "text after the closing quote; put the whole value inside the quotes"
        )
    if "could not find expected ':'" in problem and start is not None and start < len(lines):
        return Mistake(
            start + 1,
            _indent(lines[start]) + 1,
            "this line has no `key: value` colon; add one, or indent it under the key it belongs to, "
            f"or {_QUOTE_TIP} if it continues the value above",
        )
    if "<document start>" in problem:
        first = _next_content(lines, -1)
        if first is not None and _indent(lines[first]) > 0:
            return Mistake(
                first + 1,
                1,
                f"bad indentation: the top level of the file starts in the first column; remove the "
                f"spaces before {_name(lines[first])}",
            )
    here = _indent(text)
    name = _name(text)
    above = _previous_content(lines, line)
    odd = _odd_one_above(lines, line, above, here)
    if odd is not None:
        return odd
    if above is not None:
        above_key = _key_column(lines[above])
        if above_key is not None and here > above_key[0] and _has_value(lines[above]):
            return Mistake(
                line + 1,
                here + 1,
                f"bad indentation: {name} is indented {_spaces(here)}, more than `{above_key[1]}` on line "
                f"{above + 1}, which already has a value; line it up with `{above_key[1]}` "
                f"({_spaces(above_key[0])})",
            )
    levels = _open_levels(lines, line)
    is_dash = text.lstrip().startswith("-")
    for column_, number, dash in levels:
        if column_ == here and dash and not is_dash:
            item_key = _key_column(lines[number])
            keys = f" (like `{item_key[1]}`, {_spaces(item_key[0])})" if item_key else ""
            return Mistake(
                line + 1,
                here + 1,
                f"bad indentation: {name} lines up with the `-` of the list item on line {number + 1}; "
                f"a key of that item lines up with its first key{keys}",
            )
    columns = [c for c, _, _ in levels]
    if here not in columns and levels:
        lower = [lv for lv in levels if lv[0] < here]
        upper = [lv for lv in levels if lv[0] > here]
        if lower and upper:
            a, b = lower[-1], upper[-1]
            between = (
                f"between {_name(lines[a[1]])} (line {a[1] + 1}, {_spaces(a[0])}) and "
                f"{_name(lines[b[1]])} (line {b[1] + 1}, {_spaces(b[0])})"
            )
        else:
            near = (lower or upper)[-1]
            between = (
                f"but {_name(lines[near[1]])} above it (line {near[1] + 1}) is indented {_spaces(near[0])}"
            )
        return Mistake(
            line + 1,
            here + 1,
            f"bad indentation: {name} is indented {_spaces(here)}, {between}; keys of one mapping, and "
            "the dashes of one list, must start in the same column",
        )
    if is_dash:
        return Mistake(
            line + 1,
            here + 1,
            "bad indentation: a list item (`- `) here, among the keys of a mapping; indent the list "
            "under the key it belongs to (a key ending with `:` and nothing after it)",
        )
    return Mistake(
        line + 1,
        here + 1,
        "bad indentation: this line does not fit the structure above it; check that keys of one "
        "mapping start in the same column, and that a key with a nested mapping or list has nothing "
        "after its colon",
    )


def _quote(
    error: MarkedYAMLError, lines: list[str], start: int, start_column: int, line: int, column: int
) -> Mistake:
    quote = _char_at(lines, start, start_column)
    problem = error.problem or ""
    if "end of stream" in problem or "document separator" in problem:
        return Mistake(
            start + 1,
            start_column + 1,
            f"this quote ({quote}) is never closed; end the text with {quote}",
        )
    if "escape" in problem:
        return Mistake(
            line + 1,
            column + 1,
            "in double quotes a backslash starts an escape such as \\n; write \\\\ for a backslash, "
            "or use single quotes",
        )
    return Mistake(line + 1, column + 1, f"not valid YAML in quoted text: {_jargon(error)}")


def _flow(lines: list[str], start: int, start_column: int, line: int, column: int, context: str) -> Mistake:
    opening = _char_at(lines, start, start_column)
    closing = {"[": "]", "{": "}"}.get(opening, "]")
    if line > start:
        return Mistake(
            start + 1,
            start_column + 1,
            f"this {opening} is never closed: end it with {closing} on the same line "
            "(or check the line for a stray character)",
        )
    char = _char_at(lines, line, column)
    if char == ":":
        return Mistake(
            line + 1,
            column + 1,
            f'a colon inside {opening}...{closing} starts another key here; {_QUOTE_TIP} (e.g. name: "a: b")',
        )
    return Mistake(
        line + 1,
        column + 1,
        f"unexpected {char!r} inside {opening}...{closing}: items are separated by commas; "
        f"{_QUOTE_TIP} if it holds `,`, `:` or brackets",
    )
