"""The uploads bucket's part in the retention of raw uploads (chalicelib/domain/retention.py): the
expiry rule that finishes a deletion S3 failed, the index the sweep reads, and who may delete."""

from __future__ import annotations

from chalicelib.adapters.film_items import DUE_INDEX, DUE_KEYS
from chalicelib.adapters.s3_store import DISCARD_TAG
from chalicelib.domain.object_keys import UPLOADS_PREFIX
from infra.template import load_template

RESOURCES = load_template()["Resources"]


def rules() -> dict[str, dict]:
    return {rule["Id"]: rule for rule in RESOURCES["UploadsBucket"]["Properties"]["LifecycleConfiguration"]["Rules"]}


def test_a_source_marked_for_discarding_expires_even_if_its_delete_failed():
    rule = rules()["expire-discarded"]
    assert rule == {
        "Id": "expire-discarded",
        "Status": "Enabled",
        "Prefix": UPLOADS_PREFIX,
        "TagFilters": [DISCARD_TAG],  # the very tag S3Store.discard writes before it deletes
        "ExpirationInDays": 1,
    }


def test_no_rule_expires_an_untagged_upload():
    # The protected master and the source of a film awaiting an editor live beside the discarded
    # ones: only the tag the code writes may expire anything.
    expiring = [rule for rule in rules().values() if "ExpirationInDays" in rule or "Expiration" in rule]
    assert [rule["Id"] for rule in expiring] == ["expire-discarded"]
    for rule in expiring:
        assert rule.get("TagFilters"), rule["Id"]


def test_the_catalog_has_the_sparse_index_of_sources_due():
    table = RESOURCES["CatalogTable"]["Properties"]
    [index] = [i for i in table["GlobalSecondaryIndexes"] if i["IndexName"] == DUE_INDEX]
    assert [key["AttributeName"] for key in index["KeySchema"]] == list(DUE_KEYS)
    assert index["Projection"] == {"ProjectionType": "KEYS_ONLY"}
    defined = {a["AttributeName"] for a in table["AttributeDefinitions"]}
    assert set(DUE_KEYS) <= defined


def _grants(role: str, action: str) -> list:
    statements = RESOURCES[role]["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
    found = []
    for statement in statements:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        if action in actions:
            found += statement["Resource"] if isinstance(statement["Resource"], list) else [statement["Resource"]]
    return found


def test_the_sweep_deletes_only_films_objects_and_marks_only_uploads_and_films_and_reads_the_index():
    uploads = {"Fn::Sub": "${UploadsBucket.Arn}/uploads/*"}
    films, staging = {"Fn::Sub": "${MediaBucket.Arn}/films/*"}, {"Fn::Sub": "${MediaBucket.Arn}/staging/*"}
    # Sources past retention, and what an unfinished takedown left (services/takedown.py).
    assert _grants("SweepStuckFilmsRole", "s3:DeleteObject") == [uploads, films, staging]
    # Sources marked for the expiry rule; the media of a film whose tagging failed after its publish.
    assert _grants("SweepStuckFilmsRole", "s3:PutObjectTagging") == [uploads, films]
    assert {"Fn::Sub": "${CatalogTable.Arn}/index/gsi4"} in _grants("SweepStuckFilmsRole", "dynamodb:Query")
    # Publishing a protected film marks its source before deleting it.
    assert uploads in _grants("ApiHandlerRole", "s3:PutObjectTagging")


def test_the_validation_function_may_delete_the_uploads_no_film_keeps():
    # services/validate.py deletes a raw file that arrives for a taken-down or expired film, or after its
    # film's source was deleted (a second POST to a presigned URL still in its window). Without the grant
    # S3 refuses in production (moto does not check IAM), the message ends in the dead-letter queue and
    # the child's raw video stays in the bucket with nothing to delete it.
    assert _grants("ValidateUploadRole", "s3:DeleteObject") == [{"Fn::Sub": "${UploadsBucket.Arn}/uploads/*"}]
    # It looks for the upload a file replaced (a missing key is its case to handle): S3 answers such a look 404,
    # not 403, only to a role that may list the bucket.
    assert _grants("ValidateUploadRole", "s3:ListBucket") == [{"Fn::GetAtt": ["UploadsBucket", "Arn"]}]
