"""Unexpected errors are logged and shown in a window that never blocks the loop."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from crmdesk.api import ApiError, ErrorKind
from crmdesk.ui.errors import ErrorReporter
from crmdesk.ui.tasks import Op


def raised() -> ZeroDivisionError:
    try:
        1 / 0  # noqa: B018 - the point is the traceback
    except ZeroDivisionError as error:
        return error
    raise AssertionError


def test_excepthook_logs_and_shows_a_non_modal_window(qapp, caplog):
    reporter = ErrorReporter()
    error = raised()
    with caplog.at_level(logging.ERROR, logger="crmdesk.errors"):
        reporter.excepthook(type(error), error, error.__traceback__)
        reporter.excepthook(type(error), error, error.__traceback__)

    box = reporter._box
    assert box is not None
    assert box.isVisible()
    assert box.windowModality() == Qt.WindowModality.NonModal
    assert "2 unexpected errors" in box.text()
    assert "ZeroDivisionError: division by zero" in box.informativeText()
    assert "Traceback" in box.detailedText()
    assert [r.message for r in caplog.records] == ["Unexpected error", "Unexpected error"]
    box.close()


def test_loop_exception_handler_reports_what_asyncio_caught(qapp, caplog):
    reporter = ErrorReporter()
    error = raised()
    with caplog.at_level(logging.ERROR, logger="crmdesk.errors"):
        reporter.loop_exception(
            None, {"message": "Task exception was never retrieved", "exception": error}
        )

    assert (
        "Task exception was never retrieved: ZeroDivisionError" in reporter._box.informativeText()
    )
    assert caplog.records[0].exc_info[1] is error
    reporter._box.close()


def test_install_and_uninstall_swap_sys_excepthook():
    import sys

    before = sys.excepthook
    reporter = ErrorReporter()
    reporter.install()
    assert sys.excepthook == reporter.excepthook
    reporter.uninstall()
    assert sys.excepthook is before


def test_an_api_failure_nobody_handled_is_said_in_words_with_its_exchange(qtbot, desk) -> None:
    browser = desk.open_first_entity()
    exchange = list(browser.session.backend.exchange_log)[-1]
    error = ApiError(ErrorKind.SERVER, "The server is down.", exchange=exchange, status=503)

    async def fails() -> None:
        raise error

    Op(fails, name="refresh the leads").run(desk.context.tasks)

    bar = desk.window.problems
    qtbot.waitUntil(bar.isVisible, timeout=5000)
    assert "Refresh the leads failed." in bar.text.text()
    assert "Server error (HTTP 503): The server is down." in bar.text.text()
    assert desk.window.inspector.details.exchange is None
    bar.text.linkActivated.emit("details")
    assert desk.window.inspector.details.exchange is exchange
    assert desk.window.inspector.current_row().id == exchange.id
