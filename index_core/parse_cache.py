"""Parsed data files remembered on disk, so that a short-lived process (``hardtech ask``) does not
parse the same YAML again: the concept files, the lexicon and the glossary took 0.15-0.2 s of
every question's 1.2 s, even with libyaml; reading them back with :mod:`marshal` takes a few ms.

The key is the text itself (SHA-1) and the parser's name, so an edited file is parsed afresh
and nothing can be stale. Entries live in ``$HARDTECH_HOME/cache/parsed/`` (safe to delete).
Only texts of :data:`MIN_CHARS` or more are cached, and only results marshal can hold (plain
dicts, lists, strings, numbers; a YAML date is not, and is simply parsed each time). Writing is
best effort: a read-only home only costs the parse.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import sys
import tempfile
from pathlib import Path
from typing import Callable

from hardtech.settings import get_settings

MIN_CHARS = 4096
_VERSION = f"py{sys.version_info[0]}{sys.version_info[1]}m{marshal.version}"


def _folder() -> Path:
    return get_settings().home / "cache" / "parsed"


def parsed(text: str, parser: str, parse: Callable[[str], object]) -> object:
    """``parse(text)``, from the cache when this parser already parsed this text. ``parser``
    names the parser and its options (a different parser of the same text is another entry)."""
    if len(text) < MIN_CHARS:
        return parse(text)
    key = hashlib.sha1(f"{_VERSION}\0{parser}\0".encode() + text.encode("utf-8")).hexdigest()
    path = _folder() / f"{key}.marshal"
    try:
        return marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):  # not cached yet (or unreadable: parse again)
        pass
    value = parse(text)
    try:
        data = marshal.dumps(value)
    except ValueError:  # e.g. a date: not cacheable, parsed each time
        return value
    write_or_leave_nothing(path, data)
    return value


def write_or_leave_nothing(path: Path, data: bytes) -> bool:
    """Write ``path`` atomically, creating its folders; on a full or read-only disk, leave nothing
    behind (no temporary file, no folder made for it) and return False."""
    made = [p for p in (path.parent, *path.parent.parents) if not p.exists()]
    tmp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
        return True
    except OSError:
        if tmp:
            Path(tmp).unlink(missing_ok=True)
        for folder in made:  # innermost first
            try:
                folder.rmdir()
            except OSError:
                break
        return False
