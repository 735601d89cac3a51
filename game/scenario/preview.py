"""`backchannel scenario preview`: draw a scenario's map to a PNG, headless, for designers.

The picture is what players will see at the start (holders, units, supply and home marks),
with the title above and a legend of states and symbols below, so a designer can check a
map change without starting the game.  With `--watch` it is drawn again each time the file
is saved, so the PNG open in an image viewer follows the editor.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")
os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
os.environ.setdefault("PYGAME_HIDE_SUPPORT_PROMPT", "1")

import pygame  # after choosing the SDL drivers above

from game.render import MapPicture, MapRenderer, RenderOptions
from game.render.fonts import get_font
from game.render.map_drawing import draw_supply_mark
from game.render.palette import DEFAULT_PALETTE, RGB, Palette, hex_to_rgb, mix
from game.render.units import unit_token
from game.rules.scenario import Scenario

MIN_WIDTH, MAX_WIDTH = 320, 8000
PAPER: RGB = (241, 237, 226)
INK: RGB = (34, 31, 28)
MUTED_INK: RGB = (98, 90, 80)


def load_scenario_file(path: Path) -> Scenario:
    """Load and validate a scenario file, through the scenario loader when it is there."""
    try:
        from game.scenario.loader import load_scenario
    except ImportError:  # an install without the loader: plain YAML and the model's own checks
        pass
    else:
        return load_scenario(path)
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=True)
    with path.open("r", encoding="utf-8") as handle:
        data = yaml.load(handle)
    return Scenario.model_validate(data)


@dataclass
class _LegendItem:
    kind: str  # "state", "unheld", "sea", "army", "fleet", "supply", "home"
    text: str
    colour: RGB = (0, 0, 0)


@dataclass(frozen=True)
class PreviewLabel:
    """A territory's name as drawn on the preview: its text and its box in picture pixels."""

    territory: str
    text: str
    rect: pygame.Rect


@dataclass(frozen=True)
class PreviewLayout:
    """Where things are in a preview picture: the picture's size, the map, every name on it."""

    size: tuple[int, int]
    map_rect: pygame.Rect
    labels: tuple[PreviewLabel, ...]
    unnamed: tuple[str, ...]
    """Names too big for their territory at this width: listed under the map instead."""


@dataclass
class _Plan:
    layout: PreviewLayout
    renderer: MapRenderer
    margin: int
    header_h: int
    title: pygame.Surface
    subtitle: pygame.Surface
    legend_font: pygame.font.Font
    rows: list[list[tuple[_LegendItem, pygame.Surface, int]]]
    row_h: int
    unnamed_lines: list[pygame.Surface]


def _wrap(font: pygame.font.Font, text: str, width: int) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if line and font.size(candidate)[0] > width:
            lines.append(line)
            line = word
        else:
            line = candidate
    return [*lines, line] if line else lines


def _plan(scenario: Scenario, width: int, palette: Palette) -> _Plan:
    if not pygame.font.get_init():
        pygame.font.init()
    margin = max(12, round(width * 0.018))
    title_font = get_font(max(18, min(40, round(width / 38))), "serif")
    sub_font = get_font(max(11, min(18, round(width / 85))), "sans")
    legend_font = get_font(max(11, min(17, round(width / 90))), "sans")

    title = title_font.render(scenario.title, True, INK)
    supply = sum(1 for t in scenario.map.territories if t.supply)
    subtitle_text = (
        f"{scenario.id}  ·  {len(scenario.states)} states  ·  {len(scenario.map.territories)} territories"
        f" ({supply} supply)  ·  from {scenario.calendar.start_year}"
    )
    subtitle = sub_font.render(subtitle_text, True, MUTED_INK)
    header_h = margin + title.get_height() + 2 + subtitle.get_height() + round(margin * 0.8)

    map_w = width - 2 * margin
    map_h = max(1, round(map_w * scenario.map.height / scenario.map.width))
    map_h = min(map_h, 4 * width)
    map_rect = pygame.Rect(margin, header_h, map_w, map_h)
    renderer = MapRenderer(
        scenario, palette, RenderOptions(supersample=2, label_scale=1.2, names_always=True)
    )
    renderer.camera.set_viewport(map_rect.size)
    names = renderer.label_layout()
    ox, oy = renderer.camera.origin
    labels = tuple(
        PreviewLabel(
            label.territory, label.text, pygame.Rect(label.rect).move(map_rect.x - ox, map_rect.y - oy)
        )
        for label in names.labels
    )
    unnamed_lines: list[pygame.Surface] = []
    if names.unnamed:
        by_id = {t.id: t for t in scenario.map.territories}
        listed = ", ".join(f"{by_id[tid].name} ({tid})" for tid in names.unnamed)
        unnamed_lines = [
            legend_font.render(line, True, MUTED_INK)
            for line in _wrap(
                legend_font, f"Not named on the map (too small at this width): {listed}.", map_w
            )
        ]

    items = [_LegendItem("state", s.name, hex_to_rgb(s.colour)) for s in scenario.states]
    items += [
        _LegendItem("unheld", "Unheld"),
        _LegendItem("sea", "Sea"),
        _LegendItem("army", "Army"),
        _LegendItem("fleet", "Fleet"),
        _LegendItem("supply", "Supply centre"),
        _LegendItem("home", "Home centre"),
    ]
    swatch = legend_font.get_height()
    gap = round(swatch * 1.2)
    rows: list[list[tuple[_LegendItem, pygame.Surface, int]]] = [[]]
    x = 0
    for item in items:
        label = legend_font.render(item.text, True, INK)
        item_w = round(swatch * 1.9) + label.get_width()
        if rows[-1] and x + item_w > map_w:
            rows.append([])
            x = 0
        rows[-1].append((item, label, x))
        x += item_w + gap
    row_h = round(swatch * 1.6)
    notes_h = sum(line.get_height() for line in unnamed_lines) + (round(margin * 0.5) if unnamed_lines else 0)
    legend_h = margin + len(rows) * row_h + notes_h + margin
    size = (width, header_h + map_h + legend_h)
    layout = PreviewLayout(size, map_rect, labels, names.unnamed)
    return _Plan(layout, renderer, margin, header_h, title, subtitle, legend_font, rows, row_h, unnamed_lines)


def preview_layout(scenario: Scenario, width: int, palette: Palette = DEFAULT_PALETTE) -> PreviewLayout:
    """Where `render_preview` puts the map and each name, without drawing anything."""
    return _plan(scenario, width, palette).layout


def render_preview(scenario: Scenario, width: int, palette: Palette = DEFAULT_PALETTE) -> pygame.Surface:
    """The whole preview image: title, map, legend; `width` pixels wide."""
    plan = _plan(scenario, width, palette)
    margin, header_h, map_rect = plan.margin, plan.header_h, plan.layout.map_rect
    image = pygame.Surface(plan.layout.size)
    image.fill(PAPER)
    image.blit(plan.title, (margin, margin))
    image.blit(plan.subtitle, (margin, margin + plan.title.get_height() + 2))

    plan.renderer.draw(image.subsurface(map_rect), MapPicture.from_scenario(scenario))
    pygame.draw.rect(image, INK, map_rect.inflate(2, 2), 1)

    swatch = plan.legend_font.get_height()
    row_h = plan.row_h
    token_r = max(5, round(swatch * 0.42))
    first_colour = hex_to_rgb(scenario.states[0].colour) if scenario.states else (150, 150, 150)
    y = header_h + map_rect.h + margin
    for row in plan.rows:
        for item, label, x0 in row:
            cx = margin + x0 + round(swatch * 0.8)
            cy = y + row_h // 2
            box = pygame.Rect(0, 0, round(swatch * 1.3), swatch)
            box.center = (cx, cy)
            if item.kind == "state":
                pygame.draw.rect(image, palette.fill_for(item.colour), box)
                pygame.draw.rect(image, item.colour, box, max(2, swatch // 6))
            elif item.kind in ("unheld", "sea"):
                pygame.draw.rect(image, palette.land_neutral if item.kind == "unheld" else palette.water, box)
                pygame.draw.rect(image, palette.border_coast, box, 1)
            elif item.kind in ("army", "fleet"):
                token = unit_token(item.kind, first_colour, token_r, palette.unit_outline)
                image.blit(token, token.get_rect(center=(cx, cy)))
            else:
                home = mix(first_colour, (0, 0, 0), 0.0) if item.kind == "home" else None
                draw_supply_mark(image, (cx, cy), max(3, round(swatch * 0.3)), palette, home)
            image.blit(label, (margin + x0 + round(swatch * 1.7), cy - label.get_height() // 2))
        y += row_h
    if plan.unnamed_lines:
        y += round(margin * 0.5)
        for line in plan.unnamed_lines:
            image.blit(line, (margin, y))
            y += line.get_height()
    return image


def _check_options(out: Path, width: int) -> str | None:
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        return f"--width must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, not {width}"
    if out.suffix.lower() != ".png":
        return f"--out must name a .png file, not {out}"
    return None


def draw_file(file: Path, out: Path, width: int) -> tuple[bool, str]:
    """Load `file`, draw its preview into `out`: (True, what was written) or (False, why not).

    On failure `out` is left as it was; the message names the file and every problem found.
    """
    if not file.is_file():
        return False, f"{file}: no such scenario file"
    try:
        scenario = load_scenario_file(file)
    except (ValueError, OSError) as error:  # ScenarioError and pydantic's ValidationError are ValueErrors
        return False, f"cannot load {file}:\n{error}"
    except Exception as error:  # a YAML syntax error from the fallback reader
        return False, f"{file}: cannot read the scenario: {error}"
    try:
        image = render_preview(scenario, width)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(image, str(out))
    except (OSError, pygame.error) as error:
        return False, f"cannot write {out}: {error}"
    return True, f"wrote {out} ({image.get_width()} x {image.get_height()} px)"


def preview_command(file: Path, out: Path, width: int) -> int:
    """Draw `file`'s map to the PNG `out`; 0 on success, 1 with a message on stderr otherwise."""
    problem = _check_options(out, width)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    ok, message = draw_file(file, out, width)
    if not ok:
        print(f"error: {message}", file=sys.stderr)
        return 1
    print(message)
    return 0


FileStamp = tuple[int, int] | None
"""(modification time in ns, size) of a file; None while it does not exist."""


def file_stamp(file: Path) -> FileStamp:
    try:
        stat = file.stat()
    except OSError:
        return None
    return (stat.st_mtime_ns, stat.st_size)


def watch_command(
    file: Path,
    out: Path,
    width: int,
    *,
    interval: float = 0.25,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
    max_redraws: int | None = None,
) -> int:
    """`scenario preview FILE --watch`: draw now, then again each time the file is saved, until Ctrl-C.

    The file's modification time and size are polled every `interval` seconds; a change is
    drawn once the file has stayed the same for one poll, so an editor that writes in two
    steps causes one redraw, not two.  Each redraw prints one line; a save that does not
    load prints its problems and keeps the last good picture.  `sleep`, `clock` and
    `max_redraws` let a test drive the loop without waiting.
    """
    problem = _check_options(out, width)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    redraws = 0
    drawn: FileStamp | object = object()  # nothing drawn yet
    seen = file_stamp(file)
    print(f"watching {file} (Ctrl-C to stop)", flush=True)
    try:
        while max_redraws is None or redraws < max_redraws:
            if seen != drawn:
                redraws += 1
                started = clock()
                ok, message = draw_file(file, out, width)
                drawn = seen
                stamp = time.strftime("%H:%M:%S")
                if ok:
                    print(f"[{stamp}] #{redraws} {message} in {clock() - started:.1f} s", flush=True)
                else:
                    headline, _, details = message.partition("\n")
                    print(f"[{stamp}] #{redraws} not redrawn: {headline}", flush=True)
                    for line in details.splitlines():
                        print(f"    {line}", flush=True)
                continue
            sleep(interval)
            now = file_stamp(file)
            while now != seen:  # still being written: wait until it settles
                seen = now
                sleep(interval)
                now = file_stamp(file)
    except KeyboardInterrupt:
        print(f"stopped watching {file}", flush=True)
    return 0
