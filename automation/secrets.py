"""Resolving secrets named by the config, without ever printing them.

A ``Secret`` hides its value from ``repr``/``str`` so that it cannot leak into a
log line or an exception message by accident.  ``known_secrets`` lets the log
filter scrub any value that slipped through anyway.
"""

from __future__ import annotations

import os
from pathlib import Path

from automation.errors import ConfigError

_KNOWN: set[str] = set()


class Secret:
    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value
        if len(value) >= 4:
            _KNOWN.add(value)

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('***')"

    __str__ = __repr__

    def __bool__(self) -> bool:
        return bool(self._value)


def resolve(key: str, env: str, file: str, base_dir: Path) -> Secret:
    """The secret named by ``<key>_env`` or ``<key>_file``; empty if neither is set."""
    if env and file:
        raise ConfigError(f"{key}: set either {key}_env or {key}_file, not both")
    if env:
        value = os.environ.get(env)
        if value is None:
            raise ConfigError(f"{key}_env: environment variable {env} is not set")
        return Secret(value)
    if file:
        path = Path(file).expanduser()
        path = path if path.is_absolute() else base_dir / path
        try:
            return Secret(path.read_text(encoding="utf-8").strip())
        except OSError as exc:
            raise ConfigError(f"{key}_file: cannot read {path} ({exc.strerror})") from exc
    return Secret("")


def known_secrets() -> frozenset[str]:
    return frozenset(_KNOWN)


def scrub(text: str) -> str:
    """``text`` with every known secret replaced by ``***``."""
    for value in _KNOWN:
        if value in text:
            text = text.replace(value, "***")
    return text


def retire(secret: Secret) -> None:
    """Stop scrubbing a secret that is gone for good (a replaced access token),
    so a long run does not keep every hourly token in the scrub list."""
    _KNOWN.discard(secret.reveal())
