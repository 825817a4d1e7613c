"""The local stack's AWS keeps the promises production code relies on: concurrent conditional
DynamoDB transactions are isolated, so exactly one of several racing editors wins."""

from __future__ import annotations

import threading
import uuid

from botocore.exceptions import ClientError

from tests.e2e.conftest import RunningStack, aws

RACERS = 8
ROUNDS = 12


def test_racing_conditional_transactions_let_exactly_one_commit(running_stack: RunningStack):
    def client():
        return aws(running_stack, "dynamodb")

    table = f"isolation-{uuid.uuid4().hex[:8]}"
    client().create_table(
        TableName=table,
        BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
    )
    clients = [client() for _ in range(RACERS)]
    outcomes = []
    for round_number in range(ROUNDS):
        pk = {"S": f"FILM#{round_number}"}
        clients[0].put_item(TableName=table, Item={"pk": pk, "sk": {"S": "FILM"}, "version": {"N": "0"}})
        start, winners = threading.Barrier(RACERS), []

        def race(n: int, pk=pk, start=start, winners=winners) -> None:
            # What an editor's change is: the film if still the version read, plus its listing entry.
            bump = {
                "TableName": table,
                "Key": {"pk": pk, "sk": {"S": "FILM"}},
                "UpdateExpression": "SET version = :one",
                "ConditionExpression": "version = :zero",
                "ExpressionAttributeValues": {":one": {"N": "1"}, ":zero": {"N": "0"}},
            }
            entry = {"TableName": table, "Item": {"pk": pk, "sk": {"S": f"LIST#{n}"}}}
            start.wait(timeout=30)
            try:
                clients[n].transact_write_items(TransactItems=[{"Update": bump}, {"Put": entry}])
                winners.append(n)
            except ClientError as error:
                assert error.response["Error"]["Code"] == "TransactionCanceledException"

        threads = [threading.Thread(target=race, args=(n,)) for n in range(RACERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        items = clients[0].query(
            TableName=table, KeyConditionExpression="pk = :pk", ExpressionAttributeValues={":pk": pk}
        )["Items"]
        entries = sorted(item["sk"]["S"] for item in items if item["sk"]["S"].startswith("LIST#"))
        outcomes.append((len(winners), entries == [f"LIST#{n}" for n in winners]))
    client().delete_table(TableName=table)
    assert outcomes == [(1, True)] * ROUNDS
