"""PostgreSQL connections, addresses and errors, said in one line (shared by the store and the cluster)."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict

from server.store import StoreError

CONNECTION_OPTIONS: dict[str, Any] = {
    "autocommit": True,
    "connect_timeout": 5,
    "keepalives": 1,
    "keepalives_idle": 5,
    "keepalives_interval": 2,
    "keepalives_count": 2,
}
"""Every connection to the store (the writer's, the readers', the cluster's): each statement commits
unless a transaction is begun, and a dead peer is noticed within seconds, not hours."""


def describe(exc: BaseException) -> str:
    """One line for a database error: psycopg's messages run over several lines."""
    text = " ".join(str(exc).split())
    return text or type(exc).__name__


def without_password(url: str) -> str:
    """The address for a message or a log line, its password (if any) left out."""
    try:
        info = conninfo_to_dict(url)
    except psycopg.Error:
        return "(an address that cannot be read)"
    info.pop("password", None)
    user = f"{info['user']}@" if info.get("user") else ""
    host = info.get("host") or "localhost"
    port = f":{info['port']}" if info.get("port") else ""
    return f"postgresql://{user}{host}{port}/{info.get('dbname', '')}"


def connect_error(url: str, exc: BaseException) -> StoreError:
    return StoreError(f"cannot reach the store {without_password(url)}: {describe(exc)}")
