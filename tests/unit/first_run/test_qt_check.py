"""The first-run check that `make demo` and `make test` run before Qt (.ci/qt_check.py):
which plugin it tries, when it installs the libraries itself, and what it says otherwise."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_PATH = Path(__file__).parents[3] / ".ci" / "qt_check.py"
_SPEC = importlib.util.spec_from_file_location("qt_check", _PATH)
assert _SPEC is not None
assert _SPEC.loader is not None
qt_check = importlib.util.module_from_spec(_SPEC)
sys.modules["qt_check"] = qt_check
_SPEC.loader.exec_module(qt_check)

MISSING = (
    'qt.qpa.plugin: Could not load the Qt platform plugin "xcb" in "" even though it was found.'
)


class Machine:
    """A fake machine: what Qt does on each try, and what installing does."""

    def __init__(self, *tries: bool, said: str = MISSING, installs: bool = True) -> None:
        self.tries = list(tries)
        self.said = said
        self.installs = installs
        self.probed: list[str | None] = []
        self.installed = 0
        self.lines: list[str] = []

    def probe(self, python, platform, env):
        self.probed.append(platform)
        ok = self.tries.pop(0)
        return qt_check.Probe(ok, platform or "", "" if ok else self.said)

    def install(self) -> bool:
        self.installed += 1
        return self.installs

    def check(self, env, **kwargs) -> int:
        defaults = {
            "platform": None,
            "install": True,
            "run_probe": self.probe,
            "installer": self.install,
            "is_root": False,
            "passwordless_sudo": lambda: False,
            "has_apt": True,
            "say": self.lines.append,
            "system": "linux",
        }
        return qt_check.check(env, **{**defaults, **kwargs})

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def test_the_demo_is_checked_on_the_plugin_it_will_use():
    machine = Machine(True)
    assert machine.check({"DISPLAY": ":0"}) == 0
    assert machine.probed == ["xcb"]
    wayland = Machine(True)
    assert wayland.check({"WAYLAND_DISPLAY": "wayland-0"}) == 0
    assert wayland.probed == ["wayland"]
    tests = Machine(True)
    assert tests.check({}, platform="offscreen") == 0
    assert tests.probed == ["offscreen"]


def test_missing_libraries_are_installed_when_root_may_and_qt_is_tried_again():
    machine = Machine(False, True)
    assert machine.check({"DISPLAY": ":0"}, is_root=True) == 0
    assert machine.installed == 1
    assert machine.probed == ["xcb", "xcb"]
    assert "installing the system libraries" in machine.text


def test_sudo_without_a_password_is_used_too():
    machine = Machine(False, True)
    assert machine.check({"DISPLAY": ":0"}, passwordless_sudo=lambda: True) == 0
    assert machine.installed == 1


def test_without_root_or_sudo_it_prints_the_one_command_to_run():
    machine = Machine(False)
    assert machine.check({"DISPLAY": ":0"}) == 1
    assert machine.installed == 0
    assert "Qt cannot start its xcb platform plugin" in machine.text
    assert "    sudo sh .ci/sysdeps.sh" in machine.lines[0].splitlines()
    assert MISSING in machine.text  # Qt's own words, for whoever needs them


def test_with_no_display_at_all_it_says_so_and_points_at_make_screenshot():
    machine = Machine()
    assert machine.check({}) == 1
    assert machine.probed == []
    assert "There is no display here" in machine.text
    assert "make screenshot" in machine.text


def test_an_unreachable_display_is_not_a_library_problem():
    machine = Machine(False, said="qt.qpa.xcb: could not connect to display :99")
    assert machine.check({"DISPLAY": ":99"}, is_root=True) == 1
    assert machine.installed == 0
    assert "cannot reach the display ':99'" in machine.text


def test_off_debian_it_points_at_qts_requirements():
    machine = Machine(False)
    assert machine.check({"DISPLAY": ":0"}, has_apt=False, is_root=True) == 1
    assert machine.installed == 0
    assert "linux-requirements" in machine.text


def test_the_real_probe_starts_qt_offscreen():
    probe = qt_check.probe(sys.executable, "offscreen", {"PATH": "/usr/bin:/bin"})
    assert probe.ok, probe.said
    assert probe.platform == "offscreen"
