"""The one error model: every failure a client can cause is one of these.

Services raise them; the API turns them into ``{"error": {"code", "message", "fields"}}``
with the status below, and web views show the message next to the form.
"""

from __future__ import annotations

from typing import Any


class GlimpseError(Exception):
    """A failure the client caused, with the HTTP status that describes it."""

    status = 400
    code = "bad_request"
    default_message = "The request could not be handled."

    def __init__(
        self,
        message: str | None = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.code = code or self.code
        self.fields = fields or {}
        super().__init__(self.message)

    def as_dict(self) -> dict[str, object]:
        """Return the JSON body of this error."""
        return error_body(self.code, self.message, self.fields)


class InvalidInput(GlimpseError):
    status = 422
    code = "invalid"
    default_message = "Some fields are not valid."


class NotAuthenticated(GlimpseError):
    status = 401
    code = "not_authenticated"
    default_message = "Log in, or send a valid token in the Authorization header."


class PermissionDenied(GlimpseError):
    status = 403
    code = "forbidden"
    default_message = "You are not allowed to do this."


class NotFound(GlimpseError):
    status = 404
    code = "not_found"
    default_message = "Nothing was found here."


class Conflict(GlimpseError):
    status = 409
    code = "conflict"
    default_message = "This conflicts with something that already exists."


class PayloadTooLarge(GlimpseError):
    status = 413
    code = "too_large"
    default_message = "The upload is too large."


class UnsupportedMediaType(GlimpseError):
    status = 415
    code = "unsupported_media_type"
    default_message = "This kind of file is not supported."


class RateLimited(GlimpseError):
    status = 429
    code = "rate_limited"
    default_message = "Too many requests. Try again later."

    def __init__(self, message: str | None = None, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    """Build the error JSON body shared by every API error."""
    return {"error": {"code": code, "message": message, "fields": fields or {}}}
