"""Regenerate the shipped embeddings of the bundled corpus (``vectorstore/vectors/``).

    python scripts/embed_corpus.py

Run it after changing the reports, the manifest, the chunker (bump
``vectorstore.chunking.CHUNKER_VERSION``) or the default encoder's version, and
commit the result: ``tests/test_vectorstore_shipped.py`` fails while the shipped
vectors are stale. It chunks the corpus, embeds every chunk with the default
encoder (a few minutes on 2 cores, with a progress bar) and writes
``vectorstore/vectors/<model>.npz`` keyed by the corpus fingerprint, the model id
and the chunker version.
"""
from __future__ import annotations

import logging
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from vectorstore.build_steps import embed_missing  # noqa: E402
from vectorstore.config import DEFAULT_EMBEDDING  # noqa: E402
from vectorstore.corpus import build_chunks  # noqa: E402
from vectorstore.embeddings import model_id  # noqa: E402
from vectorstore.vectors import current_key, write_shipped  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    t0 = time.perf_counter()
    chunks = build_chunks()
    vectors, embedded = embed_missing(DEFAULT_EMBEDDING, chunks, {})
    path = write_shipped([c.index_text for c in chunks], vectors, model_id(DEFAULT_EMBEDDING))
    print(f"{path}: {embedded} chunks, key {current_key(model_id(DEFAULT_EMBEDDING))}, "
          f"{path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
