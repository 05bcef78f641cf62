"""Recording a session while it runs and when it ends: into its journal at every step (so
a kill or a power cut does not lose it), into the history at its end, with a fallback file
when the database cannot take it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from stretchcli.play.plan import SessionPlan
from stretchcli.play.player import Outcome, Player, Snapshot

if TYPE_CHECKING:
    from stretchcli.history.record import SessionRecord
    from stretchcli.play.clock import Clock

# Real seconds between journal writes within one long step (a 2-minute hold, a long pause).
JOURNAL_EVERY = 15.0


class Journal(Protocol):
    """A running session's record on disk."""

    def write(self, record: SessionRecord) -> bool:
        """Replace the journal with ``record``; False if it could not be written."""

    def close(self) -> None:
        """The session is saved: remove the journal."""


@dataclass(frozen=True)
class Saved:
    """Where a finished session went."""

    path: str
    in_database: bool
    problem: str | None = None


class History(Protocol):
    """Where sessions are recorded."""

    def journal(self, session_id: str) -> Journal:
        """The journal of a new session."""

    def save(self, record: SessionRecord) -> Saved:
        """Record a finished session (in the database, or a fallback file)."""


class DiskHistory:
    """The history database at ``db_path`` and its journal folder."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path

    def journal(self, session_id: str) -> Journal:
        """A journal in the folder beside the database. Called at the first step: it also
        loads what saving needs while the first step counts down, so the end is not kept
        waiting for it."""
        from stretchcli.history import save  # noqa: F401  (loaded now, used at the end)
        from stretchcli.history.journal import SessionJournal, folder_for

        return SessionJournal(folder_for(self.db_path), session_id)

    def save(self, record: SessionRecord) -> Saved:
        """``save_session`` into the database at ``db_path``."""
        from stretchcli.history.save import save_session

        saved = save_session(record, self.db_path)
        return Saved(str(saved.path), saved.in_database, saved.problem)


@dataclass
class Recorded:
    """What the recorder knows of the session: ratings, where it was saved, notes."""

    started_at: datetime
    pain_before: int | None = None
    pain_after: int | None = None
    saved_to: str = ""
    fallback: bool = False
    notes: list[str] = field(default_factory=list)


class Recorder:
    """Keeps the record of one session: the journal at every step, the history at the end."""

    def __init__(
        self,
        plan: SessionPlan,
        history: History,
        *,
        clock: Clock,
        started_at: datetime,
        session_id: str,
    ) -> None:
        self.plan = plan
        self.history = history
        self.clock = clock
        self.started_clock = clock.now()
        self.session_id = session_id
        self.recorded = Recorded(started_at=started_at)
        self.journal: Journal | None = None
        self._written: float | None = None  # clock time of the last journal write

    def ended_at(self, outcome: Outcome) -> datetime:
        """The wall-clock end of the session (or of what there is of it so far)."""
        spent = max(0.0, (outcome.ended or 0.0) - (outcome.started or self.started_clock))
        return self.recorded.started_at + timedelta(seconds=spent)

    def step(self, player: Player, snap: Snapshot) -> None:
        """At each step, answer, pause or resume, and every ``JOURNAL_EVERY`` real seconds
        of a long countdown: the record so far, as it would be if the session ended now,
        into the journal."""
        now = self.clock.now()
        if (
            snap.event == "tick"
            and self._written is not None
            and self.clock.to_real(now - self._written) < JOURNAL_EVERY
        ):
            return
        self._written = now
        from stretchcli.history.journal import RECOVERED_NOTE

        if self.journal is None:
            self.journal = self.history.journal(self.session_id)
        self.journal.write(self.record(player.so_far(), note=RECOVERED_NOTE, step=player.at))

    def save(self, outcome: Outcome, *, step: int = 0) -> None:
        """Record the finished session (``step``: the index of the step it ended at, in
        the timeline played). The journal holds the final record until then, should the
        save be cut short."""
        record = self.record(outcome, step=step)
        if self.journal is not None:
            self.journal.write(record)
        saved = self.history.save(record)
        if self.journal is not None:
            self.journal.close()
        self.recorded.saved_to = saved.path
        self.recorded.fallback = not saved.in_database
        if saved.problem:
            self.recorded.notes.append(saved.problem)

    def record(self, outcome: Outcome, *, note: str = "", step: int = 0) -> SessionRecord:
        """The history record of ``outcome``, which ended at step ``step`` of the timeline
        played (recorded as its index in the whole timeline, for ``--resume``; none for a
        completed session)."""
        from stretchcli.history.record import SessionRecord, SideRecord

        recorded = self.recorded
        resume = self.plan.resume
        status = outcome.status or "quit"
        return SessionRecord(
            id=self.session_id,
            routine=self.plan.routine_id,
            title=self.plan.title,
            started_at=recorded.started_at,
            ended_at=self.ended_at(outcome),
            duration_s=round(outcome.active_s, 3),
            status=status,
            source="guided",
            pain_before=recorded.pain_before,
            pain_after=recorded.pain_after,
            sides=tuple(
                SideRecord(
                    exercise_index=h.exercise_index,
                    exercise=h.exercise,
                    side=h.side,
                    held_s=round(h.held_s, 3),
                    holds=h.holds,
                    moves=h.moves,
                )
                for h in outcome.held
            ),
            pain=tuple(outcome.pain),
            note=note,
            extra_hold_s=self.plan.extra_hold_s,
            resumes=resume.resumes if resume is not None else None,
            step=None if status == "completed" else self.plan.whole_index(step),
        )
