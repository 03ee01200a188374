"""Cheap tests that let a rule skip a costly regular expression over a whole text.

A case-insensitive search with many alternatives tries each at every character; most
workflows hold none of the words it needs.  ``may_contain`` looks for the words (lower
case, ASCII) in the folded text first.

Folding keeps every match: under ``re.IGNORECASE`` an ASCII letter of a pattern matches its
two cases and four other characters, ``İ`` and ``ı`` (i), ``ſ`` (s) and the Kelvin sign (k);
``folded`` turns those into their ASCII letters too (``str.lower`` alone makes ``İ`` two
characters and leaves ``ı`` and ``ſ``).
"""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=256)
def folded(text: str) -> str:
    """The text lower-cased, the non-ASCII letters that match an ASCII one made that letter
    (kept for the texts asked about again: a workflow's, its siblings')."""
    if text.isascii():
        return text.lower()
    return text.replace("\u0130", "i").lower().replace("\u0131", "i").replace("\u017f", "s")


def may_contain(text: str, *words: str) -> bool:
    """False only when no case variant of any of the lower-case ``words`` is in ``text`` (a
    word that is not ASCII is assumed to be there: its case variants are not all folded)."""
    low = folded(text)
    return any(word in low or not word.isascii() for word in words)
