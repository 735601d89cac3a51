"""The installed program, checked as a player or a designer would use it (run by .ci/smoke_wheel.sh).

Run with the Python of a fresh virtual environment that has only the built wheel installed, from a
folder outside the source tree, with the checkout's path as the one argument (for comparing
the bundled files with the source).  Each check prints one line; the last line counts them.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

CHECKOUT = Path(sys.argv[1]).resolve()
WORK = Path(tempfile.mkdtemp(prefix="smoke-"))
BIN = Path(sys.executable).parent
ENV = {
    **os.environ,
    "SDL_VIDEODRIVER": "dummy",
    "SDL_AUDIODRIVER": "dummy",
    "BACKCHANNEL_HOME": str(WORK / "home"),  # games, settings and caches of this run, not the user's
    "XDG_DATA_HOME": str(WORK / "xdg-data"),
    "XDG_CACHE_HOME": str(WORK / "xdg-cache"),
    "XDG_CONFIG_HOME": str(WORK / "xdg-config"),
}
passed: list[str] = []
failed: list[str] = []


def backchannel(*args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "backchannel"), *args], cwd=WORK, env=ENV, capture_output=True, text=True, timeout=timeout
    )


def ok(run: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    if run.returncode != 0:
        raise AssertionError(f"exit {run.returncode}\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}")
    if "reinstall" in run.stderr:
        raise AssertionError(f"a bundled file is missing or damaged:\n{run.stderr[-2000:]}")
    return run


def check(name: str) -> Callable[[Callable[[], str]], None]:
    def run(body: Callable[[], str]) -> None:
        start = time.perf_counter()
        try:
            detail = body()
        except Exception as exc:
            failed.append(name)
            print(f"FAIL {name} ({time.perf_counter() - start:.1f} s): {exc}", flush=True)
        else:
            passed.append(name)
            print(f"ok   {name} ({time.perf_counter() - start:.1f} s): {detail}", flush=True)

    return run


import game  # noqa: E402  (after the helpers: the import itself is the first thing checked)
from game import resources  # noqa: E402

BUNDLE = resources.bundle_root()


@check("the program runs from the installed wheel, not the checkout")
def _installed() -> str:
    where = Path(game.__file__).resolve()
    assert CHECKOUT not in where.parents, f"game imported from the checkout: {where}"
    assert resources.installed(), f"no game/_bundled beside {where}"
    return str(where.parent)


@check("backchannel --version")
def _version() -> str:
    out = ok(backchannel("--version")).stdout.strip()
    assert out == f"backchannel {resources.version()}", out
    return out


@check("the wheel carries every file of scenarios/ and assets/, as the installer recorded it")
def _files() -> str:
    count = 0
    for folder in ("scenarios", "assets"):
        for source in sorted((CHECKOUT / folder).rglob("*")):
            if source.is_dir() or "__pycache__" in source.parts:
                continue
            installed = BUNDLE / source.relative_to(CHECKOUT)
            assert installed.is_file(), f"{source.relative_to(CHECKOUT)} is not in the wheel"
            assert filecmp.cmp(source, installed, shallow=False), f"{installed} differs from the checkout's"
            resources.check(installed)  # size and SHA-256 against the install's RECORD
            count += 1
    return f"{count} files under {BUNDLE}"


SCENARIOS = sorted(resources.scenarios_dir().glob("*.yaml"))


@check("scenario validate: every bundled scenario")
def _validate() -> str:
    out = ok(backchannel("scenario", "validate", *map(str, SCENARIOS))).stdout
    valid = re.findall(r"^OK ", out, re.M)
    assert SCENARIOS and len(valid) == len(SCENARIOS), out
    return f"{len(valid)} valid: {', '.join(p.stem for p in SCENARIOS)}"


@check("simulate july-1914, two turns, and its debrief report")
def _simulate() -> str:
    ok(backchannel("simulate", "--scenario", "july-1914", "--seed", "1", "--turns", "2", "--out", "sim"))
    record = WORK / "sim" / "record.json"
    assert record.stat().st_size > 1000, "no record.json"
    ok(backchannel("report", str(record), "--out", "report.html"))
    html = (WORK / "report.html").read_text(encoding="utf-8")
    assert "<html" in html.lower(), "the report is not HTML"
    return f"record.json {record.stat().st_size // 1024} KiB, report.html {len(html) // 1024} KiB"


@check("scenario build-map: july-1914's map rebuilt from the bundled geography equals the bundled map")
def _build_map() -> str:
    copy = WORK / "designer"
    (copy / "maps").mkdir(parents=True)
    shutil.copy(resources.scenarios_dir() / "july-1914.yaml", copy / "july-1914.yaml")
    shutil.copy(resources.scenarios_dir() / "maps" / "july-1914.yaml", copy / "maps" / "july-1914.yaml")
    out = ok(
        backchannel(
            "scenario", "build-map", "designer/maps/july-1914.yaml", "--into", "designer/july-1914.yaml"
        )
    )
    built = (copy / "july-1914.yaml").read_bytes()
    assert built == (resources.scenarios_dir() / "july-1914.yaml").read_bytes(), "the rebuilt map differs"
    return out.stdout.strip().splitlines()[-1]


@check("scenario preview: july-1914 drawn to a PNG")
def _preview() -> str:
    ok(
        backchannel(
            "scenario", "preview", str(resources.scenarios_dir() / "july-1914.yaml"), "--out", "map.png"
        )
    )
    size = (WORK / "map.png").stat().st_size
    assert size > 20_000, f"map.png is only {size} bytes"
    return f"map.png {size // 1024} KiB"


@check("play --demo --turns 1, headless, with screenshots")
def _play() -> str:
    ok(backchannel("play", "--demo", "--turns", "1", "--seed", "1", "--screenshots", "shots", timeout=600))
    shots = sorted((WORK / "shots").glob("*.png"))
    assert shots and shots[0].stat().st_size > 20_000, f"screenshots: {[s.name for s in shots]}"
    return f"{len(shots)} screenshots, the first {shots[0].name}"


@check("serve: a hello on loopback is welcomed")
def _serve() -> str:
    import msgpack
    from websockets.sync.client import connect

    server = subprocess.Popen(
        [str(BIN / "backchannel"), "serve", "--host", "127.0.0.1", "--port", "0", "--data", "served"],
        cwd=WORK,
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        url = ""
        deadline = time.monotonic() + 60
        while not url and time.monotonic() < deadline:
            line = server.stdout.readline()
            if not line:
                break
            found = re.search(r"listening on (ws://\S+)", line)
            url = found.group(1) if found else ""
        assert url, (
            f"the server did not say where it listens: {server.stderr.read() if server.poll() is not None else ''}"
        )
        with connect(url, open_timeout=10) as ws:
            ws.send(msgpack.packb({"type": "hello", "protocol": 1, "id": "smoke"}))
            answer = msgpack.unpackb(ws.recv(timeout=10))
        assert answer.get("type") == "welcome" and answer.get("ref") == "smoke", answer
        return f"{url} answered {answer['type']} from {answer.get('server')}"
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


shutil.rmtree(WORK, ignore_errors=True)
print(f"smoke: {len(passed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
