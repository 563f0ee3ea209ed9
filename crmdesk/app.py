"""The command line: parse it, set up logging, and hand over to the window or the sandbox.

Kept free of Qt so `crmdesk sandbox` and `--help` work without a display; the Qt side starts
in `crmdesk.ui.application`.
"""

from __future__ import annotations

import argparse
import logging
import logging.handlers
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from crmdesk import __version__, paths

log = logging.getLogger("crmdesk")


@dataclass(frozen=True, slots=True)
class Options:
    """What the user asked for on the command line."""

    demo: bool = False
    screenshot: Path | None = None
    smoke_test: Path | None = None
    records: int | None = None
    quit_when_shown: bool = False


def parse(argv: list[str]) -> Options:
    parser = argparse.ArgumentParser(
        prog="crmdesk",
        description="A desktop admin console for CRM web APIs.",
        epilog="Run `crmdesk sandbox --help` for the standalone API emulators, and "
        "`crmdesk listen --help` for the notification listener without a window.",
    )
    parser.add_argument("--version", action="version", version=f"crmdesk {__version__}")
    parser.add_argument(
        "--demo",
        action="store_true",
        help="start the built-in sandbox APIs on 127.0.0.1 and connect to them",
    )
    parser.add_argument(
        "--records",
        type=int,
        metavar="N",
        help="with --demo: records per entity in the sandbox (default: a few thousand)",
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="FILE",
        help="save a PNG of the main window once the first page has loaded, then exit",
    )
    parser.add_argument(
        "--smoke-test",
        type=Path,
        metavar="FILE",
        help="start without a network, write a JSON file of facts about this build, then exit",
    )
    parser.add_argument(
        "--quit-when-shown",
        action="store_true",
        help="print 'shown' once the main window is on screen, then quit (start-up timing)",
    )
    args = parser.parse_args(argv)
    if args.records is not None and args.records < 1:
        parser.error("--records must be 1 or more")
    return Options(
        demo=args.demo,
        screenshot=args.screenshot,
        smoke_test=args.smoke_test,
        records=args.records,
        quit_when_shown=args.quit_when_shown,
    )


def configure_logging() -> Path:
    """Log to a file in the user's log directory (a windowed build has no console)."""
    logfile = paths.ensure(paths.log_dir()) / "crmdesk.log"
    handler = logging.handlers.RotatingFileHandler(
        logfile, maxBytes=2 * 1024 * 1024, backupCount=3, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    if sys.stderr is not None:
        console = logging.StreamHandler()
        console.setLevel(logging.WARNING)
        root.addHandler(console)
    root.setLevel(logging.INFO)
    return logfile


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["sandbox"]:
        from crmdesk.sandbox.cli import main as sandbox_main

        return sandbox_main(argv[1:])
    if argv[:1] == ["listen"]:
        from crmdesk.inbox.cli import main as listen_main

        return listen_main(argv[1:])
    options = parse(argv)
    logfile = configure_logging()
    log.info("crmdesk %s starting; log file %s", __version__, logfile)
    # qasync must drive PySide6 even where another Qt binding is installed too.
    os.environ.setdefault("QT_API", "pyside6")
    # Imported here so the Qt-free commands above never load Qt.
    from crmdesk.ui.application import run

    return run(options)


if __name__ == "__main__":
    raise SystemExit(main())
