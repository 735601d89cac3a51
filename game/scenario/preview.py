"""`backchannel scenario preview`: draw a scenario's map to a PNG, headless, for designers.

The picture is what players will see at the start (holders, units, supply and home marks),
with the title above and a legend of states and symbols below, so a designer can check a
map change without starting the game.
"""

from __future__ import annotations

import os
import sys
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


def render_preview(scenario: Scenario, width: int, palette: Palette = DEFAULT_PALETTE) -> pygame.Surface:
    """The whole preview image: title, map, legend; `width` pixels wide."""
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
    legend_h = margin + len(rows) * row_h + margin

    image = pygame.Surface((width, header_h + map_h + legend_h))
    image.fill(PAPER)
    image.blit(title, (margin, margin))
    image.blit(subtitle, (margin, margin + title.get_height() + 2))

    map_rect = pygame.Rect(margin, header_h, map_w, map_h)
    renderer = MapRenderer(scenario, palette, RenderOptions(supersample=2, label_scale=1.2))
    renderer.draw(image.subsurface(map_rect), MapPicture.from_scenario(scenario))
    pygame.draw.rect(image, INK, map_rect.inflate(2, 2), 1)

    token_r = max(5, round(swatch * 0.42))
    first_colour = hex_to_rgb(scenario.states[0].colour) if scenario.states else (150, 150, 150)
    y = header_h + map_h + margin
    for row in rows:
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
    return image


def preview_command(file: Path, out: Path, width: int) -> int:
    """Draw `file`'s map to the PNG `out`; 0 on success, 1 with a message on stderr otherwise."""
    if not MIN_WIDTH <= width <= MAX_WIDTH:
        print(
            f"error: --width must be between {MIN_WIDTH} and {MAX_WIDTH} pixels, not {width}", file=sys.stderr
        )
        return 1
    if out.suffix.lower() != ".png":
        print(f"error: --out must name a .png file, not {out}", file=sys.stderr)
        return 1
    if not file.is_file():
        print(f"error: {file}: no such scenario file", file=sys.stderr)
        return 1
    try:
        scenario = load_scenario_file(file)
    except (ValueError, OSError) as error:  # ScenarioError and pydantic's ValidationError are ValueErrors
        print(f"error: cannot load {file}:\n{error}", file=sys.stderr)
        return 1
    except Exception as error:  # a YAML syntax error from the fallback reader
        print(f"error: {file}: cannot read the scenario: {error}", file=sys.stderr)
        return 1
    try:
        image = render_preview(scenario, width)
        out.parent.mkdir(parents=True, exist_ok=True)
        pygame.image.save(image, str(out))
    except (OSError, pygame.error) as error:
        print(f"error: cannot write {out}: {error}", file=sys.stderr)
        return 1
    print(f"wrote {out} ({image.get_width()} x {image.get_height()} px)")
    return 0
