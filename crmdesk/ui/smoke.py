"""--smoke-test: the Qt-free facts of `crmdesk.smoke` plus what only a running Qt app can tell."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from PySide6 import QtCore
from PySide6.QtGui import QGuiApplication, QImageWriter

from crmdesk import smoke
from crmdesk.desk import Desk
from crmdesk.ui.context import UiContext
from crmdesk.ui.icon import app_icon
from crmdesk.ui.main_window import MainWindow


def qt_facts() -> dict[str, Any]:
    formats = {bytes(f.data()).decode() for f in QImageWriter.supportedImageFormats()}
    return {
        "qt_platform": QGuiApplication.platformName(),
        "pyside6_version": QtCore.__version__,  # type: ignore[attr-defined]
        "qt_version": QtCore.qVersion(),
        "qt_can_write_png": "png" in formats,
        # Rendering proves the SVG icon engine plugin made it into the build.
        "app_icon_renders": not app_icon().pixmap(32, 32).isNull(),
    }


async def main_window_facts() -> dict[str, Any]:
    """Build the real main window (no connections), show it for one turn of the loop, drop it."""
    context = UiContext.for_desk(Desk.create(), saved_connections=False)
    window = MainWindow(context)
    window.show()
    await asyncio.sleep(0)
    facts = {
        "main_window_created": True,
        "main_window_visible": window.isVisible(),
        "main_window_has_icon": not window.windowIcon().isNull(),
    }
    window.hide()
    window.deleteLater()
    await context.shutdown()
    return facts


async def write_facts(path: Path) -> int:
    """Write the facts as JSON; 0 when every fact could be collected, 1 otherwise."""
    loop = asyncio.get_running_loop()
    facts: dict[str, Any] = {"qasync_loop_ran": type(loop).__module__.startswith("qasync")}
    errors: dict[str, str] = {}
    for name, collect in (("core", smoke.core_facts), ("main_window", main_window_facts)):
        try:
            facts.update(await collect())
        except Exception as exc:  # report every failing fact, not just the first
            errors[name] = f"{type(exc).__name__}: {exc}"
    try:
        facts.update(qt_facts())
    except Exception as exc:
        errors["qt"] = f"{type(exc).__name__}: {exc}"
    facts["ok"] = not errors and facts["qasync_loop_ran"]
    facts["errors"] = errors
    text = json.dumps(facts, indent=2, sort_keys=True)
    await asyncio.get_running_loop().run_in_executor(None, _write, path, text)
    return 0 if facts["ok"] else 1


def _write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
