"""The one place ffmpeg and ffprobe are started.

Argument lists only (never a shell), stdin closed, each child in its own process group so that a
deadline kills everything it started, in time for the handler to record the failure. The options every
input gets (the format and protocol allowlists, the decoding caps) are built here too, once, for every command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import IO

from chalicelib.domain.errors import MediaError
from chalicelib.domain.rules import ALLOWED_CONTAINERS, DecodeCaps

# Formats ffmpeg may open on input: the demuxers of the containers the rules accept. Anything else (HLS playlists,
# concat scripts, image sequences, raw streams...) is refused before it can make ffmpeg open another file or URL.
INPUT_FORMATS = ",".join(sorted(ALLOWED_CONTAINERS))
STDERR_TAIL_CHARS = 8000
TOOLS = ("ffmpeg", "ffprobe")


@dataclass(frozen=True)
class Completed:
    stdout: bytes
    stderr: str


class ToolFailedError(MediaError):
    """ffmpeg or ffprobe exited with an error; `stderr` holds the end of what it said."""

    def __init__(self, message: str, stderr: str, returncode: int = 1) -> None:
        super().__init__(message)
        self.stderr = stderr
        self.returncode = returncode

    @property
    def killed(self) -> bool:
        """Stopped by a signal (out of memory, say): not the file's fault."""
        return self.returncode < 0


class MediaTimeoutError(MediaError):
    """The child ran past its deadline and was killed."""

    code = "processing_timeout"


def input_options(source: str, caps: DecodeCaps | None = None) -> dict[str, str]:
    """The options (before `-i`) that every input of ffmpeg and ffprobe is opened with, as `{name: value}`
    (ffmpeg-python's keywords): the container formats and the protocols it may use, and, with `caps`, no
    frame of more pixels and nothing read past `max_duration_s`. No caps: tests and benchmarks on clips they
    made, and ffprobe, which reads headers only."""
    options = {"format_whitelist": INPUT_FORMATS, "protocol_whitelist": _input_protocols(source)}
    if caps is not None:
        options |= {"max_pixels": str(caps.max_pixels), "t": f"{caps.max_duration_s:.3f}"}
    return options


def input_args(source: str, caps: DecodeCaps | None = None) -> list[str]:
    """`input_options` as an argument list, to stand before `-i source`."""
    return [arg for name, value in input_options(source, caps).items() for arg in (f"-{name}", value)]


def _input_protocols(source: str) -> str:
    """The only protocols an input may use: a presigned HTTPS URL, loopback HTTP locally, or a file."""
    if source.startswith("https://"):
        return "https,tls,tcp"
    if source.startswith("http://"):
        return "http,tcp"
    return "file"


def run(args: Sequence[str], timeout_s: float) -> Completed:
    """Run `args` (args[0] is `ffmpeg` or `ffprobe`) and return its output; raise MediaError on failure."""
    if args[0] not in TOOLS:
        raise ValueError(f"runner only starts {' and '.join(TOOLS)}, not {args[0]!r}")
    if args[0] == "ffmpeg" and "-nostdin" not in args:
        raise ValueError("ffmpeg must be given -nostdin")
    with subprocess.Popen(
        list(args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=max(timeout_s, 0.1))
        except subprocess.TimeoutExpired:
            _kill_group(process)
            process.communicate()
            raise MediaTimeoutError(f"{args[0]} did not finish within {timeout_s:.0f} s and was stopped.") from None
    err = stderr.decode("utf-8", "replace")[-STDERR_TAIL_CHARS:]
    if process.returncode != 0:
        raise ToolFailedError(f"{args[0]} could not process the file: {_last_line(err)}", err, process.returncode)
    return Completed(stdout=stdout, stderr=err)


class FrameStream:
    """ffmpeg's stdout in chunks of `chunk_bytes` (whole raw frames), read as they come.

    For outputs too large to hold at once (decoded frames for face detection). stderr goes to a
    temporary file rather than a pipe, so a chatty child never blocks on a full pipe; it is in
    `stderr` once the iteration has ended. A timer kills the process group at the deadline, even
    when the child is stuck and writes nothing.
    """

    def __init__(self, args: Sequence[str], chunk_bytes: int, timeout_s: float) -> None:
        if args[0] != "ffmpeg" or "-nostdin" not in args:
            raise ValueError("FrameStream only starts ffmpeg, and ffmpeg must be given -nostdin")
        self._args = list(args)
        self._chunk_bytes = chunk_bytes
        self._timeout_s = timeout_s
        self._errors: IO[bytes] | None = None
        self._errors_read = 0
        self.stderr = ""

    def __iter__(self) -> Iterator[bytes]:
        with (
            tempfile.TemporaryFile() as errors,
            subprocess.Popen(
                self._args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=errors, start_new_session=True
            ) as process,
        ):
            expired = threading.Event()

            def expire() -> None:
                expired.set()
                _kill_group(process)

            timer = threading.Timer(self._timeout_s, expire)
            timer.start()
            self._errors, self._errors_read = errors, 0
            try:
                assert process.stdout is not None
                while chunk := process.stdout.read(self._chunk_bytes):
                    if len(chunk) == self._chunk_bytes:
                        yield chunk
                process.wait()
            finally:
                timer.cancel()
                if process.poll() is None:  # the consumer stopped early
                    _kill_group(process)
                    process.wait()
                self._errors = None
            errors.seek(0)
            self.stderr = errors.read().decode("utf-8", "replace")
        if expired.is_set():
            raise MediaTimeoutError(f"ffmpeg did not finish within {self._timeout_s:.0f} s and was stopped.")
        if process.returncode != 0:
            tail = self.stderr[-STDERR_TAIL_CHARS:]
            raise ToolFailedError(f"ffmpeg could not process the file: {_last_line(tail)}", tail, process.returncode)

    def new_stderr_lines(self) -> list[str]:
        """The whole lines ffmpeg has written to stderr since the last call, while the iteration runs.

        What ffmpeg logs about a frame (showinfo) is written before the frame reaches stdout, so once a
        chunk has been yielded, the lines about it are here.
        """
        if self._errors is None:
            return []
        written = os.fstat(self._errors.fileno()).st_size
        fresh = os.pread(self._errors.fileno(), written - self._errors_read, self._errors_read)
        whole = fresh[: fresh.rfind(b"\n") + 1]
        self._errors_read += len(whole)
        return whole.decode("utf-8", "replace").splitlines()


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no error message"
