"""Uploaded scenarios are parsed in a process of their own, with a time bound.

Reading a scenario's YAML is pure Python and slow (seconds for a big file): in the server's
process it would hold the GIL against the event loop, and in the thread pool that resolves
phases and runs bots it would make a teacher's "resolve now" wait behind strangers' uploads.
So an upload goes to one worker process (a fork server's child: started clean, with the loader
already imported), one at a time, and a parse that runs past its time is ended by killing the
worker.  The worker answers the checked scenario as JSON, which the server reads back in a
hundredth of the time (the same trick as the scenario cache).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import multiprocessing
import os
import select
import threading
import time
from typing import Any

from server import logs

MAX_PROBLEMS = 50


def parse_upload(text: str) -> tuple[str, Any, Any]:
    """In the worker: ("ok", the scenario's JSON, None) or ("bad", error count, the first problems)."""
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
    """The parse ran past its time; the worker was ended."""


class UploadBusy(Exception):
    """Too many uploads are waiting already."""


class UploadWorker:
    """One process parsing uploads in turn; killed and replaced when a parse runs too long."""

    def __init__(self, seconds: float, waiting: int) -> None:
        self.seconds = seconds
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
                    return await asyncio.wait_for(asyncio.wrap_future(submitted), self.seconds)
                except (TimeoutError, concurrent.futures.process.BrokenProcessPool):
                    await loop.run_in_executor(submitter, self._kill)
                    raise UploadTimeout from None
        finally:
            self._queued -= 1

    def _submit(self, text: str) -> concurrent.futures.Future[tuple[str, Any, Any]]:
        return self._executor().submit(parse_upload, text)

    def _kill(self) -> None:
        """End the worker mid-parse (a process pool cannot cancel a running call) and start afresh."""
        pool, self._pool = self._pool, None
        if pool is None:
            return
        for process in list(getattr(pool, "_processes", {}).values()):
            with contextlib.suppress(Exception):
                process.kill()
        pool.shutdown(wait=False, cancel_futures=True)
        logs.log.info("upload worker ended: a scenario took longer than %.0f s to read", self.seconds)

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            for process in list(getattr(pool, "_processes", {}).values()):
                with contextlib.suppress(Exception):
                    process.kill()
            pool.shutdown(wait=False, cancel_futures=True)
