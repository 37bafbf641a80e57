"""Forget what the assistant derived from the editions, so a reload sees new ones.

The understanding (entity and dimension names, the fuzzy vocabularies), the answerers'
vocabularies and the tools' schemas are built from the editions once and kept in
``functools`` caches. :func:`forget_cached` clears every such cache of the assistant's loaded
modules; it runs as a hook of :func:`index_core.api.reload`, so a reload is one call wherever it
starts (``POST /api/v1/admin/reload``, a worker noticing a user edition, a test).
Clearing all of them rather than a hand-kept list means a cache added later cannot be missed;
the cost is that the next question rebuilds them (about a second, once per reload).
"""
from __future__ import annotations

import sys

from index_core import catalog


def forget_cached() -> int:
    """Clear the module-level caches of every loaded ``assistant`` module; returns how many."""
    cleared = 0
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "assistant" or name.startswith("assistant.")):
            continue
        for obj in list(vars(module).values()):
            if getattr(obj, "__module__", None) == name and callable(getattr(obj, "cache_clear", None)):
                obj.cache_clear()
                cleared += 1
    return cleared


catalog.on_reload(forget_cached)
