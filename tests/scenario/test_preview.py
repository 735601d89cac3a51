"""The preview: names placed without collisions or clipping, and `--watch` redrawing on each save."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from itertools import combinations
from pathlib import Path

import pygame
import pytest

from game.render import MapRenderer
from game.render.labels import name_variants, short_names
from game.scenario.preview import load_scenario_file, preview_layout, watch_command
from tests.render.test_render import _write_yaml, tiny_scenario

REPO = Path(__file__).resolve().parents[2]
BUNDLED = sorted((REPO / "scenarios").glob("*.yaml"))


def _overlaps(a: pygame.Rect, b: pygame.Rect) -> bool:
    return a.left < b.right and b.left < a.right and a.top < b.bottom and b.top < a.bottom


def _load(path: Path):  # type: ignore[no-untyped-def]
    try:
        return load_scenario_file(path)
    except ValueError as error:  # another scenario's own tests report it
        pytest.skip(f"{path.name} does not load: {str(error)[:200]}")


# -- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
@pytest.mark.parametrize("width", [1400, 800])
def test_preview_names_stay_on_the_map_and_apart(path: Path, width: int) -> None:
    scenario = _load(path)
    layout = preview_layout(scenario, width)
    picture = pygame.Rect(0, 0, *layout.size)
    names = {t.id: t.name for t in scenario.map.territories}
    assert layout.labels, "no names at all"
    for label in layout.labels:
        assert layout.map_rect.contains(label.rect), (
            label.territory,
            label.text,
            label.rect,
            layout.map_rect,
        )
        assert picture.contains(label.rect)
        assert label.text != label.territory.upper(), f"a bare id on the map: {label.text}"
        assert label.text.replace(" ", "")[:3] == names[label.territory].replace(" ", "")[:3], label.text
    for a, b in combinations(layout.labels, 2):
        assert not _overlaps(a.rect, b.rect), (a.territory, a.text, a.rect, b.territory, b.text, b.rect)
    placed = {label.territory for label in layout.labels}
    assert placed.isdisjoint(layout.unnamed)
    assert placed | set(layout.unnamed) == {t.id for t in scenario.map.territories if t.polygons}


@pytest.mark.parametrize("path", BUNDLED, ids=[p.stem for p in BUNDLED])
def test_client_map_names_stay_on_the_canvas_and_apart(path: Path) -> None:
    scenario = _load(path)
    renderer = MapRenderer(scenario)
    renderer.camera.set_viewport((1280, 720))
    for zoom in (1.0, 2.5):
        layout = renderer.label_layout(renderer.camera.fit_scale * zoom)
        canvas = pygame.Rect(0, 0, *layout.size)
        for label in layout.labels:
            assert canvas.contains(pygame.Rect(label.rect)), (label.territory, label.rect)
        rects = [pygame.Rect(label.rect) for label in layout.labels]
        for a, b in combinations(rects, 2):
            assert not _overlaps(a, b)


def test_a_name_at_the_edge_is_moved_onto_the_map() -> None:
    """'h Atlantic Ocean' was drawn centred on a label point near the canvas edge, half off the picture."""
    data = tiny_scenario().model_dump(mode="json", exclude_none=True)
    data["map"]["territories"][0]["label"] = [2, 45]  # North Sea, at the left edge
    data["map"]["territories"][0]["name"] = "The Great Northern Ocean"
    from game.rules.scenario import Scenario

    layout = preview_layout(Scenario.model_validate(data), 640)
    label = next(lb for lb in layout.labels if lb.territory == "nth")
    assert layout.map_rect.contains(label.rect)


def test_name_variants_and_short_names() -> None:
    assert name_variants("Paris") == [("Paris",)]
    assert name_variants("North Atlantic Ocean") == [("North Atlantic Ocean",), ("North Atlantic", "Ocean")]
    assert name_variants("Bohemia-Moravia")[1] == ("Bohemia-", "Moravia")
    assert short_names("Milan (Lombardy)")[0] == ("Milan",)
    assert short_names("Kielce and Radom")[0] == ("Kielce",)
    assert ("Liverp.",) in short_names("Liverpool")
    assert short_names("Paris") == []


# -- watch ---------------------------------------------------------------------------------


class _Saves:
    """A stand-in for time.sleep: each odd call saves the next version of the file."""

    def __init__(self, path: Path, versions: list[str | None]) -> None:
        self.path = path
        self.versions = versions
        self.calls = 0
        self.mtime = 1_700_000_000_000_000_000

    def save(self, text: str | None) -> None:
        if text is None:
            self.path.unlink(missing_ok=True)
            return
        self.path.write_text(text, encoding="utf-8")
        self.mtime += 5_000_000_000  # a new modification time whatever the file system's resolution
        os.utime(self.path, ns=(self.mtime, self.mtime))

    def __call__(self, seconds: float) -> None:
        self.calls += 1
        assert self.calls < 100, "the watch loop did not stop"
        if self.calls % 2 == 1 and self.versions:
            self.save(self.versions.pop(0))


def _tiny_text(tmp_path: Path, title: str = "Tiny test map") -> str:
    source = tmp_path / "tiny-source.yaml"
    data = tiny_scenario().model_copy(update={"title": title})
    _write_yaml(data, source)
    return source.read_text(encoding="utf-8")


def test_watch_redraws_after_each_save_and_survives_a_bad_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = _tiny_text(tmp_path)
    file, out = tmp_path / "s.yaml", tmp_path / "map.png"
    saves = _Saves(file, [])
    saves.save(good)
    saves.versions = [good.replace("id: tiny", "id: BAD ID"), _tiny_text(tmp_path, "Second title")]
    assert watch_command(file, out, 400, sleep=saves, max_redraws=3) == 0
    lines = capsys.readouterr().out.splitlines()
    heads = [line for line in lines if not line.startswith("    ")]
    assert heads[0].startswith("watching")
    assert "#1 wrote" in heads[1] and "#2 not redrawn" in heads[2] and "#3 wrote" in heads[3]
    assert len(heads) == 4  # one line per redraw
    assert any(line.startswith("    ") and "id" in line for line in lines)  # the problem, shown
    assert pygame.image.load(str(out)).get_width() == 400


def test_watch_waits_for_a_missing_file_and_stops_on_ctrl_c(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file, out = tmp_path / "later.yaml", tmp_path / "map.png"
    saves = _Saves(file, [_tiny_text(tmp_path)])

    def sleep(seconds: float) -> None:
        saves(seconds)
        if saves.calls > 4:
            raise KeyboardInterrupt

    assert watch_command(file, out, 400, sleep=sleep) == 0
    text = capsys.readouterr().out
    assert "#1 not redrawn" in text and "no such scenario file" in text
    assert "#2 wrote" in text and text.rstrip().endswith(f"stopped watching {file}")
    assert out.is_file()


def test_watch_refuses_bad_options(tmp_path: Path) -> None:
    assert watch_command(tmp_path / "x.yaml", tmp_path / "map.jpg", 400, sleep=lambda s: None) == 1
    assert watch_command(tmp_path / "x.yaml", tmp_path / "map.png", 10, sleep=lambda s: None) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child process")
def test_watch_command_line_redraws_on_save_and_exits_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    file, out = tmp_path / "s.yaml", tmp_path / "map.png"
    file.write_text(_tiny_text(tmp_path), encoding="utf-8")
    env = {**os.environ, "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "PYTHONUNBUFFERED": "1"}
    command = [
        sys.executable,
        "-m",
        "game.cli",
        "scenario",
        "preview",
        str(file),
        "--out",
        str(out),
        "--width",
        "400",
        "--watch",
    ]
    child = subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in child.stdout or []], daemon=True).start()

    def next_line(containing: str) -> str:
        while True:
            line = lines.get(timeout=60)  # bounded: fails rather than hangs
            if containing in line:
                return line

    try:
        next_line("#1 wrote")
        file.write_text(_tiny_text(tmp_path, "Saved again"), encoding="utf-8")
        os.utime(file, ns=(file.stat().st_mtime_ns + 5_000_000_000,) * 2)
        next_line("#2 wrote")
        child.send_signal(signal.SIGINT)
        next_line("stopped watching")
        assert child.wait(timeout=30) == 0
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
