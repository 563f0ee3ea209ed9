"""Retention: the limits the user sets (saved as JSON), and a store kept within them."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from history_samples import BASE_TIME, make_exchange

from crmdesk import paths
from crmdesk.history import ExchangeStore, HistoryQuery, Retention

DAY = 86_400.0


def test_the_defaults_keep_weeks_of_work() -> None:
    retention = Retention()
    assert retention.max_age_days >= 28
    assert retention.max_exchanges >= 28 * 3000  # four weeks of busy days
    assert retention.max_bytes == retention.max_megabytes * 1024 * 1024


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("max_exchanges", 10, "at least 100"),
        ("max_exchanges", 1000.5, "whole number"),
        ("max_age_days", 0, "at least 1"),
        ("max_age_days", float("nan"), "at least 1"),
        ("max_age_days", True, "a number"),
        ("max_megabytes", "500", "whole number"),
    ],
)
def test_limits_that_would_keep_nothing_are_refused_in_words(
    field: str, value: object, words: str
) -> None:
    with pytest.raises(ValueError, match=words):
        Retention(**{field: value})  # type: ignore[arg-type]


def test_saved_limits_come_back_and_live_in_the_config_directory() -> None:
    Retention(max_exchanges=5000, max_age_days=7.5, max_megabytes=200).save()
    path = paths.config_dir() / "history.json"
    assert json.loads(path.read_text())["version"] == 1
    assert Retention.load() == Retention(max_exchanges=5000, max_age_days=7.5, max_megabytes=200)
    assert [p.name for p in path.parent.iterdir()] == ["history.json"]  # no temporary file left


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert Retention.load(tmp_path / "none.json") == Retention()


def test_an_unreadable_file_means_the_defaults_and_a_logged_reason(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "history.json"
    path.write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert Retention.load(path) == Retention()
    path.write_text("[1, 2]")
    assert Retention.load(path) == Retention()
    assert "unreadable" in caplog.text


def test_one_bad_value_falls_back_alone(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "history.json"
    path.write_text(json.dumps({"max_exchanges": -5, "max_age_days": 10, "max_megabytes": 300}))
    with caplog.at_level(logging.WARNING):
        loaded = Retention.load(path)
    assert loaded == Retention(max_age_days=10, max_megabytes=300)
    assert "max_exchanges" in caplog.text


# -- a store within its limits ------------------------------------------------------------


@pytest.mark.asyncio
async def test_exchanges_older_than_the_age_limit_go(store: ExchangeStore) -> None:
    now = BASE_TIME + 30 * DAY
    await store.add([make_exchange(n, started_at=now - n * DAY) for n in range(1, 21)])
    removed = await store.apply_retention(Retention(max_age_days=7), now=now)
    assert removed == 13  # 8 to 20 days old
    stats = await store.stats()
    assert stats.count == 7
    assert stats.oldest == now - 7 * DAY
    assert await store.apply_retention(Retention(max_age_days=7), now=now) == 0


@pytest.mark.asyncio
async def test_over_the_count_limit_the_oldest_go(store: ExchangeStore) -> None:
    exchanges = [make_exchange(n, response_body=b"needle %d" % n) for n in range(1, 351)]
    await store.add(exchanges)
    removed = await store.apply_retention(Retention(max_exchanges=100), now=BASE_TIME + 400)
    assert removed == 250
    page = await store.search(limit=1000)
    assert [item.id for item in page.items] == [e.id for e in reversed(exchanges[250:])]
    assert (await store.search(HistoryQuery(text="needle"))).total == 100
