"""Regenerate the tokenizer's shipped domain dictionary (``vectorstore/vectors/jieba-domain.txt.gz``)
and the corpus's BM25 tokens made with it (``vectorstore/vectors/bm25-tokens.json.gz``).

    python scripts/build_tokenizer_dictionary.py

Run it after changing the reports, the manifest, jieba's version, or anything the user
words come from (entities, edition specs, glossary.yaml), and commit the result:
``tests/test_vectorstore_shipped.py`` fails while it is stale. It loads jieba's full
dictionary, keeps the words the reports can use and the common ones (see
:mod:`vectorstore.dictionary`), and checks that every chunk tokenizes exactly as with the
full dictionary.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import jieba  # noqa: E402

from vectorstore import dictionary, lexical  # noqa: E402
from vectorstore.corpus import build_chunks, corpus_fingerprint  # noqa: E402
from vectorstore.vectors import write_shipped_tokens  # noqa: E402


def main() -> None:
    t0 = time.perf_counter()
    words = lexical._user_words()
    freq, total = lexical.full_dictionary(words)
    texts = [c.index_text for c in build_chunks()]
    kept = dictionary.domain_words(freq, texts, words)
    key = dictionary.DictionaryKey(lexical.jieba_version(), dictionary.user_words_digest(words), corpus_fingerprint())
    path = dictionary.write(dictionary.DOMAIN_DICTIONARY_PATH, key, total, kept)
    full = jieba.Tokenizer()
    full.FREQ, full.total, full.initialized = freq, total, True
    domain = jieba.Tokenizer()
    domain.FREQ, domain.total, domain.initialized = dictionary.with_prefixes(kept), total, True
    differ = sum(full.lcut_for_search(t.lower()) != domain.lcut_for_search(t.lower()) for t in texts)
    print(f"{path}: {len(kept)} words ({len(dictionary.with_prefixes(kept))} entries with prefixes) of "
          f"{sum(1 for f in freq.values() if f)}; {path.stat().st_size / 1e6:.2f} MB; key {key}; "
          f"{differ} of {len(texts)} chunks segment differently; {time.perf_counter() - t0:.0f} s")
    if differ:
        sys.exit(1)
    tokens_path = write_shipped_tokens(texts, [lexical.tokenize(t) for t in texts], lexical.tokenizer_key())
    print(f"{tokens_path}: BM25 tokens of {len(texts)} chunks, tokenizer {lexical.tokenizer_key()}, "
          f"{tokens_path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
