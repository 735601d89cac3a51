"""The upload worker dies with its server, however the server dies (kill -9 included), and bounds
each parse by the processor time it uses, not by the clock.

Uploads are parsed in a worker process started by a fork server.  A server killed with SIGKILL
closes nothing in order, so the worker and the fork server would wait for ever, orphaned, holding
memory: each `serve` that was ever killed would leave two processes behind.
"""

from __future__ import annotations

import asyncio
import os
import resource
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from support.server import Client, scenario_request

from server import uploads

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


# --- the bound is on processor time, not on the clock ---------------------------------------------------

SLOW = "format: backchannel-scenario/1\n" + "".join(f"k{n}: [1, 2, {{a: b}}]\n" for n in range(40_000))
"""About 1 MiB of YAML that the pure-Python reader takes seconds of processor time to read."""


def test_a_parse_that_uses_its_processor_time_answers_slow_and_leaves_no_timer_behind() -> None:
    """In this process, as in the worker: the CPU-time timer stops the parse, and both the timer and
    the CPU limit are put back as they were."""
    previous = signal.signal(signal.SIGPROF, uploads._over_cpu)
    limit = resource.getrlimit(resource.RLIMIT_CPU)
    try:
        assert uploads.parse_upload(SLOW, 0.2) == ("slow", None, None)
        assert signal.getitimer(signal.ITIMER_PROF) == (0.0, 0.0)
        assert resource.getrlimit(resource.RLIMIT_CPU) == limit
        outcome, scenario, problems = uploads.parse_upload(TINY.read_text(encoding="utf-8"), 30.0)
        assert (outcome, problems) == ("ok", None) and '"states"' in scenario
    finally:
        signal.signal(signal.SIGPROF, previous)


def worker_pid(worker: uploads.UploadWorker) -> int:
    processes = list(getattr(worker._pool, "_processes", {}))
    assert len(processes) == 1, processes
    return int(processes[0])


async def test_a_starved_worker_still_reads_a_small_upload_and_a_slow_one_is_refused() -> None:
    """On a busy machine the worker (nice 19) may wait long for a processor: a small upload must not
    be refused for the time it waited.  Here the worker is stopped outright for twice its bound before
    it may read; the upload is read all the same.  Then one that needs more processor time than the
    bound is refused, and the same worker reads the next (it was not killed for it)."""
    worker = uploads.UploadWorker(seconds=0.5, waiting=2)
    try:
        tiny = TINY.read_text(encoding="utf-8")
        assert (await worker.parse(tiny))[0] == "ok"  # the worker is running
        pid = worker_pid(worker)
        os.kill(pid, signal.SIGSTOP)
        asyncio.get_running_loop().call_later(2 * worker.seconds, os.kill, pid, signal.SIGCONT)
        assert (await worker.parse(tiny + "\n# again\n"))[0] == "ok"
        with pytest.raises(uploads.UploadTimeout):
            await worker.parse(SLOW)
        assert (await worker.parse(tiny))[0] == "ok"
        assert worker_pid(worker) == pid
    finally:
        worker.close()
