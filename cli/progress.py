"""A file's progress line, and an optional cap on the bytes per second a transfer may use (a workshop's
connection is shared; `--max-rate` leaves room for everyone else)."""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)(?:i?B)?(?:/s)?\s*$")
MULTIPLIERS = {"": 1, "k": 2**10, "m": 2**20}


def parse_rate(text: str) -> float:
    """'500k', '2M', '1.5MB/s' -> bytes per second."""
    match = RATE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate such as 500k or 2M (bytes per second)")
    return float(match.group(1)) * MULTIPLIERS[match.group(2).lower()]


BAR_WIDTH = 20


def bar(fraction: float) -> str:
    filled = round(BAR_WIDTH * min(max(fraction, 0.0), 1.0))
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


@dataclass
class Batch:
    """The whole workshop's bytes, and how many of them earlier films sent."""

    total: int
    before: int = 0


class FileProgress:
    """Told how many of a file's bytes were sent so far; draws the file's bar and the batch's, and
    keeps under the rate."""

    def __init__(self, name: str, size: int, out: Callable[[str], None], max_rate: float | None = None,
                 batch: Batch | None = None) -> None:  # fmt: skip
        self.name, self.size, self._out, self._max_rate = name, size, out, max_rate
        self._batch = batch or Batch(size)
        self._started = time.monotonic()
        self._done = self._paced = 0
        self._shown = -1

    def at(self, done: int, paced: bool = True) -> None:
        if paced and self._max_rate:
            self._paced += max(done - self._done, 0)
            ahead = self._paced / self._max_rate - (time.monotonic() - self._started)
            if ahead > 0:
                time.sleep(ahead)
        self._done = done
        percent = done * 100 // max(self.size, 1)
        if percent != self._shown:
            self._shown = percent
            batch = (self._batch.before + done) / max(self._batch.total, 1)
            self._out(f"\r  {self.name} {bar(done / max(self.size, 1))} {percent:3d}% of {self.size / 2**20:.1f} MiB"
                      f"   all films {bar(batch)} {batch:4.0%}")  # fmt: skip

    def finished(self) -> None:
        self._batch.before += self.size
        self._out(f"\r  {self.name}: uploaded in {time.monotonic() - self._started:.1f} s{' ' * 70}\n")
