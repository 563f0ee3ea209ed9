"""HistorySettingsDialog: how much exchange history crmdesk keeps, and how much it holds now.

Three limits (calls, days, megabytes on disk), the first one reached deciding; saved to the
settings file and applied at once, saying how many older calls that let go.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import size_text
from crmdesk.desk import Desk
from crmdesk.history import (
    MIN_AGE_DAYS,
    MIN_EXCHANGES,
    MIN_MEGABYTES,
    HistoryError,
    HistoryStats,
    Retention,
)
from crmdesk.ui.tasks import Op, TaskRunner


@dataclass(frozen=True, slots=True)
class _Saved:
    removed: int
    stats: HistoryStats


class HistorySettingsDialog(QDialog):
    """Window-modal while open (`open()`), never `exec()`."""

    def __init__(self, desk: Desk, tasks: TaskRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("historySettings")
        self.setWindowTitle("Exchange history")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._desk, self._tasks = desk, tasks
        self._lane = tasks.lane()
        self.stats = QLabel(self)
        self.stats.setObjectName("historyStats")
        self.stats.setWordWrap(True)
        self.count = QSpinBox(self)
        self.count.setObjectName("maxExchanges")
        self.count.setRange(MIN_EXCHANGES, 100_000_000)
        self.count.setSingleStep(10_000)
        self.count.setGroupSeparatorShown(True)
        self.count.setSuffix(" calls")
        self.days = QDoubleSpinBox(self)
        self.days.setObjectName("maxAgeDays")
        self.days.setRange(MIN_AGE_DAYS, 3650.0)
        self.days.setDecimals(0)
        self.days.setSuffix(" days")
        self.megabytes = QSpinBox(self)
        self.megabytes.setObjectName("maxMegabytes")
        self.megabytes.setRange(MIN_MEGABYTES, 1_000_000)
        self.megabytes.setSingleStep(256)
        self.megabytes.setGroupSeparatorShown(True)
        self.megabytes.setSuffix(" MB")
        self.outcome = QLabel(self)
        self.outcome.setObjectName("historyOutcome")
        self.outcome.setWordWrap(True)
        intro = QLabel(
            "Every call crmdesk makes is kept on this computer, secrets redacted, so it can be "
            "found again. The oldest calls are let go when any limit is reached.",
            self,
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Keep at most", self.count)
        form.addRow("Keep for", self.days)
        form.addRow("Use at most", self.megabytes)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addWidget(self.stats)
        column.addLayout(form)
        column.addWidget(self.outcome)
        column.addWidget(self.buttons)
        self.setMinimumWidth(460)
        self._show_limits()

    def retention(self) -> Retention:
        return Retention(
            max_exchanges=self.count.value(),
            max_age_days=float(self.days.value()),
            max_megabytes=self.megabytes.value(),
        )

    def refresh(self) -> None:
        """Read how much history there is now (off the GUI thread)."""
        history = self._desk.history
        if history is None:
            return

        async def read() -> HistoryStats | str:
            try:
                return await history.store.stats()
            except HistoryError as exc:
                return str(exc)

        Op(read, name="read the history's size").success(self._show_stats).run_in(self._lane)

    def save(self) -> None:
        history = self._desk.history
        if history is None:
            return
        retention = self.retention()

        async def apply() -> _Saved | str:
            try:
                await history.set_retention(retention)
                removed = await history.store.apply_retention(retention)
                return _Saved(removed, await history.store.stats())
            except (HistoryError, OSError) as exc:
                return f"The limits could not be saved: {exc}"

        self.buttons.setEnabled(False)
        Op(apply, name="save the history limits").success(self._saved).finally_(
            lambda: self.buttons.setEnabled(True)
        ).run(self._tasks)

    def _show_limits(self) -> None:
        history = self._desk.history
        if history is None:
            self.stats.setText(
                "<b>No history is kept this session</b>: its file could not be opened (the "
                "log says why). The inspector still shows this session's calls."
            )
            for widget in (self.count, self.days, self.megabytes):
                widget.setEnabled(False)
            self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
            return
        retention = history.retention
        self.count.setValue(retention.max_exchanges)
        self.days.setValue(retention.max_age_days)
        self.megabytes.setValue(retention.max_megabytes)
        self.stats.setText("Reading how much history there is…")

    def _show_stats(self, stats: HistoryStats | str) -> None:
        if isinstance(stats, str):
            self.stats.setText(escape(stats))
            return
        self.stats.setText(stats_words(stats))

    def _saved(self, outcome: _Saved | str) -> None:
        if isinstance(outcome, str):
            self.outcome.setStyleSheet("color: #b71c1c;")
            self.outcome.setText(escape(outcome))
            return
        self._show_stats(outcome.stats)
        self.outcome.setStyleSheet("color: #2e7d32;")
        let_go = outcome.removed
        tail = (
            f" {let_go:,} older call{'s were' if let_go != 1 else ' was'} let go to stay within "
            "them."
            if let_go
            else " Everything kept is within them."
        )
        self.outcome.setText(f"Saved.{tail}")


def stats_words(stats: HistoryStats) -> str:
    """How much history there is, in words: "12,345 calls, 48 MiB on disk, since …"."""
    if not stats.count:
        return f"<b>No calls are stored yet</b> ({size_text(stats.bytes_on_disk)} on disk)."
    calls = "1 call" if stats.count == 1 else f"{stats.count:,} calls"
    since = ""
    if stats.oldest is not None:
        when = dt.datetime.fromtimestamp(stats.oldest).strftime("%Y-%m-%d %H:%M")
        since = f", the oldest from {when}"
    return f"<b>{calls}</b> stored, {size_text(stats.bytes_on_disk)} on disk{since}."
