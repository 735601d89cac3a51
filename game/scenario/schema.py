"""The JSON Schema of scenario files, for editors, and the field reference built from it.

Both come from the pydantic model (:mod:`game.rules.scenario`), so the schema, the docs
and the loader cannot disagree.  The schema is committed as ``scenarios/scenario.schema.json``,
and the map spec's (:mod:`game.scenario.mapbuild.spec`) as ``scenarios/maps/mapspec.schema.json``;
regenerate them with::

    backchannel scenario schema > scenarios/scenario.schema.json
    backchannel scenario schema --map > scenarios/maps/mapspec.schema.json

and the field tables of ``docs/scenario-format.md`` with ``python docs/gen_scenario_fields.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any, cast

from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

from game.rules.scenario import SCENARIO_FORMAT, Scenario

SCHEMA_ID = "urn:backchannel:scenario-schema:" + SCENARIO_FORMAT.rsplit("/", 1)[-1]
"""The schema's ``$id``; it changes with the format's version."""

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

# The tables of docs/scenario-format.md: one per model, in the order a designer meets them.
_DOC_ORDER = [
    "Scenario",
    "Calendar",
    "Victory",
    "Source",
    "State",
    "UnitStart",
    "HoldObjective",
    "SupplyObjective",
    "SurviveObjective",
    "PreventObjective",
    "MapSection",
    "Territory",
    "Coast",
    "Link",
    "Projection",
    "InjectSpec",
    "LegitimacyEffect",
    "TreasuryEffect",
    "PlaceUnitEffect",
    "RemoveUnitEffect",
    "RevealAgreementEffect",
]


class _WithFactoryDefaults(GenerateJsonSchema):
    """Pydantic leaves out defaults made by a factory (``seasons: [spring, autumn]``); editors
    and the docs should show them, so this generator writes them in."""

    def default_schema(self, schema: core_schema.WithDefaultSchema) -> dict[str, Any]:
        factory = schema.get("default_factory")
        if factory is not None and not schema.get("default_factory_takes_data"):
            written: dict[str, Any] = {k: v for k, v in schema.items() if k != "default_factory"}
            written["default"] = cast(Callable[[], Any], factory)()
            schema = cast(core_schema.WithDefaultSchema, written)
        return super().default_schema(schema)


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a scenario file, as a dict."""
    schema = Scenario.model_json_schema(mode="validation", schema_generator=_WithFactoryDefaults)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = SCHEMA_ID
    schema["title"] = "Backchannel scenario"
    schema["description"] = (
        f"A Backchannel scenario file ({SCENARIO_FORMAT}), written in YAML 1.2. "
        "See docs/scenario-format.md; check a file with `backchannel scenario validate FILE`."
    )
    return schema


def schema_text() -> str:
    """The JSON Schema as committed in ``scenarios/scenario.schema.json``: sorted keys, a final newline."""
    return json.dumps(scenario_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def mapspec_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a map spec (docs/map-spec.md), as a dict."""
    from game.scenario.mapbuild.spec import MAPSPEC_FORMAT, MapSpec

    schema = MapSpec.model_json_schema(mode="validation", schema_generator=_WithFactoryDefaults)
    schema["$schema"] = SCHEMA_DIALECT
    schema["$id"] = "urn:backchannel:mapspec-schema:" + MAPSPEC_FORMAT.rsplit("/", 1)[-1]
    schema["title"] = "Backchannel map spec"
    schema["description"] = (
        f"A Backchannel map spec ({MAPSPEC_FORMAT}), written in YAML 1.2. See docs/map-spec.md; "
        "build it with `backchannel scenario build-map SPEC --into SCENARIO`."
    )
    return schema


def mapspec_schema_text() -> str:
    """The map spec's JSON Schema as committed in ``scenarios/maps/mapspec.schema.json``."""
    return json.dumps(mapspec_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# -- the field reference for docs/scenario-format.md ---------------------------------------------


def fields_markdown() -> str:
    """Markdown tables of every section of a scenario file and its fields, from the schema."""
    schema = scenario_schema()
    definitions: dict[str, dict[str, Any]] = dict(schema["$defs"])
    definitions["Scenario"] = schema
    names = [n for n in _DOC_ORDER if n in definitions] + sorted(set(definitions) - set(_DOC_ORDER))
    parts: list[str] = []
    for name in names:
        definition = definitions[name]
        heading = "Scenario (the top level)" if name == "Scenario" else name
        parts.append(f"### {heading}\n")
        description = _one_line(definition.get("description", ""))
        if name == "Scenario":
            description = "A whole scenario file."
        if description:
            parts.append(f"{description}\n")
        parts.append("| field | type | required / default | meaning |\n| --- | --- | --- | --- |")
        required = set(definition.get("required", []))
        for field, prop in definition.get("properties", {}).items():
            if field in required or ("const" in prop and prop.get("default") == prop["const"]):
                # A tag with its one value as default (an objective's kind) must still be written:
                # it is how the loader tells the kinds apart.
                need = "**required**"
            elif "default" in prop and not isinstance(prop["default"], dict):
                need = f"default `{json.dumps(prop['default'])}`"
            else:
                need = "optional"
            meaning = _one_line(prop.get("description", ""))
            parts.append(f"| `{field}` | {_type_name(prop)} | {need} | {_cell(meaning)} |")
        parts.append("")
    return "\n".join(parts)


def _type_name(prop: dict[str, Any]) -> str:
    """A short, readable type: `text`, `list of Territory`, `one of land, sea, coast`, ..."""
    if "$ref" in prop:
        name = str(prop["$ref"]).rsplit("/", 1)[-1]
        return f"[{name}](#{name.lower()})"
    if "const" in prop:
        return f"`{prop['const']}`"
    if "enum" in prop:
        return "one of " + ", ".join(f"`{v}`" for v in prop["enum"])
    if "anyOf" in prop:
        options = [o for o in prop["anyOf"] if o.get("type") != "null"]
        nullable = len(options) < len(prop["anyOf"])
        text = " or ".join(_type_name(o) for o in options)
        return f"{text} or null" if nullable else text
    if "oneOf" in prop:
        return " or ".join(_type_name(o) for o in prop["oneOf"])
    kind = prop.get("type")
    if kind == "array":
        if "prefixItems" in prop:
            inner = ", ".join(_type_name(o) for o in prop["prefixItems"])
            return f"[{inner}]"
        items = prop.get("items", {})
        return f"list of {_type_name(items)}" if items else "list"
    if kind == "object":
        values = prop.get("additionalProperties")
        return f"mapping of text to {_type_name(values)}" if isinstance(values, dict) else "mapping"
    words = {"string": "text", "integer": "whole number", "number": "number", "boolean": "true/false"}
    text = words.get(str(kind), str(kind))
    if "pattern" in prop and kind == "string":
        text += " (id)" if prop["pattern"].startswith("^[a-z][a-z0-9_]") else ""
    bounds = [
        f"≥ {prop['minimum']}" if "minimum" in prop else "",
        f"> {prop['exclusiveMinimum']}" if "exclusiveMinimum" in prop else "",
        f"≤ {prop['maximum']}" if "maximum" in prop else "",
    ]
    bounds_text = ", ".join(b for b in bounds if b)
    return f"{text} ({bounds_text})" if bounds_text else text


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
