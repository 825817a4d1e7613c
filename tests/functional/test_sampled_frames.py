"""Frames sampled for face detection (media/frames.py, services/face_regions.py): by time, in order, all of them."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import numpy as np
import pytest

from chalicelib.domain.faces import Box
from chalicelib.media.frames import SampledFrames, local_changes
from chalicelib.services.face_regions import (
    DETECTION_INTERVAL_S,
    EXTRA_RUNS_MOST,
    EXTRA_RUNS_PER_S,
    LOCAL_CHANGE,
    QUARTER_TURNS,
    SCENE_CHANGE,
    RunBudget,
    detect_all,
    find_blur_regions,
    looks,
)
from local.clips import generate


def film(folder: Path, rate: float, seconds: float = 3) -> Path:
    return generate(
        folder / f"film-{rate}.mp4",
        *("-f", "lavfi", "-i", f"testsrc=size=160x90:rate={rate}:duration={seconds}"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )


def sampled_by_time(path: Path, scene_change: float | None, changes: list[float] | None = None) -> SampledFrames:
    """The 160x90 test film's frames as protection samples them, by time (and at cuts, with `scene_change`, and
    at `changes` inside a shot)."""
    return SampledFrames(
        str(path),
        width=160,
        height=90,
        max_width=1280,
        timeout_s=60,
        interval_s=DETECTION_INTERVAL_S,
        scene_change=scene_change,
        changes=changes or [],
    )


@pytest.mark.parametrize("rate", [12, 25, 30, 60])
def test_frames_are_sampled_by_time_whatever_the_frame_rate(tmp_path: Path, rate: float) -> None:
    frames = SampledFrames(
        str(film(tmp_path, rate)), width=160, height=90, max_width=1280, timeout_s=60, interval_s=DETECTION_INTERVAL_S
    )
    assert all(frame.shape == (90, 160, 3) for frame in frames)
    gaps = np.diff(frames.times_s)
    assert frames.times_s[0] == 0
    # Never further apart than the interval (the holds depend on it), and not much closer either.
    assert gaps.max() <= DETECTION_INTERVAL_S + 1e-3
    assert gaps.min() >= DETECTION_INTERVAL_S - 1 / rate - 1e-3
    assert frames.times_s[-1] >= 3 - DETECTION_INTERVAL_S - 1 / rate


def test_a_frame_held_on_screen_for_seconds_is_sampled(tmp_path: Path) -> None:
    # Variable frame rate: a phone filming a still scene, or an edited film with a still shot, shows one frame
    # for seconds. Here frames every 0.08 s up to 0.88 s, that one held to 3.0 s, then every 0.08 s again.
    # Sampled by the frames' own spacing, the held frame was skipped (its successor is 2 s away, which the
    # selection cannot see coming): a face on it was shown unblurred for two seconds.
    held = "if(lte(N\\,11)\\,N*0.08\\,3.0+(N-12)*0.08)/TB"
    path = generate(
        tmp_path / "held.mkv",
        *("-f", "lavfi", "-i", "testsrc=size=160x90:rate=12.5:duration=2"),
        *("-vf", f"setpts='{held}'", "-fps_mode", "passthrough", "-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    frames = SampledFrames(
        str(path), width=160, height=90, max_width=1280, timeout_s=60, interval_s=DETECTION_INTERVAL_S
    )
    pictures = list(frames)
    times = np.array(frames.times_s)
    assert len(pictures) == len(times) and times.max() >= 3.5, "the film runs to about 3.9 s"
    assert np.diff(times).max() <= DETECTION_INTERVAL_S + 1e-3, (
        "no moment of the film is further than that from a sample"
    )
    assert ((times > 0.88) & (times < 2.9)).sum() >= 8, "the held frame is looked at while it is on screen"


def test_every_frame_of_a_shot_shorter_than_the_interval_is_sampled_and_the_first_of_every_shot(tmp_path: Path) -> None:
    # A 3-frame shot (frames 31-33 at 30 fps: 1.033 to 1.1 s) between two samples of the interval (1.0, 1.25).
    shot = "testsrc{}=size=160x90:rate=30:duration=2,trim=end_frame={}[{}];"
    shots = shot.format("", 31, "a") + shot.format("2", 3, "b") + shot.format("", 30, "c") + "[a][b][c]concat=n=3"
    path = generate(tmp_path / "cuts.mp4", "-filter_complex", shots, "-c:v", "libx264", "-pix_fmt", "yuv420p")
    short_shot = [31 / 30, 32 / 30, 33 / 30]

    def sampled(scene_change: float | None) -> np.ndarray:
        frames = sampled_by_time(path, scene_change)
        assert len(list(frames)) == len(frames.times_s)
        return np.array(frames.times_s)

    def seen(times: np.ndarray, time_s: float) -> bool:
        return bool((np.abs(times - time_s) < 0.01).any())

    by_time = sampled(None)
    assert not any(seen(by_time, t) for t in short_shot), "the interval alone steps over the short shot"
    times = sampled(SCENE_CHANGE)
    assert all(seen(times, t) for t in short_shot), "each of its frames is sampled"
    assert seen(times, 34 / 30), "the first frame of the shot after it too"
    assert np.diff(times).max() <= DETECTION_INTERVAL_S + 1e-3
    assert len(times) <= len(by_time) + 2 * 8, "no more than the frames of a quarter second after each cut"


def test_a_small_change_inside_a_shot_is_sampled_as_a_cut_where_the_scene_score_misses_it(tmp_path: Path) -> None:
    # A still picture, and a patch 16 px square (2 % of it) on frame 40 only (1.333 s at 30 fps): between two
    # samples of the interval (1.25, 1.5), and far too small a part of the picture for the scene score.
    path = generate(
        tmp_path / "patch.mp4",
        *("-f", "lavfi", "-i", "color=c=0x405a6e:size=160x90:rate=30:duration=2"),
        *("-vf", "drawbox=x=70:y=30:w=16:h=16:color=white:t=fill:enable='eq(n\\,40)'"),
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    changes = local_changes(str(path), width=160, height=90, threshold=LOCAL_CHANGE, timeout_s=60)
    assert np.allclose(changes, [40 / 30, 41 / 30], atol=0.01), "the patch's coming and going, nothing else"

    def sampled(changes: list[float]) -> SampledFrames:
        frames = sampled_by_time(path, SCENE_CHANGE, changes)
        list(frames)
        return frames

    assert not any(abs(t - 40 / 30) < 0.01 for t in sampled([]).times_s), "the scene score does not count it a cut"
    frames = sampled(changes)
    assert any(abs(t - 40 / 30) < 0.01 for t in frames.times_s), "the frame with the patch is sampled"
    assert [frames.changed(t) for t in (40 / 30, 39 / 30, 42 / 30)] == [True, False, False], "and looked at as a cut"


def test_frames_can_still_be_sampled_by_count(tmp_path: Path) -> None:
    frames = SampledFrames(
        str(film(tmp_path, 30)), width=160, height=90, max_width=1280, timeout_s=60, every_n_frames=5
    )
    assert len(list(frames)) == 18
    assert np.allclose(np.diff(frames.times_s), 5 / 30, atol=1e-3)


class SlowOddDetector:
    """Finds a 'face' whose position encodes the frame's index; odd frames take longer, to shuffle finishing order."""

    def __init__(self) -> None:
        self.running = 0
        self.most_at_once = 0
        self._lock = threading.Lock()

    def detect(self, frame: int) -> list[Box]:
        with self._lock:
            self.running += 1
            self.most_at_once = max(self.most_at_once, self.running)
        time.sleep(0.02 if frame % 2 else 0.001)
        with self._lock:
            self.running -= 1
        return [Box(frame, 0, frame + 1, 1)]


def test_frames_detected_several_at_once_come_back_in_order_and_few_are_held() -> None:
    detector = SlowOddDetector()
    read = []

    def frames():
        for index in range(40):
            read.append(index)
            # Never more than the workers' frames plus the one being read are ahead of the results.
            yield index

    results = []
    for boxes in detect_all(detector.detect, frames(), workers=3):
        results.append(boxes[0].x1)
        assert len(read) - len(results) <= 3
    assert results == list(range(40))
    assert detector.most_at_once > 1


def test_a_detector_failure_stops_detection_with_that_error(tmp_path: Path) -> None:
    class Broken:
        def detect(self, frame: object) -> list[Box]:
            raise RuntimeError("model failed")

    with pytest.raises(RuntimeError, match="model failed"):
        find_blur_regions(
            str(film(tmp_path, 12)), Broken(), width=160, height=90, duration_s=3, timeout_s=60, workers=2
        )


class CountingDetector:
    """Finds nothing and counts its runs (each look: upright, and each quarter turn)."""

    def __init__(self) -> None:
        self.runs = 0
        self._lock = threading.Lock()

    def detect(self, frame: object) -> list[Box]:
        with self._lock:
            self.runs += 1
        return []


def cut_every(folder: Path, frames: int, seconds: float) -> Path:
    """60 fps, cut every `frames` frames between two pictures (a test pattern and a flat colour)."""
    return generate(
        folder / f"cut-every-{frames}.mp4",
        "-filter_complex",
        f"testsrc=size=160x90:rate=60:duration={seconds}[a];color=c=0x405a6e:size=160x90:rate=60:duration={seconds}[b];"
        f"[a][b]overlay=enable='gte(mod(n\\,{2 * frames})\\,{frames})'",
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )


def test_a_film_cut_every_few_frames_costs_a_bounded_number_of_model_runs(tmp_path: Path) -> None:
    # Every frame of it follows a cut by less than the interval: looked at on every frame, 62 s at 60 fps
    # was over 4,000 model runs. The interval's looks (upright and turned, 12 a second) and the budget's.
    seconds = 4
    detector = CountingDetector()
    find_blur_regions(
        str(cut_every(tmp_path, 3, seconds)), detector, width=160, height=90, duration_s=seconds, timeout_s=60
    )
    interval_runs = (seconds / DETECTION_INTERVAL_S + 1) * (1 + len(QUARTER_TURNS))
    assert detector.runs <= interval_runs + seconds * EXTRA_RUNS_PER_S + EXTRA_RUNS_MOST


def test_after_an_isolated_cut_every_frame_for_the_interval_is_looked_at_upright_and_the_cut_turned_too(
    tmp_path: Path,
) -> None:
    path = generate(
        tmp_path / "one-cut.mp4",
        "-filter_complex",
        "testsrc=size=160x90:rate=60:duration=2[a];testsrc2=size=160x90:rate=60:duration=2[b];"
        "[a][b]overlay=enable='gte(t\\,1.1)'",
        *("-c:v", "libx264", "-pix_fmt", "yuv420p"),
    )
    frames = sampled_by_time(path, SCENE_CHANGE)
    budget = RunBudget(EXTRA_RUNS_PER_S, EXTRA_RUNS_MOST)
    chosen = list(
        looks(frames, DETECTION_INTERVAL_S, turns=len(QUARTER_TURNS), scene_change=SCENE_CHANGE, budget=budget)
    )
    looked = {round(time_s * 60): item for time_s, item in zip(frames.times_s, chosen, strict=True)}
    cut = round(1.1 * 60)
    assert looked[cut].upright and looked[cut].turned
    after = range(cut, cut + round(DETECTION_INTERVAL_S * 60))
    assert all(index in looked and looked[index].upright for index in after)
