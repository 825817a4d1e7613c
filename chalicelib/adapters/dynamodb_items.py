"""DynamoDB's wire format, and the one way every conditional update of the table is written.

Values go in as plain Python (dataclasses, enums, tuples and floats included) and come out as
plain Python (whole numbers as int). `Update` names every attribute and value through
placeholders, so no field name can collide with a reserved word or break an expression.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, is_dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()


def to_item(data: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _serializer.serialize(_to_dynamo(value)) for key, value in data.items()}


def from_item(item: Mapping[str, Any]) -> dict[str, Any]:
    return {key: _from_dynamo(_deserializer.deserialize(value)) for key, value in item.items()}


def conditionally_updated(client: Any, update: Update) -> bool:
    """Runs `update`; False when its condition refused it."""
    try:
        client.update_item(**update.build())
    except ClientError as error:
        if is_condition_failure(error):
            return False
        raise
    return True


def is_condition_failure(error: Any, code: str = "ConditionalCheckFailedException") -> bool:
    """A refused condition (or, with `TransactionCanceledException`, a cancelled transaction)."""
    return bool(error.response["Error"]["Code"] == code)


class Update:
    """One conditional UpdateItem, for `update_item(**update.build())` or a transaction's `Update`."""

    def __init__(self, table_name: str, key: Mapping[str, Any]) -> None:
        self._table_name = table_name
        self._key = key
        self._names: dict[str, str] = {}
        self._values: dict[str, Any] = {}
        self._sets: list[str] = []
        self._removes: list[str] = []
        self._adds: list[str] = []
        self._conditions: list[str] = []

    def set(self, fields: Mapping[str, Any]) -> Update:
        self._sets += [f"{self._name(name)} = {self._value(value)}" for name, value in fields.items()]
        return self

    def append(self, name: str, items: list[Any]) -> Update:
        """Items added at the end of a list attribute, which starts empty when missing."""
        field = self._name(name)
        self._sets.append(f"{field} = list_append(if_not_exists({field}, {self._value([])}), {self._value(items)})")
        return self

    def increment(self, name: str, by: int = 1) -> Update:
        """A number moved on by `by`, counted from zero when missing (inside SET, unlike `add`)."""
        field = self._name(name)
        self._sets.append(f"{field} = if_not_exists({field}, {self._value(0)}) + {self._value(by)}")
        return self

    def add(self, name: str, delta: int | frozenset[str]) -> Update:
        """A number moved on by `delta`, or strings put into a string set (either starts empty when missing)."""
        self._adds.append(f"{self._name(name)} {self._value(delta)}")
        return self

    def remove(self, names: Iterable[str]) -> Update:
        self._removes += [self._name(name) for name in names]
        return self

    def require_one_of(self, name: str, values: Iterable[Any]) -> Update:
        choices = ", ".join(self._value(value) for value in sorted(values))
        self._conditions.append(f"{self._name(name)} IN ({choices})")
        return self

    def require_exists(self, name: str) -> Update:
        self._conditions.append(f"attribute_exists({self._name(name)})")
        return self

    def require_absent(self, name: str) -> Update:
        self._conditions.append(f"attribute_not_exists({self._name(name)})")
        return self

    def require_version(self, name: str, version: int) -> Update:
        """The item is still at `version` (a missing attribute counts as version 0), and moves on by one."""
        field, expected, zero = self._name(name), self._value(version), self._value(0)
        self._conditions.append(f"((attribute_not_exists({field}) AND {expected} = {zero}) OR {field} = {expected})")
        return self.increment(name)

    def build(self) -> dict[str, Any]:
        clauses = [
            f"{verb} {', '.join(parts)}"
            for verb, parts in (("SET", self._sets), ("REMOVE", self._removes), ("ADD", self._adds))
            if parts
        ]
        update: dict[str, Any] = {
            "TableName": self._table_name,
            "Key": to_item(self._key),
            "UpdateExpression": " ".join(clauses),
            "ExpressionAttributeNames": dict(self._names),
        }
        if self._values:
            update["ExpressionAttributeValues"] = to_item(self._values)
        if self._conditions:
            update["ConditionExpression"] = " AND ".join(self._conditions)
        return update

    def _name(self, name: str) -> str:
        placeholder = next((p for p, known in self._names.items() if known == name), None)
        if placeholder is None:
            placeholder = f"#n{len(self._names)}"
            self._names[placeholder] = name
        return placeholder

    def _value(self, value: Any) -> str:
        placeholder = f":v{len(self._values)}"
        self._values[placeholder] = value
        return placeholder


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if is_dataclass(value) and not isinstance(value, type):
        return _to_dynamo(asdict(value))
    if isinstance(value, float):
        return Decimal(str(value))
    if isinstance(value, Mapping):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, Mapping):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_from_dynamo(v) for v in value]
    return value
