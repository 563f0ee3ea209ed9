"""The ExchangeLog keeps the newest exchanges within a count and a byte bound."""

from __future__ import annotations

from crmdesk.api import Exchange, ExchangeLog
from crmdesk.api.exchange import new_exchange_id


def exchange(number: int, body: bytes = b"") -> Exchange:
    return Exchange(
        id=f"{number:024x}",
        connection_id="test-profile",
        connection="Test",
        method="GET",
        url="https://crm.example/lead",
        request_headers=(),
        request_body=b"",
        request_size=0,
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
    for number in range(1, 6):
        log.record(exchange(number))
    assert [int(e.id, 16) for e in log] == [3, 4, 5]


def test_bodies_are_bounded_in_bytes_too() -> None:
    log = ExchangeLog(capacity=100, max_body_bytes=1000)
    for number in range(1, 11):
        log.record(exchange(number, b"x" * 300))
    assert [int(e.id, 16) for e in log] == [8, 9, 10]
    log.record(exchange(11, b"y" * 5000))  # one larger than the bound is still kept alone
    assert [int(e.id, 16) for e in log] == [11]


def test_subscribers_see_each_exchange_and_can_stop() -> None:
    log = ExchangeLog()
    seen: list[str] = []
    stop = log.subscribe(lambda e: seen.append(e.id))
    log.record(exchange(1))
    stop()
    log.record(exchange(2))
    assert seen == [exchange(1).id]
    assert log.get(exchange(2).id) is not None
    assert log.get(exchange(99).id) is None


def test_a_failing_subscriber_does_not_disturb_recording() -> None:
    log = ExchangeLog()

    def broken(_: Exchange) -> None:
        raise RuntimeError("boom")

    log.subscribe(broken)
    log.record(exchange(1))
    assert len(log) == 1


def test_ids_are_unique_and_sort_by_time() -> None:
    ids = [new_exchange_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert ids == sorted(ids, key=lambda i: i[:12])
    assert all(len(i) == 24 and int(i, 16) >= 0 for i in ids)


def test_an_exchange_is_its_own_call_unless_it_continues_one() -> None:
    first = exchange(1)
    assert first.call_id == first.id
