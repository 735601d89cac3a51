"""The upload worker dies with its server, however the server dies (kill -9 included).

Uploads are parsed in a worker process started by a fork server.  A server killed with SIGKILL
closes nothing in order, so the worker and the fork server would wait for ever, orphaned, holding
memory: each `serve` that was ever killed would leave two processes behind.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

from support.server import Client, scenario_request

REPO = Path(__file__).resolve().parents[2]
TINY = Path(__file__).resolve().parents[1] / "fixtures" / "scenarios" / "tiny.yaml"


def descendants(pid: int) -> set[int]:
    """Every process below `pid`, read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            parents[int(entry)] = int(stat.rsplit(")", 1)[1].split()[1])
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        children = {child for child, parent in parents.items() if parent in frontier}
        frontier = children - found
        found |= children
    return found


def ended_within(pid: int, seconds: float) -> bool:
    """Whether process `pid` (not our child) ends within `seconds`: waits on its pidfd, no polling."""
    try:
        handle = os.pidfd_open(pid)
    except ProcessLookupError:
        return True
    try:
        ready, _, _ = select.select([handle], [], [], seconds)
        return bool(ready)
    finally:
        os.close(handle)


async def test_a_killed_server_leaves_no_upload_worker_behind(tmp_path: Path) -> None:
    assert scenario_request()  # (the helper module loads)
    server = subprocess.Popen(
        [sys.executable, "-m", "game.cli", "serve", "--port", "0", "--data", str(tmp_path / "data")],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert server.stdout is not None
        url = server.stdout.readline().decode().split()[-1]
        umpire = await Client.open(url, "umpire")
        created = await umpire.request("create", scenario_text=TINY.read_text(encoding="utf-8"))
        assert created["type"] == "created", created  # an upload: the worker was started for it
        await umpire.close()
        helpers = descendants(server.pid)
        assert len(helpers) >= 2, "a fork server and its worker"
        server.send_signal(signal.SIGKILL)
        server.wait()
        survivors = [pid for pid in helpers if not ended_within(pid, 10.0)]
        assert survivors == [], f"still running after the server's kill -9: {survivors}"
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
        if server.stdout is not None:
            server.stdout.close()
