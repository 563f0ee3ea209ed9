"""The baseline for start-up and idle memory: a bare PySide6 + qasync window, nothing else."""

from __future__ import annotations

import asyncio
import sys

import PySide6  # noqa: F401  (before qasync, as the app does)
import qasync  # type: ignore[import-untyped]
from PySide6.QtWidgets import QApplication, QMainWindow


async def main() -> None:
    window = QMainWindow()
    window.resize(1440, 900)
    window.show()
    QApplication.processEvents()
    print("shown", flush=True)


if __name__ == "__main__":
    app = QApplication(sys.argv[:1])
    with asyncio.Runner(loop_factory=qasync.QEventLoop) as runner:
        runner.run(main())
