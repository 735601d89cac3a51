"""The `backchannel` command: one entry point, sub-commands that call into the packages.

Each command imports its module lazily, so `backchannel --help` stays fast and a
command never pays for pygame or shapely unless it needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(
    help="Backchannel: a game of secret diplomacy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Check, build and preview scenario files.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


@scenario_app.command("validate")
def scenario_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files; print every problem with file, line and field. Exit 1 if any is invalid."""
    from game.scenario.loader import validate_files

    raise typer.Exit(validate_files(files))


@scenario_app.command("schema")
def scenario_schema() -> None:
    """Print the JSON Schema of scenario files (for editors)."""
    from game.scenario.schema import schema_text

    typer.echo(schema_text(), nl=False)


@scenario_app.command("build-map")
def scenario_build_map(
    spec: Annotated[Path, typer.Argument(help="Map spec (YAML), e.g. scenarios/maps/july-1914.yaml.")],
    into: Annotated[Path, typer.Option("--into", help="Scenario file whose map section is (re)written.")],
) -> None:
    """Build a scenario's map from real geography and write it into the scenario file."""
    from game.scenario.mapbuild.command import build_map_command

    raise typer.Exit(build_map_command(spec, into))


@scenario_app.command("preview")
def scenario_preview(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")] = Path("map.png"),
    width: Annotated[int, typer.Option(help="Image width in pixels.")] = 1400,
) -> None:
    """Draw a scenario's map to a PNG file, headless."""
    from game.scenario.preview import preview_command

    raise typer.Exit(preview_command(file, out, width))


@app.command("play")
def play(
    scenario: Annotated[str, typer.Option(help="Bundled scenario id.")] = "july-1914",
    as_state: Annotated[
        str | None,
        typer.Option("--as", help="The state you play, e.g. fra. Without it (and without --demo) the title screen asks."),
    ] = None,
    resume: Annotated[
        bool, typer.Option("--continue", help="Continue the latest unfinished local game.")
    ] = False,
    demo: Annotated[
        bool, typer.Option(help="A bot plays your seat through the UI (for a projector, screenshots, tests).")
    ] = False,
    turns: Annotated[int | None, typer.Option(help="With --demo: exit after this many turns.")] = None,
    screenshots: Annotated[
        Path | None, typer.Option(help="Save a screenshot at each step of interest into this folder.")
    ] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the game's random generator (default: random).")] = None,
) -> None:
    """Play against bots on this computer: an embedded server on loopback, bots in every other seat."""
    from game.play import play_command

    raise typer.Exit(play_command(scenario, as_state, resume, demo, turns, screenshots, seed))


@app.command("join")
def join(
    url: Annotated[str, typer.Argument(help="The server's address, e.g. ws://192.168.1.20:8765.")],
    code: Annotated[str, typer.Argument(help="The join code of your seat, e.g. D8XR-3PWA.")],
    screenshots: Annotated[
        Path | None, typer.Option(help="Save a screenshot at each step of interest into this folder.")
    ] = None,
) -> None:
    """Take a seat in a game on a server with its join code, and open the client."""
    from game.play import join_command

    raise typer.Exit(join_command(url, code, screenshots))


@app.command("simulate")
def simulate(
    scenario: Annotated[str, typer.Option(help="Bundled scenario id or path to a scenario file.")] = "july-1914",
    seed: Annotated[int, typer.Option(help="Seed of the game's random generator.")] = 1,
    turns: Annotated[int, typer.Option(help="Movement turns to play.")] = 10,
    out: Annotated[Path, typer.Option(help="Folder for record.json.")] = Path("out"),
    bots: Annotated[
        str | None,
        typer.Option(
            help="Bot personalities, one per seat in the scenario's state order (states nobody plays are "
            "skipped): loyal, opportunist or schemer, e.g. loyal,schemer,opportunist. Default: a mix set by the seed."
        ),
    ] = None,
    views: Annotated[
        Path | None,
        typer.Option(help="Folder for every state's view after each turn: DIR/turn-N/STATE.json and observer.json."),
    ] = None,
    stats: Annotated[
        int,
        typer.Option(
            help="Play this many games (seeds from --seed on) and print how many agreements were signed, kept, "
            "breached and leaked; writes DIR/stats.json instead of a record."
        ),
    ] = 0,
) -> None:
    """Play a whole game headless with a bot in every seat; write DIR/record.json and print a summary."""
    from game.simulate import simulate_command

    raise typer.Exit(simulate_command(scenario, seed, turns, out, bots, views, stats))


@app.command("adjudicate")
def adjudicate(
    scenario: Annotated[str, typer.Argument(help="Bundled scenario id or path to a scenario file.")],
    units: Annotated[Path, typer.Option("--units", help='UNITS.json: {STATE: [{"type": ..., "at": ...}]}.')],
    orders: Annotated[Path, typer.Option("--orders", help="ORDERS.txt: one order a line, e.g. `A par - bur`.")],
) -> None:
    """Adjudicate one movement phase of a given situation and print the results as JSON."""
    from game.sandbox_command import adjudicate_command

    raise typer.Exit(adjudicate_command(scenario, units, orders))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port, printed on start).")] = 8765,
    data: Annotated[
        Path | None,
        typer.Option(help="Folder for the games database (default: the user data directory)."),
    ] = None,
) -> None:
    """Run the game server: lobby, seats, clocks and durable games over websockets (msgpack frames)."""
    from server.app import serve_command

    raise typer.Exit(serve_command(host, port, data))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
