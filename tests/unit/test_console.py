"""What `make run` shows of its processes: one short line per request, no noise, every real error whole."""

from __future__ import annotations

import io
import json

from local.console import OutputFilter, pump

REQUEST = json.dumps(
    {
        "level": "INFO",
        "location": "log_request:19",
        "message": "request",
        "service": "omjr",
        "method": "GET",
        "path": "/videos",
        "status": 200,
    }
)
METRICS = json.dumps({"_aws": {"CloudWatchMetrics": []}, "service": "omjr", "UploadsRequested": [1]})
REJECTED = json.dumps(
    {
        "level": "INFO",
        "message": "upload rejected",
        "function_name": "validate_upload",
        "video_id": "v1",
        "reason": "The film lasts 25.0 s.",
    }
)
GONE = [
    "-" * 40,
    "Exception occurred during processing of request from ('127.0.0.1', 49312)",
    "Traceback (most recent call last):",
    '  File "socketserver.py", line 834, in write',
    "BrokenPipeError: [Errno 32] Broken pipe",
    "-" * 40,
]
BROKEN = [*GONE[:4], "KeyError: 'video_id'", "-" * 40]


def shown(lines: list[str], verbose: bool = False) -> list[str]:
    output = OutputFilter(verbose)
    return [short for line in lines for short in output.lines(line)]


def test_a_request_is_one_short_line_and_the_noise_is_dropped():
    lines = [
        "Serving on http://127.0.0.1:8000",
        "Found credentials in environment variables.",
        REQUEST,
        '127.0.0.1 - - [28/Nov/2026 07:00:47] "GET /videos HTTP/1.1" 200 -',
        METRICS,
        *GONE,
        REJECTED,
    ]
    assert shown(lines) == ["api: GET /videos 200", "validate_upload: upload rejected (v1): The film lasts 25.0 s."]


def test_a_real_error_is_shown_whole_and_verbose_shows_everything():
    assert shown(BROKEN) == BROKEN
    assert shown(["Traceback (most recent call last):", "ValueError: bad"]) == [
        "Traceback (most recent call last):",
        "ValueError: bad",
    ]
    assert shown([REQUEST, *GONE], verbose=True) == [REQUEST, *GONE]


def test_a_process_output_is_shown_as_it_comes():
    written: list[str] = []
    pump(io.BytesIO(f"{REQUEST}\n{METRICS}\nplain words\n".encode()), False, written.append).join(timeout=10)
    assert written == ["api: GET /videos 200", "plain words"]
