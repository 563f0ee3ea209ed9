"""`crmdesk listen` in a process of its own, for the tests that kill it or signal it."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from pathlib import Path

URL = re.compile(r"(http://\S+/n/\S+)")


class ListenProcess:
    def __init__(self, *args: str, home: Path, env: dict[str, str] | None = None) -> None:
        self.args = ["-m", "crmdesk", "listen", *args]
        self.env = {**os.environ, "CRMDESK_HOME": str(home), **(env or {})}
        self.process: asyncio.subprocess.Process | None = None
        self.urls: list[str] = []
        self.output = ""

    async def start(self, timeout: float = 30.0) -> list[str]:
        """Start it and wait for the URLs it prints."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        assert self.process.stdout is not None
        async with asyncio.timeout(timeout):
            while True:
                line = (await self.process.stdout.readline()).decode()
                if not line:
                    raise AssertionError(f"crmdesk listen ended: {await self._stderr()}")
                self.output += line
                found = URL.search(line)
                if found:
                    self.urls.append(found.group(1))
                    return self.urls

    async def stop(self, signum: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send `signum` and wait for the exit code (its output is kept in `output`)."""
        assert self.process is not None
        self.process.send_signal(signum)
        out, err = await asyncio.wait_for(self.process.communicate(), timeout)
        self.output += out.decode() + err.decode()
        code = self.process.returncode
        assert code is not None
        return code

    async def run(self, timeout: float = 30.0) -> int:
        """Start it and wait for it to exit by itself (a refused command line)."""
        self.process = await asyncio.create_subprocess_exec(
            sys.executable,
            *self.args,
            env=self.env,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(self.process.communicate(), timeout)
        self.output = out.decode() + err.decode()
        code = self.process.returncode
        assert code is not None
        return code

    async def _stderr(self) -> str:
        assert self.process is not None
        assert self.process.stderr is not None
        return (await self.process.stderr.read()).decode()
