"""The stack's resources on moto's `mock_aws`, in process, for benchmarks that run the functions' own code."""

from __future__ import annotations

import os

import boto3

from chalicelib import wiring
from local import chalice_config
from local.resources import LocalResources

# What has no local twin (CloudFront's addresses): made-up ones.
LOCAL_VALUES = {"MEDIA_BASE_URL": "https://media.example", "SITE_URL": "https://films.example"}


def stack_on_moto(name: str, **environment: str) -> LocalResources:
    """Inside `mock_aws`: every resource of the template made under `name`, the environment the functions get
    (LOCAL_VALUES for what has no local twin, `environment` on top) set, and the wiring made anew."""
    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
    )
    os.environ.pop("AWS_ENDPOINT_URL", None)
    resources = LocalResources(boto3.session.Session(), None, name)
    resources.create_all()
    os.environ.update(
        {**chalice_config.environment("local"), **resources.function_environment(LOCAL_VALUES), **environment}
    )
    wiring.reset()
    return resources
