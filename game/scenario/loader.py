"""Loading scenario files, with every problem reported at once at its file, line and field.

A scenario file goes through three stages, and every stage's problems are collected:

1. YAML (:mod:`game.scenario.yaml_source`): YAML 1.2 only, plain data, no aliases, no
   duplicate keys, at most 8 MiB; the line of every field is kept.
2. The model (:class:`game.rules.scenario.Scenario`): every field's type and range; pydantic's
   errors are rewritten to say what would be valid (:mod:`game.scenario.explain`).
3. Cross-reference checks (:func:`game.rules.checks.check_scenario`): ids unique, references
   known, units where their type can stand.  When the model found errors, the checks still
   run on what could be salvaged: broken items are left out, and problems that would only
   echo them (a reference to a territory that was left out) are not reported.  An item a
   check's message names is numbered as in the file, and a problem about an id inside an
   item (an annex clause's ``between: [ger, itx]``) is placed at the field holding the id.

``load_scenario`` raises :class:`ScenarioError` listing the problems; ``read_scenario``
returns them with the scenario (if any), for callers that also want the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from game import resources
from game.rules.checks import check_scenario, format_path, suggest
from game.rules.scenario import Scenario
from game.scenario.explain import (
    explain,
    field_has_default,
    get_path,
    has_fields,
    model_at,
    split_loc,
    type_at,
    unwrap,
)
from game.scenario.problems import Problem, ScenarioError, ScenarioNotFoundError, sort_problems
from game.scenario.yaml_source import MAX_BYTES, FieldPath, YamlDocument, read_yaml, read_yaml_file

__all__ = [
    "BUNDLED_DIR",
    "MAX_BYTES",
    "LoadResult",
    "Problem",
    "ScenarioError",
    "ScenarioNotFoundError",
    "bundled_scenarios",
    "find_scenario",
    "load_scenario",
    "load_scenario_text",
    "read_scenario",
    "read_scenario_text",
    "validate_files",
]

BUNDLED_DIR = resources.scenarios_dir()
"""Where the bundled scenarios live: ``<repo>/scenarios/<id>.yaml``, installed inside the package."""

_BUNDLED_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass
class LoadResult:
    """What reading one scenario file found: the scenario if it has no errors, and every problem."""

    file: str
    scenario: Scenario | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]


# -- the public API -----------------------------------------------------------------------------


def load_scenario(path: str | Path) -> Scenario:
    """Load a scenario file; raise :class:`ScenarioError` listing every error (and warning) if it has errors."""
    return _scenario_or_raise(read_scenario(path))


def load_scenario_text(text: str, name: str = "<scenario>") -> Scenario:
    """Load a scenario from text (an upload); ``name`` stands for the file in problems."""
    return _scenario_or_raise(read_scenario_text(text, name))


def read_scenario(path: str | Path) -> LoadResult:
    """Read a scenario file and return it with every problem found, errors and warnings."""
    path = Path(path)
    document, problems = read_yaml_file(path)  # a file over the cap is refused before it is read
    return _result(str(path), document, problems)


def read_scenario_text(text: str, name: str = "<scenario>") -> LoadResult:
    """Read a scenario from text and return it with every problem found, errors and warnings."""
    document, problems = read_yaml(text, name)
    return _result(name, document, problems)


def _result(name: str, document: YamlDocument | None, problems: list[Problem]) -> LoadResult:
    if document is None:
        return LoadResult(name, None, sort_problems(problems))
    scenario, more = _validate(document, name, problems)
    problems = sort_problems([*problems, *more])
    if any(p.is_error for p in problems):
        scenario = None
    return LoadResult(name, scenario, problems)


def bundled_scenarios() -> list[str]:
    """Ids of the scenarios bundled with the game, e.g. ``["july-1914"]``."""
    if not BUNDLED_DIR.is_dir():
        return []
    return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml") if _BUNDLED_ID.match(p.stem))


def find_scenario(ref: str) -> Path:
    """The file a scenario reference names: a bundled id (``july-1914``) or a path."""
    if _BUNDLED_ID.match(ref):
        bundled = BUNDLED_DIR / f"{ref}.yaml"
        if bundled.is_file() or resources.shipped(bundled):
            return resources.check(bundled)  # a shipped file missing or damaged: one line, reinstall
    path = Path(ref)
    if path.is_file():
        return path
    if not BUNDLED_DIR.is_dir():
        raise resources.BundledDataError(BUNDLED_DIR)
    ids = bundled_scenarios()
    hint = suggest(ref, ids, "bundled scenarios") if ids else "; no scenarios are bundled"
    raise ScenarioNotFoundError(
        [Problem(ref, None, None, "", f"no such file, and no bundled scenario {ref!r}{hint}")]
    )


def validate_files(files: Sequence[Path]) -> int:
    """Check scenario files, printing ``OK FILE (...)`` or every problem; 0 if all are valid, else 1."""
    status = 0
    for path in files:
        result = read_scenario(path)
        for problem in result.problems:
            print(problem)
        n_warnings = len(result.warnings)
        warned = f", {n_warnings} warning{'s' * (n_warnings != 1)}" if n_warnings else ""
        if result.scenario is not None:
            s = result.scenario
            print(f"OK {result.file} ({len(s.map.territories)} territories, {len(s.states)} states{warned})")
        else:
            status = 1
            n_errors = len(result.errors)
            print(f"FAILED {result.file} ({n_errors} error{'s' * (n_errors != 1)}{warned})")
    return status


def _scenario_or_raise(result: LoadResult) -> Scenario:
    if result.scenario is None:
        raise ScenarioError(result.problems)
    return result.scenario


# -- validation ---------------------------------------------------------------------------------


def _validate(
    document: YamlDocument, file: str, earlier: Iterable[Problem]
) -> tuple[Scenario | None, list[Problem]]:
    """The model's problems and then the cross-reference checks' problems of one document."""
    data = document.data
    if not isinstance(data, dict):
        line, column = document.locate(())
        return None, [
            Problem(
                file,
                line,
                column,
                "",
                "a scenario is a mapping of fields: format:, id:, title:, calendar:, ...",
            )
        ]

    def located(path: FieldPath, message: str, severity: str = "error") -> Problem:
        line, column = document.locate(path)
        hint = document.hints.get(path)
        if hint is not None and hint not in message:
            message = f"{message} {hint}"
        return Problem(
            file, line, column, format_path(path), message, "warning" if severity == "warning" else "error"
        )

    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as error:
        errors = error.errors()
        already = {p.field_path for p in earlier}  # a refused YAML value was reported already
        problems = []
        for details in errors:
            explained = explain(details, data)
            if format_path(explained.path) not in already:
                problems.append(located(explained.path, explained.message))
        salvaged = _salvage(data, errors)
        if salvaged is not None:
            for check in check_scenario(salvaged.scenario):
                if check.severity == "warning":
                    continue  # about a patched-up scenario: they can wait until the errors are fixed
                path = salvaged.original_path(check.path)
                if not salvaged.echoes_removal(path, check.ref):
                    message = _original_items(check.message, check.path, salvaged, data)
                    path = _field_holding(data, path, check.ref, message)
                    problems.append(located(path, message, check.severity))
        return None, problems
    return scenario, [
        located(_field_holding(data, c.path, c.ref, c.message), c.message, c.severity)
        for c in check_scenario(scenario)
    ]


# -- where a check's problem belongs ----------------------------------------------------------------

_ITEM_REF = re.compile(r"(?<![\w.\]])[a-z_]+(?:\.[a-z_]+|\[\d+\])*\[\d+\](?:\.[a-z_]+|\[\d+\])*")
_LEADING_ID = re.compile(r"^'([^']+)'")


def _parse_ref(text: str) -> FieldPath:
    parts: list[str | int] = []
    for name, index in re.findall(r"([a-z_]+)|\[(\d+)\]", text):
        parts.append(name if name else int(index))
    return tuple(parts)


def _original_items(message: str, path: FieldPath, salvaged: _Salvaged, data: dict[str, Any]) -> str:
    """``message`` with the items it names (``map.territories[0]``) numbered as in the file.

    The checks ran on the salvaged scenario, whose lists lack the broken items, so their
    numbers are shifted; a name relative to the problem's place (``coasts[0]``) is read
    from that place.
    """

    def renumber(match: re.Match[str]) -> str:
        named = _parse_ref(match.group(0))
        if not named:
            return match.group(0)
        if named[0] in data:
            return format_path(salvaged.original_path(named))
        if named[0] in path:
            start = len(path) - 1 - path[::-1].index(named[0])
            whole = salvaged.original_path(path[:start] + named)
            return format_path(whole[start:])
        return match.group(0)

    return _ITEM_REF.sub(renumber, message)


def _field_holding(data: Any, path: FieldPath, ref: str | None, message: str) -> FieldPath:
    """The field of the item at ``path`` that holds the id a problem is about, else ``path``.

    A check may name a whole item (an annex clause); the designer needs the line of the
    field with the wrong id in it (``between: [ger, itx]``).
    """
    node = get_path(data, path)
    if not isinstance(node, dict):
        return path
    wanted = ref
    if wanted is None:
        leading = _LEADING_ID.match(message)
        wanted = leading.group(1) if leading else None
    if wanted is None:
        return path
    for key, value in node.items():
        if value == wanted:
            return (*path, key)
        if isinstance(value, list) and wanted in value:
            return (*path, key, value.index(wanted))
    return path


# -- salvage: checking what is left of a scenario with errors -----------------------------------


@dataclass
class _Salvaged:
    """A valid scenario made from the data by leaving out what pydantic rejected."""

    scenario: Scenario
    back: dict[FieldPath, FieldPath]
    """Path in the salvaged data → path in the file's data (list indexes shift)."""
    removed: set[FieldPath]
    """Paths in the file's data left out: broken list items and fields that have defaults."""
    removed_ids: set[str]
    """Ids of left-out territories, states and coasts (``ter/coast``)."""

    def original_path(self, path: FieldPath) -> FieldPath:
        for end in range(len(path), -1, -1):
            if path[:end] in self.back:
                return self.back[path[:end]] + path[end:]
        return path

    def echoes_removal(self, path: FieldPath, ref: str | None) -> bool:
        """Whether a check's problem only repeats what leaving something out caused.

        That is a reference to a left-out id, a problem inside a left-out part, or a problem
        about a whole list some item was left out of ("no state is playable").
        """
        if ref is not None and ref in self.removed_ids:
            return True
        return any(path[: len(r)] == r or r[: len(path)] == path for r in self.removed)


def _salvage(data: dict[str, Any], errors: list[ErrorDetails], rounds: int = 8) -> _Salvaged | None:
    """Leave out what the errors are about until the rest validates, or give up (None).

    A field with a default is left out (the default stands in); otherwise the innermost
    list item holding the error is (a territory, a unit, an objective).  A top-level
    section that breaks only a whole-section rule (the calendar ending before it starts) is
    kept as written, built without that rule.  Anything else leaves nothing to check.
    """
    removed: set[FieldPath] = set()
    unchecked: dict[str, Any] = {}
    back: dict[FieldPath, FieldPath] = {}
    current: Any = data
    for _ in range(rounds):
        before = len(removed) + len(unchecked)
        for details in errors:
            present, missing = split_loc(tuple(details["loc"]), current)
            original = _translate(present, back)
            target = _removable(original, details["type"], data)
            if target is not None:
                removed.add(target)
                continue
            name = _top_level_field(original, missing)
            if name is None or name in unchecked:
                return None
            section = _unchecked_section(name, data)
            if section is None:
                return None
            unchecked[name] = section.value
        if len(removed) + len(unchecked) == before:
            return None
        back = {}
        current = _rebuild(data, (), (), removed | {(name,) for name in unchecked}, back)
        try:
            scenario = Scenario.model_validate(current)
        except ValidationError as error:
            errors = [e for e in error.errors() if not (e["loc"] and e["loc"][0] in unchecked)]
            if errors:
                continue
            built = _without_model_rules(Scenario, current, unchecked)
            if not isinstance(built, Scenario):
                return None
            scenario = built
        for name in unchecked:
            back[(name,)] = (name,)
        return _Salvaged(scenario, back, removed, _removed_ids(data, removed))
    return None


def _top_level_field(present: FieldPath, missing: FieldPath) -> str | None:
    """The top-level field an error is about, if it is about one as a whole."""
    if len(present) == 1 and not missing and isinstance(present[0], str):
        return present[0]
    if not present and len(missing) == 1 and isinstance(missing[0], str):
        return missing[0]
    return None


@dataclass(frozen=True)
class _Section:
    value: Any


def _unchecked_section(name: str, data: dict[str, Any]) -> _Section | None:
    """A stand-in for a broken top-level field, good enough for the checks, or None.

    A scalar (format, id, title) is kept as written: no check reads it.  A section that
    breaks only its own model-wide rule is built without that rule.  Anything else is not
    salvageable.
    """
    tp = unwrap(type_at((name,), data))
    if has_fields(tp):
        model = model_at((name,), data)
        built = _without_model_rules(model, data.get(name)) if model is not None else None
        return None if built is None else _Section(built)
    if get_origin(tp) in (list, tuple, dict) or tp is None:
        return None
    return _Section(data.get(name))


def _removable(path: FieldPath, error_type: str, data: Any) -> FieldPath | None:
    """The innermost part of ``path`` that can be left out: a field with a default, or a list item with fields of its own."""
    if error_type == "extra_forbidden" and path:
        return path
    for end in range(len(path), 0, -1):
        prefix = path[:end]
        last = prefix[-1]
        if isinstance(last, str) and field_has_default(prefix, data):
            return prefix
        if isinstance(last, int) and has_fields(type_at(prefix, data)):
            return prefix
    return None


def _translate(path: FieldPath, back: dict[FieldPath, FieldPath]) -> FieldPath:
    for end in range(len(path), -1, -1):
        if path[:end] in back:
            return back[path[:end]] + path[end:]
    return path


def _without_model_rules(
    model: type[BaseModel], node: Any, ready: dict[str, Any] | None = None
) -> BaseModel | None:
    """``node`` as a ``model`` whose fields are each validated but whose model-wide rules are not run.

    ``ready`` gives fields already built (and not to be validated again).
    """
    if not isinstance(node, dict):
        return None
    values: dict[str, Any] = dict(ready or {})
    for name, value in node.items():
        info = model.model_fields.get(name)
        if info is None or info.annotation is None:
            return None
        try:
            # The field's type with its constraints (the FieldInfo as metadata), by public typing syntax.
            form: Any = Annotated[info.annotation, info]
            values[name] = TypeAdapter(form).validate_python(value)
        except ValidationError:
            return None
    return model.model_construct(_fields_set=set(values), **values)


def _rebuild(
    node: Any,
    original: FieldPath,
    new: FieldPath,
    removed: set[FieldPath],
    back: dict[FieldPath, FieldPath],
) -> Any:
    """``node`` without the ``removed`` paths, recording where each new path came from."""
    back[new] = original
    if isinstance(node, dict):
        return {
            key: _rebuild(value, (*original, key), (*new, key), removed, back)
            for key, value in node.items()
            if (*original, key) not in removed
        }
    if isinstance(node, list):
        items: list[Any] = []
        for index, value in enumerate(node):
            if (*original, index) not in removed:
                items.append(_rebuild(value, (*original, index), (*new, len(items)), removed, back))
        return items
    return node


def _removed_ids(data: Any, removed: Iterable[FieldPath]) -> set[str]:
    ids: set[str] = set()
    for path in removed:
        node = get_path(data, path)
        if isinstance(node, dict) and isinstance(node.get("id"), str):
            ids.add(node["id"])
            if len(path) >= 2 and path[-2] == "coasts":
                owner = get_path(data, path[:-2])
                if isinstance(owner, dict) and isinstance(owner.get("id"), str):
                    ids.add(f"{owner['id']}/{node['id']}")
    return ids
