"""An operator command against a local stack that is gone (killed, its `.local/stack.json` left behind) says so."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from local.resources import ROOT
from tests.ports import free_port


def test_an_operator_command_on_a_stack_that_is_gone_says_to_start_it(tmp_path: Path) -> None:
    gone = f"http://127.0.0.1:{free_port()}"  # nothing listens there any more
    queue = f"{gone}/123456789012/omjr-local-transcode-dlq"
    names = ["UploadsBucket", "MediaBucket", "CatalogTable", "IdempotencyTable", "WebsiteBucket"]
    queues = ["UploadsQueue", "TranscodeQueue", "ProtectQueue"]
    resources = {
        **{name: f"omjr-local-{name.lower()}" for name in names},
        **dict.fromkeys(queues, queue),
        **{name.replace("Queue", "DeadLetterQueue"): queue for name in queues},
    }
    stack_file = tmp_path / "stack.json"
    admin = {"AWS_ACCESS_KEY_ID": "admin-key", "AWS_SECRET_ACCESS_KEY": "admin-secret"}
    stack_file.write_text(
        json.dumps({"api_url": gone, "aws_endpoint_url": gone, "resources": resources, "admin_credentials": admin})
    )
    done = subprocess.run(
        [sys.executable, "-m", "cli", "--stack-file", str(stack_file), "ops", "status"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1
    assert "is `make run` still running?" in done.stderr and str(stack_file) in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr
