"""moto's DynamoDB at benchmark sizes: write items straight into its table, and let a Query go through
the queried partition only.

moto (5.2.5) answers every Query by sorting all the table's items and then testing each (half a
million at 50,000 films in the combined form: seconds per call), and a write measures the item's size
again for each of its attributes. Neither changes what a call returns: here the items are put into
moto's table object directly, and a Query, on the table or an index, is handed the items whose
partition key is the one asked for, which moto then sorts, pages, filters and counts exactly as it
would have. The calls made and the items they read (`ScannedCount`) are moto's own; only the time they
take is not (at 1,000 films every figure is the same with and without).

Only for benchmarks whose tables stop changing once seeded: the partitions are read once, and made
again whenever the table's number of items changes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from moto.core import DEFAULT_ACCOUNT_ID
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.table import Table


def moto_table(name: str, region: str) -> Table:
    """The table object behind moto's `mock_aws`."""
    table: Table = dynamodb_backends[DEFAULT_ACCOUNT_ID][region].get_table(name)
    return table


def put(table: Table, item: dict[str, Any], shared: dict[str, DynamoType] | None = None) -> Item:
    """An item put into moto's table as its PutItem stores it, without its checks (key types, item
    size: moto measures the whole item again for each attribute it sets, the most of a seed's time).
    The benchmark's items are the adapter's own, well within DynamoDB's limits. `shared` gives
    attributes already in moto's form, equal to the item's own (read, never changed: a Query copies)."""
    stored = Item.__new__(Item)
    stored.hash_key = DynamoType(item[table.hash_key_attr])
    stored.range_key = DynamoType(item[table.range_key_attr])
    attrs = {name: (shared or {}).get(name) or DynamoType(value) for name, value in item.items()}
    # dict.update does not call LimitedSizeDict.__setitem__, the check that measures.
    stored.attrs = LimitedSizeDict(attrs)
    table.items[stored.hash_key][stored.range_key] = stored
    return stored


@contextmanager
def partitioned_queries() -> Iterator[None]:
    """While inside, a Query with one partition key reads that partition instead of the whole table."""
    original_query, original_all_items = Table.query, Table.all_items
    narrowed: dict[int, list[Item]] = {}
    partitions: dict[tuple[int, str], tuple[int, dict[str, list[Item]]]] = {}

    def all_items(self: Table) -> list[Item]:
        return narrowed.get(id(self)) or original_all_items(self)

    def query(self: Table, *args: Any, **kwargs: Any) -> Any:
        # moto keeps of all_items() those with the partition key asked for, on the table or an index:
        # handing it that partition alone leaves it the same items to sort, page, filter and count.
        conditions = kwargs.get("hash_key_conditions") or []
        if len(conditions) != 1:
            return original_query(self, *args, **kwargs)
        attribute, value = conditions[0]
        size = sum(len(by_range) for by_range in self.items.values())
        made = partitions.get((id(self), attribute))
        if made is None or made[0] != size:
            made = (size, _partitions(original_all_items(self), attribute))
            partitions[(id(self), attribute)] = made
        # An empty partition: a list holding nothing that matches, so moto still finds nothing.
        narrowed[id(self)] = made[1].get(str(value.value)) or [_NOTHING]
        try:
            return original_query(self, *args, **kwargs)
        finally:
            del narrowed[id(self)]

    Table.query, Table.all_items = query, all_items  # type: ignore[method-assign]
    try:
        yield
    finally:
        Table.query, Table.all_items = original_query, original_all_items  # type: ignore[method-assign]


def _partitions(items: list[Item], attribute: str) -> dict[str, list[Item]]:
    by_value: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        value = item.attrs.get(attribute)
        if value is not None:
            by_value[str(value.value)].append(item)
    return by_value


_NOTHING: Any = object()
