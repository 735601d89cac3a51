"""The program's own data: the bundled scenarios and the assets (fonts, theme, geography).

The source tree keeps them in the top-level folders ``scenarios/`` and ``assets/``, where designers
and the tests work on them.  The build maps both into the package as ``game/_bundled/scenarios``
and ``game/_bundled/assets`` (pyproject.toml, hatchling's force-include), so an installed program
finds them through ``importlib.resources`` beside its code.  An editable install runs the package
from the source tree, which has no ``_bundled`` folder: there the same two names are the
top-level folders.  Either way the bundle is one folder holding ``scenarios/`` and ``assets/``, and
every reader asks here for it.

An installed bundle is checked against the installer's record (its RECORD: size and SHA-256 of
every file), so a file that is missing or damaged raises :class:`BundledDataError`, whose one
line names the file and says to reinstall: a broken installation is not a bug to show a
traceback for.  A checkout's files are the designer's own and are not compared with anything.
"""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from functools import cache
from importlib import metadata, resources
from pathlib import Path

BUNDLE_ENV = "BACKCHANNEL_BUNDLE"
"""A folder to read instead of the program's own bundle (it holds ``scenarios/`` and ``assets/``);
its files are checked against the program's own.  For tests of a damaged installation."""

DISTRIBUTION = "backchannel"
_REINSTALL = (
    "reinstall backchannel (pipx reinstall backchannel, or pip install --force-reinstall backchannel)"
)


class BundledDataError(RuntimeError):
    """A file the program ships is missing or damaged: the installation needs repairing."""

    def __init__(self, path: Path, problem: str = "is missing") -> None:
        self.path = path
        super().__init__(f"{path} {problem}: the installation is incomplete; {_REINSTALL}")


def _package() -> Path:
    return Path(str(resources.files("game"))).resolve()


def _own_root() -> Path:
    """The program's own bundle: ``game/_bundled`` when installed, else the checkout's top level."""
    bundled = _package() / "_bundled"
    return bundled if bundled.is_dir() else _package().parent


def installed() -> bool:
    """Whether the program's own data comes from an installed package (not a source checkout)."""
    return (_package() / "_bundled").is_dir()


def bundle_root() -> Path:
    """The folder holding ``scenarios/`` and ``assets/``."""
    override = os.environ.get(BUNDLE_ENV)
    return Path(override) if override else _own_root()


def scenarios_dir() -> Path:
    """The bundled scenarios, ``<bundle>/scenarios/<id>.yaml``, with their map specs in ``maps/``."""
    return bundle_root() / "scenarios"


def assets_dir() -> Path:
    """Fonts, theme and geography data, ``<bundle>/assets``."""
    return bundle_root() / "assets"


def version() -> str:
    """The installed distribution's version (the checkout's when installed editable)."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return "unknown (not installed)"


# -- checking a file against what was shipped ---------------------------------------------------


@cache
def _record() -> dict[str, tuple[int | None, str]]:
    """Every bundled file the installer wrote, by path under the bundle: (size, urlsafe-b64 SHA-256)."""
    try:
        files = metadata.distribution(DISTRIBUTION).files or []
    except metadata.PackageNotFoundError:
        return {}
    shipped: dict[str, tuple[int | None, str]] = {}
    for file in files:
        if file.parts[:2] == ("game", "_bundled") and file.hash is not None and file.hash.mode == "sha256":
            shipped["/".join(file.parts[2:])] = (file.size, file.hash.value)
    return shipped


def _digest(path: Path) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(path.read_bytes()).digest()).rstrip(b"=").decode()


@cache
def _reference_digest(relative: str) -> str | None:
    """What the bundled file at ``relative`` should hash to, or None when nothing says."""
    if os.environ.get(BUNDLE_ENV):
        if installed():
            return _record().get(relative, (None, None))[1]
        own = _own_root() / relative
        return _digest(own) if own.is_file() else None
    if installed():
        return _record().get(relative, (None, None))[1]
    return None  # a checkout: the designer's own files


@cache
def _checked(path: str, stamp: tuple[int, int]) -> bool:
    relative = Path(path).relative_to(bundle_root()).as_posix()
    expected = _reference_digest(relative)
    return expected is None or _digest(Path(path)) == expected


def shipped(path: Path) -> bool:
    """Whether ``path`` is a file the program was shipped with (false in a checkout: nothing says)."""
    try:
        relative = path.relative_to(bundle_root()).as_posix()
    except ValueError:
        return False
    return _reference_digest(relative) is not None


def check(path: Path) -> Path:
    """``path`` itself, once it is known to be there and whole if it is part of the bundle.

    Raises :class:`BundledDataError` when it is missing, or when it is a shipped file whose
    content is not what was shipped.  A path outside the bundle is only checked for being there."""
    try:
        stat = path.stat()
    except OSError:
        raise BundledDataError(path) from None
    try:
        path.relative_to(bundle_root())
    except ValueError:
        return path
    if not _checked(str(path), (stat.st_mtime_ns, stat.st_size)):
        raise BundledDataError(path, "is damaged")
    return path


def damaged(path: Path) -> BundledDataError:
    """The error for a bundled file that is there but cannot be read."""
    return BundledDataError(path, "is damaged")


def warn(error: BundledDataError) -> None:
    """Say once, on one line, that a file the program can do without (a font) is missing or damaged."""
    _warn(str(error))


@cache
def _warn(line: str) -> None:
    print(f"backchannel: {line}", file=sys.stderr, flush=True)
