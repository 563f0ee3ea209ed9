"""A pasted curl command read back into the request it sends, secrets removed.

Reads what browsers' "Copy as cURL" and crmdesk's own `as_curl` write: POSIX quoting ('...',
"...", $'...'), line continuations (\\ in shells, ^ in cmd.exe, ` in PowerShell), and the
options that shape a request (-X, -H, -d and its kin, -u, --url, -G, -I, -A, -e, -b, --json).
Options that only change how curl runs (-s, -L, -k, -o ...) are ignored; anything else is a
ValueError naming it, so a command is never half-understood in silence.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from urllib.parse import quote_plus

from crmdesk.api import RawRequest
from crmdesk.history.curl_words import shell_words
from crmdesk.history.imported import ImportRedactor
from crmdesk.history.share import shared_headers


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FLAGS = _names(
    "-s --silent -S --show-error -k --insecure -L --location -v --verbose -i --include "
    "--compressed -g --globoff --http1.0 --http1.1 --http2 --http2-prior-knowledge --http3 "
    "-f --fail --fail-with-body -N --no-buffer -# --progress-bar --raw -4 -6 -n --netrc "
    "-O --remote-name -J --remote-header-name --location-trusted --path-as-is "
    "--no-keepalive --tcp-nodelay -q --disable --ssl-reqd --tr-encoding -Z --parallel"
)
_IGNORED_WITH_VALUE = _names(
    "-o --output -m --max-time --connect-timeout --retry --retry-delay --retry-max-time "
    "-w --write-out -x --proxy -U --proxy-user --cacert --capath -E --cert --key --cert-type "
    "--key-type --resolve --connect-to --limit-rate -c --cookie-jar --interface --max-redirs "
    "-y --speed-time -Y --speed-limit --dns-servers --proxy-header -r --range"
)
_WITH_VALUE = _IGNORED_WITH_VALUE | _names(
    "-X --request -H --header -d --data --data-ascii --data-raw --data-binary "
    "--data-urlencode --json -u --user --url -A --user-agent -e --referer -b --cookie"
)
_REFUSED = {
    "-F": "multipart forms (-F)",
    "--form": "multipart forms (--form)",
    "-T": "uploading a file (-T)",
    "--upload-file": "uploading a file (--upload-file)",
    "-K": "options read from a file (-K)",
    "--config": "options read from a file (--config)",
}
_DATA = _names("-d --data --data-ascii --data-raw --data-binary --data-urlencode")


def parse_curl(text: str) -> RawRequest:
    """The request a curl command sends, with every secret in it replaced by [REDACTED]."""
    words, stdin = shell_words(text)
    if not words or re.sub(r"\.exe$", "", words[0].rsplit("/", 1)[-1].lower()) != "curl":
        raise ValueError("This is not a curl command: it does not start with curl.")
    options = list(_options(words[1:]))
    urls = [value for option, value in options if option in ("--url", "")]
    if len(urls) != 1:
        found = "no URL" if not urls else f"{len(urls)} URLs"
        raise ValueError(f"A curl command for crmdesk sends one request; this one has {found}.")
    url = urls[0] if "://" in urls[0] else "http://" + urls[0]
    method = ""
    headers: list[tuple[str, str]] = []
    data: list[str] = []
    json_data: list[str] = []
    get = head = False
    for option, value in options:
        if option in ("-X", "--request"):
            method = value.upper()
        elif option in ("-H", "--header"):
            _header(headers, value)
        elif option in _DATA:
            data.append(_data(option, value, stdin))
        elif option == "--json":
            json_data.append(_data("--data-binary", value, stdin))
        elif option in ("-u", "--user"):
            pair = value if ":" in value else value + ":"
            credentials = base64.b64encode(pair.encode("utf-8")).decode("ascii")
            _set(headers, "Authorization", f"Basic {credentials}")
        elif option in ("-A", "--user-agent"):
            _set(headers, "User-Agent", value)
        elif option in ("-e", "--referer"):
            _set(headers, "Referer", value)
        elif option in ("-b", "--cookie"):
            if "=" not in value:
                raise ValueError(
                    "This command reads cookies from a file (-b), which crmdesk cannot see."
                )
            _set(headers, "Cookie", value)
        elif option in ("-G", "--get"):
            get = True
        elif option in ("-I", "--head"):
            head = True
    body = "&".join(data) + "".join(json_data)
    if json_data:
        _default(headers, "Content-Type", "application/json")
        _default(headers, "Accept", "application/json")
    elif data and not get:
        _default(headers, "Content-Type", "application/x-www-form-urlencoded")
    if get and body:
        url += ("&" if "?" in url else "?") + body
        body = ""
    method = method or ("HEAD" if head else "GET" if get or not body else "POST")
    # Host, Content-Length and the like are the sender's to set, as they are for curl.
    sent = tuple(shared_headers(headers))
    request = RawRequest(method, url, sent, body.encode("utf-8", "surrogateescape"))
    redactor = ImportRedactor()
    redactor.learn(request.url, request.headers, request.body)
    return redactor.request(request)


def _options(words: list[str]) -> list[tuple[str, str]]:
    """(option, value) pairs in order; a bare word is ("", the word): the URL."""
    found: list[tuple[str, str]] = []
    rest = iter(words)
    for word in rest:
        if word == "--" or not word.startswith("-") or word == "-":
            found.append(("", word))
        elif word.startswith("--"):
            if word in _REFUSED:
                raise ValueError(f"crmdesk cannot import {_REFUSED[word]}.")
            if word in _WITH_VALUE:
                found.append((word, _next(rest, word)))
            elif word in ("--get", "--head") or word in _FLAGS:
                found.append((word, ""))
            else:
                raise ValueError(f"crmdesk does not know the curl option {word}.")
        else:
            found.extend(_short_options(word, rest))
    return [pair for pair in found if pair[0] not in _IGNORED_WITH_VALUE | _FLAGS]


def _short_options(word: str, rest: Iterator[str]) -> list[tuple[str, str]]:
    # Short options can be run together (-sSL) and take their value attached (-XPOST).
    found = []
    for index, letter in enumerate(word[1:], start=1):
        option = "-" + letter
        if option in _REFUSED:
            raise ValueError(f"crmdesk cannot import {_REFUSED[option]}.")
        if option in _WITH_VALUE:
            attached = word[index + 1 :]
            found.append((option, attached or _next(rest, option)))
            break
        if option in ("-G", "-I") or option in _FLAGS:
            found.append((option, ""))
        else:
            raise ValueError(f"crmdesk does not know the curl option {option} (in {word}).")
    return found


def _next(rest: Iterator[str], option: str) -> str:
    value = next(rest, None)
    if value is None:
        raise ValueError(f"The curl option {option} needs a value after it.")
    return value


def _header(headers: list[tuple[str, str]], line: str) -> None:
    if line.startswith("@"):
        raise ValueError(
            "This command reads headers from a file (-H @file), which crmdesk cannot see."
        )
    name, colon, value = line.partition(":")
    name = name.strip()
    if colon:
        if value.strip():
            headers.append((name, value.strip()))
        else:  # "Name:" removes a header curl would send
            headers[:] = [(n, v) for n, v in headers if n.lower() != name.lower()]
    elif name.endswith(";"):  # "Name;" sends it empty
        headers.append((name[:-1].strip(), ""))
    elif name:
        raise ValueError(f"The header {line!r} has no ':' between its name and value.")


def _set(headers: list[tuple[str, str]], name: str, value: str) -> None:
    headers[:] = [(n, v) for n, v in headers if n.lower() != name.lower()]
    headers.append((name, value))


def _default(headers: list[tuple[str, str]], name: str, value: str) -> None:
    if not any(n.lower() == name.lower() for n, _ in headers):
        headers.append((name, value))


def _data(option: str, value: str, stdin: str | None) -> str:
    if option == "--data-raw":
        return value
    if option == "--data-urlencode":
        name, sep, content = value.partition("=")
        if not sep:
            return quote_plus(_read(value, stdin) if value.startswith("@") else value)
        if name.endswith("@"):
            raise ValueError("This command reads a value from a file, which crmdesk cannot see.")
        return f"{name}={quote_plus(content)}" if name else quote_plus(content)
    if value.startswith("@"):
        content = _read(value, stdin)
        # -d drops the line breaks of what it reads; --data-binary keeps them.
        if option == "--data-binary":
            return content
        return content.replace("\r", "").replace("\n", "")
    return value


def _read(reference: str, stdin: str | None) -> str:
    if reference == "@-" and stdin is not None:
        return stdin
    raise ValueError(
        f"This command reads its body from {reference[1:] or 'a file'} ({reference}), which "
        "crmdesk cannot see: paste the body into the command instead."
    )
