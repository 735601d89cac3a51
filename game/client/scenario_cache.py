"""The game's scenario, for drawing the map: parsed once, then kept in memory and on disk.

The client learns its game's scenario from the server (`get_scenario`, answered with the
scenario as the seat may read it), since a joined game may use a scenario this machine does
not have.  The title screen, before any game exists, reads the bundled scenario files
instead.  Parsing YAML and validating a big map takes a noticeable fraction of a second,
while reading back the validated model's JSON takes milliseconds, so both kinds are cached
on disk under the SHA-256 of their source, in a folder keyed by the scenario model's own
source so that a new version of the model never reads a stale cache.

Cache folder: ``$BACKCHANNEL_HOME/cache/scenarios`` when BACKCHANNEL_HOME is set, else the
user cache directory (platformdirs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

import game.rules.scenario as scenario_model
from game import resources
from game.rules.scenario import Scenario

log = logging.getLogger("backchannel.client.scenario")

HOME_ENV = "BACKCHANNEL_HOME"
BUNDLED_DIR = resources.scenarios_dir()


def cache_dir() -> Path:
    """Where parsed scenarios are kept between runs."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home) / "cache" / "scenarios"
    import platformdirs

    return Path(platformdirs.user_cache_dir("backchannel")) / "scenarios"


def _model_version() -> str:
    """A fingerprint of the scenario model's source: a changed model starts a fresh cache."""
    source = Path(scenario_model.__file__).read_bytes()
    return hashlib.sha256(source).hexdigest()[:16]


def wire_text(data: dict[str, Any]) -> str:
    """A scenario received from the server as canonical JSON text (the key of its cache entry)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


YamlReader = Callable[[str, str], Scenario]


def _stamp(path: Path) -> tuple[int, int] | None:
    """A file's modification time and size (None when it cannot be read)."""
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


class ScenarioCache:
    """Scenarios by the SHA-256 of their source, in memory and on disk."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = (directory if directory is not None else cache_dir()) / _model_version()
        self._memory: dict[str, Scenario] = {}
        self._files: dict[Path, tuple[tuple[int, int], Scenario]] = {}
        """Bundled scenarios already read, by path, with the file's (mtime, size) then: the title
        screen's gallery asks for every one of them each time it is built."""

    read_yaml: YamlReader | None = None
    """Reads a scenario file's text (the scenario loader, `game.scenario.loader.load_scenario_text`).
    The client may not import the scenario package (DESIGN.md's layout); the program that starts
    the client (game/play.py) hands the loader over.  Only needed on a cache miss of a bundled file."""

    def from_wire(self, data: dict[str, Any]) -> Scenario:
        """The scenario of a server's `scenario` message (its ``scenario`` field)."""
        text = wire_text(data)
        return self._cached(text, lambda: Scenario.model_validate(data))

    def from_message(self, message: dict[str, Any]) -> Scenario:
        """The scenario of a whole `scenario` message."""
        return self.from_wire(message["scenario"])

    def bundled(self, scenario_id: str) -> Scenario:
        """A scenario bundled with the game (scenarios/ID.yaml), read without asking any server.

        Raises KeyError for an unknown id.  The file is parsed by the scenario loader (YAML with
        located errors) the first time only."""
        path = BUNDLED_DIR / f"{scenario_id}.yaml"
        if "/" in scenario_id or "\\" in scenario_id or not (path.is_file() or resources.shipped(path)):
            raise KeyError(scenario_id)
        known = self.peek_bundled(scenario_id)
        if known is not None:
            return known
        stamp = _stamp(path)
        text = resources.check(path).read_text(encoding="utf-8")  # a damaged install: one line, reinstall

        def parse() -> Scenario:
            reader = ScenarioCache.read_yaml
            if reader is None:
                raise KeyError(f"{scenario_id}: no scenario file reader was given to the client")
            return reader(text, path.name)

        scenario = self._cached(text, parse)
        if stamp is not None:
            self._files[path] = (stamp, scenario)
        return scenario

    def peek_bundled(self, scenario_id: str) -> Scenario | None:
        """A bundled scenario if it was read before and its file has not changed since, else None
        (never reads the file)."""
        path = BUNDLED_DIR / f"{scenario_id}.yaml"
        known = self._files.get(path)
        if known is None or "/" in scenario_id or "\\" in scenario_id:
            return None
        return known[1] if _stamp(path) == known[0] else None

    def file(self, path: str) -> Scenario:
        """Any scenario file, read by the scenario loader (its problems, with their lines, in the
        ValueError it raises) — for "Open a scenario file" on the title screen."""
        source = Path(path)
        try:
            text = source.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) else None
            raise ValueError(f"{source.name} cannot be read: {reason or exc}") from None
        reader = ScenarioCache.read_yaml
        if reader is None:
            raise ValueError("no scenario file reader was given to the client")
        return self._cached(text, lambda: reader(text, source.name))

    @staticmethod
    def bundled_ids() -> list[str]:
        """Ids of the bundled scenarios, e.g. ``["july-1914"]``."""
        if not BUNDLED_DIR.is_dir():
            return []
        return sorted(p.stem for p in BUNDLED_DIR.glob("*.yaml") if not p.stem.startswith("."))

    def _cached(self, source: str, parse: Callable[[], Scenario]) -> Scenario:
        key = hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()
        found = self._memory.get(key)
        if found is not None:
            return found
        found = self._read(key)
        if found is None:
            found = parse()
            self._write(key, found)
        self._memory[key] = found
        return found

    def _read(self, key: str) -> Scenario | None:
        path = self.directory / f"{key}.json"
        try:
            return Scenario.model_validate_json(path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValidationError, ValueError) as exc:  # a damaged entry is parsed again
            log.debug("scenario cache entry %s unreadable: %s", path, exc)
            return None

    def _write(self, key: str, scenario: Scenario) -> None:
        """Write atomically: a half-written file is never read back.  A cache that cannot be
        written (read-only home) only costs time."""
        path = self.directory / f"{key}.json"
        partial = path.with_suffix(
            f".{os.getpid()}.{threading.get_ident()}.tmp"
        )  # the gallery's worker writes too
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            partial.write_text(scenario.model_dump_json(), encoding="utf-8")
            os.replace(partial, path)
        except OSError as exc:
            log.debug("scenario cache not written: %s", exc)
            with contextlib.suppress(OSError):
                partial.unlink()
