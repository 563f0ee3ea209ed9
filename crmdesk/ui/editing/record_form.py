"""RecordForm: one record in a tab of its own, every field it has, with labels, API names,
types, required and read-only marks and the API's help text; edits made here join the same
pending edits as the grid's. With no record id it is the form of a new record, required fields
first, that creates it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import ApiError, EntityInfo, ErrorKind, FieldSpec, Record
from crmdesk.desk import RecordsChanged
from crmdesk.editing import EditsChanged
from crmdesk.ui.browser.error_banner import ErrorBanner
from crmdesk.ui.editing.action_flow import ActionTarget
from crmdesk.ui.editing.actions_menu import ActionsButton
from crmdesk.ui.editing.field_rows import FieldRow, about
from crmdesk.ui.editing.naming import record_words, service_name, singular
from crmdesk.ui.editing.overlay import why_not_editable
from crmdesk.ui.editing.values import check_all
from crmdesk.ui.session import ConnectionSession
from crmdesk.ui.tasks import Op

if TYPE_CHECKING:
    from crmdesk.ui.editing.window import RecordEditing


class RecordForm(QWidget):
    """Every field of one record (or of a new one). `key` is (connection, entity, id)."""

    def __init__(
        self,
        session: ConnectionSession,
        entity: EntityInfo,
        record_id: str | None,
        editing: RecordEditing,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordForm")
        self.session, self.entity, self.record_id = session, entity, record_id
        self.editing = editing
        self.record: Record | None = None
        self.fields: tuple[FieldSpec, ...] = ()
        self.rows: dict[str, FieldRow] = {}
        self._lane = editing.tasks.lane()
        self.heading = QLabel(self)
        self.heading.setObjectName("formHeading")
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel(self)
        self.note.setObjectName("formNote")
        self.note.setWordWrap(True)
        self.note.hide()
        self.banner = ErrorBanner(self)
        self.banner.retryRequested.connect(self.load)
        self.banner.wait_with(self._lane, session.governor, self.load)
        self.about = QLabel("Click a field to read about it.", self)
        self.about.setObjectName("aboutField")
        self.about.setWordWrap(True)
        self.about.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.about.setMinimumWidth(240)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.body)
        split = QSplitter(self)
        split.addWidget(scroll)
        split.addWidget(self.about)
        split.setSizes([760, 280])
        column = QVBoxLayout(self)
        column.addWidget(self.heading)
        column.addWidget(self.note)
        column.addWidget(self.banner)
        column.addLayout(self._buttons())
        column.addWidget(split, 1)
        editing.pending.changed.connect(self._edits_changed)
        unsubscribe = editing.desk.changes.subscribe(self._records_changed)
        self.destroyed.connect(lambda *_args: unsubscribe())
        self._retitle()

    @property
    def is_new(self) -> bool:
        return self.record_id is None

    @property
    def key(self) -> tuple[str, str, str | None]:
        return (self.session.id, self.entity.name, self.record_id)

    @property
    def title(self) -> str:
        noun = singular(self.entity.label)
        return f"New {noun.lower()}" if self.is_new else f"{noun} {self.record_id}"

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.refresh_button = QPushButton("Refresh", self)
        self.refresh_button.clicked.connect(self.load)
        self.create_button = QPushButton(f"Create {singular(self.entity.label).lower()}", self)
        self.create_button.setObjectName("create")
        self.revert_button = QPushButton("Revert record", self)
        self.revert_button.setObjectName("revertRecord")
        self.revert_button.clicked.connect(self.revert)
        self.save_button = QPushButton("Review && save…", self)
        self.save_button.setObjectName("reviewAndSave")
        self.save_button.clicked.connect(self.review)
        self.actions_button = ActionsButton(self.editing.flow, self.target, self)
        self.delete_button = QPushButton("Delete…", self)
        self.delete_button.setObjectName("deleteRecord")
        self.delete_button.clicked.connect(self.delete)
        self.create_button.clicked.connect(self.create_record)
        for button in (
            self.create_button,
            self.refresh_button,
            self.revert_button,
            self.save_button,
            self.actions_button,
            self.delete_button,
        ):
            row.addWidget(button)
        row.addStretch(1)
        self._update_buttons()
        self._count_changes()
        return row

    def _update_buttons(self) -> None:
        new, writable = self.is_new, not self.session.profile.read_only
        self.create_button.setVisible(new and writable)
        self.refresh_button.setVisible(not new)
        self.revert_button.setVisible(not new and writable and self.entity.can_update)
        self.save_button.setVisible(not new and writable and self.entity.can_update)
        self.actions_button.setVisible(not new and bool(self.entity.actions))
        self.delete_button.setVisible(not new and writable and self.entity.can_delete)

    def target(self) -> ActionTarget | None:
        if self.record_id is None:
            return None
        words = record_words(self.entity, self.record, self.record_id)
        return ActionTarget(self.session, self.entity, self.record_id, words)

    # -- loading ----------------------------------------------------------------------------

    def load(self) -> None:
        self.banner.clear()
        Op(self._fetch, name=f"open {self.title}").success(self._show).failure(
            lambda error: self.banner.show_error(error, f"Opening {self.title}")
        ).run_in(self._lane)

    async def _fetch(self) -> tuple[tuple[FieldSpec, ...], Record | None]:
        backend = self.session.backend
        if backend is None:
            raise ApiError(ErrorKind.TRANSPORT, f"{self.session.name} is not connected.")
        fields = await backend.fields(self.entity.name)
        if self.record_id is None:
            return fields, None
        return fields, await backend.get(self.entity.name, self.record_id)

    def _show(self, loaded: tuple[tuple[FieldSpec, ...], Record | None]) -> None:
        fields, record = loaded
        self.record = record
        if self.is_new:
            # Only what can be given, the required first: what a new record needs.
            fields = tuple(
                sorted((f for f in fields if not f.read_only), key=lambda f: not f.required)
            )
        else:
            known = {f.name for f in fields}
            extra = [
                FieldSpec(n, read_only=True)
                for n in (record.values if record else {})
                if n not in known
            ]
            fields = (*fields, *extra)
        self.fields = tuple(fields)
        while self.form.rowCount():
            self.form.removeRow(0)
        self.rows.clear()
        known_entities = {info.name: singular(info.label).lower() for info in self.session.entities}
        values = dict(record.values) if record is not None else {}
        for spec in self.fields:
            locked = None if self.is_new else why_not_editable(self.session, self.entity, spec)
            row = FieldRow(spec, values.get(spec.name), locked, self.body)
            row.edited.connect(lambda raw, spec=spec: self._take(spec, raw))
            row.openRelated.connect(self._open_related)
            if row.editor is not None:
                row.editor.focus_target().installEventFilter(self)
            row.link_to(values, known_entities)
            self.form.addRow(row.label, row)
            self.rows[spec.name] = row
        self._overlay_edits(refill=True)
        self._count_changes()
        self._retitle()

    def _retitle(self) -> None:
        where = f" · {self.session.name}"
        words = (
            record_words(self.entity, self.record, self.record_id or "")
            if not self.is_new
            else self.title
        )
        self.heading.setText(f"<b>{words}</b>{where}")

    # -- edits --------------------------------------------------------------------------------

    def _take(self, spec: FieldSpec, raw: Any) -> None:
        if self.is_new or self.record_id is None:
            return  # a new record's values stay in its form until it is created
        old = self.record.values.get(spec.name) if self.record is not None else None
        self._taking = True
        try:
            self.editing.pending.take(
                (self.session.id, self.entity.name, self.record_id, spec.name), spec, old, raw
            )
        finally:
            self._taking = False

    _taking = False

    def _overlay_edits(self, *, refill: bool) -> None:
        if self.record_id is None or self.record is None:
            return
        pending = self.editing.pending
        for name, row in self.rows.items():
            key = (self.session.id, self.entity.name, self.record_id, name)
            edit = pending.edits.get(*key)
            refused = pending.refused(key)
            value = edit.new if edit is not None else self.record.values.get(name)
            if refused is not None:
                row.show_refused(refused.text, refused.reason)
                continue
            row.show_value(value, (edit.old,) if edit is not None else None, refill=refill)

    def _edits_changed(self, change: EditsChanged) -> None:
        if (change.connection_id, change.entity) != (self.session.id, self.entity.name):
            return
        if change.record_ids and self.record_id not in change.record_ids:
            return
        # While the person types here, their text stays as typed; the marks follow.
        self._overlay_edits(refill=not self._taking)
        self._count_changes()

    def _count_changes(self) -> None:
        """Revert and Review & save say how many changes they act on, and wait for one."""
        count = 0
        if self.record_id is not None:
            pending = self.editing.pending
            key = (self.session.id, self.entity.name, self.record_id)
            refused = pending.refused_cells(*key[:2])
            count = len(pending.edits.of_record(*key)) + len(
                [k for k in refused if k[2] == key[2] and pending.edits.get(*k) is None]
            )
        self.revert_button.setEnabled(count > 0)
        self.save_button.setEnabled(count > 0)
        self.save_button.setText(f"Review && save ({count})…" if count else "Review && save…")

    def _records_changed(self, change: RecordsChanged) -> None:
        if (change.connection_id, change.entity) != (self.session.id, self.entity.name):
            return
        if not self.is_new and (not change.record_ids or self.record_id in change.record_ids):
            self.load()

    # -- what the buttons do -------------------------------------------------------------------

    def revert(self) -> None:
        if self.record_id is not None:
            self.editing.pending.revert(self.session.id, self.entity.name, self.record_id, None)
            self._overlay_edits(refill=True)

    def review(self) -> None:
        if self.record_id is not None:
            self.editing.review(self.session, self.entity, (self.record_id,))

    def delete(self) -> None:
        if self.record_id is not None:
            record = self.record or Record(self.record_id, {})
            self.editing.delete_record(self.session, self.entity, record)

    def create_record(self) -> None:
        """Check every value (required ones given), then create the record."""
        checked = check_all(self.fields, {n: r.raw() for n, r in self.rows.items()})
        problems = 0
        for name, result in checked.items():
            row = self.rows[name]
            if row.editor is not None:
                row.editor.show_problem(result.problem or "")
            problems += not result.ok
        if problems:
            self.banner.show_error(
                ApiError(ErrorKind.INVALID, f"{problems} field(s) need a value the API takes."),
                "Checking the new record",
            )
            return
        values = {n: c.value for n, c in checked.items() if c.value not in (None, "")}
        self.editing.create_record(self, values)

    def say(self, words: str) -> None:
        """A note under the heading (why nothing was sent, say)."""
        self.note.setText(words)
        self.note.setVisible(bool(words))

    def queued(self) -> None:
        """The server queued the create: there is no record to show yet, only the note."""
        self.create_button.setEnabled(False)
        self.say(
            f"Queued: the new {singular(self.entity.label).lower()} will appear when "
            f"{service_name(self.session.profile)} has processed it (refresh the list later). "
            "It has no id until then, so there is no record to show or edit here yet."
        )

    def became(self, record_id: str) -> None:
        """The record was created: this form now shows it (and can edit it)."""
        self.record_id = record_id
        self._update_buttons()
        self.load()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Overrides QObject.eventFilter on the editors: the side panel tells about the field
        that takes the keyboard."""
        if event.type() == QEvent.Type.FocusIn:
            for row in self.rows.values():
                if row.editor is not None and row.editor.focus_target() is watched:
                    self.about.setText(about(row.spec))
        return super().eventFilter(watched, event)

    def _open_related(self, entity: str, record_id: str) -> None:
        self.editing.open_record(self.session, entity, record_id)
