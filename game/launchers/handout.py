"""The classroom handout: one printable page with the address students type and a code per state.

A teacher prints it (or projects it) and cuts it up: a card per state with its join code and
a QR code of the whole join command, and a card for the observers (a projector, a visitor).
The umpire's code is never on it: it is the teacher's alone, printed in the terminal only.

The page is self-contained — its style inline, each QR code an inline SVG made by `segno` —
so it opens from a USB stick or a school computer without the network, and names no outside
address of any kind.  The HTML comes from a jinja2 template with autoescaping on: a scenario's
state names are text, never markup.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import jinja2
import segno

HANDOUT_FILE = "handout.html"


@dataclass(frozen=True)
class Card:
    """One cut-out card: who it is for, the code, the command it encodes, and its QR code."""

    title: str
    code: str
    command: str
    qr_svg: str
    colour: str = "#555555"
    note: str = ""


def spaced(code: str) -> str:
    """A code as printed: two groups of four (`ABCD EFGH`); the server reads it with or without the space."""
    return f"{code[:4]} {code[4:]}" if len(code) == 8 else code


def join_command(address: str, code: str) -> str:
    """What a student may type in a terminal instead of the title screen."""
    return f"backchannel join {address} {code}"


def qr_svg(text: str, label: str) -> str:
    """An inline SVG QR code of `text` (no XML namespace URL, no size: the page's style sizes it)."""
    qr = segno.make(text, error="m")
    return qr.svg_inline(scale=1, border=2, omitsize=True, title=label, dark="#000000", light="#ffffff")


def cards(
    address: str,
    codes: Mapping[str, object],
    states: Sequence[tuple[str, str, str]],
    people: int | None = None,
) -> list[Card]:
    """A card per state that has a code (`states`: id, name, colour in the scenario's order), then
    the observers'.  `people`: how many students share each state, said on its card."""
    by_state = codes.get("states") or {}
    assert isinstance(by_state, Mapping)
    out: list[Card] = []
    note = f"for a team of {people}" if people and people > 1 else ("for one student" if people == 1 else "")
    for state_id, name, colour in states:
        code = by_state.get(state_id)
        if not isinstance(code, str):
            continue  # a state played by a bot (or nobody) has no code
        command = join_command(address, code)
        out.append(Card(name, code, command, qr_svg(command, f"{name}: {code}"), colour, note))
    observer = codes.get("observer")
    if isinstance(observer, str):
        command = join_command(address, observer)
        out.append(
            Card(
                "Observers",
                observer,
                command,
                qr_svg(command, f"Observers: {observer}"),
                "#8a8a8a",
                "the public map and news (a projector, visitors)",
            )
        )
    return out


TEMPLATE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Backchannel — {{ title }} — join codes</title>
<style>
  @page { size: A4; margin: 11mm; }
  * { box-sizing: border-box; }
  body { font-family: "DejaVu Sans", Verdana, Arial, sans-serif; color: #111; margin: 0; }
  header { border-bottom: 2px solid #111; padding-bottom: 3mm; margin-bottom: 4mm; }
  h1 { font-size: 20pt; margin: 0 0 1mm 0; }
  .sub { font-size: 10pt; color: #444; }
  .address { font-size: 11pt; margin-top: 3mm; }
  .address code { font-size: 15pt; font-weight: bold; background: #eee; padding: 0.5mm 2mm; border-radius: 1mm; }
  .steps { font-size: 9.5pt; margin: 2mm 0 0 0; padding-left: 5mm; }
  .cards { display: grid; grid-template-columns: repeat({{ columns }}, 1fr); gap: 4mm; }
  .card { border: 1.2px dashed #666; border-radius: 2mm; padding: 3mm; break-inside: avoid;
          display: flex; gap: 3mm; align-items: center; }
  .card .who { font-size: 13pt; font-weight: bold; border-left: 4mm solid var(--c); padding-left: 2mm; }
  .card .code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 17pt; font-weight: bold;
                letter-spacing: 0.6mm; margin: 1.5mm 0; }
  .card .note { font-size: 8.5pt; color: #555; }
  .card .cmd { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 7pt; color: #333;
               overflow-wrap: anywhere; margin-top: 1mm; }
  .card svg { width: {{ qr_mm }}mm; height: {{ qr_mm }}mm; flex: none; }
  footer { margin-top: 4mm; font-size: 8pt; color: #555; }
  @media screen { body { max-width: 200mm; margin: 8mm auto; } }
</style>
</head>
<body>
<header>
  <h1>Backchannel — {{ title }}</h1>
  <div class="sub">A class game{% if deadline %} · {{ deadline }} per phase{% endif %} · game {{ game }}</div>
  <div class="address">Server address: <code>{{ address }}</code></div>
  <ol class="steps">
    <li>Open Backchannel and choose <b>Join a game</b>.</li>
    <li>Type the server address above and your team's code (with or without the space).</li>
    <li>Type your name too: your team and the umpire see who wrote what.</li>
  </ol>
</header>
<section class="cards">
{% for card in cards %}
  <div class="card" style="--c: {{ card.colour }}">
    {{ card.qr_svg | safe }}
    <div>
      <div class="who">{{ card.title }}</div>
      <div class="code">{{ card.code_spaced }}</div>
      {% if card.note %}<div class="note">{{ card.note }}</div>{% endif %}
      <div class="cmd">{{ card.command }}</div>
    </div>
  </div>
{% endfor %}
</section>
<footer>Each QR code holds the join command of its card, to type in a terminal instead:
  <code>backchannel join ADDRESS CODE --name "Your name"</code>.</footer>
</body>
</html>
"""


def handout_html(
    *,
    title: str,
    game: str,
    address: str,
    codes: Mapping[str, object],
    states: Sequence[tuple[str, str, str]],
    people: int | None = None,
    deadline: int | None = None,
) -> str:
    """The page as text.  `deadline`: seconds per phase (None: when everyone is ready)."""
    made = cards(address, codes, states, people)
    # One A4 page: more cards, more columns and smaller QR codes.
    columns = 2 if len(made) <= 8 else 3
    qr_mm = 30 if len(made) <= 8 else 24 if len(made) <= 12 else 19
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(TEMPLATE)
    rows = [
        {
            "title": c.title,
            "code_spaced": spaced(c.code),
            "command": c.command,
            "qr_svg": c.qr_svg,
            "colour": c.colour,
            "note": c.note,
        }
        for c in made
    ]
    minutes = (
        f"{deadline // 60} min" if deadline and deadline % 60 == 0 else f"{deadline} s" if deadline else ""
    )
    return template.render(
        title=title, game=game, address=address, cards=rows, columns=columns, qr_mm=qr_mm, deadline=minutes
    )


def write_handout(path: Path, **page: object) -> Path:
    """Write the page (see `handout_html` for its fields) and return its path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(handout_html(**page), encoding="utf-8")  # type: ignore[arg-type]
    return path
