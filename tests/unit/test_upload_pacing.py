"""`omjr upload --max-rate`: a workshop's shared connection never sees more than the rate, even after the
command spent time before sending (checking the film, signing a part) or between parts."""

from __future__ import annotations

import io

import pytest

from cli import progress
from cli.progress import FileProgress

RATE = 1000.0  # bytes per second


class Clock:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept = 0.0

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept += seconds
        self.now += seconds


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(progress.time, "monotonic", fake.monotonic)
    monkeypatch.setattr(progress.time, "sleep", fake.sleep)
    return fake


def test_time_spent_before_the_first_byte_is_not_made_up_by_a_burst(clock: Clock) -> None:
    film = FileProgress("film.mp4", 10_000, max_rate=RATE, stream=io.StringIO())
    clock.now += 30  # the check of the film and the first signing took half a minute
    film.at(5_000)
    assert clock.slept == pytest.approx(5.0), "5000 bytes at 1000 B/s take 5 s, whatever came before"


def test_a_pause_between_parts_earns_at_most_a_second_of_credit(clock: Clock) -> None:
    film = FileProgress("film.mp4", 20_000, max_rate=RATE, stream=io.StringIO())
    film.at(5_000)
    clock.now += 60  # a retry's wait
    before = clock.slept
    film.at(10_000)
    film.at(15_000)
    assert clock.slept - before == pytest.approx(9.0), "10 s of bytes, less the second of credit"
