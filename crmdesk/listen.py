"""`crmdesk listen`: the notification listener without a window, for a machine that must stay
reachable while the desktop app is closed. It stores into the same inbox the app opens.

Either saved connections (`--connection`, default: every connection with notifications
enabled), whose secrets come from the keyring, or one connection given here (`--login-id`
and the password in an environment variable: never on the command line, where `ps` shows it).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any, TextIO

from crmdesk.api import NotificationProtocol, kind_info, open_backend
from crmdesk.desk import route_for
from crmdesk.inbox.confirm import confirmer
from crmdesk.inbox.protocol import AnswerMode
from crmdesk.inbox.routes import Confirm, Route, new_token
from crmdesk.inbox.settings import load_settings
from crmdesk.inbox.store import InboxStore, StoreError

log = logging.getLogger("crmdesk.listen")


class UsageError(Exception):
    """What is wrong with the command line or the saved connections, in words (exit 2)."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crmdesk listen",
        description="Take notifications from the connections' servers into the inbox, "
        "without a window, until SIGTERM or Ctrl-C.",
    )
    parser.add_argument("--host", help="address to bind (default: the app's listener setting)")
    parser.add_argument("--port", type=int, help="port (default: the app's listener setting)")
    parser.add_argument(
        "--store", type=Path, metavar="PATH", help="inbox file (default: the app's)"
    )
    parser.add_argument(
        "--connection",
        action="append",
        metavar="NAME_OR_ID",
        help="a saved connection to listen for; repeat for several "
        "(default: every connection with notifications enabled)",
    )
    adhoc = parser.add_argument_group("one connection given here instead")
    adhoc.add_argument("--kind", choices=("aicore", "getresponse"), help="default aicore")
    adhoc.add_argument("--login-id", help="aicore: the API login id")
    adhoc.add_argument(
        "--password-env",
        metavar="VAR",
        help="aicore: the environment variable holding the password",
    )
    adhoc.add_argument(
        "--mode",
        choices=[m.value for m in AnswerMode],
        default="key",
        help="aicore: how to answer authenticate",
    )
    adhoc.add_argument("--base-url", help="aicore passive mode: the site's /service address")
    adhoc.add_argument("--token", help="the path token (default: a new one, printed)")
    adhoc.add_argument("--name", help="what to call this connection in the inbox")
    return parser


async def _saved_routes(
    names: list[str] | None, stack: contextlib.AsyncExitStack, moved: dict[str, Any]
) -> list[Route]:
    """Routes of saved connections; `moved` gets the listener address older profiles had."""
    # Imported here: the profiles (and the keyring) are needed only for saved connections.
    from crmdesk.profiles import ProfileStore, SecretStore

    loaded = ProfileStore().load()
    moved.update(loaded.moved_listener or {})
    for problem in loaded.problems:
        log.warning("%s", problem)
    profiles = loaded.profiles
    if names:
        chosen = []
        for wanted in names:
            found = [
                p for p in profiles if wanted in (p.id, p.name) or p.name.lower() == wanted.lower()
            ]
            if not found:
                known = ", ".join(p.name for p in profiles) or "none"
                raise UsageError(f"no saved connection is called {wanted!r} (saved: {known})")
            chosen.append(found[0])
    else:
        chosen = [p for p in profiles if p.notifications is not None and p.notifications.enabled]
        if not chosen:
            raise UsageError(
                "no saved connection has notifications enabled: name one with --connection, "
                "or give one with --login-id"
            )
    secrets = SecretStore()
    routes = []
    for profile in chosen:
        info = kind_info(profile.kind)
        if info.notifications is None or profile.notifications is None:
            raise UsageError(f"{profile.name}'s server sends no notifications")
        credentials = await secrets.get(profile.id)
        login = info.notification_login
        if login is not None and not all(credentials.get(name) for name in login):
            raise UsageError(
                f"{profile.name} has no saved login in the keyring "
                f"({secrets.reason or 'none saved'}); save it in crmdesk, "
                "or give it here with --login-id and --password-env"
            )
        confirm: Confirm | None = None
        if AnswerMode(profile.notifications.auth) is AnswerMode.PASSIVE:
            backend = open_backend(
                profile.kind,
                profile.base_url,
                credentials,
                connection=profile.name,
                connection_id=profile.id,
                **profile.options,
            )
            confirm = confirmer(await stack.enter_async_context(backend))
        # Named on the command line, it listens even if its switch in crmdesk is off.
        enabled = replace(profile, notifications=replace(profile.notifications, enabled=True))
        route = route_for(enabled, credentials, confirm)
        assert route is not None
        routes.append(route)
    return routes


async def _given_route(args: argparse.Namespace, stack: contextlib.AsyncExitStack) -> Route:
    args.kind = args.kind or "aicore"
    protocol = kind_info(args.kind).notifications
    assert protocol is not None
    login_id, password, confirm = args.login_id or "", "", None
    mode = AnswerMode(args.mode)
    if protocol is NotificationProtocol.AICORE_PUSH:
        if not login_id or not args.password_env:
            raise UsageError("an aicore connection needs --login-id and --password-env")
        password = os.environ.get(args.password_env, "")
        if not password:
            raise UsageError(f"the environment variable {args.password_env} holds no password")
        if mode is AnswerMode.PASSIVE:
            if not args.base_url:
                raise UsageError(
                    "passive mode needs --base-url, the /service address to confirm with"
                )
            credentials = {"login_id": login_id, "login_password": password}
            backend = open_backend(
                args.kind, args.base_url, credentials, connection=args.name or login_id
            )
            confirm = confirmer(await stack.enter_async_context(backend))
    token = args.token or new_token()
    name = args.name or (f"{login_id} ({args.kind})" if login_id else args.kind)
    try:
        return Route(
            token,
            f"listen:{args.kind}:{login_id or name}",
            name,
            protocol,
            mode,
            login_id,
            password,
            confirm,
        )
    except ValueError as exc:
        raise UsageError(str(exc)) from None


async def _listen(args: argparse.Namespace, out: TextIO) -> int:
    # Imported here so `crmdesk listen --help` does not load the server.
    from crmdesk.inbox.listener import NotificationListener

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Not on Windows; there Ctrl-C arrives as KeyboardInterrupt instead.
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    moved: dict[str, Any] = {}
    async with contextlib.AsyncExitStack() as stack:
        given = (args.kind, args.login_id, args.password_env, args.token, args.base_url, args.name)
        if any(given):
            if args.connection:
                raise UsageError("give either --connection or one connection here, not both")
            routes = [await _given_route(args, stack)]
        else:
            routes = await _saved_routes(args.connection, stack, moved)
        settings = load_settings(moved_listener=moved or None)
        host = args.host or settings.host
        port = settings.port if args.port is None else args.port
        store = InboxStore(args.store, retention=settings.retention())
        await store.open()
        stack.push_async_callback(store.aclose)
        for problem in store.problems:
            log.warning("%s", problem)
        listener = NotificationListener(
            store, host=host, port=port, public_base_url=settings.public_base_url
        )
        try:
            await listener.start()
        except OSError as exc:
            print(f"crmdesk listen: cannot listen on {host}:{port}: {exc}", file=sys.stderr)
            return 1
        stack.push_async_callback(listener.aclose)
        print(f"crmdesk listen: storing into {store.path}", file=out)
        for route in routes:
            listener.add_route(route)
            how = (
                route.mode.value
                if route.protocol is NotificationProtocol.AICORE_PUSH
                else "webhook"
            )
            # The full URL goes to the terminal, for the user to register; logs get a hint only.
            url = listener.url_for(route)
            print(f"  {route.connection_name} ({route.protocol.value}, {how}): {url}", file=out)
        out.flush()
        await stop.wait()
        log.info("stopping")
    print("crmdesk listen: stopped.", file=out, flush=True)
    return 0


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    if args.port is not None and not 0 <= args.port <= 65535:
        print("crmdesk listen: --port must be 0 to 65535", file=sys.stderr)
        return 2
    if not logging.getLogger().handlers:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    # What arrives is this command's record of its work (type, connection, summary).
    logging.getLogger("crmdesk.inbox.received").setLevel(logging.DEBUG)
    try:
        return asyncio.run(_listen(args, out or sys.stdout))
    except UsageError as exc:
        print(f"crmdesk listen: {exc}", file=sys.stderr)
        return 2
    except StoreError as exc:
        print(f"crmdesk listen: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
