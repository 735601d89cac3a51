"""Charts of the game over time (matplotlib, drawn off screen with the Agg canvas), as PNG bytes.

Figures are made with `matplotlib.figure.Figure` and an Agg canvas rather than pyplot, so
drawing a report never touches pyplot's global state or the backend of a program that
imports this (the client's umpire screen).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

INK = "#221f1c"
MUTED = "#6b6258"
PAPER = "#fbf9f4"


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    colour: str
    values: Sequence[float]


def line_chart(
    title: str,
    ticks: Sequence[str],
    lines: Sequence[Line],
    ylabel: str,
    ylim: tuple[float, float] | None = None,
    guide: float | None = None,
) -> bytes:
    """Several series over the turns, one line per state in its own colour, the legend beside."""
    fig = Figure(figsize=(11.4, 3.5), dpi=100, facecolor=PAPER)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.055, 0.14, 0.76, 0.74))
    ax.set_facecolor(PAPER)
    x = list(range(len(ticks)))
    for line in lines:
        # A dark edge under each line keeps pale state colours (light yellow, pale pink) visible.
        ax.plot(x, line.values, color=INK, linewidth=3.2, alpha=0.35, solid_capstyle="round")
        ax.plot(x, line.values, color=line.colour, linewidth=2.2, label=line.label, marker="o", markersize=3)
    if guide is not None:
        ax.axhline(guide, color=MUTED, linewidth=1, linestyle="--")
    ax.set_title(title, loc="left", color=INK, fontsize=12, fontweight="bold")
    ax.set_ylabel(ylabel, color=MUTED)
    # A label where it changes (the year, under a year's first turn), so twenty turns stay readable.
    shown = [i for i in x if i == 0 or ticks[i] != ticks[i - 1]]
    ax.set_xticks(shown, [ticks[i] for i in shown], fontsize=8, color=MUTED)
    ax.set_xticks(x, minor=True)
    ax.set_xlim(-0.4, max(len(x) - 1, 1) + 0.4)
    ax.tick_params(axis="y", labelsize=8, colors=MUTED)
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.grid(True, color="#ddd6c8", linewidth=0.6)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=8, labelcolor=INK)
    return _png(fig)


def trust_matrix(
    title: str, states: Sequence[tuple[str, str]], trust: Mapping[str, Mapping[str, int]]
) -> bytes:
    """Who trusts whom at the end: row = the one who trusts, column = the one trusted (0-100)."""
    n = len(states)
    size = max(3.6, 0.42 * n + 1.6)
    fig = Figure(figsize=(size + 1.2, size), dpi=100, facecolor=PAPER)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0.22, 0.06, 0.62, 0.72))
    grid = [
        [float(trust.get(a, {}).get(b, float("nan"))) if a != b else float("nan") for b, _ in states]
        for a, _ in states
    ]
    image = ax.imshow(grid, cmap="RdYlBu", vmin=0, vmax=100)
    names = [name for _, name in states]
    ax.set_xticks(range(n), names, rotation=60, ha="left", fontsize=8, color=INK)
    ax.set_yticks(range(n), names, fontsize=8, color=INK)
    ax.xaxis.tick_top()
    for i in range(n):
        for j in range(n):
            value = grid[i][j]
            if value == value:  # not NaN
                ax.text(
                    j,
                    i,
                    f"{value:.0f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=INK if 25 <= value <= 75 else "white",
                )
    colour_bar = fig.colorbar(image, ax=ax, fraction=0.04, pad=0.03)
    colour_bar.ax.tick_params(labelsize=7, colors=MUTED)
    fig.suptitle(title, x=0.02, ha="left", color=INK, fontsize=12, fontweight="bold")
    return _png(fig)


def _png(fig: Figure) -> bytes:
    out = io.BytesIO()
    fig.savefig(out, format="png", facecolor=fig.get_facecolor())
    return out.getvalue()
