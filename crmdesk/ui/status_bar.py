"""The status bar: the current tab's connection state, its API quota, a slot for pending edits."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from crmdesk.api import RateLimitGovernor, RateLimitState
from crmdesk.ui.quota import time_left, waiting_words
from crmdesk.ui.session import ConnectionSession, ConnectionState
from crmdesk.ui.tasks import TaskRunner
from crmdesk.ui.work_panel import WorkPanel

_DOT_COLORS = {
    ConnectionState.NOT_CONNECTED: "#9e9e9e",
    ConnectionState.CONNECTING: "#e0a100",
    ConnectionState.CONNECTED: "#2e8b3a",
    ConnectionState.FAILED: "#c62828",
}
# How often "resets in N min" is brought up to date while nothing else changes; in the last
# two minutes before a reset (and while waiting for one) it counts down every second.
_REFRESH_MS = 20_000
_COUNTDOWN_MS = 1_000
_COUNTDOWN_SECONDS = 120


def describe_quota(state: RateLimitState, now: float) -> str:
    """The meter's words: "API calls left: 4,812 of 5,000 · resets in 41 min"."""
    if state.waiting_until is not None:
        # The same words and count as the banner or export that waits.
        return waiting_words(state.waiting_until - now)
    if not state.known:
        return "No API rate limit reported"
    if state.reset_at is not None and state.reset_at <= now:
        # The numbers are from before the reset: saying "0 left" now would be untrue.
        at = dt.datetime.fromtimestamp(state.reset_at).strftime("%H:%M")
        return f"API quota renewed at {at}; the next call brings the new count"
    if state.remaining is not None and state.limit is not None:
        text = f"API calls left: {state.remaining:,} of {state.limit:,}"
    elif state.remaining is not None:
        text = f"API calls left: {state.remaining:,}"
    else:
        text = f"API call limit: {state.limit:,}"
    if state.reset_at is not None:
        text += f" · resets in {_until(state.reset_at - now)}"
    return text


def _until(seconds: float) -> str:
    if seconds < _COUNTDOWN_SECONDS:
        return time_left(seconds)
    minutes = round(seconds / 60)
    if minutes <= 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes} min" if minutes else f"{hours} h"


class RateLimitMeter(QLabel):
    """The quota of one connection, as its rate-limit governor last heard it from the server."""

    _stateArrived = Signal(object)

    def __init__(self, parent: QWidget | None = None, clock: Callable[[], float] = time.time):
        super().__init__(parent)
        self.setAccessibleName("API rate limit")
        self._clock = clock
        self._state = RateLimitState()
        self._unsubscribe: Callable[[], None] | None = None
        self._timer = QTimer(self, interval=_REFRESH_MS)
        self._timer.timeout.connect(self._render)
        # A signal hop: governors call listeners on the loop thread, which need not stay ours.
        self._stateArrived.connect(self._take)
        self.hide()

    def watch(self, governor: RateLimitGovernor | None) -> None:
        """Follow `governor` (None: show nothing) instead of the one followed so far."""
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None
        if governor is None:
            self._timer.stop()
            self.hide()
            return
        self._unsubscribe = governor.subscribe(self._stateArrived.emit)
        self._take(governor.state)
        self._timer.start()

    def _take(self, state: RateLimitState) -> None:
        self._state = state
        self._render()

    def _render(self) -> None:
        state = self._state
        self.setText(describe_quota(state, self._clock()))
        renewed = state.reset_at is not None and state.reset_at <= self._clock()
        low = state.limit and state.remaining is not None and state.remaining < state.limit * 0.1
        spent = state.waiting_until is not None or (low and not renewed)
        self.setStyleSheet("color: #b71c1c; font-weight: bold;" if spent else "")
        soon = state.reset_at
        counting = state.waiting_until is not None or (
            soon is not None and 0 < soon - self._clock() < _COUNTDOWN_SECONDS + 1
        )
        wanted = _COUNTDOWN_MS if counting else _REFRESH_MS
        if self._timer.interval() != wanted:
            self._timer.setInterval(wanted)
        self.setToolTip(
            "How many API calls the server still allows this connection, as it said in its "
            "last reply. When they run out, crmdesk waits for a reset up to a minute away; "
            "for a later one it says when, and offers to wait (with a countdown you can "
            "cancel)."
        )
        self.show()


class ConnectionStateLabel(QLabel):
    """A coloured dot and the state of the current tab's connection in words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Connection state")
        self._session: ConnectionSession | None = None
        self.show_session(None)

    def show_session(self, session: ConnectionSession | None) -> None:
        if self._session is not None:
            self._session.changed.disconnect(self._render)
        self._session = session
        if session is not None:
            session.changed.connect(self._render)
        self._render()

    def _render(self) -> None:
        session = self._session
        if session is None:
            self.setText("No connection open")
            self.setToolTip("")
            return
        name = escape(session.name)
        words = {
            ConnectionState.NOT_CONNECTED: f"Not connected to {name}",
            ConnectionState.CONNECTING: f"Connecting to {name}…",
            ConnectionState.CONNECTED: f"Connected to {name}",
            ConnectionState.FAILED: f"Could not connect to {name}",
        }[session.state]
        color = _DOT_COLORS[session.state]
        self.setText(f'<span style="color:{color}">●</span> {words}')
        self.setToolTip(session.detail)


class StatusLine:
    """The parts of the window's status bar, created and placed in one go."""

    def __init__(self, bar: QStatusBar, tasks: TaskRunner | None = None) -> None:
        self.connection = ConnectionStateLabel(bar)
        # Left empty on purpose: the pending-edits count arrives with record editing.
        self.pending_changes = QLabel(bar)
        self.pending_changes.setObjectName("pendingChanges")
        self.pending_changes.hide()
        self.work = WorkPanel(tasks, bar) if tasks is not None else None
        self.rate_limit = RateLimitMeter(bar)
        bar.addWidget(self.connection)
        bar.addWidget(self.pending_changes)
        if self.work is not None:
            bar.addPermanentWidget(self.work, 1)
        bar.addPermanentWidget(self.rate_limit)

    def follow(self, session: ConnectionSession | None) -> None:
        """Show the state and quota of `session` (the current tab's connection, or None)."""
        self.connection.show_session(session)
        backend = session.backend if session is not None else None
        self.rate_limit.watch(backend.governor if backend is not None else None)
