"""A read-only ``str -> int`` table in memory-mapped files: the default encoder's tokenizer
prefixes (250,000 of them) and jieba's domain dictionary (50,000) without a Python dict in
every worker.

As a dict the table costs each process about 38 MB of private memory (a string object and an
int per key) and 0.1 s to unmarshal. Here it is four flat files in the encoder's cache, mapped
read-only, so every worker shares one copy in the page cache and touches only the pages its
lookups need. A lookup hashes the key's UTF-8 bytes (CRC-32) into an open-addressing table
(linear probing, at most half full) and compares the stored bytes: about a microsecond, against
a dict's 0.05 µs, which is a few hundred microseconds for a query.
"""
from __future__ import annotations

import mmap
import os
import weakref
from array import array
from pathlib import Path
from typing import Iterable
from zlib import crc32

import numpy as np

FILES = ("slots.i32", "offsets.u32", "values.i32", "keys.utf8")


def write(folder: Path, items: Iterable[tuple[str, int]], prefix: str) -> None:
    """Write the table of ``items`` (distinct keys) as ``<prefix><file>`` in ``folder``."""
    keys, offsets, values = bytearray(), array("I", [0]), array("i")
    encoded = []
    for key, value in items:
        kb = key.encode("utf-8")
        encoded.append(kb)
        keys += kb
        offsets.append(len(keys))
        values.append(value)
    size = 1
    while size < 2 * max(1, len(encoded)):
        size *= 2
    slots = array("i", bytes(4 * size))  # entry + 1; 0 = empty
    for e, kb in enumerate(encoded):
        i = crc32(kb) & (size - 1)
        while slots[i]:
            i = (i + 1) & (size - 1)
        slots[i] = e + 1
    for name, data in zip(FILES, (slots, offsets, values, keys)):
        (folder / f"{prefix}{name}").write_bytes(bytes(data) if isinstance(data, bytearray) else data.tobytes())


def exists(folder: Path, prefix: str) -> bool:
    return all((folder / f"{prefix}{name}").exists() for name in FILES)


class MappedTable:
    """The table written by :func:`write`, mapped read-only: ``get(key)`` like a dict's."""

    def __init__(self, folder: Path, prefix: str):
        views = []
        for name, code in zip(FILES, ("i", "I", "i", "B")):
            with open(folder / f"{prefix}{name}", "rb") as fh:
                mapped = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            views.append(memoryview(mapped).cast(code) if code != "B" else mapped)
        self._slots, self._offsets, self._values, self._keys = views
        self._mask = len(self._slots) - 1

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: str) -> bool:
        return self.get(key) is not None

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def get(self, key: str, default: int | None = None) -> int | None:
        kb = key.encode("utf-8")
        slots, offsets, keys, mask = self._slots, self._offsets, self._keys, self._mask
        i = crc32(kb) & mask
        while True:
            e = slots[i]
            if not e:
                return default
            e -= 1
            if keys[offsets[e]:offsets[e + 1]] == kb:
                return self._values[e]
            i = (i + 1) & mask


class RowFile:
    """The rows of a 2-D ``.npy`` file, read on demand with ``os.pread``: ``rows[ids]`` is
    ``array[ids]`` for an integer array ``ids``.

    For the encoder's 65 MB embedding table, of which a query needs a few dozen 512-byte rows.
    Memory-mapped, the kernel maps whole page-cache folios around each row (23 MB of a
    worker's RSS after a dozen questions, growing toward 65 MB); read, the rows are copied
    and the table stays in the page cache, shared and reclaimable. A read costs a few
    microseconds a row."""

    def __init__(self, path: Path):
        header = np.load(path, mmap_mode="r")  # reads the header only
        if header.ndim != 2 or header.dtype.hasobject or header.flags.f_contiguous and not header.flags.c_contiguous:
            raise ValueError(f"{path} is not a C-ordered 2-D table")
        self.shape, self.dtype, self._offset = header.shape, header.dtype, header.offset
        self._row_bytes = header.shape[1] * header.dtype.itemsize
        self._fd = os.open(path, os.O_RDONLY)
        weakref.finalize(self, os.close, self._fd)  # (a __del__ may run after `os` is torn down at exit)
        del header

    def __len__(self) -> int:
        return self.shape[0]

    def __getitem__(self, ids) -> np.ndarray:
        ids = np.asarray(ids)
        unique, inverse = np.unique(ids, return_inverse=True)
        out = np.empty((len(unique), self.shape[1]), dtype=self.dtype)
        for j, i in enumerate(unique.tolist()):
            if not 0 <= i < self.shape[0]:
                raise IndexError(f"row {i} of a table of {self.shape[0]}")
            data = os.pread(self._fd, self._row_bytes, self._offset + i * self._row_bytes)
            out[j] = np.frombuffer(data, dtype=self.dtype)
        return out[inverse.reshape(ids.shape)]
