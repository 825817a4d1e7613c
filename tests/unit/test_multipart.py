"""How a large film is cut into parts, and when its parts make the whole film."""

from argparse import ArgumentTypeError

import pytest

from chalicelib.domain.errors import ConflictError, InvalidRequestError
from chalicelib.domain.multipart import (
    MAX_PARTS,
    MIN_PART_BYTES,
    ArrivedPart,
    PartPlan,
    check_whole,
    parse_part_numbers,
)
from cli.progress import parse_rate

MiB = 2**20


@pytest.mark.parametrize(
    ("size", "part_size", "parts"),
    [
        (1, MIN_PART_BYTES, 1),
        (MIN_PART_BYTES, MIN_PART_BYTES, 1),
        (MIN_PART_BYTES + 1, MIN_PART_BYTES, 2),
        (500 * MiB, MIN_PART_BYTES, 63),
        (200_000 * MiB, 20 * MiB, 10_000),
    ],
)
def test_a_film_is_cut_into_equal_parts_of_at_least_8_mib_and_at_most_10000(size, part_size, parts):
    plan = PartPlan.for_size(size)
    assert (plan.part_size, plan.parts_total) == (part_size, parts)
    assert plan.parts_total <= MAX_PARTS
    assert sum(plan.expected_size(n) for n in range(1, parts + 1)) == size


def whole(plan, sizes):
    return [ArrivedPart(n, size, f'"etag{n}"') for n, size in sizes.items()]


def test_the_parts_make_the_film_only_when_each_has_its_planned_size():
    plan = PartPlan(2 * MIN_PART_BYTES + 5, MIN_PART_BYTES)
    parts = check_whole(plan, whole(plan, {3: 5, 1: MIN_PART_BYTES, 2: MIN_PART_BYTES}))
    assert [part.part_number for part in parts] == [1, 2, 3]
    with pytest.raises(ConflictError, match="1 of 3 parts have not arrived: 2") as missing:
        check_whole(plan, whole(plan, {1: MIN_PART_BYTES, 3: 5}))
    assert missing.value.code == "parts_missing"
    with pytest.raises(ConflictError, match="Part 3 does not have the size") as wrong:
        check_whole(plan, whole(plan, {1: MIN_PART_BYTES, 2: MIN_PART_BYTES, 3: 6}))
    assert wrong.value.code == "part_size_mismatch"


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"part_numbers": []},
        {"part_numbers": ["1"]},
        {"part_numbers": [True]},
        {"part_numbers": [0]},
        {"part_numbers": [4]},
        {"part_numbers": list(range(1, 102))},
        [],
    ],
)
def test_part_requests_name_real_parts(body):
    with pytest.raises(InvalidRequestError):
        parse_part_numbers(body, PartPlan(3 * MIN_PART_BYTES, MIN_PART_BYTES))


def test_asked_parts_come_sorted_once():
    assert parse_part_numbers({"part_numbers": [3, 1, 3]}, PartPlan(3 * MIN_PART_BYTES, MIN_PART_BYTES)) == [1, 3]


@pytest.mark.parametrize(
    ("text", "rate"), [("500k", 500_000), ("2M", 2_000_000), ("1.5MB/s", 1_500_000), ("100", 100), ("64kB/s", 64_000)]
)
def test_upload_rates_read_as_people_write_them(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["fast", "0", "-1M", "2G", "500KiB"])
def test_an_unreadable_rate_is_refused(text):
    with pytest.raises(ArgumentTypeError, match="500k or 2M"):
        parse_rate(text)
