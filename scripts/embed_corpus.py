"""Regenerate the shipped embeddings of the bundled corpus (``vectorstore/vectors/``).

    python scripts/embed_corpus.py

Run it after changing the reports, the manifest, the chunker (bump
``vectorstore.chunking.CHUNKER_VERSION``) or an encoder's version, and commit the
result: ``tests/test_vectorstore_shipped.py`` fails while the shipped vectors are stale.
It chunks the corpus and writes ``vectorstore/vectors/<model>.npz`` for the default
encoder and for the companion encoder of Chinese questions (:mod:`vectorstore.dense`),
each keyed by the corpus fingerprint, the model id and the chunker version. A chunk whose
text the same encoder already embedded in the current file is not embedded again, so after
a small change only the changed chunks are (the default encoder embeds the whole corpus
in a few minutes on 2 cores, the companion in about 20; both show progress).
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
from vectorstore.dense import COMPANION  # noqa: E402
from vectorstore.embeddings import model_id  # noqa: E402
from vectorstore.vectors import current_key, read_shipped, write_shipped  # noqa: E402


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    chunks = build_chunks()
    for spec in (DEFAULT_EMBEDDING, COMPANION):
        t0 = time.perf_counter()
        mid = model_id(spec)
        shipped = read_shipped(mid)
        vectors, embedded = embed_missing(spec, chunks, shipped[1] if shipped else {})
        path = write_shipped([c.index_text for c in chunks], vectors, mid)
        print(f"{path}: {len(chunks)} chunks ({embedded} embedded), key {current_key(mid)}, "
              f"{path.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
