"""Helpers shared by tests of several parts: a server on a loopback port and a recording client
(`support.server`), a real PostgreSQL (`support.postgres`).  tests/ is on the import path (its
conftest.py is there), so any test imports them as `support.…`."""
