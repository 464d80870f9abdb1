"""Words of the command line's messages (English, like the options): a count and its
noun, singular for one. Pure."""

from __future__ import annotations


def counted(n: int, word: str, plural: str = "") -> str:
    """``n`` and ``word``, made plural (``plural``, else with an ``s``) unless ``n`` is 1:
    "1 article parsed", "0 articles", "2 old addresses"."""
    return f"{n} {word if n == 1 else plural or word + 's'}"
