"""Open a debrief report in a real browser engine (headless Chromium) and save a screenshot.

    python bench/report_browser.py [REPORT.html] [--out docs/report.png] [--height 2000] [--quick]

Without a report it makes one: a seeded 20-turn `simulate` game of july-1914, then
`backchannel report`.  The screenshot is what a teacher sees on opening the file (1280 px
wide); look at it.  Chromium (Debian's package: apt-get install chromium) runs with a fresh
profile, no network services, no sandbox (containers), no GPU.

It also prints what the browser made of the page: Chromium's --dump-dom of the same file,
checked for every section, every turn and the embedded images, so a page the browser could
not lay out (a broken template, an unclosed tag swallowing the rest) is caught without looking.

`--quick` (CI): a 2-turn game's report, the screenshot in a scratch folder; without Chromium it
says so and exits 0 (SKIPPED), since a machine without a browser cannot run it.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--mute-audio",
]
SECTIONS = ("result", "charts", "story", "agreements", "messages", "knowledge", "grades")


NO_CHROMIUM = "no Chromium found: install it with `apt-get install -y chromium` (Debian) and run again"


def find_chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome", "chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def chromium() -> str:
    return find_chromium() or sys.exit(NO_CHROMIUM)


def make_report(folder: Path, turns: int = 20) -> Path:
    """A seeded game of july-1914 (20 turns) and its report, with the real command line."""
    command = [sys.executable, "-m", "game.cli"]
    subprocess.run(
        [
            *command,
            "simulate",
            "--scenario",
            "july-1914",
            "--seed",
            "1",
            "--turns",
            str(turns),
            "--out",
            str(folder),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    report = folder / "report.html"
    subprocess.run(
        [
            *command,
            "report",
            str(folder / "record.json"),
            "--out",
            str(report),
            "--grades",
            str(folder / "grades.csv"),
        ],
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    return report


def run_chromium(args: list[str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    with tempfile.TemporaryDirectory(prefix="backchannel-chromium-") as profile:
        env = dict(os.environ, HOME=profile)
        return subprocess.run(
            [chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.images = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(str(a["id"]))
        if tag == "img" and str(a.get("src", "")).startswith("data:image/png;base64,"):
            self.images += 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("report", nargs="?", type=Path, help="The report to open (default: make one).")
    parser.add_argument(
        "--out", type=Path, default=Path("report-screenshot.png"), help="Screenshot PNG to write."
    )
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2000)
    parser.add_argument(
        "--palette",
        action="store_true",
        help="Save the screenshot with 256 colours (Pillow), a third of the size, for docs/.",
    )
    parser.add_argument(
        "--section",
        choices=SECTIONS,
        help="Show only this section under the title (a copy of the "
        "page with the others hidden: headless Chromium does not reliably screenshot at an anchor).",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="A 2-turn game's report, the screenshot in a scratch "
        "folder; SKIPPED (exit 0) without Chromium: a check that it runs (CI).",
    )
    args = parser.parse_args()
    if args.quick and find_chromium() is None:
        print(f"SKIPPED: {NO_CHROMIUM}")
        return 0

    with tempfile.TemporaryDirectory(prefix="backchannel-report-") as tmp:
        if args.quick and args.out == parser.get_default("out"):
            args.out = Path(tmp) / "report-screenshot.png"
        report = args.report or make_report(Path(tmp), 2 if args.quick else 20)
        page = report
        if args.section:
            page = Path(tmp) / f"only-{args.section}.html"
            hide = f"<style>main > section:not(#{args.section}) {{ display: none; }}</style></head>"
            page.write_text(report.read_text(encoding="utf-8").replace("</head>", hide, 1), encoding="utf-8")
        url = page.resolve().as_uri()
        out = args.out.resolve()
        out.parent.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        shot = run_chromium(
            [
                f"--screenshot={out}",
                f"--window-size={args.width},{args.height}",
                "--virtual-time-budget=5000",
                url,
            ]
        )
        took = time.perf_counter() - started
        if shot.returncode != 0 or not out.is_file():
            print(shot.stderr[-2000:], file=sys.stderr)
            print(f"FAIL: Chromium did not write {out}", file=sys.stderr)
            return 1
        if args.palette:
            from PIL import Image

            # Octree keeps the few pixels of each state's colour swatch (median cut averages them away).
            Image.open(out).convert("RGB").quantize(
                256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE
            ).save(out, "PNG", optimize=True)
        dom = run_chromium(["--dump-dom", url])
        parsed = _Ids()
        parsed.feed(dom.stdout)
        turns = sorted(int(m.group(1)) for i in parsed.ids if (m := re.fullmatch(r"turn-(\d+)", i)))
        missing = [s for s in SECTIONS if s not in parsed.ids]
        print(f"report: {report} ({report.stat().st_size / 1e6:.1f} MB)")
        print(f"chromium: {shot.stdout.strip() or 'screenshot taken'} in {took:.1f} s -> {out}")
        print(
            f"DOM as Chromium built it: {len(dom.stdout) / 1e6:.1f} MB, sections missing: {missing or 'none'}, "
            f"turns 0-{turns[-1] if turns else '?'} ({len(turns)}), {parsed.images} embedded PNG images"
        )
        return 1 if missing or not turns or parsed.images == 0 else 0


if __name__ == "__main__":
    raise SystemExit(main())
