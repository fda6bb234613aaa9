"""Port intervals for the collision rules, so a range costs the same as one port.

A repository can write ``"1-65535:1-65535"`` in thousands of services. Rules
that stored every port of every range spent minutes and gigabytes on a file
of a few kilobytes, so the range rules keep intervals instead. Ports are
bounded (0-65535), which lets a segment tree answer "which claims cover this
port" in a few steps, whatever the ranges and however many claims there are.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

TOP_PORT = 65535


def tree_size(top: int) -> int:
    """The leaf count of a tree that holds ports 0..``top`` (a power of two)."""
    size = 1
    while size <= top:
        size <<= 1
    return size


def span_nodes(size: int, lo: int, hi: int) -> list[int]:
    """The nodes of a segment tree of ``size`` leaves that exactly cover ``lo..hi``."""
    out = []
    left, right = lo + size, hi + size + 1
    while left < right:
        if left & 1:
            out.append(left)
            left += 1
        if right & 1:
            right -= 1
            out.append(right)
        left >>= 1
        right >>= 1
    return out


def path_nodes(size: int, port: int) -> list[int]:
    """The nodes from the leaf of ``port`` to the root: the ones whose span holds it."""
    if not 0 <= port < size:
        return []
    out = []
    node = port + size
    while node:
        out.append(node)
        node >>= 1
    return out


class PortTree(Generic[T]):
    """Items on inclusive port intervals, added in their rank order.

    ``covering(p)`` gives the items whose interval holds ``p`` as at most 18
    lists, each in rank order; ``starting(lo, hi)`` gives the items whose
    interval starts in ``lo..hi``, by start then rank. An item is stored in at
    most 2·17 tree nodes and once by its start: memory grows with the number
    of items, never with the length of their ranges.
    """

    __slots__ = ("_by_start", "_nodes", "_size", "_starts")

    def __init__(self, size: int) -> None:
        self._size = size
        self._nodes: dict[int, list[T]] = {}
        self._starts: list[int] = []
        self._by_start: dict[int, list[T]] = {}

    def add(self, lo: int, hi: int, item: T) -> None:
        for node in span_nodes(self._size, lo, hi):
            self._nodes.setdefault(node, []).append(item)
        bucket = self._by_start.get(lo)
        if bucket is None:
            insort(self._starts, lo)
            self._by_start[lo] = [item]
        else:
            bucket.append(item)

    def covering(self, port: int) -> list[list[T]]:
        if not 0 <= port < self._size:
            return []
        return [found for node in path_nodes(self._size, port) if (found := self._nodes.get(node))]

    def starting(self, lo: int, hi: int) -> Iterator[tuple[int, T]]:
        starts = self._starts
        i = bisect_left(starts, lo)
        while i < len(starts) and starts[i] <= hi:
            start = starts[i]
            for item in self._by_start[start]:
                yield start, item
            i += 1


def merged(lists: Iterable[Iterable[T]], key: object) -> Iterator[T]:
    """Sorted streams merged lazily (a thin wrapper that keeps mypy quiet)."""
    return heapq.merge(*lists, key=key)  # type: ignore[call-overload, no-any-return]


class IntervalSet:
    """A union of inclusive port intervals, kept merged."""

    __slots__ = ("his", "los")

    def __init__(self) -> None:
        self.los: list[int] = []
        self.his: list[int] = []

    def add(self, lo: int, hi: int) -> None:
        i = bisect_left(self.his, lo - 1)  # first interval touching or after lo
        j = bisect_right(self.los, hi + 1)  # first interval wholly after hi
        if i < j:
            lo = min(lo, self.los[i])
            hi = max(hi, self.his[j - 1])
        self.los[i:j] = [lo]
        self.his[i:j] = [hi]

    def containing(self, port: int) -> tuple[int, int] | None:
        i = bisect_right(self.los, port) - 1
        if i >= 0 and self.his[i] >= port:
            return self.los[i], self.his[i]
        return None

    def gaps(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """The parts of ``lo..hi`` outside the set, in order."""
        out = []
        i = bisect_left(self.his, lo)
        cur = lo
        while cur <= hi:
            if i < len(self.los) and self.los[i] <= cur:
                cur = self.his[i] + 1
                i += 1
                continue
            end = min(hi, self.los[i] - 1) if i < len(self.los) else hi
            out.append((cur, end))
            cur = end + 1
        return out


class FirstMap(Generic[T]):
    """Each port mapped to the first value that asked for it (``dict.setdefault`` per port)."""

    __slots__ = ("his", "los", "values")

    def __init__(self) -> None:
        self.los: list[int] = []
        self.his: list[int] = []
        self.values: list[T] = []

    def get(self, port: int) -> T | None:
        i = bisect_right(self.los, port) - 1
        if i >= 0 and self.his[i] >= port:
            return self.values[i]
        return None

    def next_set(self, port: int) -> int | None:
        """The smallest port at or after ``port`` that has a value."""
        i = bisect_left(self.his, port)
        if i == len(self.his):
            return None
        return max(port, self.los[i])

    def fill(self, lo: int, hi: int, value: T) -> None:
        """Give ``value`` to every port of ``lo..hi`` that has none yet."""
        i = bisect_left(self.his, lo)
        j = i
        cur = lo
        los: list[int] = []
        his: list[int] = []
        values: list[T] = []
        while cur <= hi:
            if j < len(self.los) and self.los[j] <= cur:
                los.append(self.los[j])
                his.append(self.his[j])
                values.append(self.values[j])
                cur = self.his[j] + 1
                j += 1
                continue
            end = min(hi, self.los[j] - 1) if j < len(self.los) else hi
            los.append(cur)
            his.append(end)
            values.append(value)
            cur = end + 1
        self.los[i:j] = los
        self.his[i:j] = his
        self.values[i:j] = values
