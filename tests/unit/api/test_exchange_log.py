"""The ExchangeLog keeps the newest exchanges within a count and a byte bound."""

from __future__ import annotations

from crmdesk.api import Exchange, ExchangeLog


def exchange(log: ExchangeLog, body: bytes = b"") -> Exchange:
    return Exchange(
        id=log.next_id(),
        connection="Test",
        method="GET",
        url="https://crm.example/lead",
        request_headers=(),
        request_body=b"",
        started_at=0.0,
        elapsed_ms=1.0,
        status=200,
        reason="OK",
        response_headers=(),
        response_body=body,
        response_size=len(body),
    )


def test_the_oldest_go_first_when_the_count_is_reached() -> None:
    log = ExchangeLog(capacity=3)
    for _ in range(5):
        log.record(exchange(log))
    assert [e.id for e in log] == [3, 4, 5]


def test_bodies_are_bounded_in_bytes_too() -> None:
    log = ExchangeLog(capacity=100, max_body_bytes=1000)
    for _ in range(10):
        log.record(exchange(log, b"x" * 300))
    assert [e.id for e in log] == [8, 9, 10]
    log.record(exchange(log, b"y" * 5000))  # one larger than the bound is still kept alone
    assert [e.id for e in log] == [11]


def test_subscribers_see_each_exchange_and_can_stop() -> None:
    log = ExchangeLog()
    seen: list[int] = []
    stop = log.subscribe(lambda e: seen.append(e.id))
    log.record(exchange(log))
    stop()
    log.record(exchange(log))
    assert seen == [1]
    assert log.get(2) is not None
    assert log.get(99) is None


def test_a_failing_subscriber_does_not_disturb_recording() -> None:
    log = ExchangeLog()

    def broken(_: Exchange) -> None:
        raise RuntimeError("boom")

    log.subscribe(broken)
    log.record(exchange(log))
    assert len(log) == 1
