"""Fault injection: make chosen requests fail with 429/500/503 and real error bodies."""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tests.support.standin.errors import ApiError

JsonObj = dict[str, Any]


def quota_error(is_write: bool, project_number: str = "123456789012") -> ApiError:
    """The 429 Google sends when the per-user per-minute quota is exhausted."""
    metric, limit = (
        ("write_requests", "WriteRequestsPerMinutePerUser")
        if is_write
        else ("read_requests", "ReadRequestsPerMinutePerUser")
    )
    label = "Write" if is_write else "Read"
    message = (
        f"Quota exceeded for quota metric '{label} requests' and limit "
        f"'{label} requests per minute per user' of service 'sheets.googleapis.com' "
        f"for consumer 'project_number:{project_number}'."
    )
    details: list[JsonObj] = [
        {
            "@type": "type.googleapis.com/google.rpc.ErrorInfo",
            "reason": "RATE_LIMIT_EXCEEDED",
            "domain": "googleapis.com",
            "metadata": {
                "quota_metric": f"sheets.googleapis.com/{metric}",
                "quota_limit": limit,
                "service": "sheets.googleapis.com",
                "consumer": f"projects/{project_number}",
            },
        }
    ]
    return ApiError(429, message, "RESOURCE_EXHAUSTED", details)


def server_error(status: int) -> ApiError:
    if status == 429:
        raise ValueError("use quota_error for 429")
    if status == 503:
        return ApiError(503, "The service is currently unavailable.", "UNAVAILABLE")
    if status == 500:
        return ApiError(500, "Internal error encountered.", "INTERNAL")
    return ApiError(status, f"Injected error {status}.")


@dataclass
class FaultRule:
    """Fail matching requests: the next ``times`` of them, or each with ``probability``.

    With neither set, every matching request fails until ``clear()``.
    ``kinds`` holds request kinds (``"values.get"``) and/or ``"read"``/``"write"``.
    """

    status: int
    times: int | None = None
    probability: float | None = None
    kinds: frozenset[str] | None = None
    rng: random.Random = field(default_factory=random.Random)

    def matches(self, kind: str, is_write: bool) -> bool:
        if self.kinds is None:
            return True
        return kind in self.kinds or ("write" if is_write else "read") in self.kinds

    def fire(self) -> bool:
        if self.times is not None and self.times <= 0:
            return False
        if self.probability is not None and self.rng.random() >= self.probability:
            return False
        if self.times is not None:
            self.times -= 1
        return True


class Faults:
    def __init__(self) -> None:
        self.rules: list[FaultRule] = []

    def add(
        self,
        status: int,
        *,
        times: int | None = None,
        probability: float | None = None,
        seed: int = 0,
        kinds: Iterable[str] | None = None,
    ) -> FaultRule:
        if status not in (429, 500, 503) and not 400 <= status < 600:
            raise ValueError(f"cannot inject status {status}")
        if probability is not None and not 0.0 <= probability <= 1.0:
            raise ValueError("probability must be within [0, 1]")
        rule = FaultRule(
            status,
            times,
            probability,
            frozenset(kinds) if kinds is not None else None,
            random.Random(seed),
        )
        self.rules.append(rule)
        return rule

    def clear(self) -> None:
        self.rules.clear()

    def check(self, kind: str, is_write: bool) -> ApiError | None:
        """The error to answer with, if a rule fires for this request."""
        for rule in self.rules:
            if rule.matches(kind, is_write) and rule.fire():
                if rule.status == 429:
                    return quota_error(is_write)
                return server_error(rule.status)
        return None
