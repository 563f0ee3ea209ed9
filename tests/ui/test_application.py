"""`run()` end to end, in a subprocess so it owns its QApplication and its qasync loop."""

from __future__ import annotations

import importlib.metadata
import json
import os
import struct
import subprocess
import sys
from pathlib import Path

import pytest


def crmdesk(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_API": "pyside6"}
    env["CRMDESK_HOME"] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "crmdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=50,
        check=False,
    )


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_smoke_test_writes_the_facts_and_exits_0(tmp_path, home):
    facts_file = tmp_path / "facts.json"
    done = crmdesk("--smoke-test", str(facts_file), home=home)

    assert done.returncode == 0, done.stderr
    facts = json.loads(facts_file.read_text(encoding="utf-8"))
    assert facts["ok"] is True
    assert facts["errors"] == {}
    assert facts["qt_platform"] == "offscreen"
    assert facts["qasync_loop_ran"] is True
    assert facts["event_loop"] == "QSelectorEventLoop"
    assert facts["main_window_created"] is True
    assert facts["pyside6_version"] == importlib.metadata.version("PySide6-Essentials")
    assert facts["qt_can_write_png"] is True
    assert facts["app_icon_renders"] is True


@pytest.mark.slow
def test_demo_screenshot_saves_the_whole_window_once_the_first_page_is_in(tmp_path, home):
    shot = tmp_path / "shot.png"
    done = crmdesk("--demo", "--records", "60", "--screenshot", str(shot), home=home)

    assert done.returncode == 0, done.stderr
    assert png_size(shot) == (1440, 900)
    assert shot.stat().st_size > 30_000  # a real picture of a table, not a blank window


def test_screenshot_without_demo_says_why_and_exits_1(tmp_path, home):
    done = crmdesk("--screenshot", str(tmp_path / "no.png"), home=home)

    assert done.returncode == 1
    assert "--screenshot needs --demo" in done.stderr
    assert not (tmp_path / "no.png").exists()


def test_plain_start_shows_the_window_and_quits_cleanly(home):
    """What `make bench` times: start with saved connections only, show the window, quit."""
    done = crmdesk("--quit-when-shown", home=home)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "shown"
    assert "Traceback" not in done.stderr
