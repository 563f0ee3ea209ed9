"""`crmdesk sandbox`: serve the emulators standalone and print how to connect to them."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
import sys
from typing import TextIO

from crmdesk.sandbox.server import EMULATORS, Sandbox, SandboxEndpoint


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmdesk sandbox",
        description="Serve emulators of the CRM APIs with fake data, until Ctrl-C.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default %(default)s)")
    parser.add_argument(
        "--port",
        type=int,
        default=0,
        help="first port; each API takes the next one (default 0: any free port)",
    )
    parser.add_argument(
        "--records",
        type=int,
        default=None,
        metavar="N",
        help="records per entity (default: a few thousand, varying by entity)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the fake data (default 1)")
    parser.add_argument(
        "--kind",
        action="append",
        choices=sorted(EMULATORS),
        help="API to serve; repeat for several (default: all)",
    )
    return parser


def _shown(value: object) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value)
    return str(value)


def describe(endpoint: SandboxEndpoint) -> str:
    """The block printed for one running API."""
    origin = endpoint.base_url.split("/", 3)
    admin = "/".join(origin[:3]) + "/__sandbox__/requests"
    rows = [("kind", endpoint.kind), ("base URL", endpoint.base_url)]
    rows += list(endpoint.credentials.items())
    rows += [(name, _shown(value)) for name, value in endpoint.options.items()]
    rows.append(("request log", admin))
    width = max(len(name) for name, _ in rows)
    lines = [endpoint.label] + [f"  {name.ljust(width)}  {value}" for name, value in rows]
    return "\n".join(lines)


async def _serve(args: argparse.Namespace, out: TextIO) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not available on Windows; there Ctrl-C arrives as KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    kinds = args.kind or sorted(EMULATORS)
    async with Sandbox(
        kinds, seed=args.seed, records_per_entity=args.records, host=args.host, port=args.port
    ) as sandbox:
        print("crmdesk sandbox is running. Press Ctrl-C to stop.\n", file=out)
        for endpoint in sandbox.endpoints:
            print(describe(endpoint) + "\n", file=out)
        out.flush()
        await stop.wait()
    print("crmdesk sandbox stopped.", file=out, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.records is not None and args.records < 0:
        print("--records must be 0 or more", file=sys.stderr)
        return 2
    try:
        asyncio.run(_serve(args, sys.stdout))
    except KeyboardInterrupt:
        return 0
    except OSError as exc:
        print(f"crmdesk sandbox: cannot serve: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
