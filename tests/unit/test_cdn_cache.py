"""Emptying CloudFront's cache of a film: asked for, and never the reason an unpublish fails."""

import boto3
from botocore.stub import ANY, Stubber

from chalicelib.adapters.cdn_cache import CdnCache
from chalicelib.observability import metrics


def stubbed_cloudfront():
    client = boto3.session.Session().client(
        "cloudfront", region_name="us-east-1", aws_access_key_id="x", aws_secret_access_key="x"
    )
    return client, Stubber(client)


def test_a_films_media_are_invalidated_with_one_wildcard_path():
    client, stubber = stubbed_cloudfront()
    expected = {
        "DistributionId": "E2MEDIA",
        "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/films/abc/*"]}, "CallerReference": ANY},
    }
    stubber.add_response(
        "create_invalidation",
        {
            "Location": "x",
            "Invalidation": {
                "Id": "I1",
                "Status": "InProgress",
                "CreateTime": "2026-11-26T00:00:00Z",
                "InvalidationBatch": {"Paths": {"Quantity": 1, "Items": ["/films/abc/*"]}, "CallerReference": "r"},
            },
        },
        expected,
    )
    with stubber:
        CdnCache(client, "E2MEDIA").invalidate("/films/abc/*")
    stubber.assert_no_pending_responses()


def test_too_many_invalidations_in_progress_is_logged_not_raised(caplog):
    client, stubber = stubbed_cloudfront()
    stubber.add_client_error("create_invalidation", "TooManyInvalidationsInProgress", http_status_code=400)
    metrics.clear_metrics()
    with stubber:
        CdnCache(client, "E2MEDIA").invalidate("/films/abc/*")  # the unpublish goes on
    assert [(record.levelname, record.getMessage(), record.error) for record in caplog.records] == [
        ("ERROR", "the CDN's cache could not be emptied", "TooManyInvalidationsInProgress")
    ]
    assert metrics.metric_set["CacheInvalidationsFailed"]["Value"] == [1.0]
    metrics.clear_metrics()


def test_without_a_distribution_there_is_nothing_to_empty():
    client, stubber = stubbed_cloudfront()
    with stubber:  # any call to CloudFront would fail: the stubber expects none
        CdnCache(client, "").invalidate("/films/abc/*")
        CdnCache(None, "E2MEDIA").invalidate("/films/abc/*")
    stubber.assert_no_pending_responses()
