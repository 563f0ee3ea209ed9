"""TaskRunner and Lane: outcomes reach the right callback, nothing is lost, superseded work is."""

from __future__ import annotations

import asyncio

import pytest

from crmdesk.api import ApiError, ErrorKind
from crmdesk.desk import Desk, RecordsChanged
from crmdesk.ui.tasks import Op, TaskRunner

WAIT_MS = 2000


@pytest.fixture
def reported():
    return []


@pytest.fixture
def runner(qloop, reported):
    return TaskRunner(report=reported.append)


async def value(result, delay: float = 0.0):
    await asyncio.sleep(delay)
    return result


async def fail(error: Exception):
    await asyncio.sleep(0)
    raise error


def test_success_and_failure_reach_their_callbacks(qtbot, runner, reported):
    got, failed, finished = [], [], []
    Op(lambda: value(42)).success(got.append).finally_(lambda: finished.append(1)).run(runner)
    error = ApiError(ErrorKind.SERVER, "down")
    Op(lambda: fail(error)).success(got.append).failure(failed.append).run(runner)

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert got == [42]
    assert failed == [error]
    assert finished == [1]
    assert reported == []


def test_unexpected_errors_are_reported_never_dropped(qtbot, runner, reported):
    bug = ZeroDivisionError("a bug")
    failed = []
    Op(lambda: fail(bug)).failure(failed.append).run(runner)
    Op(lambda: value(1)).success(lambda _v: 1 / 0).run(runner)

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert failed == []
    assert reported[0] is bug
    assert isinstance(reported[1], ZeroDivisionError)


def test_an_api_error_nobody_handles_is_shown_in_words_not_as_a_bug(qtbot, runner, reported):
    shown = []
    runner.report_api_error = lambda error, what: shown.append((error, what))
    unhandled = ApiError(ErrorKind.TIMEOUT, "slow")
    Op(lambda: fail(unhandled), name="load leads").run(runner)

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert shown == [(unhandled, "load leads")]
    assert reported == []


def test_long_work_reports_progress_and_the_user_can_cancel_it(qtbot, runner, reported):
    seen = []
    runner.on_progress(lambda progress: progress.subscribe(lambda p: seen.append(p.done)))

    async def save(progress):
        for number in range(1, 4):
            progress.report(number, 10, f"record {number}")
            await asyncio.sleep(0)
        await asyncio.sleep(30)

    op = Op(save, name="save").with_progress("Saving 10 changes…", cancellable=True)
    task = op.run(runner)
    qtbot.waitUntil(lambda: seen[-1:] == [3], timeout=WAIT_MS)
    assert (op.progress.total, op.progress.detail) == (10, "record 3")
    op.progress.cancel()
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert task.cancelled()
    assert op.progress.finished
    assert reported == []


def test_work_cancelled_before_it_started_still_says_it_finished(qtbot, runner, reported):
    finished = []
    op = Op(lambda progress: value("never")).with_progress("Exporting…", cancellable=True)
    op.progress.subscribe(lambda p: finished.append(p.finished))
    task = op.run(runner)
    op.progress.cancel()  # at once, before the loop ran the task's first step
    qtbot.waitUntil(task.done, timeout=WAIT_MS)
    assert op.progress.finished
    assert finished == [True]
    assert reported == []


def test_work_that_cannot_be_cancelled_ignores_cancel(qtbot, runner):
    op = Op(lambda progress: value("done", delay=0.05)).with_progress("Loading…")
    got = []
    op.success(got.append).run(runner)
    op.progress.cancel()
    qtbot.waitUntil(lambda: got == ["done"], timeout=WAIT_MS)


def test_a_write_announces_its_changes_even_when_it_fails(qtbot, qloop):
    desk = Desk.create()
    runner = TaskRunner(desk=desk)
    heard = []
    desk.changes.subscribe(heard.append)
    error = ApiError(ErrorKind.SERVER, "down")
    Op(lambda: fail(error)).failure(lambda _e: None).announce("p1", "lead", ("7",)).run(runner)

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert heard == [RecordsChanged("p1", "lead", ("7",))]


def test_a_lane_cancels_the_older_op_and_drops_its_outcome(qtbot, runner, reported):
    shown = []
    lane = runner.lane()
    slow = Op(lambda: value("page 2", delay=0.3)).success(shown.append).run_in(lane)
    Op(lambda: value("page 3", delay=0.01)).success(shown.append).run_in(lane)

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert slow.cancelled()
    assert shown == ["page 3"]
    assert not lane.busy


def test_cancel_all_ends_every_task(qtbot, runner, reported):
    started = [Op(lambda n=n: value(n, delay=5)).run(runner) for n in range(3)]
    assert runner.pending == 3

    done = asyncio.ensure_future(runner.cancel_all())
    qtbot.waitUntil(done.done, timeout=WAIT_MS)
    assert runner.pending == 0
    assert all(task.cancelled() for task in started)
    assert reported == []
