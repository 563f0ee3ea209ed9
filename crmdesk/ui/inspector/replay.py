"""ReplayEditor: a past or imported request, changed and sent again through a connection.

Method, URL, query, headers and body can all be edited. The connection signs what is sent
with its own current authentication (`Backend.replay`), so a recorded `[REDACTED]` sign-in
is filled in afresh; it refuses other servers, and a read-only one refuses writes. A
production connection asks first (WriteGuard) when the request writes. What came back is
listed in the inspector as the replay of the original.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from crmdesk.api import ApiError, ErrorKind, Exchange, RawRequest, pretty_json, size_text
from crmdesk.desk import Desk
from crmdesk.profiles import Profile
from crmdesk.ui.inspector.pairs_editor import PairsEditor
from crmdesk.ui.inspector.rows import path_of
from crmdesk.ui.profiles.guard import WriteGuard
from crmdesk.ui.tasks import Op, TaskRunner

_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
_READ_ONLY_HINT = " Switch off read-only in File → Connections… to send writes."


@dataclass(frozen=True, slots=True)
class _NotSent:
    words: str


class ReplayEditor(QDialog):
    """Non-modal; `sent(Exchange)` after each send that reached the wire."""

    sent = Signal(object)  # Exchange
    compareRequested = Signal(object, object)  # original, replay

    def __init__(
        self,
        desk: Desk,
        tasks: TaskRunner,
        original: Exchange,
        request: RawRequest,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("replayEditor")
        self.setWindowTitle(f"Edit & resend · {original.method} {path_of(original.url)}")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._desk, self._tasks = desk, tasks
        self.original, self.recorded = original, request
        self.last_sent: Exchange | None = None
        self._guard = WriteGuard(self)
        base, query = _split(request.url)
        self._recorded_query = query
        self._binary = _binary(request.body)
        self.connection = QComboBox(self)
        self.connection.setObjectName("replayConnection")
        for profile in desk.connections.profiles:
            self.connection.addItem(profile.name, profile.id)
        self.connection.setCurrentIndex(max(0, self.connection.findData(self._default_id())))
        self.guard_words = QLabel(self)
        self.guard_words.setWordWrap(True)
        self.method = QComboBox(self)
        self.method.setObjectName("replayMethod")
        self.method.setEditable(True)
        self.method.addItems(_METHODS)
        self.method.setCurrentText(request.method.upper())
        self.url = QLineEdit(base, self)
        self.url.setObjectName("replayUrl")
        self.server_button = QPushButton("Use this connection's server", self)
        self.server_button.setToolTip("Send it to the chosen connection's server instead")
        self.server_button.clicked.connect(self.use_connection_server)
        self.query = PairsEditor(("Parameter", "Value"), query, self)
        self.headers = PairsEditor(("Header", "Value"), request.headers, self)
        self.body = QPlainTextEdit(self)
        self.body.setObjectName("replayBody")
        self.body.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.body.setPlainText(request.body.decode("utf-8") if not self._binary else "")
        self.body.setReadOnly(self._binary)
        self.format_button = QPushButton("Format JSON", self)
        self.format_button.clicked.connect(self.format_json)
        self.outcome = QLabel(self)
        self.outcome.setObjectName("replayOutcome")
        self.outcome.setWordWrap(True)
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.compare_button = self.buttons.addButton(
            "Compare with original", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self._compare)
        self.send_button = self.buttons.addButton("Send", QDialogButtonBox.ButtonRole.ActionRole)
        self.send_button.setObjectName("replaySend")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.buttons.rejected.connect(self.close)
        self.connection.currentIndexChanged.connect(lambda _i: self._connection_changed())
        self._layout(request)
        self._connection_changed()
        self.resize(760, 560)

    # -- what the user does ------------------------------------------------------------------

    def request(self) -> RawRequest:
        """The request as edited; ValueError (in words) when it cannot be sent as it is."""
        method = self.method.currentText().strip().upper()
        if not method or not method.isalpha():
            raise ValueError("Give the request a method, such as GET or POST.")
        url = self.url.text().strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError("Give the request a whole URL, starting with https:// or http://.")
        pairs = self.query.pairs()
        if pairs:
            query = self._query_text(pairs)
            url = f"{url}{'&' if parts.query else '?'}{query}"
        headers = tuple((name, value) for name, value in self.headers.pairs() if name)
        body = self.recorded.body if self._binary else self.body.toPlainText().encode("utf-8")
        return RawRequest(method, url, headers, body)

    def send(self) -> None:
        try:
            request = self.request()
        except ValueError as exc:
            self._say(str(exc), problem=True)
            return
        profile_id = self.connection.currentData()
        if profile_id is None:
            self._say("There is no connection to send it through.", problem=True)
            return
        self.send_button.setEnabled(False)
        self._say("Sending…")
        Op(lambda: self._send(profile_id, request), name="send a call again").success(
            self._done
        ).failure(self._failed).finally_(lambda: self.send_button.setEnabled(True)).run(self._tasks)

    def use_connection_server(self) -> None:
        profile = self.profile()
        if profile is None:
            return
        own, parts = urlsplit(profile.base_url), urlsplit(self.url.text().strip())
        self.url.setText(urlunsplit((own.scheme, own.netloc, parts.path, parts.query, "")))
        self._connection_changed()

    def format_json(self) -> None:
        pretty = pretty_json(self.body.toPlainText().encode("utf-8"))
        if pretty is None:
            self._say("The body is not JSON, so it was left as it is.", problem=True)
        else:
            self.body.setPlainText(pretty)

    def profile(self) -> Profile | None:
        profile_id = self.connection.currentData()
        try:
            return self._desk.connections.profile(profile_id) if profile_id else None
        except KeyError:
            return None

    # -- sending ---------------------------------------------------------------------------

    async def _send(self, profile_id: str, request: RawRequest) -> Exchange | _NotSent:
        connections = self._desk.connections
        try:
            backend = await connections.open(profile_id)
        except ValueError as exc:
            return _NotSent(f"{exc} Nothing was sent.")
        profile = connections.profile(profile_id)
        if profile.production and not profile.read_only and backend.writes(request):
            what = f"send this {request.method} to {profile.name}"
            if not await self._guard.allow(profile, what):
                return _NotSent(self._guard.last_refusal)
        return await backend.replay(request)

    def _done(self, outcome: Exchange | _NotSent) -> None:
        if isinstance(outcome, _NotSent):
            self._say(outcome.words, problem=True)
            return
        self.last_sent = outcome
        self.compare_button.setEnabled(True)
        failed = outcome.status is None or outcome.status >= 400
        took = f" in {outcome.elapsed_ms:,.0f} ms" if outcome.elapsed_ms is not None else ""
        self._say(
            f"Sent: {outcome.outcome}{took}, {size_text(outcome.response_size)} back. It is "
            "selected in the inspector, marked as a replay.",
            problem=failed,
        )
        self.sent.emit(outcome)

    def _failed(self, error: ApiError) -> None:
        words = error.summary + (_READ_ONLY_HINT if error.kind is ErrorKind.READ_ONLY else "")
        self._say(words, problem=True)
        if error.exchange is not None:
            self.last_sent = error.exchange
            self.compare_button.setEnabled(True)
            self.sent.emit(error.exchange)

    # -- the parts -------------------------------------------------------------------------

    def _layout(self, request: RawRequest) -> None:
        heading = QLabel(
            f"<b>From</b> {escape(self.original.connection)}: {escape(self.original.method)} "
            f"{escape(self.original.url)} → {escape(self.original.outcome)}",
            self,
        )
        heading.setWordWrap(True)
        note = QLabel(
            "Secrets show as [REDACTED]: the connection puts in its own current sign-in when "
            "it sends. Nothing else is changed for you.",
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555555;")
        through = QHBoxLayout()
        through.addWidget(self.connection, 1)
        through.addWidget(self.guard_words, 2)
        line = QHBoxLayout()
        line.addWidget(self.method)
        line.addWidget(self.url, 1)
        form = QFormLayout()
        form.addRow("Send through", through)
        form.addRow("Request", line)
        form.addRow("", self.server_button)
        body_page = QWidget(self)
        body_column = QVBoxLayout(body_page)
        body_column.setContentsMargins(0, 0, 0, 0)
        if self._binary:
            body_column.addWidget(
                QLabel(
                    f"The body is binary ({size_text(len(request.body))}); it is sent as "
                    "recorded and cannot be edited here.",
                    body_page,
                )
            )
        body_column.addWidget(self.body, 1)
        body_column.addWidget(self.format_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.query, "Query")
        self.tabs.addTab(self.headers, "Headers")
        self.tabs.addTab(body_page, "Body")
        self.query.changed.connect(self._count)
        self.headers.changed.connect(self._count)
        self._count()
        if request.body:
            self.tabs.setCurrentWidget(body_page)
        column = QVBoxLayout(self)
        column.addWidget(heading)
        column.addLayout(form)
        column.addWidget(self.tabs, 1)
        column.addWidget(note)
        column.addWidget(self.outcome)
        column.addWidget(self.buttons)

    def _count(self) -> None:
        self.tabs.setTabText(0, f"Query ({len(self.query.pairs())})")
        self.tabs.setTabText(1, f"Headers ({len(self.headers.pairs())})")

    def _default_id(self) -> str | None:
        profiles = self._desk.connections.profiles
        if any(p.id == self.original.connection_id for p in profiles):
            return self.original.connection_id
        host = urlsplit(self.recorded.url).netloc.lower()
        same = next((p for p in profiles if urlsplit(p.base_url).netloc.lower() == host), None)
        return same.id if same is not None else None

    def _connection_changed(self) -> None:
        profile = self.profile()
        words = ""
        if profile is not None and profile.read_only:
            words = "Read-only: a request that writes is refused."
        elif profile is not None and profile.production:
            words = "<b style='color:#b71c1c'>Production</b>: asks before a request that writes."
        self.guard_words.setText(words)
        other = profile is not None and (
            urlsplit(profile.base_url).netloc.lower()
            != urlsplit(self.url.text().strip()).netloc.lower()
        )
        self.server_button.setVisible(other)

    def _query_text(self, pairs: list[tuple[str, str]]) -> str:
        if pairs == self._recorded_query:
            return urlsplit(self.recorded.url).query  # exactly as recorded
        return urlencode(pairs, quote_via=quote, safe="[]")

    def _compare(self) -> None:
        if self.last_sent is not None:
            self.compareRequested.emit(self.original, self.last_sent)

    def _say(self, words: str, *, problem: bool = False) -> None:
        color = "#b71c1c" if problem else "#2e7d32"
        self.outcome.setText(f'<span style="color:{color}">{escape(words)}</span>')


def _split(url: str) -> tuple[str, list[tuple[str, str]]]:
    parts = urlsplit(url)
    base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
    return base, parse_qsl(parts.query, keep_blank_values=True)


def _binary(body: bytes) -> bool:
    if b"\x00" in body[:4096]:
        return True
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
