"""What the website needs from the infrastructure: browser uploads to the uploads bucket, and media
(subtitles, storyboard) that pages on another origin may read."""

from __future__ import annotations

from infra.template import load_template
from local.resources import s3_cors_rule

TEMPLATE = load_template()
RESOURCES = TEMPLATE["Resources"]
MANAGED_SIMPLE_CORS = "60669652-455b-4ae9-85a4-c4c02393f86c"


def test_browsers_may_post_and_put_uploads_from_the_website_origin():
    [rule] = RESOURCES["UploadsBucket"]["Properties"]["CorsConfiguration"]["CorsRules"]
    assert sorted(rule["AllowedMethods"]) == ["POST", "PUT"]
    assert rule["AllowedOrigins"] == [{"Ref": "WebsiteOrigin"}]
    assert rule["AllowedHeaders"] == ["*"]
    assert rule["ExposedHeaders"] == ["ETag"], "multipart uploads read each part's ETag"
    assert TEMPLATE["Parameters"]["WebsiteOrigin"]["Default"] == "*"


def test_the_media_bucket_answers_no_browser_directly():
    assert "CorsConfiguration" not in RESOURCES["MediaBucket"]["Properties"], "media reach browsers through CloudFront"


def test_media_through_cloudfront_may_be_read_by_pages_on_another_origin():
    behavior = RESOURCES["MediaDistribution"]["Properties"]["DistributionConfig"]["DefaultCacheBehavior"]
    assert behavior["ResponseHeadersPolicyId"] == MANAGED_SIMPLE_CORS


def test_the_local_stack_gives_the_s3_api_same_cors_rule():
    rule = {"Id": "r", "AllowedMethods": ["POST"], "AllowedOrigins": ["*"], "ExposedHeaders": ["ETag"], "MaxAge": 30}
    assert s3_cors_rule(rule) == {
        "ID": "r",
        "AllowedMethods": ["POST"],
        "AllowedOrigins": ["*"],
        "ExposeHeaders": ["ETag"],
        "MaxAgeSeconds": 30,
    }


def test_the_website_bucket_is_private_and_read_only_by_its_distribution():
    bucket = RESOURCES["WebsiteBucket"]["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    [reads, tls_only] = RESOURCES["WebsiteBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert reads["Principal"] == {"Service": "cloudfront.amazonaws.com"} and reads["Action"] == "s3:GetObject"
    assert "${WebsiteDistribution}" in reads["Condition"]["StringEquals"]["AWS:SourceArn"]["Fn::Sub"]
    assert tls_only["Effect"] == "Deny" and tls_only["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_website_is_served_over_https_with_security_headers():
    config = RESOURCES["WebsiteDistribution"]["Properties"]["DistributionConfig"]
    assert config["DefaultRootObject"] == "index.html"
    [origin] = config["Origins"]
    assert origin["DomainName"] == {"Fn::GetAtt": ["WebsiteBucket", "RegionalDomainName"]}
    assert "OriginAccessControlId" in origin
    behavior = config["DefaultCacheBehavior"]
    assert behavior["ViewerProtocolPolicy"] == "redirect-to-https"
    assert behavior["AllowedMethods"] == ["GET", "HEAD"]
    assert behavior["ResponseHeadersPolicyId"] == {"Ref": "WebsiteResponseHeaders"}
    headers = RESOURCES["WebsiteResponseHeaders"]["Properties"]["ResponseHeadersPolicyConfig"]["SecurityHeadersConfig"]
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "script-src 'self';" in csp and "unsafe" not in csp, "no script but the site's own files"
    assert "frame-ancestors 'none'" in csp and headers["FrameOptions"]["FrameOption"] == "DENY"
    assert {"WebsiteBucketName", "WebsiteUrl"} <= set(TEMPLATE["Outputs"])


def test_cloudfront_reads_only_media_tagged_published():
    [reads, *_] = RESOURCES["MediaBucketPolicy"]["Properties"]["PolicyDocument"]["Statement"]
    assert reads["Sid"] == "CloudFrontReadsMedia" and reads["Action"] == "s3:GetObject"
    assert reads["Condition"]["StringEquals"]["s3:ExistingObjectTag/published"] == "true"
    assert TEMPLATE["Globals"]["Function"]["Environment"]["Variables"]["MEDIA_DISTRIBUTION_ID"] == {
        "Ref": "MediaDistribution"
    }
