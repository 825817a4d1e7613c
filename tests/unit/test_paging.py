"""The `limit` of every listing route: a whole number within the listing's bounds, its default when not sent."""

from __future__ import annotations

import pytest

from chalicelib.domain.errors import InvalidRequestError
from chalicelib.domain.paging import parse_limit


@pytest.mark.parametrize(("value", "limit"), [(None, 20), ("1", 1), ("100", 100), ("007", 7)])
def test_a_limit_within_bounds_or_the_default(value, limit):
    assert parse_limit(value, 20, 100) == limit


# "\uff15": a fullwidth 5, which str.isdigit() takes for a digit.
@pytest.mark.parametrize("value", ["0", "101", "-1", "ten", "1.5", "", " 5", "\uff15", "1e2"])
def test_anything_else_is_refused_with_the_bounds(value):
    with pytest.raises(InvalidRequestError, match="from 1 to 100") as refused:
        parse_limit(value, 20, 100)
    assert refused.value.code == "invalid_limit"
