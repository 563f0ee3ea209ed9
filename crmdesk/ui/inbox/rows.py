"""One inbox row as the list shows it: the message and its cells' text, formatted once."""

from __future__ import annotations

import time
from dataclasses import dataclass

from crmdesk.inbox import StoredMessage


@dataclass(frozen=True, slots=True)
class Row:
    """One message and its cells' text, formatted once when it arrives (the tooltip only
    when asked for: few rows are ever hovered)."""

    message: StoredMessage
    texts: tuple[str, str, str, str]


def received_words(at: float, now: float | None = None) -> str:
    """Today's times as 10:42:03; other days with their date (ISO, which never misleads)."""
    moment = time.localtime(at)
    today = time.localtime(time.time() if now is None else now)
    if moment[:3] == today[:3]:
        return time.strftime("%H:%M:%S", moment)
    return time.strftime("%Y-%m-%d %H:%M", moment)


def stamp(at: float) -> str:
    """A moment in full, in local time."""
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(at))


def heard_words(message: StoredMessage) -> str:
    """ "heard 3 times" for a message that came again; "" for one heard once."""
    return f"heard {message.repeat_count + 1:,} times" if message.repeat_count else ""


def row_of(message: StoredMessage) -> Row:
    summary = message.summary.replace("\n", " ")
    heard = heard_words(message)
    if heard:
        summary = f"{summary}  ({heard})"
    texts = (received_words(message.received_at), message.connection_name, message.type, summary)
    return Row(message, texts)


def tip_of(message: StoredMessage) -> str:
    """The whole summary, what and from whom, when and how often it came, read or not."""
    lines = [message.summary, f"{message.type} from {message.connection_name}"]
    lines.append(f"Received {stamp(message.received_at)}")
    heard = heard_words(message)
    if heard:
        lines.append(f"{heard[0].upper()}{heard[1:]}, last at {stamp(message.last_received_at)}")
    lines.append("Unread" if not message.read else "Read")
    return "\n".join(lines)
