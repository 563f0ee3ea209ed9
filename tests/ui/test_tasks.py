"""TaskRunner and Lane: outcomes reach the right callback, nothing is lost, superseded work is."""

from __future__ import annotations

import asyncio

import pytest

from crmdesk.api import ApiError, ErrorKind
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
    unhandled = ApiError(ErrorKind.TIMEOUT, "slow")
    Op(lambda: fail(unhandled)).run(runner)  # an ApiError nobody handles is reported too

    qtbot.waitUntil(lambda: runner.pending == 0, timeout=WAIT_MS)
    assert failed == []
    assert reported[0] is bug
    assert isinstance(reported[1], ZeroDivisionError)
    assert reported[2] is unhandled


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
