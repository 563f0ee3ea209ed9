"""ActionFlow: one action on one record, as a person expects it: its inputs (choices from the
server), a preview to confirm where it asks for one (what it costs), the production question,
then the write with progress, and its result in words with the exchange behind it.

Nothing here knows a kind: what an entity can do comes from `EntityInfo.actions`, what an
action takes from `backend.action_inputs`, what it will do from `backend.preview_action`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from crmdesk.api import ActionPreview, ActionSpec, ApiError, EntityInfo, ErrorKind
from crmdesk.editing import ChangeLog, Outcome, RecordResult, check_again, run_record_action
from crmdesk.ui.editing.naming import service_name, singular
from crmdesk.ui.editing.result_window import ResultWindow
from crmdesk.ui.editing.values_dialog import ValuesDialog
from crmdesk.ui.profiles.ask import answer_of, confirm
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.tasks import Op, Progress, TaskRunner


@dataclass(frozen=True, slots=True)
class ActionTarget:
    """The record an action is for, as the person sees it."""

    session: ConnectionSession
    entity: EntityInfo
    record_id: str
    title: str = ""  # a name for it in words ("Lead QEM2B3L3 · George Bishop")

    @property
    def words(self) -> str:
        return self.title or f"{self.entity.label} record {self.record_id}"


def refusal(session: ConnectionSession, entity: EntityInfo) -> str | None:
    """Why no action can run here, in words; None when they can."""
    if session.profile.read_only:
        return f"{session.name} is read-only: actions are switched off."
    if session.backend is None:
        return f"{session.name} is not connected."
    return None


class ActionFlow(QObject):
    """Runs actions for a window. `openRequested(session, entity, id)` when the person asks to
    open a record an action made; `finished(RecordResult)` after each action's result."""

    openRequested = Signal(object, str, str)
    finished = Signal(object)

    def __init__(
        self,
        window: QWidget,
        tasks: TaskRunner,
        guard: WriteGuard,
        changelog: Callable[[], ChangeLog | None] = lambda: None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._tasks = tasks
        self._guard = guard
        # Asked at each action: the Desk may open its change log after the window is made.
        self._changelog = changelog
        self.last_result: ResultWindow | None = None

    def start(
        self, target: ActionTarget, action: ActionSpec, given: dict[str, Any] | None = None
    ) -> None:
        """Ask what the action needs (or take `given`, a retry's values), show what it will
        do and cost where it asks to be confirmed, then send it (never blocking the window)."""
        Op(lambda: self._prepare(target, action, given), name=f"prepare {action.label}").success(
            lambda args: self._send(target, action, args) if args is not None else None
        ).failure(
            lambda error: self._show(
                target, action, RecordResult(target.record_id, Outcome.FAILED, error.summary, error)
            )
        ).run(self._tasks)

    async def _prepare(
        self, target: ActionTarget, action: ActionSpec, given: dict[str, Any] | None
    ) -> dict[str, Any] | None:
        """The action's arguments once the person agreed to everything; None if they did not."""
        reason = refusal(target.session, target.entity)
        if reason is not None:
            raise ApiError(ErrorKind.READ_ONLY, reason)
        backend = target.session.backend
        assert backend is not None
        entity, record_id = target.entity.name, target.record_id
        inputs = (
            () if given is not None else await backend.action_inputs(entity, record_id, action.name)
        )
        args: dict[str, Any] = dict(given or {})
        if inputs:
            dialog = ValuesDialog(
                action.label,
                f"<b>{escape(action.label)}</b> on {escape(target.words)}."
                f"<br>{escape(action.description)}",
                inputs,
                "Continue…" if action.confirm or action.costs_money else action.label,
                self._window,
            )
            try:
                if await answer_of(dialog) != ValuesDialog.DialogCode.Accepted:
                    return None
                args = dialog.values()
            finally:
                dialog.deleteLater()
        if action.confirm or action.costs_money:
            preview = await backend.preview_action(entity, record_id, action.name, args)
            if not await self._confirm(target, preview):
                return None
        if not await self._guard.allow(
            target.session.profile, f"{action.label.lower()} on {target.words} (1 record)"
        ):
            if self._guard.last_refusal:
                raise ApiError(ErrorKind.READ_ONLY, self._guard.last_refusal)
            return None
        return args

    async def _confirm(self, target: ActionTarget, preview: ActionPreview) -> bool:
        action = preview.action
        facts = "".join(
            f"<tr><td>{escape(label)}:&nbsp;</td><td><b>{escape(value)}</b></td></tr>"
            for label, value in preview.facts
        )
        cost = (
            f'<p style="color:#b71c1c"><b>This costs money: {escape(preview.cost)}.</b></p>'
            if preview.cost
            else ""
        )
        calls = "call" if preview.api_calls == 1 else "calls"
        text = (
            f"<p>{escape(preview.summary)}</p>"
            + (f"<table>{facts}</table>" if facts else "")
            + cost
            + f"<p>On <b>{escape(target.words)}</b> of {escape(target.session.name)}; it uses "
            f"{preview.api_calls} API {calls}.</p>"
        )
        detail = "" if action.undoable else "This cannot be undone afterwards."
        return await confirm(self._window, action.label, text, action.label, detail=detail)

    def _send(self, target: ActionTarget, action: ActionSpec, args: dict[str, Any]) -> None:
        backend = target.session.backend
        if backend is None:
            self._show(target, action, _not_sent(target, "it is not connected"))
            return

        async def run(progress: Progress) -> RecordResult:
            progress.report(0, 1, target.words)
            return await run_record_action(
                backend,
                target.session.id,
                target.entity.name,
                target.record_id,
                action.name,
                args,
                changelog=self._changelog(),
            )

        Op(run, name=f"{action.label} {target.record_id}").with_progress(
            f"{action.label}: {target.words}…"
        ).announce(target.session.id, target.entity.name, (target.record_id,)).success(
            lambda result: self._show(target, action, result)
        ).run(self._tasks)

    def _show(self, target: ActionTarget, action: ActionSpec, result: RecordResult) -> None:
        on_open = None
        open_label = ""
        if result.opens is not None:
            entity, record_id = result.opens
            info = target.session.entity(entity)
            noun = singular(info.label) if info is not None else entity
            open_label = f"Open {noun.lower()} {record_id}"

            def on_open() -> None:
                self.openRequested.emit(target.session, entity, record_id)

        self.last_result = ResultWindow(
            f"{action.label} · {target.words}",
            result,
            self._window,
            open_label=open_label,
            on_open=on_open,
            server=service_name(target.session.profile),
            checker=lambda lost: check_on(target.session, lost),
            tasks=self._tasks,
            # Sent again only as the first time was: its price read again and confirmed.
            on_retry=lambda lost: (
                self.start(target, action, dict(lost.write.values))
                if lost.write is not None
                else None
            ),
            on_checked=self.finished.emit,
        )
        self.last_result.show()
        self.finished.emit(result)


async def check_on(session: ConnectionSession, result: RecordResult) -> RecordResult:
    """Look once more at what became of a write whose answer was lost (reading only)."""
    backend = session.backend
    if backend is None:
        raise ApiError(ErrorKind.TRANSPORT, f"{session.name} is not connected; nothing was read.")
    return await check_again(backend, result)


def _not_sent(target: ActionTarget, why: str) -> RecordResult:
    return RecordResult(target.record_id, Outcome.FAILED, f"Not sent: {why}.")
