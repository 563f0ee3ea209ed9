"""Unexpected errors are logged and shown in a window that never blocks the loop."""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt

from crmdesk.ui.errors import ErrorReporter


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
