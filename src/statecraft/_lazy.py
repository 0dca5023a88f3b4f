"""Names a module imports on first use (PEP 562): ``statecraft`` and ``statecraft.api``.

Each keeps a table ``name -> (module, attribute)`` (attribute None: the module itself) and
hands its ``__getattr__`` to :func:`attribute`, so that importing it imports nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping
from importlib import import_module
from typing import Any


def attribute(
    module: str,
    where: Mapping[str, tuple[str, str | None]],
    namespace: MutableMapping[str, Any],
    name: str,
) -> Any:
    """``name`` of ``module``, imported from where ``where`` says and kept in ``namespace``
    (the module's globals) so that later reads do not come back here; AttributeError for a
    name the table does not have."""
    spot = where.get(name)
    if spot is None:
        raise AttributeError(f"module {module!r} has no attribute {name!r}")
    loaded = import_module(spot[0])
    value = loaded if spot[1] is None else getattr(loaded, spot[1])
    namespace[name] = value
    return value
