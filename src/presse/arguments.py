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


def port(text: str) -> int:
    """``--port`` values: a TCP port, 0 meaning any free one."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a port number') from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"port {value} is out of range (0 to 65535)")
    return value


def jobs(text: str) -> int:
    """``--jobs`` values: a number of worker processes, at least 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{text}" is not a whole number') from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} workers: at least 1 is needed")
    return value
