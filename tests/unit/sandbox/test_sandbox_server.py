"""The runners (Sandbox, SandboxThread), the fake data's determinism and the command line."""

from __future__ import annotations

import asyncio
import contextlib
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

import httpx
import pytest
from sandbox_client import open_api

from crmdesk.sandbox import Fault, Sandbox, SandboxThread

ID_PATTERN = re.compile(r"[A-Z]{3}\d[A-Z]\d[A-Z]\d")


@pytest.mark.asyncio
async def test_an_endpoint_says_how_to_connect(sandbox: Sandbox) -> None:
    (endpoint,) = sandbox.endpoints

    assert endpoint.kind == "cmdatamanager"
    assert endpoint.label == "CMDataManager sandbox"
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v1", endpoint.base_url)
    assert list(endpoint.credentials) == ["client_id", "client_secret", "username", "password"]
    assert endpoint.options == {"custom_entities": ["subscription"]}


@pytest.mark.asyncio
async def test_paths_outside_the_api_are_not_found(sandbox: Sandbox) -> None:
    client, api = open_api(sandbox)
    async with client:
        response = await client.get(api.endpoint.base_url.removesuffix("/api/v1") + "/index.html")

    assert response.status_code == 404
    assert "Message" in response.json()


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(5):
        while not condition():  # noqa: ASYNC110 - the log has no event to wait on
            await asyncio.sleep(0.01)


@pytest.mark.asyncio
async def test_stop_does_not_wait_for_hanging_requests() -> None:
    sandbox = Sandbox(records_per_entity=5)
    emulator = sandbox.emulator("cmdatamanager")
    await sandbox.start()
    client, api = open_api(sandbox)
    async with client:
        await api.login()
        emulator.faults.inject(Fault.HANG)
        hanging = asyncio.create_task(api.get("lead"))
        await _until(lambda: any(r.fault == "HANG" for r in emulator.requests))

        started = time.perf_counter()
        await sandbox.stop()
        took = time.perf_counter() - started
        with contextlib.suppress(httpx.HTTPError):
            await hanging

    assert took < 1.0


def test_the_same_seed_gives_the_same_data() -> None:
    first, second, other = Sandbox(seed=3), Sandbox(seed=3), Sandbox(seed=4)

    records = first.emulator("cmdatamanager").store.records("contact")

    assert records == second.emulator("cmdatamanager").store.records("contact")
    assert records != other.emulator("cmdatamanager").store.records("contact")


def test_generated_data_looks_like_a_crm() -> None:
    store = Sandbox(seed=1).emulator("cmdatamanager").store

    counts = {e: store.count(e) for e in ("account", "lead", "contact", "task", "opportunity")}
    contacts = store.records("contact")
    all_ids = [i for e in counts for i in store.records(e)] + list(store.records("subscription"))

    assert all(1000 <= n <= 10_000 for n in counts.values())
    assert all(ID_PATTERN.fullmatch(i) for i in all_ids)
    assert len(set(all_ids)) == len(all_ids)
    accounts = store.records("account")
    assert all(c["AccountID"] in accounts for c in contacts.values())
    emails = [c["Email"] for c in contacts.values()]
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+@[a-z-]+\.example", e) for e in emails)
    stamps = [c["CreatedDate"] for c in contacts.values()]
    assert all("2023-01-01" <= s[:10] <= "2025-12-31" for s in stamps)


def test_records_per_entity_scales_every_entity() -> None:
    store = Sandbox(records_per_entity=25).emulator("cmdatamanager").store

    entities = ("account", "lead", "contact", "task", "opportunity", "subscription")
    assert {store.count(e) for e in entities} == {25}


@pytest.mark.slow
def test_a_hundred_thousand_records_generate_and_sort_quickly() -> None:
    store = Sandbox(records_per_entity=100_000).emulator("cmdatamanager").store

    started = time.perf_counter()
    assert store.count("lead") == 100_000
    generated = time.perf_counter() - started
    store.ordered_ids("lead", "LastName", descending=False)
    started = time.perf_counter()
    store.ordered_ids("lead", "LastName", descending=False)
    cached = time.perf_counter() - started

    assert generated < 10
    assert cached < 0.01


def test_options_go_to_the_emulators_that_take_them() -> None:
    flat = Sandbox(rate_limit=3).emulator("cmdatamanager")
    nested = Sandbox(cmdatamanager={"rate_limit": 4}).emulator("cmdatamanager")

    assert (flat.quota.limit, nested.quota.limit) == (3, 4)
    with pytest.raises(TypeError, match="colour"):
        Sandbox(colour="blue")
    with pytest.raises(ValueError, match="mothership"):
        Sandbox(kinds=["mothership"])
    with pytest.raises(TypeError, match="cmdatamanager"):
        Sandbox(kinds=[], cmdatamanager={"rate_limit": 4})


def test_a_sandbox_thread_serves_from_its_own_loop() -> None:
    with SandboxThread(records_per_entity=10) as running:
        (endpoint,) = running.endpoints
        emulator = running.emulator("cmdatamanager")
        with httpx.Client(base_url=endpoint.base_url + "/") as client:
            token = client.post("authenticate", headers=endpoint.credentials).json()["token"]
            auth = {"Authorization": f"Bearer {token}"}
            listed = client.get("account", headers=auth).json()
            emulator.faults.inject(Fault.HTTP_503)
            failed = client.get("account", headers=auth)

    assert listed["Total Records"] == "10"
    assert failed.status_code == 503
    assert not [t for t in threading.enumerate() if t.name == "crmdesk-sandbox"]
    with pytest.raises(RuntimeError, match="not running"):
        _ = running.endpoints


@pytest.mark.asyncio
async def test_a_sandbox_thread_reports_a_port_in_use(sandbox: Sandbox) -> None:
    taken = int(sandbox.endpoints[0].base_url.split(":")[2].split("/")[0])

    with pytest.raises(OSError, match=str(taken)), SandboxThread(port=taken):
        pass


def _printed(text: str, name: str) -> str:
    found = re.search(rf"^  {name}\s+(\S+)$", text, re.MULTILINE)
    assert found is not None, f"{name} not printed"
    return found.group(1)


@pytest.mark.skipif(sys.platform == "win32", reason="sends SIGINT")
def test_the_command_line_prints_urls_and_credentials_and_stops_on_ctrl_c() -> None:
    code = "import sys; from crmdesk.sandbox.cli import main; sys.exit(main(sys.argv[1:]))"
    process = subprocess.Popen(
        [sys.executable, "-c", code, "--records", "5", "--seed", "2", "--kind", "cmdatamanager"],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    try:
        lines: list[str] = []
        while not any("request log" in line for line in lines):
            line = process.stdout.readline()
            assert line, "the sandbox exited before printing its endpoints"
            lines.append(line)
        printed = "".join(lines)
        names = ("client_id", "client_secret", "username", "password")
        credentials = {name: _printed(printed, name) for name in names}
        login = httpx.post(_printed(printed, "base URL") + "/authenticate", headers=credentials)
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()

    assert "CMDataManager sandbox" in printed
    assert login.status_code == 200
    assert process.returncode == 0
    assert "stopped" in rest
