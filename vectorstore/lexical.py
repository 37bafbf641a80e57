"""BM25 over jieba tokens (small numpy implementation).

A private ``jieba.Tokenizer`` gets a user dictionary built from entity names and
aliases, dimension/indicator names and report titles, so 创新基础 and 深圳市
stay single tokens. The global jieba instance is never touched.
"""

from __future__ import annotations

import functools
import logging
import re
import tempfile
import threading
from collections import Counter
from pathlib import Path

import numpy as np

from .knowledge import alias_map, user_dictionary_words

_STOP = set(
    "的 了 和 与 及 是 在 为 对 等 中 其 之 也 而 并 或 以 于 将 被 由 从 到 上 下 这 那 个 各 该 其中 "
    "一个 我们 什么 为什么 怎么 如何 哪些 哪个 多少 是否 吗 呢 吧 啊 "
    "the a an of in on for to and or is are was were be by with as at from that this which what why how "
    "does do did it its into than then there their about".split()
)
_TOKEN_OK = re.compile(r"[\w\u3400-\u9fff]")
_LOCK = threading.Lock()


@functools.lru_cache(maxsize=1)
def tokenizer():
    """A private jieba.Tokenizer with the project's user dictionary."""
    import jieba

    logging.getLogger("jieba").setLevel(logging.WARNING)
    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    words = user_dictionary_words()
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        for w in words:
            fh.write(f"{w} {max(2000, 500 * len(w))}\n")
        path = fh.name
    with _LOCK:
        tk.initialize()
        tk.load_userdict(path)
    Path(path).unlink(missing_ok=True)
    return tk


def tokenize(text: str) -> list[str]:
    """Lower-cased jieba tokens minus punctuation and stop words."""
    tk = tokenizer()
    amap = _cjk_aliases()
    out = []
    for t in tk.lcut_for_search(text.lower()):
        t = t.strip()
        if not t or t in _STOP or not _TOKEN_OK.search(t):
            continue
        out.append(amap.get(t, t))
    return out


@functools.lru_cache(maxsize=1)
def _cjk_aliases() -> dict[str, str]:
    """深圳市 -> 深圳 etc., so every spelling of an entity is one BM25 term."""
    return {a: n for a, n in alias_map().items() if not a.isascii()}


class BM25:
    """Okapi BM25 (k1=1.5, b=0.75) over pre-tokenised documents."""

    def __init__(self, docs: list[list[str]], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.n = len(docs)
        self.doc_len = np.array([len(d) for d in docs], dtype=np.float32)
        self.avgdl = float(self.doc_len.mean()) if self.n else 0.0
        self.tf: list[Counter] = [Counter(d) for d in docs]
        df: Counter = Counter()
        self.postings: dict[str, list[tuple[int, int]]] = {}
        for i, c in enumerate(self.tf):
            for term, f in c.items():
                df[term] += 1
                self.postings.setdefault(term, []).append((i, f))
        self.idf = {t: float(np.log(1 + (self.n - n + 0.5) / (n + 0.5))) for t, n in df.items()}

    def scores(self, query_tokens: list[str], weights: dict[str, float] | None = None) -> np.ndarray:
        s = np.zeros(self.n, dtype=np.float32)
        if not self.n:
            return s
        norm = self.k1 * (1 - self.b + self.b * self.doc_len / max(self.avgdl, 1e-9))
        for term, qf in Counter(query_tokens).items():
            post = self.postings.get(term)
            if not post:
                continue
            w = self.idf[term] * (weights or {}).get(term, 1.0)
            idx = np.fromiter((p[0] for p in post), dtype=np.int64, count=len(post))
            f = np.fromiter((p[1] for p in post), dtype=np.float32, count=len(post))
            s[idx] += w * f * (self.k1 + 1) / (f + norm[idx])
        return s
