"""Uploaded scenarios are parsed in a process of their own, with a bound on their CPU time.

Reading a scenario's YAML is pure Python and slow (seconds for a big file): in the server's
process it would hold the GIL against the event loop, and in the thread pool that resolves
phases and runs bots it would make a teacher's "resolve now" wait behind strangers' uploads.
So an upload goes to one worker process (a fork server's child: started clean, with the loader
already imported), one at a time.  The worker answers the checked scenario as JSON, which the
server reads back in a hundredth of the time (the same trick as the scenario cache).

The bound is on the processor time the parse uses, not on the clock: the worker gives way to the
games (nice 19), so on a busy machine a small upload may take long to read without costing much,
and must not be refused for it.  A parse that uses its time is stopped by a CPU-time timer (it
answers "slow" and the worker lives on); one stuck where Python cannot interrupt it is ended by
the kernel at twice that (RLIMIT_CPU).  A wall-clock bound stays, far longer, for a worker that
never gets a processor at all.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import math
import multiprocessing
import os
import resource
import select
import signal
import threading
import time
from typing import Any

from server import logs

MAX_PROBLEMS = 50

WALL_FACTOR = 10.0
WALL_MINIMUM_SECONDS = 60.0
"""The wall-clock bound of a parse: this many times its CPU bound, and never less than this."""


class UploadOverCpu(BaseException):
    """In the worker: the parse used its processor time.  (A BaseException, so that no `except
    Exception` on the way out of the loader takes it for a problem of the file.)"""


_parsing = False
"""Whether the worker is inside a parse: a CPU-time signal that comes after one is ignored."""


def _over_cpu(signum: int, frame: object) -> None:
    if _parsing:
        raise UploadOverCpu


def parse_upload(text: str, cpu_seconds: float | None = None) -> tuple[str, Any, Any]:
    """In the worker: ("ok", the scenario's JSON, None), ("bad", error count, the first problems), or
    ("slow", None, None) once the parse has used `cpu_seconds` of processor time."""
    global _parsing
    limit_before = None
    try:
        if cpu_seconds is not None:
            _parsing = True
            used = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
            limit_before = resource.getrlimit(resource.RLIMIT_CPU)
            stop = math.ceil(used + 2 * cpu_seconds + 1)
            if limit_before[1] == resource.RLIM_INFINITY or stop <= limit_before[1]:
                resource.setrlimit(resource.RLIMIT_CPU, (stop, limit_before[1]))
            signal.setitimer(signal.ITIMER_PROF, cpu_seconds)
        return _parse(text)
    except UploadOverCpu:
        return "slow", None, None
    finally:
        _parsing = False
        if cpu_seconds is not None:
            signal.setitimer(signal.ITIMER_PROF, 0)
            if limit_before is not None:
                resource.setrlimit(resource.RLIMIT_CPU, limit_before)


def _parse(text: str) -> tuple[str, Any, Any]:
    from game.scenario.loader import ScenarioError, load_scenario_text

    try:
        scenario = load_scenario_text(text, "upload")
    except ScenarioError as exc:
        return "bad", len(exc.errors), [str(p) for p in exc.problems[:MAX_PROBLEMS]]
    except (RecursionError, MemoryError, ValueError) as exc:  # a file built to break the reader
        return "bad", 1, [f"upload: the file cannot be read ({type(exc).__name__})"]
    return "ok", scenario.model_dump_json(), None


def _start_worker(server_pid: int) -> None:
    """In the worker, first: it gives way to the server (on a busy machine, games come before
    strangers' uploads), and it ends when the server does, however the server ended."""
    with contextlib.suppress(OSError, AttributeError):
        os.nice(19)
    signal.signal(signal.SIGPROF, _over_cpu)
    threading.Thread(target=_outlive_not, args=(server_pid,), name="server-watch", daemon=True).start()


def _outlive_not(server_pid: int) -> None:
    """Wait for the server process to end, then end this worker.  A server killed with SIGKILL closes
    nothing in an orderly way: the worker holds its own ends of the pipes that would tell it, and the
    fork server waits for its workers, so without this both would live on, orphaned, for ever."""
    try:
        watch = os.pidfd_open(server_pid)
    except (AttributeError, OSError):  # no pidfds here: ask now and then instead
        while _alive(server_pid):
            time.sleep(1.0)
    else:
        select.select([watch], [], [])  # readable once the process has ended
    os._exit(0)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class UploadTimeout(Exception):
    """The parse ran past its processor time (or, the worker never getting one, its wall time)."""


class UploadBusy(Exception):
    """Too many uploads are waiting already."""


class UploadWorker:
    """One process parsing uploads in turn; killed and replaced when a parse runs too long."""

    def __init__(self, seconds: float, waiting: int) -> None:
        self.seconds = seconds
        """Processor time a parse may use."""
        self.wall_seconds = max(WALL_MINIMUM_SECONDS, WALL_FACTOR * seconds)
        self.waiting = waiting
        self._pool: concurrent.futures.ProcessPoolExecutor | None = None
        self._turn = asyncio.Lock()
        self._queued = 0

    def _executor(self) -> concurrent.futures.ProcessPoolExecutor:
        if self._pool is None:
            # A fork server, not a fork of this process: its threads (the store's, the log's) hold locks.
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["game.scenario.loader"])
            self._pool = concurrent.futures.ProcessPoolExecutor(
                max_workers=1, mp_context=context, initializer=_start_worker, initargs=(os.getpid(),)
            )
        return self._pool

    async def parse(
        self, text: str, submitter: concurrent.futures.Executor | None = None
    ) -> tuple[str, Any, Any]:
        """Parse in the worker.  `submitter`: a thread to hand the text over from: starting the worker
        process waits for the fork server (its first start imports the loader), never on the event loop."""
        if self._queued > self.waiting:  # (the one being read, and `waiting` more)
            raise UploadBusy
        self._queued += 1
        try:
            async with self._turn:
                loop = asyncio.get_running_loop()
                submitted = await loop.run_in_executor(submitter, self._submit, text)
                try:
                    outcome = await asyncio.wait_for(asyncio.wrap_future(submitted), self.wall_seconds)
                except UploadOverCpu:  # (the timer went off just as the parse ended)
                    raise UploadTimeout from None
                except (TimeoutError, concurrent.futures.process.BrokenProcessPool):
                    await loop.run_in_executor(submitter, self._kill)
                    raise UploadTimeout from None
                if outcome[0] == "slow":
                    logs.log.info("upload refused: it used %g s of processor time", self.seconds)
                    raise UploadTimeout
                return outcome
        finally:
            self._queued -= 1

    def _submit(self, text: str) -> concurrent.futures.Future[tuple[str, Any, Any]]:
        return self._executor().submit(parse_upload, text, self.seconds)

    def _kill(self) -> None:
        """End the worker mid-parse (a process pool cannot cancel a running call) and start afresh."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        logs.log.info("upload worker ended: a scenario was not read within %.0f s", self.wall_seconds)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
