"""Hosting a class game: the server on the local network, the game, the handout, the umpire's seat.

`backchannel host` and the title screen's "Host a game" both come here.  The real server runs
in this process (`game.launchers.embedded_server.EmbeddedServer`) listening on every interface, so students' own
computers reach it at this computer's address on the local network; the teacher's program
talks to it over loopback like any client.  `host_game` creates the game — a human seat for each
state the students play, a bot for the others — and writes the handout (game/launchers/handout.py): the
address students type and a code per state, printable on one page.  The teacher's program holds
the umpire's seat; the umpire's screen opens on it, and its Report button calls `make_report`,
which builds the debrief page (game/debrief) from the record the server sends.

Where things go: ``<home>/classroom/server`` holds the server's games (``<home>`` as for local
play: $BACKCHANNEL_HOME, else the user data folder); each game's handout and reports go to
``<home>/classroom/<game id>/`` unless an output folder is given.
"""

from __future__ import annotations

import contextlib
import sys
import time
import webbrowser
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from game.client.link import ServerLink
from game.client.scenario_cache import ScenarioCache
from game.launchers.embedded_server import START_TIMEOUT, EmbeddedServer, LocalPlayError, home
from game.launchers.handout import HANDOUT_FILE, spaced, write_handout
from server.addresses import lan_addresses

DEFAULT_PORT = 8765
LISTEN_ALL = "0.0.0.0"
REPORT_FILE = "report.html"
GRADES_FILE = "grades.csv"


def port_help(port: int) -> str:
    """How to let students' computers in, for the teacher (the usual stumbling block)."""
    return (
        f"If students cannot connect, let this computer accept TCP port {port}: on Windows allow Python "
        f"through Windows Defender Firewall for private networks; on macOS, System Settings › Network › "
        f"Firewall › Options, allow Python; on Linux, e.g. `sudo ufw allow {port}/tcp`. A school network "
        f"that keeps devices apart (client isolation) needs the IT staff to allow it."
    )


def classroom_dir() -> Path:
    return home() / "classroom"


@dataclass
class HostOptions:
    """A class game's settings (the host window's, or the command's options)."""

    scenario: str = "july-1914"
    deadline: int | None = None
    """Seconds per phase; None: a phase ends when every team is ready (or the umpire resolves it)."""
    people: int = 1
    """Students per state: said on the handout's cards."""
    states: list[str] | None = None
    """The states students play (None: every playable one); the others are bots from the start."""
    bots: bool = True
    """Bots take the seats nobody joined when the game starts (else their units hold)."""
    labels: str = "names"
    """What other states see of who wrote a message: names, or only the state (blinded)."""
    port: int = DEFAULT_PORT
    """0: any free port.  A taken port falls back to any free one."""
    seed: int | None = None
    out: Path | None = None
    """The handout's and reports' folder (default: <home>/classroom/<game id>)."""
    bot_delay: float | None = None

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any]) -> HostOptions:
        """From the host window's choice (unknown keys are ignored)."""
        known = {f for f in cls.__dataclass_fields__}
        return cls(**{k: v for k, v in options.items() if k in known})


@dataclass
class HostedGame:
    """A class game being hosted: its server, the umpire's seated link, the codes and the handout.

    `link`, `close()`, `classroom` and `make_report` are what the client uses (like a local game)."""

    server: EmbeddedServer
    link: ServerLink
    game: str
    title: str
    codes: dict[str, Any]
    address: str
    """What students type: ws://<this computer's LAN address>:<port>."""
    addresses: list[str]
    folder: Path
    handout: Path
    options: HostOptions
    open_reports: bool = True
    reports: list[Path] = field(default_factory=list)
    state_names: dict[str, str] = field(default_factory=dict)

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def url(self) -> str:
        """The program's own way in (loopback)."""
        return self.server.url

    @property
    def classroom(self) -> dict[str, Any]:
        """What the umpire's screen shows beside the table: the address, the handout, the port's help."""
        return {
            "address": self.address,
            "addresses": list(self.addresses),
            "handout": str(self.handout),
            "port_help": port_help(self.port),
            "bots": self.options.bots,
            "people": self.options.people,
        }

    def make_report(self, record: dict[str, Any]) -> Path:
        """The debrief page (and the grade sheet) from the server's record, written into the game's
        folder; opened in the browser unless told not to.  Runs in a worker thread of the client."""
        from game.debrief import build_report, grades_csv, render_html, source_from_record

        report = build_report(source_from_record(record))
        path = self.folder / REPORT_FILE
        path.write_text(render_html(report), encoding="utf-8")
        (self.folder / GRADES_FILE).write_text(grades_csv(report.grades), encoding="utf-8")
        self.reports.append(path)
        if self.open_reports:
            with contextlib.suppress(Exception):
                webbrowser.open(path.resolve().as_uri())
        return path

    def close(self) -> None:
        """Close the umpire's link and stop the server (students' connections close with it)."""
        self.link.close()
        self.server.stop()


def _scenario_states(scenario_id: str) -> tuple[Any, list[str]]:
    try:
        scenario = ScenarioCache().bundled(scenario_id)
    except KeyError:
        raise LocalPlayError(f"no bundled scenario {scenario_id!r}") from None
    playable = [s.id for s in scenario.states if s.playable and s.controller == "player"] or [
        s.id for s in scenario.states if s.playable
    ]
    return scenario, playable


def seats_for(scenario: Any, playable: list[str], students: list[str] | None) -> dict[str, str]:
    """human for the states students play, bot for the other playable ones (others keep the scenario's)."""
    chosen = playable if students is None else students
    unknown = [s for s in chosen if s not in playable]
    if unknown:
        raise LocalPlayError(
            f"{scenario.id} has no playable state {', '.join(unknown)}; its playable states are "
            f"{', '.join(playable)}"
        )
    if not chosen:
        raise LocalPlayError("choose at least one state for the students")
    return {s: ("human" if s in chosen else "bot") for s in playable}


def _reply(link: ServerLink, ref: str | int, what: str) -> dict[str, Any]:
    reply = link.wait_reply(ref, START_TIMEOUT)
    if reply is None:
        raise LocalPlayError(f"{what}: no answer from the server ({link.state})")
    if reply.get("type") == "error":
        raise LocalPlayError(f"{what}: {reply.get('message', reply.get('code'))}", str(reply.get("code")))
    return reply


def _start_server(folder: Path, port: int) -> EmbeddedServer:
    server = EmbeddedServer(folder, host=LISTEN_ALL)
    try:
        server.start(port)
    except LocalPlayError as exc:
        if port == 0 or "another Backchannel program" in str(exc):
            raise
        server = EmbeddedServer(folder, host=LISTEN_ALL)
        server.start(0)  # the port is taken (another program): any free one, said on the handout
    return server


def host_game(options: HostOptions | Mapping[str, Any], *, open_reports: bool = True) -> HostedGame:
    """Start the server on the network, create the game, write the handout; the umpire's seat is held.

    The game waits in its lobby for the students: the umpire starts it from the umpire's screen."""
    opts = options if isinstance(options, HostOptions) else HostOptions.from_mapping(options)
    scenario, playable = _scenario_states(opts.scenario)
    seats = seats_for(scenario, playable, opts.states)
    server = _start_server(classroom_dir() / "server", opts.port)
    link = ServerLink(server.url, client="backchannel-host")
    try:
        link.start()
        create: dict[str, Any] = {
            "type": "create",
            "scenario": opts.scenario,
            "seats": seats,
            "deadline": opts.deadline,
        }
        if opts.seed is not None:
            create["seed"] = opts.seed
        if opts.labels != "names":
            create["labels"] = opts.labels
        if opts.bot_delay is not None:
            create["bot_delay"] = opts.bot_delay
        created = _reply(link, link.send(create), "the game could not be created")
        game = str(created["game"])
        codes = dict(created["codes"])
        addresses = lan_addresses()
        address = f"ws://{addresses[0] if addresses else '127.0.0.1'}:{server.port}"
        folder = opts.out if opts.out is not None else classroom_dir() / game
        folder.mkdir(parents=True, exist_ok=True)
        handout = write_handout(
            folder / HANDOUT_FILE,
            title=scenario.title,
            game=game,
            address=address,
            codes=codes,
            states=[(s.id, s.name, s.colour) for s in scenario.states],
            people=opts.people,
            deadline=opts.deadline,
        )
    except BaseException:
        link.close()
        server.stop()
        raise
    return HostedGame(
        server,
        link,
        game,
        scenario.title,
        codes,
        address,
        addresses,
        folder,
        handout,
        opts,
        open_reports=open_reports,
        state_names={s.id: s.name for s in scenario.states},
    )


class Hosting:
    """Hosting as the client's title screen may use it: `host(options)` (off the UI thread)."""

    def __init__(self, *, open_reports: bool = True) -> None:
        self.open_reports = open_reports
        self.current: HostedGame | None = None

    def host(self, options: Mapping[str, Any]) -> HostedGame:
        self.close()
        self.current = host_game(options, open_reports=self.open_reports)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.close()
            self.current = None


def describe(hosted: HostedGame) -> str:
    """What `backchannel host` prints: where students join, the codes, the handout, the umpire's code."""
    lines = [
        f"Hosting {hosted.title} — game {hosted.game}",
        f"Students join at: {hosted.address}",
    ]
    others = [a for a in hosted.addresses[1:]]
    if others:
        lines.append(
            "  (this computer's other addresses: "
            + ", ".join(f"ws://{a}:{hosted.port}" for a in others)
            + ")"
        )
    if not hosted.addresses:
        lines.append(
            "  No local network found: only this computer can join. Connect to the school's network first."
        )
    rows = [(hosted.state_names.get(s, s), c) for s, c in (hosted.codes.get("states") or {}).items()]
    rows.append(("Observers", str(hosted.codes.get("observer"))))
    width = max(len(name) for name, _ in rows)
    lines += [f"  {name:<{width}}  {spaced(code)}" for name, code in rows]
    lines.append(
        f"Umpire's code (yours alone, not on the handout): {spaced(str(hosted.codes.get('umpire')))}"
    )
    lines.append(f"Handout to print: {hosted.handout}")
    lines.append(port_help(hosted.port))
    return "\n".join(lines)


def host_command(options: HostOptions, *, window: bool = True, fullscreen: bool = False) -> int:
    """`backchannel host`: host a class game and open the umpire's screen (`window` False: serve only,
    until Ctrl-C, e.g. with the umpire's screen on another computer joining with the umpire's code)."""
    try:
        hosted = host_game(options)
    except LocalPlayError as exc:
        print(f"backchannel host: {exc}", file=sys.stderr)
        return 1
    try:
        print(describe(hosted), flush=True)
        if not window:
            print("Serving; press Ctrl-C to stop.", flush=True)
            with contextlib.suppress(KeyboardInterrupt):
                while hosted.server.running:
                    time.sleep(0.5)
            return 0
        from game.client.app import run_client

        return run_client(session=hosted, title_screen=False, fullscreen=fullscreen)
    finally:
        hosted.close()
