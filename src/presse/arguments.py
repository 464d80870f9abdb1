"""Argument types shared by the ``presse`` subcommands."""

from __future__ import annotations

import argparse
from datetime import datetime


def iso_datetime(text: str) -> datetime:
    """``--now`` values: an ISO 8601 date-time with its UTC offset (no guessing a zone)."""
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not an ISO 8601 date-time') from None
    if value.tzinfo is None:
        raise argparse.ArgumentTypeError(f'"{text}" needs a UTC offset, e.g. {text}+01:00')
    return value
