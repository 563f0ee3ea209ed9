"""ExternalIDs like QWE4R5T6: unique, random-looking, computable from a record's number alone."""

from __future__ import annotations

import random
import string

_U = string.ascii_uppercase
_D = string.digits

# Letter-letter-letter-digit-letter-digit-letter-digit, split as LLL + DLDLD. Tables, because
# generating 100,000 records means computing a few 100,000 IDs.
_LLL = tuple(a + b + c for a in _U for b in _U for c in _U)
_DL = tuple(d + u for d in _D for u in _U)
_HEADS = len(_LLL)
_TAILS = len(_DL) * len(_DL) * len(_D)
SPACE = _HEADS * _TAILS
# Each generated entity owns a block of numbers; records created over the API share the last.
_BLOCK = 100_000_000
_CREATED_BLOCK = 64
_LOW_BITS = 12
_MASK = (1 << _LOW_BITS) - 1


class ExternalIds:
    """Numbers records, then turns numbers into IDs with a seeded bijection of the ID space.

    A bijection never collides, and the ID of the n-th generated account is known without
    generating accounts (contacts can point at it). It is a small Feistel network over the
    head (LLL) and tail (DLDLD) of the ID: each round adds a table-driven function of one half
    to the other, which is invertible whatever the function, and the tables make it non-linear
    so consecutive numbers don't give IDs that visibly count up.
    """

    def __init__(self, seed: int) -> None:
        rng = random.Random(f"{seed}:external-ids")
        low_size, high_size = 1 << _LOW_BITS, _TAILS >> _LOW_BITS
        heads, tails = range(_HEADS), range(_TAILS)
        self._low1, self._low2 = (rng.choices(heads, k=low_size) for _ in "12")
        self._high1, self._high2 = (rng.choices(heads, k=high_size + 1) for _ in "12")
        self._head1, self._head2 = (rng.choices(tails, k=_HEADS) for _ in "12")
        self._created = 0

    def generated(self, block: int, index: int) -> str:
        """The ID of generated record `index` of the entity numbered `block`."""
        if not 0 <= index < _BLOCK or not 0 <= block < _CREATED_BLOCK:
            raise ValueError("record number out of range")
        return self._scramble(block * _BLOCK + index)

    def created(self) -> str:
        """A fresh ID for a record created through the API."""
        number = _CREATED_BLOCK * _BLOCK + self._created
        self._created += 1
        return self._scramble(number)

    def _scramble(self, number: int) -> str:
        head, tail = divmod(number, _TAILS)
        head = (head + self._low1[tail & _MASK] + self._high1[tail >> _LOW_BITS]) % _HEADS
        tail = (tail + self._head1[head]) % _TAILS
        head = (head + self._low2[tail & _MASK] + self._high2[tail >> _LOW_BITS]) % _HEADS
        tail = (tail + self._head2[head]) % _TAILS
        pair, digit = divmod(tail, len(_D))
        left, right = divmod(pair, len(_DL))
        return f"{_LLL[head]}{_DL[left]}{_DL[right]}{_D[digit]}"
