"""A pasted shell command split into words the way a shell would, for `parse_curl`.

POSIX quoting ('...', "...", $'...' with its escapes), backslash escapes and continuations,
comments; cmd.exe's ^ escapes and continuations and PowerShell's ` continuations when the
command uses them; and one `printf '...' |` (or `echo`) in front, as `as_curl` writes for a
binary body, whose output becomes curl's standard input. Bytes that are not UTF-8 travel as
surrogate escapes, so a body comes out byte for byte.
"""

from __future__ import annotations

import re

_PIPE = "\0|"  # not a word a shell can produce: NUL cannot appear in a shell word
_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "e": "\x1b",
    "E": "\x1b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
    "'": "'",
    '"': '"',
    "?": "?",
}


_NUMERIC = {"x": ("0-9a-fA-F", 16, 2), "u": ("0-9a-fA-F", 16, 4), "U": ("0-9a-fA-F", 16, 8)}


def shell_words(text: str) -> tuple[list[str], str | None]:
    """The words of the command after any pipe, and the text piped into it (or None)."""
    text = text.replace("\r\n", "\n").strip()
    if re.search(r"\^\n", text) or '^"' in text:
        text = re.sub(r"\^\n", " ", text)  # cmd.exe: ^ at a line's end continues it
        text = re.sub(r"\^(.)", r"\1", text)  # and ^ takes the next character literally
    text = re.sub(r"`\n", " ", text)  # PowerShell's continuation
    words = [_normal(word) for word in _split(text)]
    if _PIPE not in words:
        return words, None
    at = words.index(_PIPE)
    before, after = words[:at], words[at + 1 :]
    if _PIPE in after:
        raise ValueError("Paste one curl command: this one pipes through more than one program.")
    return after, _piped(before)


def _normal(word: str) -> str:
    # \xHH escapes of the bytes of one character join up again into that character.
    if word == _PIPE:
        return word
    return word.encode("utf-8", "surrogateescape").decode("utf-8", "surrogateescape")


def _split(text: str) -> list[str]:
    words: list[str] = []
    word: list[str] | None = None
    i, n = 0, len(text)
    while i < n:
        char = text[i]
        if char in " \t\n":
            if word is not None:
                words.append("".join(word))
                word = None
            i += 1
        elif text.startswith("\\\n", i):  # a continuation: no word of its own
            i += 2
        elif char == "#" and word is None:
            end = text.find("\n", i)
            i = n if end < 0 else end
        elif char in "|;&<>()":
            if word is not None:
                words.append("".join(word))
                word = None
            if char != "|":
                raise ValueError(
                    f"Paste one curl command: {char!r} outside quotes joins it to another."
                )
            words.append(_PIPE)
            i += 1
        else:
            word = word if word is not None else []
            i = _part(text, i, word)
    if word is not None:
        words.append("".join(word))
    return words


def _part(text: str, i: int, word: list[str]) -> int:
    """Read one piece of a word at `i` into `word`; returns where the next piece starts."""
    char = text[i]
    if char == "\\":
        if text.startswith("\n", i + 1):
            return i + 2  # a continuation
        word.append(text[i + 1 : i + 2])
        return i + 2
    if char == "'":
        end = text.find("'", i + 1)
        if end < 0:
            raise ValueError("A quote (') in the command is never closed.")
        word.append(text[i + 1 : end])
        return end + 1
    if char == '"':
        return _double_quoted(text, i + 1, word)
    if char == "$" and text.startswith("'", i + 1):
        return _ansi_c(text, i + 2, word)
    word.append(char)
    return i + 1


def _double_quoted(text: str, i: int, word: list[str]) -> int:
    while i < len(text):
        char = text[i]
        if char == '"':
            return i + 1
        if char == "\\" and i + 1 < len(text) and text[i + 1] in '"\\$`\n':
            if text[i + 1] != "\n":
                word.append(text[i + 1])
            i += 2
            continue
        if char in "$`" and i + 1 < len(text) and (text[i + 1] in "({" or char == "`"):
            raise ValueError("The command computes a value with $(...) or `...`: paste it as text.")
        word.append(char)
        i += 1
    raise ValueError('A quote (") in the command is never closed.')


def _ansi_c(text: str, i: int, word: list[str]) -> int:
    """$'...': bash's quoting with C escapes, which browsers use for unusual characters."""
    while i < len(text):
        char = text[i]
        if char == "'":
            return i + 1
        if char != "\\" or i + 1 >= len(text):
            word.append(char)
            i += 1
            continue
        code = text[i + 1]
        if code in _SIMPLE_ESCAPES:
            word.append(_SIMPLE_ESCAPES[code])
            i += 2
        elif code in "xuU01234567":
            digits, base, limit = _NUMERIC.get(code, ("0-7", 8, 3))
            start = i + 1 if base == 8 else i + 2
            match = re.match(f"[{digits}]{{1,{limit}}}", text[start:])
            if match is None:
                word.append("\\" + code)
                i += 2
                continue
            value = int(match.group(0), base)
            # \x and octal escapes are bytes; \u and \U are characters.
            if code in "uU" or value < 0x80:
                word.append(chr(value))
            else:
                word.append(chr(0xDC00 + (value & 0xFF)))
            i = start + len(match.group(0))
        elif code == "c" and i + 2 < len(text):
            word.append(chr(ord(text[i + 2]) & 0x1F))
            i += 3
        else:
            word.append("\\" + code)
            i += 2
    raise ValueError("A $'...' quote in the command is never closed.")


def _piped(words: list[str]) -> str:
    """What `printf 'format'` or `echo [-n] text` writes, as curl's standard input."""
    if words[:1] == ["printf"] and len(words) == 2:
        return _printf(words[1])
    if words[:1] == ["echo"]:
        if words[1:2] == ["-n"]:
            return " ".join(words[2:])
        return " ".join(words[1:]) + "\n"
    raise ValueError("crmdesk reads a body piped in only from printf 'text' or echo.")


def _printf(format_text: str) -> str:
    out: list[str] = []
    i = 0
    while i < len(format_text):
        char = format_text[i]
        if char == "%":
            if format_text.startswith("%", i + 1):
                out.append("%")
                i += 2
                continue
            raise ValueError("The printf in front of curl formats values: paste the body itself.")
        if char == "\\" and i + 1 < len(format_text):
            octal = re.match(r"[0-7]{1,3}", format_text[i + 1 :])
            if octal:
                value = int(octal.group(0), 8)
                out.append(chr(value) if value < 0x80 else chr(0xDC00 + value))
                i += 1 + len(octal.group(0))
                continue
            code = format_text[i + 1]
            out.append(_SIMPLE_ESCAPES.get(code, "\\" + code))
            i += 2
            continue
        out.append(char)
        i += 1
    return _normal("".join(out))
