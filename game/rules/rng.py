"""The game's only source of chance: a seeded generator split by (seed, turn, purpose).

Python's `random` module may change its algorithms between versions, and a replay
must give the same game byte for byte on any Python, so the generator is our own:
SplitMix64 seeded from SHA-256 of the split key.  Splitting by purpose means a bot
drawing one more number never changes what a leak roll gives.
"""

from __future__ import annotations

import hashlib
import math
import struct
import sys
from array import array
from collections.abc import MutableSequence, Sequence
from typing import TypeVar

T = TypeVar("T")

_MASK = (1 << 64) - 1


class Rng:
    """A small deterministic generator; identical output on every platform and Python version."""

    __slots__ = ("_state",)

    def __init__(self, seed: int, turn: int = 0, purpose: str = "") -> None:
        key = f"backchannel/{seed}/{turn}/{purpose}".encode()
        self._state = int.from_bytes(hashlib.sha256(key).digest()[:8], "big")

    def next_u64(self) -> int:
        """SplitMix64 (Steele, Lea & Flood 2014)."""
        self._state = (self._state + 0x9E3779B97F4A7C15) & _MASK
        z = self._state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def random(self) -> float:
        """A float in [0, 1) with 53 random bits."""
        return (self.next_u64() >> 11) / float(1 << 53)

    def randrange(self, n: int) -> int:
        """An integer in [0, n), without modulo bias."""
        if n <= 0:
            raise ValueError(f"randrange needs a positive bound, not {n}")
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            value = self.next_u64()
            if value < limit:
                return value % n

    def chance(self, probability: float) -> bool:
        """True with the given probability."""
        return self.random() < probability

    def choice(self, items: Sequence[T]) -> T:
        if not items:
            raise ValueError("choice from an empty sequence")
        return items[self.randrange(len(items))]

    def shuffle(self, items: MutableSequence[T]) -> None:
        """Fisher–Yates, in place."""
        for i in range(len(items) - 1, 0, -1):
            j = self.randrange(i + 1)
            items[i], items[j] = items[j], items[i]


def roll_table(seed: int, turn: int, purpose: str, count: int) -> tuple[float, ...]:
    """`count` independent uniform numbers in [0, 1) for (seed, turn, purpose), one per numbered
    item (e.g. one leak roll per agreement number), from SHAKE-256 in one call: item k's roll never
    depends on how many other items there are."""
    scale = 1.0 / float(1 << 53)
    return tuple(
        [(w >> 11) * scale for w in roll_words(seed, turn, purpose, count)]
    )  # a list comprehension: the fastest exact way


def roll_words(seed: int, turn: int, purpose: str, count: int) -> array[int]:
    """The 64-bit words `roll_table`'s numbers are made of (`roll_of` turns one into its number):
    to pick out the few items whose roll can matter (`roll_below`) without making every number.
    The digest's big-endian words, read as an array (unpacking them one by one costs 25x more)."""
    words = array("Q")
    if count > 0:
        key = f"backchannel-table/{seed}/{turn}/{purpose}".encode()
        digest = hashlib.shake_256(key).digest(8 * count)
        if words.itemsize != 8:  # no platform we know of, but the words must stay 64-bit
            return array("Q", struct.unpack(f">{count}Q", digest))
        words.frombytes(digest)
        if sys.byteorder == "little":
            words.byteswap()
    return words


def roll_of(word: int) -> float:
    """The number in [0, 1) that `roll_table` makes of a word: exactly the same float."""
    return (word >> 11) * (1.0 / float(1 << 53))


def roll_below(probability: float) -> int:
    """The word bound of a probability: `word < roll_below(p)` exactly when `roll_of(word) < p`
    (the roll is an integer of 53 bits scaled by 2**-53, which is exact, so is p * 2**53)."""
    if probability <= 0:
        return 0
    return min(math.ceil(probability * float(1 << 53)), 1 << 53) << 11


def split(seed: int, turn: int, purpose: str) -> Rng:
    """The generator for one (seed, turn, purpose)."""
    return Rng(seed, turn, purpose)
