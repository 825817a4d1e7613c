"""The duplicate matcher on hash sequences and on small grey frames (domain/fingerprint.py)."""

import math
import random

from chalicelib.domain.fingerprint import (
    CLOSE_BITS,
    FRAME_SIZE,
    MIN_COMPARED,
    MIN_SHARE,
    NO_HASH,
    SAMPLES_PER_S,
    Duplicate,
    Fingerprint,
    Same,
    duplicates_among,
    frame_hash,
    likeness,
    same_as,
    stored_duplicates,
)

FILM_SAMPLES = 60 * SAMPLES_PER_S


def film(seed, samples=FILM_SAMPLES):
    draw = random.Random(seed)
    return [(1 << 63) | draw.getrandbits(63) for _ in range(samples)]


def noisy(hashes, bits, seed=0):
    """Each hash with `bits` of its 63 bits flipped: what a re-encode or a blur does to a frame's hash."""
    draw = random.Random(seed)
    return [h ^ sum(1 << b for b in draw.sample(range(63), bits)) if h != NO_HASH else h for h in hashes]


def print_of(hashes, content="a" * 64):
    return Fingerprint.made(content, hashes)


def test_a_film_is_the_same_as_itself_and_as_a_copy_with_a_few_bits_changed_in_every_frame():
    original = film(1)
    assert likeness(original, original) == 1.0
    assert likeness(original, noisy(original, CLOSE_BITS)) == 1.0


def test_a_copy_trimmed_by_a_second_at_either_end_matches():
    original = film(2)
    cut = SAMPLES_PER_S
    assert likeness(original, noisy(original[cut:], 6)) == 1.0
    assert likeness(noisy(original[:-cut], 6), original) == 1.0


def test_a_copy_trimmed_further_than_the_alignment_reaches_does_not_match():
    original = film(3)
    assert likeness(original, original[2 * SAMPLES_PER_S :]) < MIN_SHARE


def test_distinct_films_do_not_match():
    assert likeness(film(4), film(5)) < 0.05


def test_the_same_scenes_in_another_order_do_not_match():
    scenes = [film(10 + n, 10 * SAMPLES_PER_S) for n in range(6)]
    first = [h for scene in scenes for h in scene]
    second = [h for scene in (scenes[1], scenes[0], scenes[3], scenes[2], scenes[5], scenes[4]) for h in scene]
    assert likeness(first, second) < MIN_SHARE


def test_the_same_scene_at_another_pace_does_not_match():
    original = film(6)
    slower = [original[math.floor(i / 1.25)] for i in range(len(original))]
    assert likeness(original, slower) < MIN_SHARE


def test_frames_with_nothing_in_them_are_not_compared():
    black = [NO_HASH] * FILM_SAMPLES
    assert likeness(black, black) == 0.0
    # Two films that share only black frames and a few seconds of picture: too little to say.
    few = film(7, MIN_COMPARED - 1)
    assert likeness(few + black, few + black) == 0.0


def test_the_same_bytes_are_the_same_file_and_another_file_of_the_same_picture_the_same_picture():
    original = film(8)
    assert same_as(print_of(original), print_of(film(9))) is Same.FILE
    assert same_as(print_of(original), print_of(noisy(original, 8), "b" * 64)) is Same.PICTURE
    assert same_as(print_of(original), print_of(film(9), "b" * 64)) is None


def test_a_fingerprint_reads_back_from_its_stored_form():
    hashes = [NO_HASH, *film(11, 20)]
    stored = print_of(hashes)
    assert Fingerprint.of({"content": stored.content, "picture": stored.picture}).hashes == tuple(hashes)
    # Compact: 8 bytes a sample, about 1.3 KB of base64 for a one-minute film.
    assert len(print_of(film(12)).picture) <= 1300


def test_duplicates_name_each_matching_film_once():
    original = film(13)
    others = [("b", print_of(noisy(original, 5), "b")), ("c", print_of(film(14), "c")), ("b", print_of(original))]
    assert duplicates_among(print_of(original, "a"), others) == [Duplicate("b", Same.PICTURE)]


def test_a_film_recorded_as_both_kinds_of_duplicate_reads_as_the_same_file():
    assert stored_duplicates(["y:picture", "x:picture", "x:file"]) == (
        Duplicate("x", Same.FILE),
        Duplicate("y", Same.PICTURE),
    )


def frame(pixel):
    return bytes(max(0, min(255, round(pixel(x, y)))) for y in range(FRAME_SIZE) for x in range(FRAME_SIZE))


_WAVES = [(random.Random(n).uniform(-0.6, 0.6), random.Random(-n).uniform(-0.6, 0.6), n) for n in range(1, 16)]


def scene(x, y):
    """A picture with detail at many scales, as a photograph has."""
    return 128 + sum(12 * math.sin(fx * x + fy * y + phase) for fx, fy, phase in _WAVES)


def test_a_flat_frame_has_no_hash():
    assert frame_hash(frame(lambda x, y: 16)) == NO_HASH
    assert frame_hash(frame(lambda x, y: 16 + (x + y) % 3)) == NO_HASH


def test_a_frame_keeps_its_hash_through_brightness_contrast_and_blur_and_loses_it_for_another_picture():
    hashed = frame_hash(frame(scene))
    brighter = frame_hash(frame(lambda x, y: 0.9 * scene(x, y) + 20))
    blurred = frame_hash(frame(lambda x, y: sum(scene(x + dx, y + dy) for dx in (-1, 0, 1) for dy in (-1, 0, 1)) / 9))
    other = frame_hash(frame(lambda x, y: 128 + 60 * math.cos(x / 3 + y / 4)))
    assert (hashed ^ brighter).bit_count() <= 4
    assert (hashed ^ blurred).bit_count() <= CLOSE_BITS
    assert (hashed ^ other).bit_count() > CLOSE_BITS
