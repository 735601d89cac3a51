"""One game in the running server: the asyncio shell around its `Session`.

Every request for a game runs the same sequence, one at a time under the game's lock
(as boardgame.io's master does): answer a resent command id with its first reply; validate
and apply (the session); make the entries durable (the store); reply to the sender; fan the
events out, each viewer's own, to that viewer's connections.  Nothing leaves the server
before its commit, so an acknowledged command survives kill -9.

A plain command (its reply and events made when it was applied, nothing read from the session
when it is sent: a press message, a proposal) lets the lock go once its entries are queued for
the store, and its reply and events go out when its commit lands: the game's next commands are
applied meanwhile and committed in the same transaction (group commit within a game, not only
across games: otherwise a game moves one command per commit).  The store commits in order, so
a command is never acknowledged before one applied earlier.  Whatever is read from the session
to be sent (a view, a table, a catch-up, a refusal, a resent reply) waits for the game's writes
in flight first (`_settled`): nothing not yet durable is ever shown.

The clock is a timer per game.  Resolving a phase (bots, adjudication, the next phase's
bots) runs in a worker thread so that a big turn does not stall the other games.

If applying fails unexpectedly, or the store refuses a write, the game in memory is thrown
away and rebuilt from its durable log: a failure never leaves a game half-changed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from game.protocol.codec import event_frame, pack, view_frame
from game.rules.knowledge import UMPIRE
from server import logs, snapshots
from server.connection import Connection
from server.seats import Member
from server.session import KICKED, Session, SessionError, Step
from server.store import Entry, NotHost, Snapshot, Store, StoreError

log = logging.getLogger("backchannel.server")

INTERNAL = "internal"
UNAVAILABLE = "unavailable"
REMOVED_CLOSE_CODE = 4001
"""The close code of a connection whose member the umpire removed (kick)."""
MOVED_CLOSE_CODE = 4002
"""The close code of a connection whose game another server process now hosts: reconnect (and be
sent there)."""


class GameHost:
    """One game: its session, its connections, its clock timer."""

    def __init__(
        self,
        factory: Callable[[], Session],
        store: Store,
        members: list[Member],
        entries: list[Entry],
        snapshot: Snapshot | None = None,
    ) -> None:
        self._factory = factory
        self.store = store
        self.members = list(members)  # durable
        self.broken = False
        self.let_go = False
        """Another process hosts the game now, or this one lost its database: see `lost`."""
        self.session = self._build(members, entries, snapshot)
        self._snapshot_seq = snapshot.seq if snapshot is not None and self.restored_from_snapshot else 0
        self.id = self.session.id
        self.lock = asyncio.Lock()
        self.connections: dict[str, set[Connection]] = {}
        self._timer: asyncio.TimerHandle | None = None
        self._advancing: asyncio.Task[None] | None = None
        self._closed = False
        self._waking: dict[str, asyncio.TimerHandle] = {}  # bot state -> its pending answer
        self._reacting: set[asyncio.Task[None]] = set()
        self._presence: set[asyncio.Task[None]] = set()  # tables being sent after a (dis)connection
        self._stored_clock: dict[str, Any] | None = self.session.clock.to_json()
        self._stored_status = self.session.status
        self._ended = self.session.status == "over"
        self._inflight: asyncio.Future[None] | None = None
        """The game's last write whose command let the lock go before its commit, until it lands."""
        self._stale = False
        """Such a write failed: the session is rebuilt from the log once the writes in flight have landed."""
        self.active = time.time()
        """When a member last connected, left or sent a command: a game idle long enough is archived."""
        self.on_moved: Callable[[GameHost], None] | None = None
        """Called when this process lost the game's lease (the lobby forgets the game)."""

    def _build(
        self, members: list[Member], entries: list[Entry], snapshot: Snapshot | None = None
    ) -> Session:
        """The session from its snapshot and the log after it, or from the whole log."""
        fresh = self._factory()
        self.restored_from_snapshot = False
        if snapshot is not None and snapshot.seq <= len(entries):
            session = snapshots.restore(snapshot, fresh)
            if session is not None:
                session.replay(members, entries[snapshot.seq :])
                self.restored_from_snapshot = True
                return session
        fresh.replay(members, entries)
        return fresh

    def _rebuild(self) -> Session:
        """The game as its durable log has it (the log is read back from the store: failures are rare,
        and a copy kept in memory would be one more heap of objects for the garbage collector)."""
        stored = self.store.load_game(self.session.id)
        if stored is None:
            raise RuntimeError("the game is not in the store")
        self.members = list(stored.members)
        return self._build(stored.members, stored.entries, stored.snapshot)

    def _fail(self, what: str, exc: BaseException) -> None:
        if self.let_go:  # (a write queued before the game was let go, failing after it: nothing to mend)
            return
        if isinstance(exc, NotHost):
            self._moved()
            return
        # The exception's text could quote game content: its type at error level, the trace at debug.
        log.error(
            "game %s: %s failed (%s); rebuilding it from its log", self.session.id, what, type(exc).__name__
        )
        log.debug("game %s: %s failed", self.session.id, what, exc_info=exc)
        try:
            self.session = self._rebuild()
        except Exception as again:
            self.broken = True
            log.critical(
                "game %s cannot be rebuilt (%s); it is unavailable", self.session.id, type(again).__name__
            )

    def _moved(self) -> None:
        self.lost(MOVED_CLOSE_CODE, "the game moved to another server process; reconnect")

    def lost(self, code: int, reason: str) -> None:
        """This process may no longer host the game (another process took its lease, or this one
        lost its database): this copy stops — nothing it did since was stored or sent — and its
        connections close with `code`; they reconnect and are sent where the game lives."""
        if self.broken:
            return
        self.broken = self.let_go = True
        log.warning("game %s: let go here (%s)", self.session.id, reason)
        if self._timer is not None:
            self._timer.cancel()
        for targets in self.connections.values():
            for conn in list(targets):
                conn.close(code, reason)
        if self.on_moved is not None:
            self.on_moved(self)

    # --- connections ---------------------------------------------------------------------------

    def connected(self) -> bool:
        return any(self.connections.values())

    def busy(self) -> bool:
        """Work under way (a resolution, a bot's answer): not the moment to archive."""
        return (
            self.lock.locked()
            or bool(self._reacting)
            or (self._advancing is not None and not self._advancing.done())
            or self._inflight is not None
        )

    async def _settled(self) -> None:
        """Wait (under the lock) until every write in flight has landed: the session is then what
        the store holds, and may be read to be sent."""
        while self._inflight is not None:
            with contextlib.suppress(Exception):
                await asyncio.shield(self._inflight)
            await asyncio.sleep(0)  # the landing callbacks run first

    def online(self) -> set[str]:
        """The members with a connection open now."""
        return {c.member.id for targets in self.connections.values() for c in targets if c.member is not None}

    async def attach(self, conn: Connection, member: Member, v: int | None) -> None:
        """A connection takes its member's seat: it gets what it missed after `v`, then the view."""
        self.active = time.time()
        async with self.lock:
            await self._settled()
            conn.member = member
            events, _ = self.session.catch_up(member, v)
            for frame in events:
                conn.send(frame)
            came = member.id not in self.online()
            self.connections.setdefault(member.viewer, set()).add(conn)
            conn.send_message(self.session.view_message(member, self.online()))
            if came:
                self.push_tables(self._presence_viewers(member), skip=conn)

    def detach(self, conn: Connection) -> None:
        member = conn.member
        if member is None:
            return
        self.active = time.time()
        self.connections.get(member.viewer, set()).discard(conn)
        if member.id not in self.online() and not self._closed:
            # The table is read under the game's lock (a resolution may be running in a worker thread).
            task = asyncio.get_running_loop().create_task(self._left(member))
            self._presence.add(task)
            task.add_done_callback(self._presence.discard)

    async def _left(self, member: Member) -> None:
        async with self.lock:
            await self._settled()
            if not self.broken:
                self.push_tables(self._presence_viewers(member))

    def _presence_viewers(self, member: Member) -> set[str]:
        """Who sees a member come and go: the umpire, and the member's team."""
        return {UMPIRE} | ({member.state} if member.role == "player" and member.state is not None else set())

    def push_tables(self, viewers: set[str], skip: Connection | None = None) -> None:
        """The table again to the connections of `viewers` (each its own: `you` and what it may see)."""
        online = self.online()
        for viewer in viewers:
            for target in self.connections.get(viewer, ()):
                if target is not skip and target.member is not None:
                    target.send_message(self.session.table_message(target.member, online))

    def _close_removed(self, removed: list[str]) -> None:
        """The umpire removed these members: say so, then close their connections."""
        for targets in self.connections.values():
            for target in list(targets):
                if target.member is not None and target.member.id in removed:
                    target.error(KICKED, "the umpire removed you from this game")
                    target.close(REMOVED_CLOSE_CODE, "removed by the umpire")
                    targets.discard(target)

    async def sync(self, conn: Connection, member: Member, ref: str | int, v: int | None) -> None:
        async with self.lock:
            await self._settled()
            events, full = self.session.catch_up(member, v)
            for frame in events:
                conn.send(frame)
            if full:
                conn.send_message(self.session.view_message(member, self.online()))
            version = self.session.streams[member.viewer].version
            conn.send_message(
                {"type": "ack", "ref": ref, "v": version, "result": {"events": len(events), "view": full}}
            )

    async def record(self, conn: Connection, member: Member, ref: str | int) -> None:
        """The umpire asks for the game's complete record (read under the lock: it is whole)."""
        async with self.lock:
            await self._settled()
            try:
                message = self.session.record_message(member, ref)
            except SessionError as exc:
                conn.error(exc.code, exc.message, ref)
                logs.command(
                    "refused", conn.id, "get_record", code=exc.code, game=self.id, member=member.id, ref=ref
                )
                return
            conn.send_message(message)
            logs.command("answered", conn.id, "get_record", game=self.id, member=member.id)

    # --- requests ------------------------------------------------------------------------------

    async def command(
        self,
        conn: Connection,
        member: Member,
        ref: str | int,
        kind: str,
        make: Callable[[Session], Step],
        offload: bool = False,
        asked: str | None = None,
    ) -> None:
        """A seat's command: answered once, applied once, durable before anything is sent.  `asked` is
        the request's digest: the same id sent again with another request is refused."""
        await self._command(conn, member, ref, kind, make, offload, asked)
        self._schedule()

    async def _command(
        self,
        conn: Connection,
        member: Member,
        ref: str | int,
        kind: str,
        make: Callable[[Session], Step],
        offload: bool,
        asked: str | None = None,
    ) -> None:
        fields = {"game": self.id, "member": member.id, "ref": ref}
        self.active = time.time()
        async with self.lock:
            if self._stale or offload:
                await self._settled()  # a failed write's rebuild first; a long step on the store's state
            if self.broken:
                conn.error(UNAVAILABLE, "this game is unavailable after a server fault", ref)
                return
            session = self.session
            try:
                again = session.answered(member, ref, asked)
            except SessionError as exc:  # an id reused for another command: refused, not remembered
                conn.error(exc.code, exc.message, ref)
                logs.command("refused", conn.id, kind, code=exc.code, **fields)
                return
            if again is not None:
                await self._settled()  # its first reply may still be on its way to the disk
                conn.send(again)
                logs.command("resent", conn.id, kind, **fields)
                return
            session.asked = asked
            try:
                step = await asyncio.to_thread(make, session) if offload else make(session)
            except SessionError as exc:
                await self._settled()  # a refusal may rest on a command not yet durable
                conn.send_message(session.refuse(member, ref, exc))
                logs.command("refused", conn.id, kind, code=exc.code, **fields)
                log.debug("refused %s for %s: %s", kind, member.id, exc.message)
                return
            except Exception as exc:
                await self._settled()
                self._fail(kind, exc)
                conn.error(INTERNAL, "the server could not apply this command; nothing changed", ref)
                return
            finally:
                session.asked = None
            delivered = False

            def deliver() -> None:  # as soon as the step is durable, not a turn of the loop later
                nonlocal delivered
                delivered = True
                self._deliver(conn, step)

            if self._plain(step):
                # Queued for the store; the lock goes now, the reply when the commit lands.
                written = self._pipeline(step, deliver)
            else:
                await self._settled()
                written = None
                if not await self._persist(step, deliver):
                    self._unstored(conn, "command", ref)
                    return
                if not delivered:  # nothing to store
                    self._deliver(conn, step)
        if written is not None:
            try:
                await asyncio.shield(written)
            except asyncio.CancelledError:
                raise
            except Exception:
                self._unstored(conn, "command", ref)
                return
        logs.command("applied", conn.id, kind, **fields)
        self._note_end()

    def _unstored(self, conn: Connection, what: str, ref: str | int | None) -> None:
        """A step that could not be stored: an error says so, unless the game was let go here (another
        process took it over).  Then no reply: the connection is closing, and the client sends the
        command again, with its id, where the game lives now, which applies it once."""
        if not self.let_go:
            conn.error(INTERNAL, f"the {what} could not be stored; nothing changed", ref)

    def _plain(self, step: Step) -> bool:
        """A step whose reply and events were all made when it was applied: nothing is read from the
        session when it is sent, so it may be sent once durable without holding the game."""
        return bool(step.entries) and not (
            step.members
            or step.new_phase
            or step.tables
            or step.close
            or self.session.live == "full"
            or self.session.status == "over"
        )

    def _pipeline(self, step: Step, on_durable: Callable[[], None]) -> asyncio.Future[None]:
        """Queue a plain step's entries for the store without waiting; the caller awaits the future."""
        session = self.session
        clock, status = session.clock.to_json(), session.status
        written = self.store.append(
            self.id,
            session.logged - len(step.entries) + 1,
            step.entries,
            clock=clock if clock != self._stored_clock else None,
            status=status if status != self._stored_status else None,
            on_durable=on_durable,
        )
        self._stored_clock, self._stored_status = clock, status
        self._inflight = written

        def landed(future: asyncio.Future[None]) -> None:
            failed = future.cancelled() or future.exception() is not None
            if failed:
                self._stale = True
            if self._inflight is future:  # the game's last write in flight: the session is the store's again
                self._inflight = None
                if self._stale:
                    self._stale = False
                    error = future.exception() if not future.cancelled() else asyncio.CancelledError()
                    self._fail("storing", error or StoreError("an earlier write failed"))
                    self._stored_clock, self._stored_status = None, ""

        written.add_done_callback(landed)
        return written

    async def join(
        self, conn: Connection, make: Callable[[Session], Step], ref: str | int | None = None
    ) -> Member | None:
        """A new member (the lobby checked the code); None if refused (the error is sent)."""
        result: list[Member] = []

        async def run() -> None:
            async with self.lock:
                await self._settled()
                session = self.session
                try:
                    step = make(session)
                except SessionError as exc:
                    conn.error(exc.code, exc.message, ref)
                    return
                except Exception as exc:
                    self._fail("join", exc)
                    conn.error(INTERNAL, "the server could not seat you; nothing changed", ref)
                    return
                if not await self._persist(step):
                    self._unstored(conn, "seat", ref)
                    return
                result.extend(step.members)
                self._deliver(None, step)

        await run()
        return result[0] if result else None

    async def _persist(self, step: Step, on_durable: Callable[[], None] | None = None) -> bool:
        """Make a step durable.  Its bookkeeping runs when the write lands, even if the caller was
        cancelled meanwhile (a closing connection): memory and disk never disagree."""
        if not step.entries and not step.members:
            return True
        session = self.session
        clock, status = session.clock.to_json(), session.status
        written = self.store.append(
            self.id,
            session.logged - len(step.entries) + 1,
            step.entries,
            members=step.members,
            clock=clock if clock != self._stored_clock else None,
            status=status if status != self._stored_status else None,
            on_durable=on_durable,
        )
        self._stored_clock, self._stored_status = clock, status

        def landed(future: asyncio.Future[None]) -> None:
            error = future.exception() if not future.cancelled() else asyncio.CancelledError()
            if error is not None:
                self._fail("storing", error)
                self._stored_clock, self._stored_status = None, ""
            else:
                self.members.extend(step.members)

        written.add_done_callback(landed)
        try:
            await asyncio.shield(written)
        except asyncio.CancelledError:
            raise
        except Exception:
            return False
        return True

    def _deliver(self, conn: Connection | None, step: Step) -> None:
        """The reply to the sender, then each event to the connections of the viewer it is for."""
        if step.reply is not None and conn is not None:
            conn.send_message(step.reply)
            conn.replied = time.perf_counter()
        connections = self.connections
        game = self.id
        for viewer, v, event in step.events:
            targets = connections.get(viewer)
            if targets:
                frame = event_frame(game, v, event)
                for target in targets:
                    target.send(frame)
        for state in sorted(step.wake):
            self._wake(state)
        if step.close:
            self._close_removed(step.close)
        if step.new_phase:
            self.push_views()
            if self.session.logged - self._snapshot_seq >= snapshots.EVERY_ENTRIES:
                self._snapshot()
        else:
            if self.session.live == "full":
                # The other design, kept to measure it: a whole new view to every viewer told something.
                self.push_views({viewer for viewer, _, _ in step.events})
            if step.tables:
                self.push_tables(step.tables)

    def _snapshot(self) -> None:
        """Keep a snapshot of the session (between two commands, so it is whole); a failure only
        means a longer replay at the next restart."""
        try:
            snapshot = snapshots.take(self.session)
        except Exception as exc:
            log.warning("game %s: no snapshot (%s)", self.id, type(exc).__name__)
            return
        self._snapshot_seq = snapshot.seq

        def landed(future: asyncio.Future[None]) -> None:
            if not future.cancelled() and future.exception() is not None:
                log.warning("game %s: snapshot not stored (%s)", self.id, type(future.exception()).__name__)

        self.store.save_snapshot(self.id, snapshot).add_done_callback(landed)

    def push_views(self, viewers: set[str] | None = None) -> None:
        """A fresh view to every connection (after a phase change), or to those of `viewers`, computed
        once per viewer."""
        online = self.online()
        for viewer, targets in self.connections.items():
            if not targets or (viewers is not None and viewer not in viewers):
                continue
            # One view per viewer, packed once; a table per member (it names its member).
            session = self.session
            packed_view, v = session.packed_view(viewer), session.streams[viewer].version
            frames: dict[str, bytes] = {}
            for target in targets:
                member = target.member
                assert member is not None
                frame = frames.get(member.id)
                if frame is None:
                    frame = frames[member.id] = view_frame(
                        self.id, v, packed_view, pack(session.table(member, online))
                    )
                target.send(frame)

    # --- bots answering within the phase -------------------------------------------------------

    def _wake(self, state: str) -> None:
        """Let a bot answer after the game's bot delay; several facts in that time make one answer."""
        if self._closed or state in self._waking:
            return
        loop = asyncio.get_running_loop()
        self._waking[state] = loop.call_later(self.session.bot_delay, self._react_soon, state)

    def wake_bots(self) -> None:
        """After a restart: every bot looks once for what awaits it (an answer a crash cut off)."""
        for state in self.session.bots:
            self._wake(state)

    def _react_soon(self, state: str) -> None:
        self._waking.pop(state, None)
        if self._closed:
            return
        task = asyncio.get_running_loop().create_task(self._react(state))
        self._reacting.add(task)
        task.add_done_callback(self._reacting.discard)

    async def _react(self, state: str) -> None:
        async with self.lock:
            await self._settled()
            session = self.session
            if self.broken or self._closed:
                return
            try:
                # A bot thinks for milliseconds, sometimes tens: in a worker thread, so other games go on.
                step = await asyncio.to_thread(session.bot_react, state)
            except Exception as exc:
                self._fail(f"{state}'s bot answer", exc)
                return
            if await self._persist(step):
                self._deliver(None, step)
        self._schedule()

    # --- the clock -----------------------------------------------------------------------------

    def _schedule(self) -> None:
        """Resolve now if due, or set the timer for the deadline."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._closed or self.broken:
            return
        session = self.session
        now = time.time()
        if session.wants_advance(now):
            self._kick()
        elif session.status == "running" and session.clock.deadline is not None and not session.clock.paused:
            delay = max(0.0, session.clock.deadline - now) + 0.001
            self._timer = asyncio.get_running_loop().call_later(delay, self._kick)

    def start_clock(self) -> None:
        """After a restart: a deadline that passed while the server was down resolves at once, and
        each bot looks for what it had still to answer."""
        self._schedule()
        self.wake_bots()

    def _kick(self) -> None:
        if self._closed or (self._advancing is not None and not self._advancing.done()):
            return  # the running resolution reschedules when it ends
        self._advancing = asyncio.get_running_loop().create_task(self._advance())

    async def _advance(self) -> None:
        try:
            await self._resolve()
        finally:
            self._advancing = None
            self._schedule()

    async def _resolve(self) -> None:
        async with self.lock:
            await self._settled()
            session = self.session
            now = time.time()
            if self.broken or not session.wants_advance(now):
                return
            by = "deadline" if session.clock.due(now) else "ready"
            turn, phase = session.game.turn, session.game.phase
            try:
                # Bots think for tens of milliseconds a turn: in a worker thread, so that other games go on.
                # A turn without bots resolves in about a millisecond: at once, without a thread hand-off.
                if session.bots:
                    step = await asyncio.to_thread(session.advance, now, by)
                else:
                    step = session.advance(now, by)
            except Exception as exc:
                self._fail("resolution", exc)
                return
            if await self._persist(step):
                self._deliver(None, step)
                logs.game("resolved", self.id, turn=turn, phase=phase, by=by, entries=len(step.entries))
                self._note_end()

    def _note_end(self) -> None:
        if self.session.status == "over" and not self._ended:
            self._ended = True
            logs.game("ended", self.id, turn=self.session.game.turn, winner=self.session.game.winner)

    async def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        for handle in self._waking.values():
            handle.cancel()
        self._waking.clear()
        if self._reacting:
            await asyncio.gather(*self._reacting, return_exceptions=True)
        if self._presence:
            await asyncio.gather(*self._presence, return_exceptions=True)
        if self._advancing is not None:
            await asyncio.gather(self._advancing, return_exceptions=True)
        async with self.lock:  # the last command in progress, if any, finishes first
            await self._settled()
