"""Where editions live, and how a running process picks up new ones.

An edition is a folder holding ``spec.yaml`` and its data. Shipped editions are in
the package (``index_core/data/editions/<id>/``); a user's are under
``$HARDTECH_HOME/editions/<id>/`` (installed by :mod:`index_core.install`).
Discovery merges the two; a user folder whose id is also shipped is ignored (the
installer never creates one), so a shipped edition always means the same thing.

Nothing here is cached: :mod:`index_core.io` caches what it reads, and
:func:`reload` clears those caches (and any registered by upper layers) so that a
long-running process sees editions added or removed since it started.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Callable, Literal

log = logging.getLogger("index_core")

SHIPPED_DIR = Path(str(resources.files("index_core") / "data" / "editions"))

Origin = Literal["shipped", "user"]


@dataclass(frozen=True)
class EditionFolder:
    """One discovered edition: its id (the folder name), where it is and who put it there."""

    id: str
    path: Path
    origin: Origin


def user_dir() -> Path:
    """``$HARDTECH_HOME/editions``: the user's editions, one folder per id (may not exist yet)."""
    from hardtech.settings import get_settings

    return get_settings().home / "editions"


def _folders(root: Path, origin: Origin) -> dict[str, EditionFolder]:
    if not root.is_dir():
        return {}
    # dot-folders are installs in progress or removals (see index_core.install)
    return {p.name: EditionFolder(p.name, p, origin) for p in sorted(root.iterdir())
            if not p.name.startswith(".") and (p / "spec.yaml").is_file()}


def discover() -> dict[str, EditionFolder]:
    """Every edition, shipped first, then the user's (sorted by id within each)."""
    found = _folders(SHIPPED_DIR, "shipped")
    for eid, folder in _folders(user_dir(), "user").items():
        if eid in found:
            log.warning("Ignoring %s: edition %r is shipped and cannot be replaced", folder.path, eid)
            continue
        found[eid] = folder
    return found


def folder_of(edition_id: str) -> EditionFolder | None:
    """The edition's folder, or ``None`` when no edition has this id."""
    return discover().get(edition_id)


def stamp() -> int:
    """A number that changes whenever a user's edition is installed or removed (the user
    folder's mtime in ns; 0 while it does not exist). Installs and removals rename folders
    in and out of it, so one ``stat`` tells a process (each worker of a service) whether
    to call :func:`index_core.api.reload`."""
    try:
        return user_dir().stat().st_mtime_ns
    except FileNotFoundError:
        return 0


_reload_hooks: list[Callable[[], None]] = []


def on_reload(hook: Callable[[], None]) -> Callable[[], None]:
    """Register a function that forgets what a layer cached about editions or entities.

    Upper layers (retrieval, the assistant, the service) register their caches here,
    so the core can stay ignorant of them; usable as a decorator."""
    if hook not in _reload_hooks:
        _reload_hooks.append(hook)
    return hook


def run_reload_hooks() -> None:
    for hook in list(_reload_hooks):
        hook()
