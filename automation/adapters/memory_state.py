"""An in-memory ``StateDir`` for tests and one-off runs: nothing touches disk."""

from __future__ import annotations


class MemoryStateDir:
    """The ``StateDir`` port in a dict; lives as long as the object."""

    def __init__(self) -> None:
        self.files: dict[str, str] = {}

    def read(self, name: str) -> str | None:
        return self.files.get(name)

    def write(self, name: str, text: str) -> None:
        self.files[name] = text

    def append(self, name: str, text: str, sync: bool = True) -> None:
        self.files[name] = self.files.get(name, "") + text
