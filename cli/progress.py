"""A film's progress (bytes, speed and time left, drawn by tqdm), and an optional cap on the bytes per
second a transfer may use (a workshop's connection is shared; `--max-rate` leaves room for everyone else)."""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from typing import Any, TextIO

from tqdm import tqdm

RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)(?:i?B)?(?:/s)?\s*$")
MULTIPLIERS = {"": 1, "k": 2**10, "m": 2**20}


def parse_rate(text: str) -> float:
    """'500k', '2M', '1.5MB/s' -> bytes per second."""
    match = RATE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate such as 500k or 2M (bytes per second)")
    return float(match.group(1)) * MULTIPLIERS[match.group(2).lower()]


@dataclass
class Batch:
    """The whole workshop's bytes, and how many of them earlier films sent."""

    total: int
    before: int = 0


def say(text: str, stream: TextIO | None = None) -> None:
    """A line of news while bars may be drawn: tqdm writes it above them."""
    for line in text.strip("\n").splitlines():
        tqdm.write(line, file=stream or sys.stdout)


class FileProgress:
    """Told how many of a file's bytes were sent so far: draws the film's bar and the whole workshop's, each
    with its speed and time left (tqdm), and keeps under the rate."""

    def __init__(
        self,
        name: str,
        size: int,
        max_rate: float | None = None,
        batch: Batch | None = None,
        stream: TextIO | None = None,
    ) -> None:
        self.name, self.size, self._max_rate = name, size, max_rate
        self._batch = batch or Batch(size)
        self._stream = stream or sys.stdout
        self._started = time.monotonic()
        self._done = self._paced = 0
        bars: dict[str, Any] = {
            "unit": "B",
            "unit_scale": True,
            "unit_divisor": 1024,
            "file": self._stream,
            "dynamic_ncols": True,
            "mininterval": 0.5,
            "ascii": " #",
        }
        self._all = tqdm(total=self._batch.total, initial=self._batch.before, desc="all films", position=0, **bars)
        self._film = tqdm(total=size, desc=f"  {name}", position=1, leave=False, **bars)

    def at(self, done: int, paced: bool = True) -> None:
        if paced and self._max_rate:
            self._paced += max(done - self._done, 0)
            ahead = self._paced / self._max_rate - (time.monotonic() - self._started)
            if ahead > 0:
                time.sleep(ahead)
        step = done - self._done  # negative when a retry starts the file or part again
        self._done = done
        self._film.update(step)
        self._all.update(step)

    def finished(self) -> None:
        self._film.close()
        self._all.close()
        self._batch.before += self.size
        elapsed = time.monotonic() - self._started
        rate = self.size / max(elapsed, 1e-3) / 2**20
        say(f"  {self.name}: uploaded, {self.size / 2**20:.1f} MiB in {elapsed:.1f} s ({rate:.2f} MiB/s)", self._stream)
