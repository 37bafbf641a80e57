"""Install and remove a user's editions under ``$HARDTECH_HOME/editions/<id>/``.

Installing copies the folder's known files to a dot-folder beside the target,
validates the copy (so what was checked is exactly what is installed), and renames
it into place; a bad folder, a crash or a concurrent install leaves nothing behind
(dot-folders are never discovered). Removal renames the folder away first, so the
edition disappears at once, then deletes it. One lock file serialises installers.
"""
from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import uuid
from pathlib import Path
from typing import Iterator

from . import catalog, io
from .edition_check import KNOWN_FILES, check_folder
from .errors import DataValidationError, HardtechError, Problem, UnknownEditionError


class EditionInUseError(HardtechError):
    """Removing the edition would break another one (it defines entities the other uses)."""

    code = "edition_in_use"


@contextlib.contextmanager
def _locked(root: Path) -> Iterator[None]:
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def check(folder: Path | str) -> dict:
    """Validate a folder without installing it: ``{"id", "ok", "problems"}``."""
    spec, problems = check_folder(Path(folder))
    return {"id": spec.id if spec else None, "ok": not problems, "problems": [p.__dict__ for p in problems]}


def add(folder: Path | str) -> dict:
    """Validate ``folder`` and install it atomically. Raises :class:`DataValidationError`
    listing every problem (file, row, column, fix); then nothing is installed."""
    source = Path(folder).expanduser()
    if not (source / "spec.yaml").is_file():
        raise DataValidationError(check_folder(source)[1])
    root = catalog.user_dir()
    with _locked(root):
        tmp = root / f".tmp-{uuid.uuid4().hex[:12]}"
        try:
            tmp.mkdir()
            copied = [f for f in KNOWN_FILES if (source / f).is_file()]
            for name in copied:
                shutil.copy2(source / name, tmp / name)
            spec, problems = check_folder(tmp)
            # name the user's files, not the temporary copy, in every message
            problems = [Problem(p.file.replace(str(tmp), str(source)), p.row, p.column, p.value, p.expected, p.hint) for p in problems]
            if problems:
                raise DataValidationError(problems)
            target = root / spec.id
            os.rename(tmp, target)  # atomic; fails if the target exists (checked above, under the lock)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    ignored = sorted(p.name for p in source.iterdir() if p.is_file() and p.name not in KNOWN_FILES and not p.name.startswith("."))
    io.reload()
    data = io.load_edition(spec.id)
    return {"id": spec.id, "path": str(target), "files": copied, "ignored": ignored,
            "entities": len(data.entities), "data_level": spec.data_level}


def remove(edition_id: str) -> dict:
    """Remove a user's edition. Shipped editions cannot be removed."""
    found = catalog.folder_of(edition_id)
    if found is None:
        io.load_edition(edition_id)  # raises UnknownEditionError with suggestions
    if found.origin != "user":
        raise UnknownEditionError(f"Edition {edition_id!r} is shipped with hardtech and cannot be removed",
                                  hint="`hardtech edition list` shows which editions are yours.")
    root = catalog.user_dir()
    with _locked(root):
        _refuse_if_needed(found)
        gone = root / f".removing-{uuid.uuid4().hex[:12]}"
        os.rename(found.path, gone)
        shutil.rmtree(gone, ignore_errors=True)
    io.reload()
    return {"id": edition_id, "removed": str(found.path)}


def _refuse_if_needed(found: catalog.EditionFolder) -> None:
    """Another user edition may name an entity only this edition's entities.csv defines."""
    own = found.path / "entities.csv"
    if not own.is_file():
        return
    base = {r["name"] for r in io.read_entity_rows(io.DATA_DIR / "entities.csv")}
    still = {r["name"] for r in io.edition_entity_rows(set(base), skip=found.id)} | base
    lost = {r["name"] for r in io.read_entity_rows(own)} - still
    for other in catalog.discover().values():
        if other.id == found.id or other.origin != "user":
            continue
        used = sorted(lost & set(io.load_edition(other.id).entities))
        if used:
            raise EditionInUseError(
                f"Edition {other.id} uses {', '.join(used)}, which only {found.id}'s entities.csv defines",
                hint=f"Add {'those rows' if len(used) > 1 else 'that row'} to {other.path / 'entities.csv'}, or remove {other.id} first.")


def installed() -> list[dict]:
    """Every edition with where it lives: ``{"id", "origin", "path"}``."""
    return [{"id": f.id, "origin": f.origin, "path": str(f.path)} for f in catalog.discover().values()]
