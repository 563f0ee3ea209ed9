"""Build crmdesk's bundle and its installer for the system this runs on.

    python packaging/build.py bundle      PyInstaller onedir bundle in dist/ (crmdesk.app on macOS)
    python packaging/build.py installer   Windows: Inno Setup .exe; macOS: DMG; from that bundle
    python packaging/build.py all         both, with the smoke test in between
    python packaging/build.py version     print the version every artefact is named after

Run it with the Python of a clean venv holding `pip install . -r packaging/requirements-build.txt`
(a second Qt binding or a system PySide6 in sight breaks the Qt hooks). Signing is separate:
the release workflow signs between the steps, only when its secrets are there.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from pathlib import Path

import versioning

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
ICONS = WORK / "crmdesk" / "icons"  # written by make_icons.py from the spec


def binary() -> Path:
    """The frozen executable inside the bundle."""
    if sys.platform == "darwin":
        return DIST / "crmdesk.app" / "Contents" / "MacOS" / "crmdesk"
    return DIST / "crmdesk" / ("crmdesk.exe" if sys.platform == "win32" else "crmdesk")


def arch() -> str:
    machine = platform.machine().lower()
    return {"amd64": "x64", "x86_64": "x64", "aarch64": "arm64"}.get(machine, machine)


def bundle() -> Path:
    for old in (DIST / "crmdesk", DIST / "crmdesk.app"):
        shutil.rmtree(old, ignore_errors=True)
    command = [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level=WARN"]
    command += [str(HERE / "crmdesk.spec"), "--distpath", str(DIST), "--workpath", str(WORK)]
    subprocess.run(command, check=True, cwd=ROOT)
    check_own_imports(WORK / "crmdesk" / "warn-crmdesk.txt")
    print(f"build: bundle for crmdesk {versioning.version()} at {binary()}")
    return binary()


def check_own_imports(warnings: Path) -> None:
    """Fail when analysis could not find one of crmdesk's own modules.

    Missing third-party modules are normal (optional imports for other systems); a missing
    crmdesk module is a bug that would only show when that code path runs.
    """
    missing = []
    for line in warnings.read_text(encoding="utf-8").splitlines():
        if line.startswith("missing module named "):
            names = line.removeprefix("missing module named ").split(" - imported by")[0]
            if any(n.strip(" '").split(".")[0] == "crmdesk" for n in names.split(",")):
                missing.append(line)
    if missing:
        raise SystemExit("build: PyInstaller could not find:\n  " + "\n  ".join(missing))


def smoke() -> None:
    # Linux CI has no display: check offscreen. Windows and macOS runners have a desktop, so
    # there the native platform plugin is the one to prove.
    headless = sys.platform.startswith("linux") and not os.environ.get("DISPLAY")
    args = [str(binary())] + (["--platform", "offscreen"] if headless else [])
    subprocess.run([sys.executable, str(HERE / "smoke_test.py"), *args], check=True)


def inno_setup() -> Path:
    iscc = os.environ.get("ISCC") or shutil.which("iscc")
    for folder in (os.environ.get("PROGRAMFILES(X86)"), os.environ.get("PROGRAMFILES")):
        candidate = Path(folder or "/nonexistent") / "Inno Setup 6" / "ISCC.exe"
        if not iscc and candidate.is_file():
            iscc = str(candidate)
    if not iscc:
        raise SystemExit("build: Inno Setup 6 (ISCC.exe) not found; install it or set ISCC")
    version = versioning.version()
    name = f"crmdesk-{version}-windows-{arch()}-setup"
    defines = {
        "AppVersion": version,
        "AppNumericVersion": versioning.dotted(versioning.numeric(version, parts=4)),
        "SourceDir": str(DIST / "crmdesk"),
        "OutputDir": str(DIST),
        "OutputBaseFilename": name,
        "SetupIconFile": str(ICONS / "crmdesk.ico"),
    }
    command = [iscc, "/Qp"] + [f"/D{key}={value}" for key, value in defines.items()]
    subprocess.run([*command, str(HERE / "windows" / "crmdesk.iss")], check=True)
    return DIST / f"{name}.exe"


def dmg() -> Path:
    version = versioning.version()
    out = DIST / f"crmdesk-{version}-macos-{arch()}.dmg"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "dmgbuild", "-s", str(HERE / "macos" / "dmg_settings.py")]
    command += ["-D", f"app={DIST / 'crmdesk.app'}", "-D", f"icon={ICONS / 'crmdesk.icns'}"]
    # hdiutil on CI runners fails now and then with "Resource busy"; a retry gets through.
    for attempt in range(1, 4):
        if subprocess.run([*command, f"crmdesk {version}", str(out)], check=False).returncode == 0:
            return out
        print(f"build: dmgbuild failed (attempt {attempt} of 3)", file=sys.stderr)
    raise SystemExit("build: could not create the DMG")


def installer() -> Path:
    if not binary().is_file():
        raise SystemExit(f"build: no bundle at {binary()}; run `build.py bundle` first")
    if sys.platform == "win32":
        out = inno_setup()
    elif sys.platform == "darwin":
        out = dmg()
    else:
        raise SystemExit("build: installers are made on Windows and macOS only")
    print(f"build: installer at {out}")
    return out


def main(argv: list[str]) -> int:
    step = argv[0] if argv else "all"
    if step == "version":
        print(versioning.version())
    elif step == "bundle":
        bundle()
    elif step == "installer":
        installer()
    elif step == "all":
        bundle()
        smoke()
        if sys.platform in ("win32", "darwin"):
            installer()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
