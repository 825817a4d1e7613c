"""One AWS SDK inside the functions: boto3, botocore and s3transfer are packaged at the versions that
requirements.txt pins and that boto3 was released with, never boto3 from the Lambda runtime beside our botocore."""

from __future__ import annotations

import email
import importlib.metadata
import re
import zipfile

import pytest
from packaging.requirements import Requirement

from local.resources import ROOT

SDK = ("boto3", "botocore", "s3transfer")
PACKAGE = ROOT / "build" / "dev" / "deployment.zip"


def pins() -> dict[str, str]:
    found = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if match := re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==(\S+)", line.strip()):
            found[match.group(1).lower()] = match.group(3)
    return found


def unmet(requires: list[str], versions: dict[str, str]) -> list[str]:
    """boto3's requirements on the other two that `versions` do not meet."""
    missing = []
    for text in requires:
        requirement = Requirement(text)
        name = requirement.name
        if requirement.marker is None and name in versions and versions[name] not in requirement.specifier:
            missing.append(f"{name} {versions[name]} (boto3 wants {requirement.specifier})")
    return missing


def test_requirements_pin_the_whole_sdk_at_versions_that_go_together():
    pinned = pins()
    assert set(SDK) <= set(pinned), f"requirements.txt must pin {SDK}"
    # What development and the tests run is what is packaged.
    assert {name: importlib.metadata.version(name) for name in SDK} == {name: pinned[name] for name in SDK}
    assert unmet(importlib.metadata.requires("boto3") or [], pinned) == []


@pytest.mark.skipif(not PACKAGE.exists(), reason="build/dev/deployment.zip is made by `make package`")
def test_the_function_package_carries_boto3_botocore_and_s3transfer_at_the_pinned_versions():
    with zipfile.ZipFile(PACKAGE) as archive:
        metadata = {
            name.split("/")[0]: archive.read(name).decode()
            for name in archive.namelist()
            if name.endswith(".dist-info/METADATA")
        }
    packaged = {}
    for text in metadata.values():
        message = email.message_from_string(text)
        packaged[str(message["Name"]).lower()] = (str(message["Version"]), message.get_all("Requires-Dist") or [])
    pinned = pins()
    assert {name: packaged.get(name, ("absent",))[0] for name in SDK} == {name: pinned[name] for name in SDK}
    assert unmet(packaged["boto3"][1], {name: packaged[name][0] for name in SDK}) == []
