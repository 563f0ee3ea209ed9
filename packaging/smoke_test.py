"""Run a frozen crmdesk and check what it says about itself; the gate before any packaging.

    python packaging/smoke_test.py dist/crmdesk/crmdesk --platform offscreen --screenshot xcb

runs `crmdesk --smoke-test=FILE` and checks the facts in FILE (see crmdesk/smoke.py and
crmdesk/ui/smoke.py), then, with --screenshot, `crmdesk --demo --screenshot=PNG` and checks a
picture came out. --platform is the Qt platform plugin to use; without it the frozen app picks
the native one (windows, cocoa, xcb/wayland) and the check expects that one. Needs only the
standard library, so any Python runs it. Exits 1 on the first run that fails, after printing
every fact that was wrong.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import versioning

NATIVE_PLATFORMS = {"win32": {"windows"}, "darwin": {"cocoa"}, "linux": {"xcb", "wayland"}}
# On Linux CI no keyring daemon runs, so only the modules are checked there.
NATIVE_KEYRINGS = {
    "win32": "keyring.backends.Windows.WinVaultKeyring",
    "darwin": "keyring.backends.macOS.Keyring",
}
SECONDS = 90  # generous: the first start after a build also warms the OS file cache


def run(binary: Path, args: list[str], home: Path, platform: str | None) -> None:
    env = {**os.environ, "CRMDESK_HOME": str(home)}
    env.pop("QT_QPA_PLATFORM", None)
    if platform:
        env["QT_QPA_PLATFORM"] = platform
    done = subprocess.run(
        [str(binary), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=SECONDS,
        check=False,
    )
    if done.returncode != 0:
        log = home / "logs" / "crmdesk.log"
        raise SystemExit(
            f"smoke test: {binary.name} {' '.join(args)} exited {done.returncode}\n"
            f"stdout: {done.stdout}\nstderr: {done.stderr}\n"
            f"log: {log.read_text(encoding='utf-8') if log.exists() else '(none)'}"
        )


def problems(facts: dict[str, Any], platform: str | None, home: Path) -> list[str]:
    """Every fact that is not what a good build says, in words."""
    found = []

    def expect(ok: bool, what: str) -> None:
        if not ok:
            found.append(what)

    expect(facts.get("ok") is True, f"ok is {facts.get('ok')!r}, errors {facts.get('errors')}")
    expect(facts.get("frozen") is True, "not running frozen: is this the bundle's binary?")
    wanted = {platform} if platform else NATIVE_PLATFORMS.get(sys.platform, set())
    expect(
        facts.get("qt_platform") in wanted,
        f"Qt platform plugin {facts.get('qt_platform')!r}, wanted one of {sorted(wanted)}",
    )
    for name in (
        "qasync_loop_ran",
        "main_window_created",
        "main_window_visible",
        "main_window_has_icon",
        "app_icon_renders",
        "qt_can_write_png",
        "tls_client_built",
        "tls_verify",
        "tls_ca_file_in_bundle",
        "keyring_macos_api_found",
        "sandbox_started",
    ):
        expect(facts.get(name) is True, f"{name} is {facts.get(name)!r}")
    certs = facts.get("tls_ca_certificates", 0)
    expect(certs >= 100, f"only {certs} CA certificates loaded (certifi has over 100)")
    for module, state in facts.get("keyring_backend_modules", {}).items():
        expect(state == "importable", f"{module}: {state}")
    expect(len(facts.get("keyring_backend_modules", {})) >= 3, "keyring backend modules missing")
    native = NATIVE_KEYRINGS.get(sys.platform)
    if native:
        expect(
            facts.get("keyring_backend") == native,
            f"keyring backend {facts.get('keyring_backend')}",
        )
        expect(
            facts.get("keyring_recommended") is True, "the keyring backend is not a recommended one"
        )
    versions = facts.get("versions", {})
    expect(
        versions.get("crmdesk") == versioning.version(),
        f"crmdesk {versions.get('crmdesk')}, the source says {versioning.version()}",
    )
    for package, version in versions.items():
        expect(version != "missing", f"no package metadata for {package} in the bundle")
    expect(
        facts.get("pyside6_version") == versions.get("PySide6-Essentials"),
        "PySide6 reports another version than its metadata",
    )
    expect((home / "logs" / "crmdesk.log").is_file(), "no log file was written")
    return found


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24] if path.is_file() else b""
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"smoke test: {path} is not a PNG")
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def check_facts(binary: Path, platform: str | None, scratch: Path) -> None:
    home, facts_file = scratch / "home-facts", scratch / "facts.json"
    run(binary, [f"--smoke-test={facts_file}"], home, platform)
    facts = json.loads(facts_file.read_text(encoding="utf-8"))
    found = problems(facts, platform, home)
    if found:
        print(json.dumps(facts, indent=2, sort_keys=True), file=sys.stderr)
        raise SystemExit("smoke test: the frozen app is not right:\n  " + "\n  ".join(found))
    print(
        f"smoke test: facts OK on {facts['qt_platform']} "
        f"(Qt {facts['qt_version']}, keyring {facts['keyring_backend']}, "
        f"{facts['tls_ca_certificates']} CA certificates from the bundle)"
    )


def check_screenshot(binary: Path, platform: str | None, scratch: Path) -> None:
    shot = scratch / "screenshot.png"
    run(binary, ["--demo", "--records=60", f"--screenshot={shot}"], scratch / "home-demo", platform)
    width, height = png_size(shot)
    size = shot.stat().st_size
    # The window opens at 1440x900; a window manager may shrink it, a blank one compresses tiny.
    if width < 800 or height < 500 or size < 20_000:
        raise SystemExit(f"smoke test: the screenshot is {width}x{height}, {size} bytes")
    print(f"smoke test: demo screenshot OK ({width}x{height}, {size // 1024} KiB)")


def time_starts(binary: Path, platform: str | None, scratch: Path, runs: int) -> None:
    """Wall time from process start to the main window shown and the process gone again."""
    times = []
    for n in range(runs):
        started = time.perf_counter()
        run(binary, ["--quit-when-shown"], scratch / "home-start", platform)
        times.append(time.perf_counter() - started)
        print(f"smoke test: start {n + 1}: {times[-1]:.3f} s")
    print(
        f"smoke test: start to window shown, median of {runs}: {statistics.median(times):.3f} s "
        f"(min {min(times):.3f}, max {max(times):.3f})"
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary", type=Path, help="the frozen crmdesk executable")
    parser.add_argument("--platform", help="Qt platform plugin for the facts run (default: native)")
    parser.add_argument(
        "--screenshot",
        metavar="PLATFORM",
        help="also take the demo screenshot with this platform plugin ('native' for the default)",
    )
    parser.add_argument("--start-runs", type=int, default=0, metavar="N", help="time N starts")
    parser.add_argument("--keep", type=Path, help="keep the facts, picture and logs in this folder")
    args = parser.parse_args(argv)
    binary = args.binary.resolve()
    if not binary.is_file():
        parser.error(f"{binary} does not exist; build the bundle first")
    with tempfile.TemporaryDirectory(prefix="crmdesk-smoke-") as temp:
        scratch = args.keep.resolve() if args.keep else Path(temp)
        scratch.mkdir(parents=True, exist_ok=True)
        check_facts(binary, args.platform, scratch)
        if args.screenshot:
            shot_platform = None if args.screenshot == "native" else args.screenshot
            check_screenshot(binary, shot_platform, scratch)
        if args.start_runs:
            time_starts(binary, args.platform, scratch, args.start_runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
