"""The Mothernode emulator's fake data: deterministic per seed, realistic in size."""

from __future__ import annotations

from crmdesk.sandbox import MothernodeEmulator


def test_the_same_seed_gives_the_same_data() -> None:
    first = MothernodeEmulator(seed=3, records_per_entity=5).store
    second = MothernodeEmulator(seed=3, records_per_entity=5).store
    other = MothernodeEmulator(seed=4, records_per_entity=5).store
    for resource in ("customers", "contacts", "leads", "notes"):
        assert first.records(resource) == second.records(resource)
        assert first.records(resource) != other.records(resource)
    assert first.invoices() == second.invoices()


def test_default_counts_are_a_few_hundred_to_a_few_thousand() -> None:
    store = MothernodeEmulator().store
    counts = [len(store.records(r)) for r in ("customers", "contacts", "leads", "notes")]
    assert all(300 <= n <= 5000 for n in [*counts, len(store.invoices())])
