"""An exchange's request as a command to paste into a ticket: curl, HTTPie or PowerShell.

The command sends the request exactly as it was recorded (method, URL, headers and body),
secrets included as `[REDACTED]`: there is no way to ask for them. A note above the command
says when the reader has to put their own secret in, or when only the start of the body was
kept. Headers the tool sets for itself (Host, Content-Length, hop-by-hop ones) are left out,
and so is Accept-Encoding, so the reply comes back readable.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence

from crmdesk.api import REDACTED, Exchange, RawRequest, size_text

Headers = Sequence[tuple[str, str]]

_TOOL_HEADERS = frozenset(
    {
        "host",
        "content-length",
        "connection",
        "keep-alive",
        "proxy-connection",
        "transfer-encoding",
        "te",
        "trailer",
        "upgrade",
        "accept-encoding",
    }
)


def request_of(source: Exchange | RawRequest) -> RawRequest:
    """The request of an exchange as it went on the wire (redacted), or a RawRequest as it is."""
    if isinstance(source, RawRequest):
        return source
    return RawRequest(source.method, source.url, source.request_headers, source.request_body)


def replay_request(source: Exchange | RawRequest) -> RawRequest:
    """The request to send again: as recorded (secrets redacted, for the connection to sign
    again), without the headers its sender sets itself, which an edited body would make
    wrong (Content-Length) or which name another host (Host)."""
    request = request_of(source)
    headers = tuple(shared_headers(request.headers))
    return RawRequest(request.method, request.url, headers, request.body)


def shared_headers(headers: Headers) -> list[tuple[str, str]]:
    """The headers a command passes on: all but the ones the tool sets itself."""
    return [(name, value) for name, value in headers if name.lower() not in _TOOL_HEADERS]


def notes_for(source: Exchange | RawRequest, comment: str = "#") -> list[str]:
    request = request_of(source)
    notes = []
    texts = [request.url, request.body.decode("utf-8", "replace")]
    if any(REDACTED in text for text in (*texts, *(v for _, v in request.headers))):
        notes.append(f"{comment} Secrets are shown as {REDACTED}: put your own in to run this.")
    if isinstance(source, Exchange) and source.request_truncated:
        kept, size = size_text(len(source.request_body)), size_text(source.request_size)
        notes.append(
            f"{comment} Only the first {kept} of the {size} body were kept; this sends those."
        )
    return notes


# -- curl ------------------------------------------------------------------------------


def as_curl(source: Exchange | RawRequest) -> str:
    """A curl command for POSIX shells (bash, zsh; Git Bash and WSL on Windows)."""
    request = request_of(source)
    parts = [f"curl {sh_quote(request.url)}"]
    if any(mark in request.url for mark in "[]{}"):
        parts.append("--globoff")  # else curl reads [REDACTED] in a URL as a range to expand
    method, body = request.method.upper(), request.body
    if method == "HEAD":
        parts.append("--head")
    elif not ((method == "GET" and not body) or (method == "POST" and body)):
        parts.append(f"-X {sh_word(method)}")
    headers = shared_headers(request.headers)
    for name, value in headers:
        parts.append(f"-H {sh_quote(f'{name}: {value}' if value else f'{name};')}")
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        parts.append("-H 'Content-Type:'")  # curl would otherwise add a form content type
    if any(name.lower() == "accept-encoding" for name, _ in request.headers):
        parts.append("--compressed")
    pipe = ""
    if body:
        text = shell_text(body)
        if text is None:
            pipe = f"printf {printf_format(body)} | "
            parts.append("--data-binary @-")
        else:
            parts.append(f"--data-raw {sh_quote(text)}")
    command = pipe + " \\\n  ".join(parts)
    return "\n".join([*notes_for(source), command])


def sh_quote(text: str) -> str:
    """POSIX shell single quotes: everything literal, a quote written as '\\''."""
    return "'" + text.replace("'", "'\\''") + "'"


def sh_word(text: str) -> str:
    """A word as it is when the shell would read it so (PUT), else single-quoted."""
    return text if _PLAIN_WORD.fullmatch(text) else sh_quote(text)


_PLAIN_WORD = re.compile(r"[A-Za-z0-9_.,:/@%+=-]+")


def shell_text(body: bytes) -> str | None:
    """The body as a shell argument, or None when it cannot be one (not UTF-8, or a NUL)."""
    if b"\x00" in body:
        return None
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return None


def printf_format(body: bytes) -> str:
    """A quoted printf format that writes exactly `body`, NULs and all."""
    out = []
    for byte in body:
        char = chr(byte)
        if char == "%":
            out.append("%%")
        elif char == "\\":
            out.append("\\\\")
        elif 32 <= byte < 127 and char != "'":
            out.append(char)
        else:
            out.append(f"\\{byte:03o}")
    return "'" + "".join(out) + "'"


# -- HTTPie ----------------------------------------------------------------------------


def as_httpie(source: Exchange | RawRequest) -> str:
    """An HTTPie 3 command (`http`) for POSIX shells."""
    request = request_of(source)
    parts = [f"http {sh_word(request.method.upper())} {sh_quote(request.url)}"]
    headers = shared_headers(request.headers)
    for name, value in headers:
        # A value starting with "=" would make "name:=value" a JSON field: escape it.
        shown = "\\" + value if value[:1] in ("=", "@") else value
        parts.append(sh_quote(f"{name}:{shown}" if value else f"{name};"))
    body = request.body
    if body and not any(name.lower() == "content-type" for name, _ in headers):
        parts.append(sh_quote("Content-Type:"))  # HTTPie would otherwise say JSON
    pipe = ""
    if body:
        text = shell_text(body)
        if text is None:
            pipe = f"printf {printf_format(body)} | "
        else:
            parts.insert(1, f"--raw {sh_quote(text)}")
    command = pipe + " \\\n  ".join(parts)
    return "\n".join([*notes_for(source), command])


# -- PowerShell --------------------------------------------------------------------------

# Invoke-WebRequest takes these as parameters of their own; Windows PowerShell 5.1 refuses
# them in -Headers.
_PS_PARAMETERS = {"content-type": "ContentType", "user-agent": "UserAgent"}
_PS_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "TRACE", "OPTIONS", "PATCH"})


def as_powershell(source: Exchange | RawRequest) -> str:
    """An Invoke-WebRequest command for Windows PowerShell 5.1 and PowerShell 7."""
    request = request_of(source)
    method = request.method.upper()
    fields: list[tuple[str, str]] = [("Uri", ps_quote(request.url))]
    if method in _PS_METHODS:
        fields.append(("Method", ps_quote(method)))
    else:  # PowerShell 7 only
        fields.append(("CustomMethod", ps_quote(method)))
    merged: dict[str, tuple[str, str]] = {}
    for name, value in shared_headers(request.headers):
        key = name.lower()
        if key in _PS_PARAMETERS:
            fields.append((_PS_PARAMETERS[key], ps_quote(value)))
        elif key in merged:  # a hashtable holds one value a name: join them as HTTP does
            merged[key] = (merged[key][0], f"{merged[key][1]}, {value}")
        else:
            merged[key] = (name, value)
    if merged:
        lines = "".join(
            f"        {ps_quote(name)} = {ps_quote(value)}\n" for name, value in merged.values()
        )
        fields.append(("Headers", "@{\n" + lines + "    }"))
    if request.body:
        fields.append(("Body", ps_body(request.body)))
    width = max(len(name) for name, _ in fields)
    body = "".join(f"    {name:<{width}} = {value}\n" for name, value in fields)
    command = "$request = @{\n" + body + "}\nInvoke-WebRequest @request -UseBasicParsing"
    return "\n".join([*notes_for(source), command])


def ps_quote(text: str) -> str:
    """PowerShell single quotes: literal, with ' (and the typographic quotes PowerShell also
    takes as quotes) doubled."""
    for quote in ("'", "\u2018", "\u2019", "\u201a", "\u201b"):
        text = text.replace(quote, quote * 2)
    return "'" + text + "'"


def ps_body(body: bytes) -> str:
    # A string body is sent in ISO-8859-1 by Windows PowerShell 5.1 unless the content type
    # names a charset: anything beyond ASCII goes as the exact bytes instead.
    text = shell_text(body)
    if text is not None and text.isascii():
        return ps_quote(text)
    if text is not None:
        return f"([System.Text.Encoding]::UTF8.GetBytes({ps_quote(text)}))"
    return f"([Convert]::FromBase64String('{base64.b64encode(body).decode('ascii')}'))"
