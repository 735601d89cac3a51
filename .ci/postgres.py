"""CI: a PostgreSQL server for the interpreters pgserver has no wheel for (3.13), started from the
default interpreter's pgserver and named to the tests in BACKCHANNEL_TEST_POSTGRES.

    python .ci/postgres.py start FOLDER   # prints the administrative database's address
    python .ci/postgres.py stop FOLDER
"""

from __future__ import annotations

import sys
from pathlib import Path

import pgserver


def main() -> None:
    action, folder = sys.argv[1], Path(sys.argv[2]).resolve()
    if action == "start":
        folder.mkdir(parents=True, exist_ok=True)
        print(pgserver.get_server(folder, cleanup_mode=None).get_uri(), flush=True)
    elif action == "stop":
        pgserver.get_server(folder, cleanup_mode="stop").cleanup()
    else:
        raise SystemExit(f"usage: {sys.argv[0]} start|stop FOLDER")


if __name__ == "__main__":
    main()
