"""API errors the stand-in raises, rendered as Google's JSON error envelope."""

from __future__ import annotations

from typing import Any

STATUS_NAMES: dict[int, str] = {
    400: "INVALID_ARGUMENT",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    409: "ABORTED",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}

JsonObj = dict[str, Any]


class ApiError(Exception):
    """An error response: HTTP status, message and optional ``details``."""

    def __init__(
        self,
        code: int,
        message: str,
        status: str | None = None,
        details: list[JsonObj] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status or STATUS_NAMES.get(code, "UNKNOWN")
        self.details = details

    def body(self) -> JsonObj:
        error: JsonObj = {"code": self.code, "message": self.message, "status": self.status}
        if self.details is not None:
            error["details"] = self.details
        return {"error": error}


def bad_request(message: str) -> ApiError:
    return ApiError(400, message)


def not_found(message: str = "Requested entity was not found.") -> ApiError:
    return ApiError(404, message)


def invalid_field(field: str, type_name: str, value: Any) -> ApiError:
    """The protobuf-style "Invalid value at 'field'" error with BadRequest details."""
    import json

    rendered = json.dumps(value, ensure_ascii=False)
    message = f"Invalid value at '{field}' ({type_name}), {rendered}"
    details: list[JsonObj] = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": field, "description": message}],
        }
    ]
    return ApiError(400, message, details=details)


def request_error(index: int, kind: str, message: str) -> ApiError:
    """A failed ``batchUpdate`` subrequest."""
    return ApiError(400, f"Invalid requests[{index}].{kind}: {message}")
