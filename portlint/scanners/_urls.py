"""Find ``scheme://`` URLs in linear time.

A URL pattern starting with ``[A-Za-z][A-Za-z0-9+.-]*://`` and run with
``finditer`` reads a long word from every position in it before it learns
there is no ``://``: a 100 KB token in a ``.env`` cost 51 s, a megabyte over
15 minutes. The regular expression still decides what a URL is, but it is only
tried where one can start: at the first letter of the scheme characters
before each ``://``, found with ``str.find``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
SCHEME_CHARS = LETTERS | frozenset("0123456789+.-")


def url_matches(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` gives, for a pattern that starts with a scheme and ``://``.

    A match's scheme ends right before some ``://`` (scheme characters hold
    no ``:`` or ``/``), and every start inside one run of scheme characters
    meets the same ``://`` and the same rest, so the first letter of the run
    is the only start worth trying. Runs before different ``://`` never
    overlap, so each character is read a bounded number of times.
    """
    pos = 0  # where finditer would resume
    find = text.find("://", pos)
    while find >= 0:
        start = find
        while start > pos and text[start - 1] in SCHEME_CHARS:
            start -= 1
        while start < find and text[start] not in LETTERS:
            start += 1
        match = pattern.match(text, start) if start < find else None
        if match is not None:
            yield match
            pos = max(match.end(), match.start() + 1)
            find = text.find("://", pos)
        else:
            find = text.find("://", find + 1)
