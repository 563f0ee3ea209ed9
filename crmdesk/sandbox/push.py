"""`python -m crmdesk.sandbox.push`: an emulated server pushing notifications to a URL from a
process of its own, for benchmarks, crash tests and trying a listener by hand.

    python -m crmdesk.sandbox.push aicore --url URL --count 1000 --concurrency 8
    python -m crmdesk.sandbox.push aicore --url URL --rate 500 --duration 10
    python -m crmdesk.sandbox.push getresponse --url URL --every 3     (until Ctrl-C)

It serves its emulator on loopback too (for the passive answer's authenticate_notifications
command), prints one JSON line when ready (`service_url`, `login_id`) and, with a count or a
duration, one JSON line of what it measured when every message was acknowledged.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import sys
import time
from typing import Any, TextIO

from crmdesk.sandbox.aicore.emulator import DEFAULT_CREDENTIALS
from crmdesk.sandbox.aicore.notify import AiCorePush
from crmdesk.sandbox.getresponse.webhooks import WebhookPush
from crmdesk.sandbox.server import Sandbox


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m crmdesk.sandbox.push", description=__doc__)
    parser.add_argument("kind", choices=("aicore", "getresponse"))
    parser.add_argument("--url", required=True, help="where to push (the listener's URL)")
    amount = parser.add_mutually_exclusive_group(required=True)
    amount.add_argument("--count", type=int, help="messages to push, then report and exit")
    amount.add_argument("--duration", type=float, help="seconds to push at --rate, then exit")
    amount.add_argument("--every", type=float, help="a message every few seconds, until stopped")
    parser.add_argument(
        "--rate", type=float, help="deliveries a second at most (default: no limit)"
    )
    parser.add_argument("--concurrency", type=int, default=8, help="requests in flight (default 8)")
    parser.add_argument(
        "--batch", type=int, default=1, help="aicore: messages a delivery (default 1)"
    )
    parser.add_argument(
        "--login-id", default=DEFAULT_CREDENTIALS["login_id"], help="aicore: API login"
    )
    parser.add_argument(
        "--password-env", metavar="VAR", help="aicore: environment variable with the API password"
    )
    parser.add_argument(
        "--no-key-auth", action="store_true", help="aicore: authenticate without a key (plain)"
    )
    parser.add_argument(
        "--retry-delay", type=float, default=0.2, help="aicore: seconds before re-sending"
    )
    parser.add_argument(
        "--retry-intervals", default="0.2,0.5,1", help="getresponse: seconds between the 3 retries"
    )
    parser.add_argument("--timeout", type=float, default=5.0, help="seconds a request may take")
    parser.add_argument("--wait", type=float, default=300.0, help="give up waiting after this long")
    parser.add_argument("--seed", type=int, default=1)
    return parser


def _line(out: TextIO, facts: dict[str, Any]) -> None:
    print(json.dumps(facts), file=out, flush=True)


async def _push(args: argparse.Namespace, out: TextIO) -> int:
    credentials = dict(DEFAULT_CREDENTIALS, login_id=args.login_id)
    if args.password_env:
        credentials["login_password"] = os.environ.get(args.password_env, "")
    options: dict[str, Any] = {"records_per_entity": 50, "seed": args.seed}
    if args.kind == "aicore":
        options["aicore"] = {"credentials": credentials}
    async with Sandbox(kinds=(args.kind,), **options) as sandbox:
        pusher = sandbox.pusher(args.kind)
        if isinstance(pusher, AiCorePush):
            pusher.register(args.url, key_auth=not args.no_key_auth)
            pusher.configure(
                concurrency=args.concurrency,
                batch_size=args.batch,
                retry_delay=args.retry_delay,
                timeout=args.timeout,
            )
        else:
            assert isinstance(pusher, WebhookPush)
            pusher.register(args.url)
            intervals = [float(s) for s in args.retry_intervals.split(",") if s.strip()]
            pusher.configure(
                retry_intervals=intervals, timeout=args.timeout, concurrency=args.concurrency
            )
        pusher.set_rate(args.rate)
        _line(
            out,
            {
                "ready": True,
                "service_url": sandbox.endpoints[0].base_url,
                "login_id": args.login_id,
            },
        )
        if args.every is not None:
            return await _until_stopped(pusher, args.every)
        count = args.count if args.count is not None else round((args.rate or 100) * args.duration)
        # burst() makes every message before the loop runs a worker: only sending is timed.
        pusher.burst(count)
        started = time.perf_counter()
        drained = await pusher.drain(args.wait)
        elapsed = time.perf_counter() - started
        facts: dict[str, Any] = {"kind": args.kind, "messages": count, "drained": drained}
        facts["elapsed_s"] = round(elapsed, 4)
        if isinstance(pusher, AiCorePush):
            stats = pusher.stats
            facts |= {
                "deliveries": stats.acknowledged,
                "messages_acknowledged": stats.messages_acknowledged,
                "not_acknowledged": stats.not_acknowledged,
                "authentication": pusher.auth_log[-3:],
                "deliveries_per_s": round(stats.acknowledged / elapsed, 1),
                "messages_per_s": round(stats.messages_acknowledged / elapsed, 1),
            }
        else:
            assert isinstance(pusher, WebhookPush)
            hooks = pusher.stats
            facts |= {
                "deliveries": hooks.delivered,
                "retried": hooks.retried,
                "given_up": hooks.given_up,
                "deliveries_per_s": round(hooks.delivered / elapsed, 1),
            }
        _line(out, facts)
        return 0 if drained else 1


async def _until_stopped(pusher: AiCorePush | WebhookPush, every: float) -> int:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    pusher.start_periodic(every)
    await stop.wait()
    return 0


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.duration is not None and args.rate is None:
        print("--duration needs --rate", file=sys.stderr)
        return 2
    try:
        return asyncio.run(_push(args, out or sys.stdout))
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
