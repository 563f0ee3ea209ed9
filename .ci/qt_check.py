"""Can Qt start here, on the platform plugin crmdesk will use? If not, fix it or say how.

`make demo` and `make test` run this before starting Qt, so a newcomer never meets Qt's own
message (which names xcb-cursor0 while half a dozen libraries are missing, or says nothing
useful when there is no display at all). It tries what the app will do: a QGuiApplication on
the platform given (`--platform offscreen` for the tests), or on Qt's own choice for this
desktop (xcb under X11, wayland under Wayland). When that fails on Debian or Ubuntu, it
installs the system libraries with .ci/sysdeps.sh if it can (as root, or with sudo that asks
no password) and otherwise prints the one command to run.

    python .ci/qt_check.py [--platform NAME] [--install]

Exit status 0 when Qt starts (perhaps after installing), 1 otherwise. Standard library only:
it runs before anything can be assumed to work.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

SYSDEPS = Path(__file__).with_name("sysdeps.sh")
INSTALL_COMMAND = f"sudo sh {SYSDEPS.relative_to(SYSDEPS.parent.parent)}"
# Creating the application is what loads the platform plugin and its libraries.
_PROBE = (
    "import sys\n"
    "from PySide6.QtGui import QGuiApplication\n"
    "app = QGuiApplication(sys.argv[:1])\n"
    "print(app.platformName())\n"
)
_PROBE_SECONDS = 60


@dataclass(frozen=True, slots=True)
class Probe:
    """What starting Qt on `platform` did: whether it worked, and what Qt said if not."""

    ok: bool
    platform: str  # the plugin asked for, or "" for Qt's own choice
    said: str = ""


NO_DISPLAY = (
    "There is no display here (neither DISPLAY nor WAYLAND_DISPLAY is set), so the demo "
    "has no screen to open its window on.\n"
    "  - To see the demo window anyway, run:  make screenshot   (it draws it under Xvfb "
    "to out.png)\n"
    "  - Or run make demo from a desktop session, or over ssh -X."
)


@dataclass(frozen=True, slots=True)
class Choice:
    """The plugin to try (None: Qt's own choice for this desktop), or no display at all."""

    platform: str | None
    no_display: bool = False


def platform_for(env: Mapping[str, str], system: str = sys.platform) -> Choice:
    """The one asked for in QT_QPA_PLATFORM, else Qt's own choice on a desktop; a Linux
    machine with neither DISPLAY nor WAYLAND_DISPLAY has no display at all."""
    asked = env.get("QT_QPA_PLATFORM", "").strip()
    if asked:
        return Choice(asked)
    if not system.startswith("linux") or env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"):
        return Choice(None)
    return Choice(None, no_display=True)


def probe(python: str, platform: str | None, env: Mapping[str, str]) -> Probe:
    """Start a QGuiApplication in a child process (a failing plugin aborts the process)."""
    child = dict(env)
    if platform:
        child["QT_QPA_PLATFORM"] = platform
    try:
        done = subprocess.run(
            [python, "-c", _PROBE],
            env=child,
            capture_output=True,
            text=True,
            timeout=_PROBE_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return Probe(False, platform or "", "Qt did not start within a minute.")
    said = (done.stderr or "").strip()
    return Probe(done.returncode == 0, platform or done.stdout.strip(), said)


def can_install(is_root: bool, passwordless_sudo: Callable[[], bool], has_apt: bool) -> bool:
    return has_apt and (is_root or passwordless_sudo())


def _passwordless_sudo() -> bool:
    if shutil.which("sudo") is None:
        return False
    done = subprocess.run(["sudo", "-n", "true"], capture_output=True, check=False)
    return done.returncode == 0


def _install() -> bool:
    return subprocess.run(["sh", str(SYSDEPS)], check=False).returncode == 0


def unreachable_display(failed: Probe) -> bool:
    """Qt found its plugin but no server behind DISPLAY: no library would help."""
    return "could not connect to display" in failed.said.lower()


def failure_words(failed: Probe, *, debian: bool, env: Mapping[str, str] | None = None) -> str:
    if unreachable_display(failed):
        display = (env or {}).get("DISPLAY", "")
        return (
            f"Qt cannot reach the display {display!r}: is an X server running there (or ssh "
            "-X forwarding)?\nTo see the demo window without one, run:  make screenshot"
        )
    where = f"its {failed.platform} platform plugin" if failed.platform else "a platform plugin"
    first = next((line for line in failed.said.splitlines() if line.strip()), "")
    lines = [f"Qt cannot start {where}: system libraries it needs are missing."]
    if debian:
        lines += ["Install them (once) with:", "", f"    {INSTALL_COMMAND}", ""]
        lines.append("then run the same make command again.")
    else:
        lines.append("See https://doc.qt.io/qt-6/linux-requirements.html for what Qt needs.")
    if first:
        lines.append(f"(Qt said: {first})")
    return "\n".join(lines)


def check(
    env: Mapping[str, str],
    *,
    platform: str | None,
    install: bool,
    python: str = sys.executable,
    run_probe: Callable[[str, str | None, Mapping[str, str]], Probe] = probe,
    installer: Callable[[], bool] = _install,
    is_root: bool | None = None,
    passwordless_sudo: Callable[[], bool] = _passwordless_sudo,
    has_apt: bool | None = None,
    say: Callable[[str], None] = print,
    system: str = sys.platform,
) -> int:
    """The whole decision, with every outside effect passed in (the tests replace them)."""
    choice = Choice(platform) if platform is not None else platform_for(env, system)
    if choice.no_display:
        say(NO_DISPLAY)
        return 1
    chosen = choice.platform
    if chosen is None and system.startswith("linux"):
        # What Qt picks on a Linux desktop, so the words can name it.
        chosen = "wayland" if env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY") else "xcb"
    first = run_probe(python, chosen, env)
    if first.ok:
        return 0
    debian = has_apt if has_apt is not None else shutil.which("apt-get") is not None
    root = is_root if is_root is not None else os.geteuid() == 0
    if install and not unreachable_display(first) and can_install(root, passwordless_sudo, debian):
        say("Qt cannot start yet: installing the system libraries it needs (.ci/sysdeps.sh)…")
        if installer() and run_probe(python, chosen, env).ok:
            return 0
    say(failure_words(first, debian=debian, env=env))
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--platform", help="the Qt platform plugin to try (default: Qt's choice)")
    parser.add_argument(
        "--install", action="store_true", help="install missing libraries when allowed"
    )
    args = parser.parse_args(argv)
    return check(os.environ, platform=args.platform, install=args.install)


if __name__ == "__main__":
    sys.exit(main())
