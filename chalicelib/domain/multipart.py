"""A large film sent in parts: how it is cut, which parts are asked for, and when it is whole.

S3's multipart upload lets a field office on a poor connection send a film in parts, each to its own
presigned URL, and continue after an interruption with only the parts that have not arrived. The
server cuts the film: every part is `part_size` bytes but the last, so the parts that arrived tell
exactly how many bytes the film has, and the film is completed only when they add up to the size
the office declared (which the upload limit was checked against).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from chalicelib.domain.errors import ConflictError, InvalidRequestError

MiB = 2**20
# Our parts are 8 MiB, or larger for a film that would otherwise need more than 10,000 of them
# (S3's limit; S3 also wants every part but the last to have 5 MiB at least).
MIN_PART_BYTES = 8 * MiB
MAX_PARTS = 10_000
# Part URLs are handed out in batches: a client asks again for the next ones.
MAX_URLS_PER_REQUEST = 100


@dataclass(frozen=True)
class PartPlan:
    size_bytes: int
    part_size: int

    @classmethod
    def for_size(cls, size_bytes: int) -> PartPlan:
        needed = -(-size_bytes // MAX_PARTS)
        return cls(size_bytes, max(MIN_PART_BYTES, -(-needed // MiB) * MiB))

    @property
    def parts_total(self) -> int:
        return max(1, -(-self.size_bytes // self.part_size))

    def expected_size(self, part_number: int) -> int:
        if part_number < self.parts_total:
            return self.part_size
        return self.size_bytes - self.part_size * (self.parts_total - 1)


@dataclass(frozen=True)
class ArrivedPart:
    part_number: int
    size_bytes: int
    etag: str


def parse_multipart_flag(body: Any) -> bool:
    value = body.get("multipart", False) if isinstance(body, Mapping) else False
    if not isinstance(value, bool):
        raise InvalidRequestError("multipart must be true or false.", "invalid_multipart")
    return value


def parse_part_numbers(body: Any, plan: PartPlan) -> list[int]:
    """The parts a client asks URLs for: 1..parts_total, at most MAX_URLS_PER_REQUEST at once."""
    numbers = body.get("part_numbers") if isinstance(body, Mapping) else None
    if not isinstance(numbers, list) or not numbers or not all(type(n) is int for n in numbers):
        raise InvalidRequestError("part_numbers must be a list of part numbers, such as [1, 2, 3].", "invalid_parts")
    if len(numbers) > MAX_URLS_PER_REQUEST:
        raise InvalidRequestError(f"Ask for at most {MAX_URLS_PER_REQUEST} parts at once.", "invalid_parts")
    outside = sorted({n for n in numbers if not 1 <= n <= plan.parts_total})
    if outside:
        raise InvalidRequestError(
            f"This film has parts 1 to {plan.parts_total}; there is no part {_numbers(outside)}.", "invalid_parts"
        )
    return sorted(set(numbers))


def check_whole(plan: PartPlan, arrived: Iterable[ArrivedPart]) -> list[ArrivedPart]:
    """The parts to complete the film with, in order; ConflictError naming what is missing or wrong."""
    by_number = {part.part_number: part for part in arrived}
    missing = [n for n in range(1, plan.parts_total + 1) if n not in by_number]
    if missing:
        raise ConflictError(
            f"{len(missing)} of {plan.parts_total} parts have not arrived: {_numbers(missing)}. "
            "Send them, then complete the upload.",
            "parts_missing",
        )
    wrong = [n for n in range(1, plan.parts_total + 1) if by_number[n].size_bytes != plan.expected_size(n)]
    if wrong:
        raise ConflictError(
            f"Part {_numbers(wrong)} does not have the size this upload was cut into "
            f"({plan.part_size} bytes a part, {plan.size_bytes} bytes in all); send it again.",
            "part_size_mismatch",
        )
    return [by_number[n] for n in range(1, plan.parts_total + 1)]


def _numbers(numbers: list[int], shown: int = 10) -> str:
    text = ", ".join(str(n) for n in numbers[:shown])
    return text + (f" and {len(numbers) - shown} more" if len(numbers) > shown else "")
