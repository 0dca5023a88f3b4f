"""The run store's errors."""

from __future__ import annotations

from statecraft.errors import StatecraftError

__all__ = ["NoRun", "NoStore", "StoreError"]


class StoreError(StatecraftError):
    """The run store cannot be opened, read or written."""


class NoStore(StoreError):
    """There is no store at the place named, and none was to be created."""


class NoRun(StoreError):
    """No run answers to the name given (an id, a prefix of one, or ``latest``)."""
