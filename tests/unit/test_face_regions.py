"""Where and when to blur, from faces found on sampled frames (domain/faces.py)."""

from __future__ import annotations

import numpy as np

from chalicelib.domain.faces import HOLD_S, MARGIN, Box, Sample, blur_regions, sample_times, unturned

W, H = 640, 360


def covering(regions, time_s: float, face: Box) -> bool:
    return any(r.start_s <= time_s <= r.end_s and r.box.contains(face) for r in regions)


def test_a_face_is_held_from_the_sample_before_to_the_sample_after() -> None:
    face = Box(100, 100, 140, 150)
    regions = blur_regions([Sample(0.0, ()), Sample(0.5, (face,)), Sample(1.0, ())], 1.5, W, H)
    assert all(covering(regions, t, face.grown(MARGIN)) for t in (0.0, 0.25, 0.5, 0.75, 1.0))


def test_a_face_is_held_no_longer_than_hold_s_past_its_last_detection() -> None:
    face = Box(100, 100, 140, 150)
    samples = [Sample(t / 4, (face,) if t == 2 else ()) for t in range(40)]
    regions = blur_regions(samples, 10.0, W, H)
    assert min(r.start_s for r in regions) >= 0.5 - HOLD_S
    assert max(r.end_s for r in regions) <= 0.5 + HOLD_S


def test_a_face_moving_between_samples_stays_inside_the_regions_on_every_frame_between() -> None:
    start, end = Box(100, 100, 140, 150), Box(180, 120, 220, 170)
    regions = blur_regions([Sample(0.0, (start,)), Sample(0.2, (end,))], 0.3, W, H)
    for step in range(11):  # where the face is at each time in between, moving in a straight line
        k = step / 10
        moving = Box(*(a + (b - a) * k for a, b in zip((100, 100, 140, 150), (180, 120, 220, 170), strict=True)))
        assert covering(regions, 0.2 * k, moving)


def test_faces_on_the_first_and_last_samples_are_held_to_the_start_and_end_of_the_film() -> None:
    face = Box(10, 10, 50, 60)
    regions = blur_regions([Sample(0.5, (face,)), Sample(1.0, (face,))], 2.0, W, H)
    assert covering(regions, 0.0, face)
    assert covering(regions, 2.0, face)


def test_a_face_seen_on_one_sample_only_gets_a_wider_margin() -> None:
    once = blur_regions([Sample(0.0, ()), Sample(0.1, (Box(300, 100, 340, 150),)), Sample(0.2, ())], 1.0, W, H)
    twice = blur_regions([Sample(0.0, (Box(300, 100, 340, 150),)), Sample(0.1, (Box(300, 100, 340, 150),))], 1.0, W, H)
    assert min(r.box.width for r in once if r.start_s <= 0.05 <= r.end_s) > min(
        r.box.width for r in twice if r.start_s <= 0.05 <= r.end_s
    )


def test_two_faces_far_apart_are_not_merged_into_one_region() -> None:
    left, right = Box(10, 10, 50, 60), Box(500, 10, 540, 60)
    regions = blur_regions([Sample(0.0, (left, right)), Sample(0.1, (left, right))], 0.2, W, H)
    assert all(r.box.width < 200 for r in regions)


def test_regions_stay_inside_the_picture() -> None:
    regions = blur_regions([Sample(0.0, (Box(-20, -10, 30, 40), Box(620, 330, 660, 380)))], 1.0, W, H)
    assert all(r.box.x1 >= 0 and r.box.y1 >= 0 and r.box.x2 <= W and r.box.y2 <= H for r in regions)


def test_no_face_no_region() -> None:
    assert blur_regions([Sample(0.0, ()), Sample(1.0, ())], 2.0, W, H) == []


def test_sample_times_cover_every_nth_frame_and_the_last() -> None:
    assert sample_times(1.0, 10, 3) == [0.0, 0.3, 0.6, 0.9]
    assert sample_times(1.0, 10, 4)[-1] == 0.9


def test_a_face_still_moving_after_the_last_sample_stays_covered_to_the_end_of_the_film() -> None:
    # A small face drifting 60 px/s, sampled every 0.25 s; the film goes on 0.2 s after the last sample.
    def face_at(t: float) -> Box:
        return Box(300 + 60 * t, 200, 312 + 60 * t, 216)

    samples = [Sample(t, (face_at(t),)) for t in (0.0, 0.25, 0.5)]
    regions = blur_regions(samples, 0.7, W, H)
    for step in range(8):
        t = round(0.1 * step, 6)
        assert covering(regions, t, face_at(t)), f"bare at {t:.1f} s"


def test_a_face_moving_before_the_first_sample_stays_covered_from_the_start_of_the_film() -> None:
    def face_at(t: float) -> Box:
        return Box(300, 200 + 60 * t, 312, 216 + 60 * t)

    samples = [Sample(t, (face_at(t),)) for t in (0.2, 0.45)]
    regions = blur_regions(samples, 0.5, W, H)
    for step in range(5):
        t = round(0.1 * step, 6)
        assert covering(regions, t, face_at(t)), f"bare at {t:.1f} s"


def test_a_box_found_on_the_turned_picture_lands_on_the_same_pixels_of_the_picture() -> None:
    picture = np.zeros((H, W), dtype=np.uint8)
    picture[100:150, 300:340] = 1  # a face 40 wide, 50 tall, at x 300-340, y 100-150
    for turns in range(4):
        turned = np.rot90(picture, turns)
        rows, cols = np.nonzero(turned)
        found = Box(cols.min(), rows.min(), cols.max() + 1, rows.max() + 1)
        assert unturned(found, turns, W, H) == Box(300, 100, 340, 150)


def drifting(t: float) -> Box:
    """A small face drifting right 20 px/s."""
    return Box(300 + 20 * t, 200, 325 + 20 * t, 225)


def test_a_face_the_detector_missed_on_samples_between_two_detections_stays_covered_between_them() -> None:
    # Found at 0 s and 0.75 s, missed at 0.25 s and 0.5 s (a hard face: small, dark, lying), sampled every 0.25 s.
    seen = {0.0, 0.75}
    samples = [Sample(t, (drifting(t),) if t in seen else ()) for t in (0.0, 0.25, 0.5, 0.75)]
    regions = blur_regions(samples, 1.0, W, H)
    for step in range(31):
        t = step / 30
        assert covering(regions, t, drifting(t)), f"bare at {t:.3f} s"


def test_a_face_first_found_after_the_start_of_its_shot_is_covered_before_it_following_its_motion() -> None:
    # Missed on the first three samples, found from 0.75 s on.
    samples = [Sample(k / 4, (drifting(k / 4),) if k >= 3 else ()) for k in range(12)]
    regions = blur_regions(samples, 3.0, W, H)
    for step in range(0, 90):
        t = step / 30
        assert covering(regions, t, drifting(t)), f"bare at {t:.3f} s"


def test_a_face_last_found_before_the_end_of_the_film_is_covered_after_it() -> None:
    samples = [Sample(k / 4, (drifting(k / 4),) if k <= 8 else ()) for k in range(12)]
    regions = blur_regions(samples, 3.0, W, H)
    for step in range(61, 91):
        t = step / 30
        assert covering(regions, t, drifting(t)), f"bare at {t:.3f} s"


def test_faces_are_not_linked_across_more_than_the_longest_gap() -> None:
    face = Box(100, 100, 140, 150)
    samples = [Sample(k / 4, (face,) if k in {0, 40} else ()) for k in range(41)]
    regions = blur_regions(samples, 10.0, W, H)
    assert not any(r.start_s <= 5.0 <= r.end_s for r in regions)


def test_a_still_face_seen_on_every_sample_is_one_region() -> None:
    face = Box(100, 100, 140, 150)
    regions = blur_regions([Sample(k / 4, (face,)) for k in range(240)], 60.0, W, H)
    assert len(regions) == 1
    assert (regions[0].start_s, regions[0].end_s) == (0.0, 60.0)
