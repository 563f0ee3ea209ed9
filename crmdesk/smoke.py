"""Facts about this build that need no window and no network, for `crmdesk --smoke-test`.

The packaged app runs this on every build: it proves the pieces a frozen bundle tends to lose
(TLS certificates, keyring backends, package metadata) are really there.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import importlib.util
import platform
import ssl
import sys
from pathlib import Path
from typing import Any

from crmdesk import __version__

PACKAGES = ("httpx", "aiohttp", "keyring", "platformdirs", "qasync", "PySide6-Essentials")
_KEYRING_BACKENDS = (
    "keyring.backends.Windows",
    "keyring.backends.macOS",
    "keyring.backends.SecretService",
)


def versions() -> dict[str, str]:
    found = {"python": platform.python_version(), "crmdesk": __version__}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = "missing"
    return found


def keyring_facts() -> dict[str, Any]:
    import keyring
    import keyring.core

    backend = keyring.get_keyring()
    modules = {}
    for name in _KEYRING_BACKENDS:
        try:
            importlib.import_module(name)
            modules[name] = "importable"
        except Exception as exc:  # a frozen build may lack any of them: report which
            modules[name] = f"{type(exc).__name__}: {exc}"
    return {
        "keyring_backend": f"{type(backend).__module__}.{type(backend).__qualname__}",
        "keyring_recommended": bool(keyring.core.recommended(backend)),
        "keyring_backend_modules": modules,
        # The macOS backend swallows a failed import of its ctypes bindings, and they only
        # import on macOS: elsewhere, check that they were bundled at all.
        "keyring_macos_api_found": importlib.util.find_spec("keyring.backends.macOS.api")
        is not None,
    }


async def tls_facts() -> dict[str, Any]:
    """Build an httpx client with certificate verification on, as every connection does."""
    import httpx

    async with httpx.AsyncClient(verify=True) as client:
        transport = client._transport  # the pool holds the SSL context httpx built
        context = getattr(getattr(transport, "_pool", None), "_ssl_context", None)
        verifying = isinstance(context, ssl.SSLContext) and context.verify_mode == ssl.CERT_REQUIRED
        certs = context.cert_store_stats().get("x509_ca", 0) if context else 0
    return {
        "tls_client_built": True,
        "tls_verify": verifying,
        "tls_ca_certificates": certs,
        **_ca_file_facts(),
    }


def _ca_file_facts() -> dict[str, Any]:
    """Where httpx's CA file is; a frozen build must read the copy inside its own bundle."""
    import certifi

    ca_file = Path(certifi.where()).resolve()
    bundle: str | None = getattr(sys, "_MEIPASS", None)
    in_bundle = bundle is not None and ca_file.is_relative_to(Path(bundle).resolve())
    return {"tls_ca_file": str(ca_file), "tls_ca_file_in_bundle": in_bundle}


async def sandbox_facts() -> dict[str, Any]:
    """Start the sandbox on loopback and stop it again."""
    from crmdesk.sandbox import Sandbox

    async with Sandbox(records_per_entity=10) as sandbox:
        urls = [endpoint.base_url for endpoint in sandbox.endpoints]
    return {"sandbox_started": bool(urls), "sandbox_urls": urls}


async def core_facts() -> dict[str, Any]:
    facts: dict[str, Any] = {
        "versions": versions(),
        "platform": f"{platform.system()} {platform.release()} {platform.machine()}",
        "frozen": bool(getattr(sys, "frozen", False)),
        "event_loop": type(asyncio.get_running_loop()).__name__,
    }
    facts.update(keyring_facts())
    facts.update(await tls_facts())
    facts.update(await sandbox_facts())
    return facts
