"""Creating and deleting records from the UI: asked first (a delete names its record, a
production connection names itself), sent through the editing core's helpers (which log them),
and reported like a save, with the exchange behind the result."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from typing import TYPE_CHECKING, Any

from crmdesk.api import EntityInfo, Record
from crmdesk.editing import Outcome, RecordResult, create_record, delete_record
from crmdesk.ui.editing.action_flow import check_on
from crmdesk.ui.editing.naming import record_words, service_name, singular
from crmdesk.ui.editing.record_form import RecordForm
from crmdesk.ui.editing.result_window import ResultWindow
from crmdesk.ui.profiles.ask import confirm
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.tasks import Op, Progress

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing


class RecordWrites:
    """Create and delete for one window's record editing."""

    def __init__(self, editing: RecordEditing) -> None:
        self._editing = editing
        self.last_result: ResultWindow | None = None

    # -- create ----------------------------------------------------------------------------

    def create(self, form: RecordForm, values: dict[str, Any]) -> None:
        """Create the record a new-record form describes (its values already read)."""
        session, entity = form.session, form.entity
        noun = singular(entity.label).lower()
        guard = self._editing.guard
        Op(
            lambda: guard.allow(session.profile, f"create a {noun} (1 record)"),
            name="ask before creating",
        ).success(
            lambda allowed: self._create(form, values) if allowed else self._refused(form, guard)
        ).run(self._editing.tasks)

    def _refused(self, form: RecordForm, guard: Any) -> None:
        if guard.last_refusal:
            form.say(guard.last_refusal)

    def _create(self, form: RecordForm, values: dict[str, Any]) -> None:
        session, entity = form.session, form.entity
        backend = session.backend
        if backend is None:
            form.say(f"{session.name} is not connected; nothing was sent.")
            return
        noun = singular(entity.label).lower()
        changelog = self._editing.desk.changelog

        async def run(progress: Progress) -> RecordResult:
            progress.report(0, 1, noun)
            return await create_record(backend, session.id, entity.name, values, changelog)

        def made(result: RecordResult) -> None:
            if result.outcome is Outcome.SAVED and result.created_id:
                form.became(result.created_id)
                tabs = self._editing.tabs.tabs
                tabs.setTabText(tabs.indexOf(form), form.title)
            elif result.outcome is Outcome.QUEUED:
                form.queued()

        def done(result: RecordResult) -> None:
            # A create found made by Check again turns its form into the record too, so it
            # is not created a second time from there.
            retry = lambda _lost: self.create(form, values)  # noqa: E731
            self._show(f"Create {noun}", result, session, retry=retry, checked=made)
            made(result)

        Op(run, name=f"create {entity.label}").with_progress(f"Creating a {noun}…").announce(
            session.id, entity.name
        ).success(done).run(self._editing.tasks)

    # -- delete ----------------------------------------------------------------------------

    def delete(self, session: ConnectionSession, entity: EntityInfo, record: Record) -> None:
        words = record_words(entity, record)
        Op(lambda: self._ask(session, words), name="ask before deleting").success(
            lambda allowed: self._delete(session, entity, record, words) if allowed else None
        ).run(self._editing.tasks)

    async def _ask(self, session: ConnectionSession, words: str) -> bool:
        editing = self._editing
        asked = await confirm(
            editing.window,
            "Delete record",
            f"Delete <b>{escape(words)}</b> from <b>{escape(session.name)}</b>?",
            "Delete",
            detail="The server removes it; crmdesk cannot bring it back.",
        )
        if not asked:
            return False
        allowed = await editing.guard.allow(session.profile, f"delete {words} (1 record)")
        if not allowed and editing.guard.last_refusal:
            refused = RecordResult("", Outcome.FAILED, editing.guard.last_refusal)
            self._show("Delete", refused, session)
        return allowed

    def _delete(
        self, session: ConnectionSession, entity: EntityInfo, record: Record, words: str
    ) -> None:
        editing = self._editing
        backend = session.backend
        if backend is None:
            return
        changelog = editing.desk.changelog

        async def run(progress: Progress) -> RecordResult:
            progress.report(0, 1, words)
            return await delete_record(
                backend,
                session.id,
                entity.name,
                record.id,
                before=dict(record.values),
                changelog=changelog,
            )

        def gone(result: RecordResult) -> None:
            if result.outcome is Outcome.SAVED:
                editing.pending.revert(session.id, entity.name, record.id, None)
                for page in editing.tabs.pages():
                    if isinstance(page, RecordForm) and page.key == (
                        session.id,
                        entity.name,
                        record.id,
                    ):
                        editing.tabs.close_tab(editing.tabs.tabs.indexOf(page))

        def done(result: RecordResult) -> None:
            retry = lambda _lost: self.delete(session, entity, record)  # noqa: E731
            self._show(f"Delete {words}", result, session, retry=retry, checked=gone)
            gone(result)

        Op(run, name=f"delete {record.id}").with_progress(f"Deleting {words}…").announce(
            session.id, entity.name, (record.id,)
        ).success(done).run(editing.tasks)

    def _show(
        self,
        title: str,
        result: RecordResult,
        session: ConnectionSession,
        *,
        retry: Callable[[RecordResult], None] | None = None,
        checked: Callable[[RecordResult], None] | None = None,
    ) -> None:
        """The result in its window; a write whose answer was lost can be checked again and,
        once a check says so, retried (`retry` asks as the first time did)."""
        self.last_result = ResultWindow(
            title,
            result,
            self._editing.window,
            server=service_name(session.profile),
            checker=lambda lost: check_on(session, lost),
            tasks=self._editing.tasks,
            on_retry=retry,
            on_checked=checked,
        )
        self.last_result.show()
