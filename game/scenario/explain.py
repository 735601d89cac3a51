"""Pydantic's validation errors, told the way a scenario designer needs them (in a scenario or a map spec).

Pydantic says ``Input should be 'land', 'sea' or 'coast'`` at ``('map', 'territories', 0,
'kind')``.  A designer needs ``map.territories[0].kind: must be one of land, sea, coast, not
'lnd'; did you mean 'land'?`` at the line of that field.  This module does the telling: it
maps pydantic's ``loc`` onto the file's own data (dropping pydantic's internal steps such as
a union's tag), and rewrites the message to say what would be valid.
"""

from __future__ import annotations

import re
import types
import typing
from dataclasses import dataclass
from typing import Annotated, Any, get_args, get_origin

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from game.rules.checks import suggest
from game.rules.scenario import ID_PATTERN, Scenario
from game.scenario.yaml_source import FieldPath

_QUOTED = re.compile(r"'((?:[^'\\]|\\.)*)'")
_SCENARIO_ID_PATTERN = next(
    str(getattr(m, "pattern", ""))
    for m in Scenario.model_fields["id"].metadata
    if getattr(m, "pattern", None)
)


_COUNTRY_PATTERN = r"^[A-Z]{2}$"
"""A map spec's anchor country."""


@dataclass(frozen=True)
class Explained:
    """A validation error placed in the file's data and said plainly."""

    path: FieldPath
    """The field the error is about, as the designer wrote it (a missing field is named too)."""
    present: FieldPath
    """The longest part of ``path`` present in the data."""
    message: str


def explain(error: ErrorDetails, data: Any, root: type[BaseModel] = Scenario) -> Explained:
    """Place one pydantic error in ``data`` and say what would be valid.

    ``root`` is the model of the whole file: a scenario, or a map spec.
    """
    present, missing = split_loc(tuple(error["loc"]), data)
    path = present + missing
    kind = error["type"]
    ctx: dict[str, Any] = dict(error.get("ctx") or {})
    value = error.get("input")
    message = _message(kind, ctx, value, error["msg"], present, missing, data, root)
    if kind == "union_tag_invalid" and not missing:
        # Point at the tag itself (`kind: hld`), not at the whole item.
        tag_field = str(ctx.get("discriminator", "'kind'")).strip("'")
        node = get_path(data, present)
        if isinstance(node, dict) and tag_field in node:
            present = path = (*present, tag_field)
    return Explained(path, present, message)


def _has(node: Any, part: str | int) -> bool:
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)


def split_loc(loc: tuple[str | int, ...], data: Any) -> tuple[FieldPath, FieldPath]:
    """Split pydantic's ``loc`` into the part present in ``data`` and a missing last field.

    Steps pydantic adds on its own (the tag of a discriminated union, e.g. ``'deny'`` in
    ``('states', 1, 'objectives', 0, 'deny', 'rival')``) are dropped.
    """
    present: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        last = index == len(loc) - 1
        if _has(node, part):
            node = node[part]
            present.append(part)
        elif last and (isinstance(node, dict) or isinstance(part, int)):
            # Only a mapping lacks a field; a tag after a list or a scalar is pydantic's own.
            return tuple(present), (part,)
        # otherwise: an internal step of pydantic's; skip it
    return tuple(present), ()


# -- the model's shape at a path ---------------------------------------------------------------


def unwrap(tp: Any) -> Any:
    """Strip Annotated[...] and Optional[...] down to the type that matters."""
    while True:
        origin = get_origin(tp)
        if origin is Annotated:
            tp = get_args(tp)[0]
            continue
        if origin in (typing.Union, types.UnionType):
            args = [arg for arg in get_args(tp) if arg is not type(None)]
            if len(args) == 1:
                tp = args[0]
                continue
        return tp


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, BaseModel)


def union_tags(tp: Any, field: str = "kind") -> dict[str, type[BaseModel]]:
    """For a tagged union of models, each tag and its model; empty for any other type."""
    tp = unwrap(tp)
    if get_origin(tp) not in (typing.Union, types.UnionType):
        return {}
    tags: dict[str, type[BaseModel]] = {}
    for member in get_args(tp):
        if _is_model(member) and field in member.model_fields:
            default = member.model_fields[field].default
            if isinstance(default, str):
                tags[default] = member
    return tags


def type_at(path: FieldPath, data: Any, root: type[BaseModel] = Scenario) -> Any:
    """The annotation of the field at ``path`` of a ``root`` file, or None if the model has no such field.

    A tagged union is resolved by the ``kind`` the data gives at that point.
    """
    tp: Any = root
    node = data
    for part in path:
        tp = _resolve(tp, node)
        if _is_model(tp):
            if not isinstance(part, str) or part not in tp.model_fields:
                return None
            tp = tp.model_fields[part].annotation
        else:
            origin, args = get_origin(tp), get_args(tp)
            if origin is list and isinstance(part, int):
                tp = args[0]
            elif origin is tuple and isinstance(part, int) and part < len(args):
                tp = args[0] if args[-1] is Ellipsis else args[part]
            elif origin is dict and isinstance(part, str):
                tp = args[1]
            else:
                return None
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return tp


def model_at(path: FieldPath, data: Any, root: type[BaseModel] = Scenario) -> type[BaseModel] | None:
    """The model whose fields the mapping at ``path`` holds, if it is one."""
    tp = _resolve(type_at(path, data, root), get_path(data, path))
    return tp if _is_model(tp) else None


def _resolve(tp: Any, node: Any) -> Any:
    tp = unwrap(tp)
    tags = union_tags(tp)
    if tags and isinstance(node, dict) and node.get("kind") in tags:
        return tags[node["kind"]]
    return tp


def get_path(data: Any, path: FieldPath) -> Any:
    """The value at ``path`` in ``data``, or None if there is none."""
    node = data
    for part in path:
        if isinstance(node, dict) and isinstance(part, str):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            return None
    return node


def has_fields(tp: Any) -> bool:
    """Whether values of this type are mappings of named fields: a model, or a tagged union of
    models (what a YAML mapping of a scenario can be left out or rebuilt as)."""
    tp = unwrap(tp)
    return _is_model(tp) or bool(union_tags(tp))


def field_has_default(path: FieldPath, data: Any) -> bool:
    """Whether the field at ``path`` is a model field that may be left out."""
    if not path or not isinstance(path[-1], str):
        return False
    model = model_at(path[:-1], data)
    return (
        model is not None
        and path[-1] in model.model_fields
        and not model.model_fields[path[-1]].is_required()
    )


# -- messages -----------------------------------------------------------------------------------

_TYPE_WORDS = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "string": "text",
    "list": "a list",
    "tuple": "a list",
    "dict": "a mapping of fields",
    "model": "a mapping of fields",
}


def _show(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _literal_choices(ctx: dict[str, Any]) -> list[str]:
    return _QUOTED.findall(str(ctx.get("expected", "")))


def _message(
    kind: str,
    ctx: dict[str, Any],
    value: Any,
    fallback: str,
    present: FieldPath,
    missing: FieldPath,
    data: Any,
    root: type[BaseModel] = Scenario,
) -> str:
    if kind == "missing":
        if missing and isinstance(missing[-1], int):
            size = len(get_args(unwrap(type_at(present, data, root))))
            return f"needs exactly {size} items, has {missing[-1]}" if size else "too few items"
        return "is required but missing"
    if kind == "extra_forbidden":
        name = str(present[-1]) if present else "?"
        model = model_at(present[:-1], data, root)
        if model is None:
            return f"unknown field {name!r}"
        fields = list(model.model_fields)
        close = suggest(name, fields, "fields")
        tail = close if "did you mean" in close else f"; valid fields: {', '.join(fields)}"
        return f"unknown field {name!r}{tail}"
    if kind == "literal_error":
        choices = _literal_choices(ctx)
        if len(choices) == 1:
            return f"must be {choices[0]}, not {_show(value)}"
        text = f"must be one of {', '.join(choices)}, not {_show(value)}"
        if isinstance(value, str):
            close = suggest(value, choices, "choices")
            if "did you mean" in close:
                text += close
        return text
    if kind in ("union_tag_invalid", "union_tag_not_found"):
        tags = list(union_tags(type_at(present, data, root)))
        what = str(ctx.get("discriminator", "'kind'")).strip("'")
        if kind == "union_tag_not_found":
            return f"needs a {what}: one of {', '.join(tags)}"
        tag = str(ctx.get("tag", ""))
        return f"unknown {what} {tag!r}; must be one of {', '.join(tags)}{_close(tag, tags)}"
    if kind == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        if pattern == ID_PATTERN:
            text = f"must be a short lower-case id (a letter, then up to 31 letters, digits or _), not {_show(value)}"
            if isinstance(value, str) and re.match(ID_PATTERN, value.lower()):
                text += f"; did you mean {value.lower()!r}?"
            return text
        if pattern == _SCENARIO_ID_PATTERN:
            return f"must be lower-case letters, digits and hyphens, e.g. july-1914, not {_show(value)}"
        if pattern == _COUNTRY_PATTERN:
            return f"must be a two-letter ISO 3166-1 country code in capitals, e.g. FR, not {_show(value)}"
        return f"must match the pattern {pattern}, not {_show(value)}"
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        return str(error) if error is not None else fallback.removeprefix("Value error, ")
    if kind in ("too_short", "too_long"):
        limit = ctx.get("min_length" if kind == "too_short" else "max_length")
        actual = ctx.get("actual_length")
        bound = "at least" if kind == "too_short" else "at most"
        return f"needs {bound} {limit} items, has {actual}"
    if kind == "string_too_short":
        return (
            "must not be empty"
            if ctx.get("min_length") == 1
            else f"needs at least {ctx.get('min_length')} characters"
        )
    if kind == "string_too_long":
        return f"is too long: at most {ctx.get('max_length')} characters, has {len(str(value))}"
    bounds = {
        "greater_than": "greater than {gt}",
        "greater_than_equal": "at least {ge}",
        "less_than": "less than {lt}",
        "less_than_equal": "at most {le}",
    }
    if kind in bounds:
        limits = {key: _number(limit) for key, limit in ctx.items()}
        return f"must be {bounds[kind].format(**limits)}, not {_show(value)}"
    if kind == "int_from_float":
        return f"must be a whole number, not {_show(value)}"
    if kind == "finite_number":
        return f"must be a finite number, not {_show(value)}"
    prefix = kind.split("_")[0]
    if prefix in _TYPE_WORDS and kind.endswith(("_type", "_parsing")):
        hint = ""
        if prefix == "string" and isinstance(value, int | float | bool):
            hint = " (put it in quotes)"
        if prefix == "bool" and isinstance(value, str):
            word = {"yes": "true", "on": "true", "y": "true", "no": "false", "off": "false", "n": "false"}
            meant = word.get(value.lower())
            if meant is not None:
                hint = f"; only true and false are booleans here (YAML 1.2): write {meant}"
        return f"must be {_TYPE_WORDS[prefix]}, not {_show(value)}{hint}"
    return fallback


def _close(word: str, choices: list[str]) -> str:
    close = suggest(word, choices, "choices")
    return close if "did you mean" in close else ""


def _number(value: Any) -> Any:
    """0.0 → 0, for messages: a designer wrote 0."""
    return int(value) if isinstance(value, float) and value.is_integer() else value
