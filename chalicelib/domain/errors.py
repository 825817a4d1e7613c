"""Domain errors: each carries a machine-readable code and a sentence that tells the user what to fix.

The API maps these to HTTP status codes in one place (`chalicelib/api/errors.py`).
"""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error a user of the system can act on."""

    code = "error"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code


class InvalidRequestError(DomainError):
    """The request's metadata is malformed or outside what is allowed (HTTP 400)."""

    code = "invalid_request"


class NotFoundError(DomainError):
    """No such film, or not one the caller may see (HTTP 404)."""

    code = "not_found"


class GoneError(DomainError):
    """Was public and no longer is (unpublished or taken down): nothing else about it is said."""

    code = "no_longer_available"


class ConflictError(DomainError):
    """The film is not in a state that allows the action (HTTP 409)."""

    code = "conflict"


class UnauthenticatedError(DomainError):
    """No API key was presented (HTTP 401)."""

    code = "unauthenticated"


class ForbiddenError(DomainError):
    """The API key is unknown or does not allow this action (HTTP 403)."""

    code = "forbidden"


class UnavailableError(DomainError):
    """The action could not be done now, though nothing is wrong with the request: retry it (HTTP 503)."""

    code = "unavailable"


class StaleTransitionError(DomainError):
    """A status change lost a race or came late: the film is already elsewhere in its lifecycle."""

    code = "stale_transition"


class MediaError(DomainError):
    """ffmpeg or ffprobe could not read or process a file; `code` is a rejection reason code."""

    code = "unreadable"


class AlreadyRunningError(Exception):
    """The same piece of work is running elsewhere right now. `ends_within_s`: the longest that run may still take
    (its function's time limit), after which it has finished or died: its message is retried then, not sooner."""

    def __init__(self, message: str, ends_within_s: float) -> None:
        super().__init__(message)
        self.ends_within_s = ends_within_s


class ObjectReplacedError(DomainError):
    """The object a stage was asked to read is no longer at its key: another file replaced it (or none is left)."""

    code = "object_replaced"


class ProtectionMissingError(DomainError):
    """A film asks for identity protection and no protected master covering it exists: nothing public may be
    made from its raw source."""

    code = "protection_missing"
