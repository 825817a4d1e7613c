"""What moto's CloudFormation cannot create or silently drops, in one place, each with its reason.

The deploy rehearsal (infra/rehearsal.py) takes the GAPS types out of the template it creates on moto, and
applies those their service's API covers (infra/rehearsal_apply.py); DROPPED are properties moto accepts and
forgets. Everything here is what the rehearsal cannot prove about AWS.
"""

from __future__ import annotations

# Resource types moto's CloudFormation cannot create, why, and whether their service's API covers them here;
# in the order they are applied (what a distribution or a policy names comes first).
GAPS: dict[str, tuple[str, bool]] = {
    "AWS::SecretsManager::Secret": (
        "moto's CloudFormation has no Secrets Manager; made with CreateSecret, its value from GetRandomPassword",
        True,
    ),
    "AWS::CloudFront::OriginAccessControl": ("moto's CloudFormation has no CloudFront; CloudFront's API", True),
    "AWS::CloudFront::ResponseHeadersPolicy": (
        "moto has no response headers policies, in CloudFormation or API",
        False,
    ),
    "AWS::CloudFront::Distribution": ("moto's CloudFormation has no CloudFront; created with CloudFront's API", True),
    "AWS::CloudWatch::Alarm": ("moto's CloudFormation cannot create alarms; created with PutMetricAlarm", True),
    "AWS::S3::BucketPolicy": ("moto's CloudFormation has no bucket policies; applied with PutBucketPolicy", True),
    "AWS::SQS::QueuePolicy": ("moto's CloudFormation has no queue policies; applied with SetQueueAttributes", True),
    "AWS::SNS::Subscription": ("moto's CloudFormation has no SNS subscriptions; made with Subscribe", True),
    # moto ignores a RestApi's Body and imports no Swagger 2.0 (Chalice writes 2.0): its API has no method,
    # and moto refuses to deploy an API without one. Routes and gateway responses are unit-tested instead.
    "AWS::ApiGateway::Deployment": (
        "moto's API has no methods (Body ignored), and moto deploys no API without one",
        False,
    ),
    "AWS::ApiGateway::Stage": ("moto's CloudFormation has no API stage, and there is no deployment to stage", False),
}
# Properties moto's CloudFormation accepts and drops without a word, and what the rehearsal does about them.
DROPPED = {
    "AWS::S3::Bucket": "public access block, lifecycle rules, CORS, notifications: applied with S3's API",
    "AWS::DynamoDB::Table": "point-in-time recovery and TTL: applied with DynamoDB's API",
    "AWS::Lambda::Function": "layers, ephemeral storage, tracing: not checked (moto keeps no such setting)",
    "AWS::ApiGateway::RestApi": "the OpenAPI body (routes, gateway responses): not checked; cfn-lint and the "
    "gateway-responses unit test read it",
    "AWS::KMS::Key": "the key policy is stored, never enforced: whether CloudWatch may use it is deploy_checks' job",
}
