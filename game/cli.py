"""The `backchannel` command: one entry point, sub-commands that call into the packages.

Each command imports its module lazily, so `backchannel --help` stays fast and a
command never pays for pygame or shapely unless it needs them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from server.store import GroupCommitStore

app = typer.Typer(
    help="Backchannel: a game of secret diplomacy.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
scenario_app = typer.Typer(help="Check, build and preview scenario files.", no_args_is_help=True)
app.add_typer(scenario_app, name="scenario")


def _print_version(value: bool) -> None:
    if value:
        from game.resources import version

        typer.echo(f"backchannel {version()}")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit."),
    ] = False,
) -> None:
    """Backchannel: a game of secret diplomacy."""


@scenario_app.command("validate")
def scenario_validate(
    files: Annotated[list[Path], typer.Argument(help="Scenario files to check.")],
) -> None:
    """Check scenario files; print every problem with file, line and field. Exit 1 if any is invalid."""
    from game.scenario.loader import validate_files

    raise typer.Exit(validate_files(files))


@scenario_app.command("schema")
def scenario_schema(
    map_spec: Annotated[
        bool, typer.Option("--map", help="Print the schema of map specs (scenarios/maps/*.yaml) instead.")
    ] = False,
) -> None:
    """Print the JSON Schema of scenario files, or of map specs with --map (for editors)."""
    from game.scenario.schema import mapspec_schema_text, schema_text

    typer.echo(mapspec_schema_text() if map_spec else schema_text(), nl=False)


@scenario_app.command("build-map")
def scenario_build_map(
    spec: Annotated[Path, typer.Argument(help="Map spec (YAML), e.g. scenarios/maps/july-1914.yaml.")],
    into: Annotated[
        Path,
        typer.Option(
            "--into",
            help="Scenario file whose map section is (re)written (created if missing; its folder must exist).",
        ),
    ],
) -> None:
    """Build a scenario's map from real geography and write it into the scenario file."""
    from game.scenario.mapbuild.command import build_map_command

    raise typer.Exit(build_map_command(spec, into))


@scenario_app.command("preview")
def scenario_preview(
    file: Annotated[Path, typer.Argument(help="Scenario file.")],
    out: Annotated[Path, typer.Option("--out", help="PNG file to write.")] = Path("map.png"),
    width: Annotated[int, typer.Option(help="Image width in pixels.")] = 1400,
    watch: Annotated[
        bool, typer.Option("--watch", help="Draw again each time the file is saved, until Ctrl-C.")
    ] = False,
) -> None:
    """Draw a scenario's map to a PNG file, headless."""
    from game.scenario.preview import preview_command, watch_command

    raise typer.Exit(watch_command(file, out, width) if watch else preview_command(file, out, width))


@scenario_app.command("new")
def scenario_new(
    scenario_id: Annotated[
        str, typer.Argument(metavar="ID", help="The new scenario's id, e.g. baltic-1864.")
    ],
    into: Annotated[
        Path,
        typer.Option("--into", help="Folder for ID.yaml and maps/ID.yaml (default: the current folder)."),
    ] = Path("."),
) -> None:
    """Start a new scenario: a small, playable ID.yaml and its map spec maps/ID.yaml, every field explained."""
    from game.scenario.skeleton import new_scenario_command

    raise typer.Exit(new_scenario_command(scenario_id, into))


@scenario_app.command("playtest")
def scenario_playtest(
    file: Annotated[str, typer.Argument(metavar="FILE", help="Scenario file, or a bundled scenario's id.")],
    games: Annotated[int, typer.Option("--games", help="Games to play, one per seed.")] = 20,
    turns: Annotated[int, typer.Option("--turns", help="Movement turns per game (at most).")] = 20,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the first game; the others follow it.")] = 1,
    jobs: Annotated[int, typer.Option("--jobs", help="Games played at once, in as many processes.")] = 1,
    json_out: Annotated[
        Path | None,
        typer.Option("--json", help="Also write the figures (the sheet and every game's) to this file."),
    ] = None,
) -> None:
    """Play many seeded games with bots in every seat and print the balance sheet: wins and scores per
    state, how often each objective is met, each starting agreement's fate, how often secrets leak."""
    from game.launchers.playtest import playtest_command

    raise typer.Exit(playtest_command(file, games, turns, seed, jobs, json_out))


@app.command("play")
def play(
    scenario: Annotated[
        str,
        typer.Option(help="Bundled scenario id, or the path of any scenario file (e.g. my-scenario.yaml)."),
    ] = "july-1914",
    as_state: Annotated[
        str | None,
        typer.Option(
            "--as",
            help="The state you play, e.g. fra. Without it (and without --demo) the title screen asks.",
        ),
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
    seed: Annotated[
        int | None, typer.Option(help="Seed of the game's random generator (default: random).")
    ] = None,
) -> None:
    """Play against bots on this computer: an embedded server on loopback, bots in every other seat."""
    from game.launchers.play import play_command

    raise typer.Exit(play_command(scenario, as_state, resume, demo, turns, screenshots, seed))


@app.command("join")
def join(
    url: Annotated[str, typer.Argument(help="The server's address, e.g. ws://192.168.1.20:8765.")],
    code: Annotated[str, typer.Argument(help="The join code of your seat, e.g. D8XR-3PWA.")],
    screenshots: Annotated[
        Path | None, typer.Option(help="Save a screenshot at each step of interest into this folder.")
    ] = None,
    name: Annotated[
        str | None, typer.Option(help="Your name in a class game: your team (and the umpire) see it.")
    ] = None,
) -> None:
    """Take a seat in a game on a server with its join code, and open the client."""
    from game.launchers.play import join_command

    raise typer.Exit(join_command(url, code, screenshots, name))


@app.command("host")
def host(
    scenario: Annotated[str, typer.Option(help="Bundled scenario id.")] = "july-1914",
    deadline: Annotated[
        int, typer.Option(help="Minutes per phase (0: a phase ends when every team is ready).")
    ] = 0,
    people: Annotated[int, typer.Option(help="Students per state (said on the handout).", min=1, max=40)] = 1,
    states: Annotated[
        str | None,
        typer.Option(
            help="The states students play, e.g. fra,ger,rus (default: every playable state); "
            "the others are bots from the start."
        ),
    ] = None,
    bots: Annotated[
        bool, typer.Option("--bots/--no-bots", help="Bots take the seats nobody joined when you start.")
    ] = True,
    blind: Annotated[
        bool, typer.Option(help="Other states see only the state of who wrote a message, not the name.")
    ] = False,
    port: Annotated[int, typer.Option(help="Port students connect to (0: any free port).")] = 8765,
    out: Annotated[
        Path | None,
        typer.Option(help="Folder for the handout and the reports (default: the user data folder)."),
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Seed of the game's random generator (default: random).")
    ] = None,
    window: Annotated[
        bool, typer.Option("--window/--no-window", help="Open the umpire's screen (else serve until Ctrl-C).")
    ] = True,
    fullscreen: Annotated[bool, typer.Option(help="Open the umpire's screen full screen.")] = False,
) -> None:
    """Host a class game on this network: students join from their computers, you umpire. Prints the
    address and codes and writes a printable handout (its path is printed), then opens the umpire's screen."""
    from game.launchers.host import HostOptions, host_command

    chosen = [s.strip().lower() for s in states.split(",") if s.strip()] if states else None
    options = HostOptions(
        scenario=scenario,
        deadline=deadline * 60 if deadline > 0 else None,
        people=people,
        states=chosen,
        bots=bots,
        labels="state" if blind else "names",
        port=port,
        seed=seed,
        out=out,
    )
    raise typer.Exit(host_command(options, window=window, fullscreen=fullscreen))


@app.command("simulate")
def simulate(
    scenario: Annotated[
        str, typer.Option(help="Bundled scenario id or path to a scenario file.")
    ] = "july-1914",
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
        typer.Option(
            help="Folder for every state's view after each turn: DIR/turn-N/STATE.json and observer.json."
        ),
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
    from game.launchers.simulate import simulate_command

    raise typer.Exit(simulate_command(scenario, seed, turns, out, bots, views, stats))


@app.command("report")
def report(
    source: Annotated[
        str,
        typer.Argument(
            help="A record.json (from `simulate`, or saved from the server), a server's data folder, "
            "or the PostgreSQL store of several (the postgresql://… address `serve --store` was given).",
            metavar="SOURCE",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", help="The HTML file to write.")] = Path("report.html"),
    grades: Annotated[
        Path | None,
        typer.Option("--grades", help="Also write the grade sheet: a CSV row per student and per state."),
    ] = None,
    game: Annotated[
        str | None,
        typer.Option(
            "--game", help="With a data folder or a store: the game's id (the only game when omitted)."
        ),
    ] = None,
    scenario: Annotated[
        Path | None,
        typer.Option(
            "--scenario", help="The scenario file, for a simulate record of a scenario not bundled."
        ),
    ] = None,
) -> None:
    """Write a game's debrief: one self-contained HTML file (the story turn by turn with a map per turn, every
    agreement's life, the messages with their sincerity marks, charts, scores and objectives) and the grades."""
    from game.debrief import (
        DebriefError,
        build_report,
        grades_csv,
        load_record_file,
        render_html,
        source_from_record,
    )

    try:
        record = (
            _server_record(source, game)
            if source.startswith(POSTGRES_SCHEMES) or Path(source).is_dir()
            else load_record_file(Path(source))
        )
        given = None
        if scenario is not None:
            from game.scenario.loader import ScenarioError, load_scenario

            try:
                given = load_scenario(scenario)
            except ScenarioError as exc:
                raise DebriefError(str(exc)) from None
        built = build_report(source_from_record(record, given))
        html = render_html(built)
    except DebriefError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from None
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    typer.echo(f"Report written to {out} ({len(html) / 1e6:.1f} MB, {len(built.turns)} turns)")
    if grades is not None:
        grades.parent.mkdir(parents=True, exist_ok=True)
        grades.write_text(grades_csv(built.grades), encoding="utf-8")
        students = sum(g.row == "student" for g in built.grades)
        typer.echo(f"Grades written to {grades} ({students} students, {len(built.grades) - students} states)")


POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def _server_record(source: str, game_id: str | None) -> dict[str, object]:
    """A server game's plain record, read from its store (a data folder's SQLite, or PostgreSQL):
    the debrief never imports the server."""
    from game.debrief import DebriefError, record_from_log
    from server.store import StoreError

    store, where = _stored_games(source)
    try:
        if game_id is None:
            listed = store.listing()
            if len(listed) != 1:
                names = ", ".join(str(g) for g in listed[:20]) + (", …" if len(listed) > 20 else "")
                raise DebriefError(
                    f"{where} holds {len(listed)} games; choose one with --game: {names or 'none'}"
                )
            game_id = listed[0].id
        stored = store.load_game(game_id)
    except StoreError as exc:
        raise DebriefError(str(exc)) from None
    if stored is None:
        raise DebriefError(f"{where}: no game {game_id!r}")
    return record_from_log(stored.header.scenario_text, stored.header.seed, stored.entries, stored.header.id)


def _stored_games(source: str) -> tuple[GroupCommitStore, str]:
    """The store a server kept its games in, opened to read: and how to name it in a message."""
    from game.debrief import DebriefError
    from server.store import StoreError

    if source.startswith(POSTGRES_SCHEMES):
        try:
            from server.pg import without_password
            from server.store_pg import PostgresStore
        except ImportError:
            raise DebriefError(
                "reading a PostgreSQL store needs psycopg: pip install 'backchannel[postgresql]'"
            ) from None
        try:
            return PostgresStore(source, read_only=True), without_password(source)
        except StoreError as exc:
            raise DebriefError(str(exc)) from None
    from server.app import DB_FILE
    from server.store import SqliteStore

    path = Path(source) / DB_FILE
    if not path.is_file():
        raise DebriefError(
            f"{source}: no {DB_FILE} here: give a server's data folder (`backchannel serve --data`)"
            " or its store's address (`--store postgresql://…`)"
        )
    return SqliteStore(path, inline=True), str(path)


@app.command("adjudicate")
def adjudicate(
    scenario: Annotated[str, typer.Argument(help="Bundled scenario id or path to a scenario file.")],
    units: Annotated[Path, typer.Option("--units", help='UNITS.json: {STATE: [{"type": ..., "at": ...}]}.')],
    orders: Annotated[
        Path, typer.Option("--orders", help="ORDERS.txt: one order a line, e.g. `A par - bur`.")
    ],
) -> None:
    """Adjudicate one movement phase of a given situation and print the results as JSON."""
    from game.launchers.adjudicate import adjudicate_command

    raise typer.Exit(adjudicate_command(scenario, units, orders))


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on (0: any free port, printed on start).")] = 8765,
    data: Annotated[
        Path | None,
        typer.Option(help="Folder for the games database (default: the user data directory)."),
    ] = None,
    create_token: Annotated[
        str | None,
        typer.Option(
            "--create-token",
            envvar="BACKCHANNEL_CREATE_TOKEN",
            help="Only a create carrying this token makes a game (default: anyone may create).",
        ),
    ] = None,
    games_per_address: Annotated[
        int | None,
        typer.Option(
            help="Live games one address may have created at once (0: no limit; default 20).", min=0
        ),
    ] = None,
    expire_hours: Annotated[
        float | None,
        typer.Option(
            help="Archive a game nobody is connected to and nobody acted in for this long (0: never; default 168).",
            min=0,
        ),
    ] = None,
    trust: Annotated[
        list[str] | None,
        typer.Option(
            help="An address the per-address limits leave alone (a load generator; a school's one public address). Repeatable."
        ),
    ] = None,
    store: Annotated[
        str | None,
        typer.Option(
            envvar="BACKCHANNEL_STORE",
            help="Keep the games in PostgreSQL (postgresql://USER:PASSWORD@HOST:PORT/DB) instead of SQLite in --data; "
            "several serve processes may share it (docs/deploy.md).",
        ),
    ] = None,
    public_address: Annotated[
        str | None,
        typer.Option(
            help="The address players reach this process at (ws://... or wss://...), sent in redirects from the "
            "other processes sharing --store (default: ws://HOST:PORT as bound).",
        ),
    ] = None,
    certfile: Annotated[
        Path | None,
        typer.Option(
            help="Serve wss:// with this certificate chain (PEM); with --keyfile. Or put a TLS proxy in front (docs/deploy.md)."
        ),
    ] = None,
    keyfile: Annotated[Path | None, typer.Option(help="The private key (PEM) of --certfile.")] = None,
) -> None:
    """Run the game server: lobby, seats, clocks and durable games over websockets (msgpack frames)."""
    from server.app import serve_command

    raise typer.Exit(
        serve_command(
            host,
            port,
            data,
            create_token,
            games_per_address,
            expire_hours,
            trust,
            store,
            public_address,
            certfile,
            keyfile,
        )
    )


def main() -> None:
    from game.resources import BundledDataError

    try:
        app()
    except BundledDataError as exc:  # a broken installation: one line that says what to do, no traceback
        typer.echo(f"backchannel: {exc}", err=True)
        raise SystemExit(1) from None


if __name__ == "__main__":
    main()
