"""Shared test setup: pygame always runs headless (no window, no sound device); one PostgreSQL a session."""

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[str]:
    """A running PostgreSQL for the whole session (tests/postgres.py): an administrative database's address."""
    from support.postgres import postgres_server

    with postgres_server() as url:
        yield url
