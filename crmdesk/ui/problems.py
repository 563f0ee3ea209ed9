"""ProblemBar: an API failure that no part of the window handled itself, said in words.

Background work that fails with an `ApiError` and has no failure callback of its own lands
here (TaskRunner.report_api_error) instead of the bug dialog: it is the server's or the
network's doing, not crmdesk's. "Details…" opens the exchange behind it.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from crmdesk.api import ApiError, Exchange
from crmdesk.ui.profiles.banners import NoticeBanner


class ProblemBar(NoticeBanner):
    """The latest unhandled API failure, with its exchange one click away."""

    def __init__(self, show_exchange: Callable[[Exchange], None], parent: QWidget | None = None):
        super().__init__("problemBar", parent)
        self._show_exchange = show_exchange
        self.error: ApiError | None = None
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.text.setOpenExternalLinks(False)
        self.text.linkActivated.connect(self._link)

    def report(self, error: ApiError, what: str) -> None:
        self.error = error
        details = ' <a href="details">Details…</a>' if error.exchange is not None else ""
        self.show_notice(
            f"<b>{escape(_sentence(what))} failed.</b> {escape(error.summary)}{details}"
        )

    def _link(self, _href: str) -> None:
        if self.error is not None and self.error.exchange is not None:
            self._show_exchange(self.error.exchange)


def _sentence(what: str) -> str:
    return what[:1].upper() + what[1:] if what else "A request"
