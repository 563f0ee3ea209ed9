"""What the user asked for on the command line, parsed (Qt-free, shared by app and UI)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

from crmdesk import __version__


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
