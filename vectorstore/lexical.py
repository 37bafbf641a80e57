"""The product's one tokenizer (jieba with the project's user dictionary) and BM25 over
its tokens (bm25s).

Every part of the product that cuts Chinese text into words calls :func:`tokenize`
(``vectorstore.tokenize``), so a process holds one jieba dictionary, never one per
caller. It has the project's user words (entity names and aliases, dimension,
indicator and report names, glossary terms, so that 创新基础 and 深圳市 stay single
tokens). It is the shipped domain dictionary (:mod:`vectorstore.dictionary`: memory-mapped,
shared by every worker) when that matches, else jieba's full one (about 65 MB), built once and
cached on disk under ``$HARDTECH_HOME/cache``. The global ``jieba`` instance is never
touched.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import logging
import marshal
import re
import threading
from pathlib import Path
from typing import Callable

import numpy as np

from index_core.parse_cache import write_or_leave_nothing

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
        shipped = dictionary.read_mapped()
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
    if not write_or_leave_nothing(path, data):
        log.warning("Could not cache the tokenizer's dictionary at %s (a full or read-only disk)", path)


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
    """Okapi BM25 (k1=1.5, b=0.75, Lucene's idf) over tokenised documents, as bm25s scores it.

    bm25s computes every (term, document) score once, at index build time; they are saved in
    the index folder (:data:`FILE`), and a search process only sums the query terms' columns
    with numpy, exactly as bm25s does (``np.add.at`` term by term: the same floats). So no
    process but the build imports bm25s and scipy (0.35 s) or re-indexes (0.1-0.35 s).
    A query term counts once however often it is repeated."""

    FILE = "bm25.npz"

    def __init__(self, vocab: dict[str, int], data: np.ndarray, indices: np.ndarray, indptr: np.ndarray, n: int):
        self.vocab, self.data, self.indices, self.indptr, self.n = vocab, data, indices, indptr, n

    @classmethod
    def build(cls, docs: list[list[str]]) -> "BM25":
        """Index ``docs`` with bm25s."""
        if not docs:
            return cls({}, np.zeros(0, np.float32), np.zeros(0, np.int32), np.zeros(1, np.int32), 0)
        import bm25s

        bm = bm25s.BM25(k1=K1, b=B, method="lucene")
        bm.index(docs, show_progress=False)
        sc = bm.scores
        return cls(dict(bm.vocab_dict), sc["data"], sc["indices"], sc["indptr"], int(sc["num_docs"]))

    def save(self, folder: Path) -> None:
        tokens = sorted(self.vocab, key=self.vocab.__getitem__)  # no token holds a line break (tokenize strips)
        vocab = np.frombuffer("\n".join(tokens).encode("utf-8"), dtype=np.uint8)  # 0.1 MB, not 1.5 as str array
        np.savez(folder / self.FILE, data=self.data, indices=self.indices, indptr=self.indptr,
                 n=np.asarray(self.n), vocab=vocab)

    @classmethod
    def load(cls, folder: Path, count: int, docs: Callable[[], list[list[str]]]) -> "BM25":
        """The index saved in ``folder`` for ``count`` documents; built from ``docs()`` where there
        is none (an index built before it was saved) or it does not match them."""
        try:
            with np.load(folder / cls.FILE, allow_pickle=False) as z:
                tokens = z["vocab"].tobytes().decode("utf-8").split("\n")
                saved = cls({t: i for i, t in enumerate(tokens)}, z["data"], z["indices"], z["indptr"], int(z["n"]))
        except (OSError, ValueError, KeyError) as exc:  # absent or damaged (a bad decode is a ValueError)
            log.info("BM25 index not read from %s (%s): building it", folder, exc)
            return cls.build(docs())
        if saved.n != count or int(saved.indptr[-1]) != len(saved.data):
            log.warning("BM25 index in %s does not match the chunks: building it", folder)
            return cls.build(docs())
        return saved

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """One score per document (float32, 0 where no query term occurs)."""
        scores = np.zeros(self.n, dtype=np.float32)
        for t in dict.fromkeys(query_tokens):
            i = self.vocab.get(t)
            if i is not None and i + 1 < len(self.indptr):  # bm25s's vocabulary ends with "", which has no column
                start, end = self.indptr[i], self.indptr[i + 1]
                np.add.at(scores, self.indices[start:end], self.data[start:end])
        return scores
