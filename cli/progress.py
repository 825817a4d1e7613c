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

RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKmM]?)B?(?:/s)?\s*$")
# Decimal units, as a connection's speed is sold and as the bars show it: 500k is 500,000 bytes per second.
MULTIPLIERS = {"": 1, "k": 1000, "m": 1000 * 1000}
# The most a pause may let a transfer run ahead of its rate, in seconds of that rate.
BURST_S = 1.0


def parse_rate(text: str) -> float:
    """'500k', '2M', '1.5MB/s' -> bytes per second."""
    match = RATE.match(text)
    if not match or float(match.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a rate such as 500k or 2M (bytes per second)")
    return float(match.group(1)) * MULTIPLIERS[match.group(2).lower()]


def rate_text(bytes_per_second: float) -> str:
    """500000 -> '500 kB/s', 1500000 -> '1.5 MB/s': the units --max-rate is read in."""
    for unit, size in (("MB/s", 1e6), ("kB/s", 1e3)):
        if bytes_per_second >= size:
            return f"{bytes_per_second / size:.1f}".removesuffix(".0") + f" {unit}"
    return f"{bytes_per_second:.0f} B/s"


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
        self._pace_start: float | None = None
        self._done = self._paced = 0
        bars: dict[str, Any] = {
            "unit": "B",
            "unit_scale": True,
            "unit_divisor": 1000,
            "file": self._stream,
            "dynamic_ncols": True,
            "mininterval": 0.5,
            "ascii": " #",
        }
        self._all = tqdm(total=self._batch.total, initial=self._batch.before, desc="all films", position=0, **bars)
        self._film = tqdm(total=size, desc=f"  {name}", position=1, leave=False, **bars)

    def at(self, done: int, paced: bool = True) -> None:
        if paced and self._max_rate:
            self._pace(max(done - self._done, 0), self._max_rate)
        step = done - self._done  # negative when a retry starts the file or part again
        self._done = done
        self._film.update(step)
        self._all.update(step)

    def _pace(self, sent: int, max_rate: float) -> None:
        """Sleep as long as the bytes sent so far are ahead of the rate. The clock starts at the first byte,
        and a pause (signing a part, a retry's wait) earns at most BURST_S of credit: the time spent
        before or between sending is never made up by a burst on the workshop's shared connection."""
        now = time.monotonic()
        if self._pace_start is None:
            self._pace_start = now
        if self._paced / max_rate - (now - self._pace_start) < -BURST_S:  # behind after a pause: forget most of it
            self._pace_start = now - self._paced / max_rate - BURST_S
        self._paced += sent
        ahead = self._paced / max_rate - (now - self._pace_start)
        if ahead > 0:
            time.sleep(ahead)

    def finished(self) -> None:
        self._film.close()
        self._all.close()
        self._batch.before += self.size
        elapsed = time.monotonic() - self._started
        rate = rate_text(self.size / max(elapsed, 1e-3))
        say(f"  {self.name}: uploaded, {self.size / 1e6:.1f} MB in {elapsed:.1f} s ({rate})", self._stream)
