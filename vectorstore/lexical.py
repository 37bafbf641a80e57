"""The product's one tokenizer (jieba with the project's user dictionary) and BM25 over
its tokens (bm25s).

Every part of the product that cuts Chinese text into words calls :func:`tokenize`
(``vectorstore.tokenize``), so a process holds one jieba dictionary, never one per
caller. It has the project's user words (entity names and aliases, dimension,
indicator and report names, glossary terms, so that 创新基础 and 深圳市 stay single
tokens). It is the shipped domain dictionary (:mod:`vectorstore.dictionary`: a few MB,
loaded in a blink) when that matches, else jieba's full one (about 65 MB), built once and
cached on disk under ``$HARDTECH_HOME/cache``. The global ``jieba`` instance is never
touched.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import marshal
import os
import re
import tempfile
import threading
from pathlib import Path

import numpy as np

from . import dictionary
from .config import STOPWORDS_PATH, cache_dir
from .documents import corpus_fingerprint
from .knowledge import alias_map, user_dictionary_words

log = logging.getLogger("vectorstore")

_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff]")
_LOCK = threading.Lock()
#: jieba frequency of a user word: high enough that the word beats its parts.
USER_WORD_FREQ = 2000
K1, B = 1.5, 0.75


@functools.lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """Words BM25 ignores (``vectorstore/stopwords.txt``)."""
    lines = STOPWORDS_PATH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _user_words() -> list[tuple[str, int]]:
    return [(w, max(USER_WORD_FREQ, 500 * len(w))) for w in user_dictionary_words()]


def _cache_path(words: list[tuple[str, int]]) -> Path:
    return cache_dir() / f"jieba-{jieba_version()}-{dictionary.user_words_digest(words)}.marshal"


def full_dictionary(words: list[tuple[str, int]]) -> tuple[dict[str, int], int]:
    """jieba's full prefix dictionary with ``words`` added, and its total: built once, then
    loaded from ``$HARDTECH_HOME/cache``."""
    import jieba

    path = _cache_path(words)
    try:
        with path.open("rb") as fh:
            return marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError) as exc:  # absent, or written by another Python
        log.info("Building the tokenizer's full dictionary (%s); it is cached at %s", type(exc).__name__, path)
    tk = jieba.Tokenizer()
    tk.initialize()
    for word, freq in words:
        tk.add_word(word, freq)
    _write_atomic(path, marshal.dumps((tk.FREQ, tk.total)))
    return tk.FREQ, tk.total


@functools.lru_cache(maxsize=1)
def tokenizer():
    """The process's jieba.Tokenizer: the shipped domain dictionary when it was made for this
    jieba, these user words and this corpus (:mod:`vectorstore.dictionary`), else jieba's full
    dictionary with the user words."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    words = _user_words()
    key = dictionary.DictionaryKey(jieba_version(), dictionary.user_words_digest(words), corpus_fingerprint())
    with _LOCK:
        shipped = dictionary.read()
        if shipped and shipped[0] == key:
            tk.total, tk.FREQ = shipped[1], shipped[2]
        else:
            log.info("No shipped tokenizer dictionary for %s: loading jieba's full dictionary "
                     "(regenerate it with scripts/build_tokenizer_dictionary.py)", key)
            tk.FREQ, tk.total = full_dictionary(words)
        tk.initialized = True
    return tk


def _write_atomic(path: Path, data: bytes) -> None:
    """Best effort: a read-only home only costs the next process the build."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        log.warning("Could not cache the tokenizer's dictionary at %s: %s", path, exc)


def tokenize(text: str) -> list[str]:
    """``text`` as BM25 terms: jieba's search mode (a long word and its parts), lower-cased,
    punctuation and stop words dropped, every Chinese spelling of an entity as its canonical
    name (深圳市 -> 深圳)."""
    tk = tokenizer()
    canon = _cjk_aliases()
    stop = stopwords()
    out = []
    for t in tk.lcut_for_search(text.lower()):
        t = t.strip()
        if not t or t in stop or not _TOKEN_OK.search(t):
            continue
        out.append(canon.get(t, t))
    return out


def jieba_version() -> str:
    """jieba's version, without importing it (its import loads the HMM tables)."""
    return importlib.metadata.version("jieba")


@functools.lru_cache(maxsize=1)
def tokenizer_key() -> str:
    """What :func:`tokenize` depends on (dictionary, stop words, entity spellings), as 16 hex
    digits: shipped tokens are reused only under the same key."""
    words = _user_words()
    parts = (jieba_version(), dictionary.user_words_digest(words), corpus_fingerprint(),
             sorted(stopwords()), sorted(_cjk_aliases().items()))
    return hashlib.sha1(repr(parts).encode("utf-8")).hexdigest()[:16]


@functools.lru_cache(maxsize=1)
def _cjk_aliases() -> dict[str, str]:
    return {a: n for a, n in alias_map().items() if not a.isascii()}


class BM25:
    """Okapi BM25 (k1=1.5, b=0.75, Lucene's idf) over tokenised documents, scored by bm25s.

    A query term counts once however often it is repeated."""

    def __init__(self, docs: list[list[str]]):
        import bm25s

        self.n = len(docs)
        self._bm = bm25s.BM25(k1=K1, b=B, method="lucene")
        if self.n:
            self._bm.index(docs, show_progress=False)

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """One score per document (float32, 0 where no query term occurs)."""
        ids = self._bm.get_tokens_ids(list(dict.fromkeys(query_tokens))) if self.n else []
        if not ids:
            return np.zeros(self.n, dtype=np.float32)
        return self._bm.get_scores_from_ids(ids)
