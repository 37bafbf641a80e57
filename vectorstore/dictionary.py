"""The tokenizer's domain dictionary: jieba's dictionary cut down to what this product reads.

jieba's full dictionary (350,000 words, 500,000 entries with their prefixes) costs a
process about 65 MB and a second of CPU to load. The product only ever segments the
bundled reports and questions about them, so it ships a smaller dictionary
(``vectorstore/vectors/jieba-domain.txt.gz``, written by
``scripts/build_tokenizer_dictionary.py``): every dictionary word that occurs anywhere
in the reports (all of jieba's candidate words there, not just the ones it picks), every
common word (frequency >= :data:`COMMON_FREQ`), and the project's user words, with
jieba's original frequencies and total. On the reports it segments exactly as the full
dictionary does (the same candidates, the same probabilities; a test checks it);
elsewhere it differs only where a question uses a rare word the reports never do.

The file is keyed by jieba's version, the user words and the corpus fingerprint; when a
key does not match, :mod:`vectorstore.lexical` falls back to the full dictionary.

:func:`read_mapped` gives the same dictionary as a memory-mapped table
(:mod:`vectorstore.mapped_table`), written once per machine under ``$HARDTECH_HOME/cache``:
a process then neither decompresses and parses it (0.1 s) nor holds it as a dict (10 MB per
worker; the mapped pages are shared).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from . import mapped_table
from .config import SHIPPED_VECTORS_DIR, cache_dir

DOMAIN_DICTIONARY_PATH = SHIPPED_VECTORS_DIR / "jieba-domain.txt.gz"
#: jieba frequency from which a word is kept even if the reports never use it (36,000 words).
COMMON_FREQ = 100


@dataclass(frozen=True)
class DictionaryKey:
    jieba: str  # jieba.__version__
    user_words: str  # digest of the sorted (word, frequency) user words
    corpus: str  # corpus_fingerprint()


def user_words_digest(words: list[tuple[str, int]]) -> str:
    return hashlib.sha1(repr(sorted(words)).encode("utf-8")).hexdigest()[:16]


def candidate_words(freq: dict[str, int], texts: list[str]) -> set[str]:
    """Every dictionary word jieba considers anywhere in ``texts`` (its DAG candidates).
    ``freq`` is jieba's prefix dictionary: words, and their prefixes at frequency 0."""
    found: set[str] = set()
    for text in texts:
        for i in range(len(text)):
            j = i + 1
            frag = text[i:j]
            while j <= len(text) and frag in freq:
                if freq[frag]:
                    found.add(frag)
                j += 1
                frag = text[i:j]
    return found


def domain_words(freq: dict[str, int], texts: list[str], user_words: list[tuple[str, int]]) -> dict[str, int]:
    """The kept words with their frequencies (no prefix entries). ``freq`` is jieba's full
    prefix dictionary."""
    keep = {w: f for w, f in freq.items() if f >= COMMON_FREQ}
    keep.update((w, freq[w]) for w in candidate_words(freq, [t.lower() for t in texts]))
    keep.update(user_words)
    return keep


def with_prefixes(words: dict[str, int]) -> dict[str, int]:
    """jieba's prefix dictionary: every word, and every prefix of a word at frequency 0."""
    out = dict(words)
    for w in words:
        for k in range(1, len(w)):
            out.setdefault(w[:k], 0)
    return out


def write(path: Path, key: DictionaryKey, total: int, words: dict[str, int]) -> Path:
    lines = [json.dumps({**asdict(key), "total": total}, sort_keys=True)]
    lines += [f"{w} {f}" for w, f in sorted(words.items())]
    data = gzip.compress(("\n".join(lines) + "\n").encode("utf-8"), mtime=0)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def read(path: Path = DOMAIN_DICTIONARY_PATH) -> tuple[DictionaryKey, int, dict[str, int]] | None:
    """(key, total, words with prefixes) of the shipped dictionary, or None when absent."""
    if not path.exists():
        return None
    head, *rows = gzip.decompress(path.read_bytes()).decode("utf-8").splitlines()
    meta = json.loads(head)
    total = int(meta.pop("total"))
    words = {}
    for row in rows:
        w, _, f = row.rpartition(" ")
        words[w] = int(f)
    return DictionaryKey(**meta), total, with_prefixes(words)


def read_mapped(path: Path = DOMAIN_DICTIONARY_PATH) -> tuple[DictionaryKey, int, mapped_table.MappedTable] | None:
    """:func:`read`, as a memory-mapped table cached under ``$HARDTECH_HOME/cache`` (keyed by the
    shipped file's bytes). Where the cache cannot be written, the dict of :func:`read`."""
    if not path.exists():
        return None
    data = path.read_bytes()
    folder = cache_dir() / f"jieba-domain-{hashlib.sha1(data).hexdigest()[:16]}"
    if not (folder / "meta.json").exists():
        try:
            _write_mapped(path, folder)
        except OSError:
            return read(path)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    total = int(meta.pop("total"))
    return DictionaryKey(**meta), total, mapped_table.MappedTable(folder, "words.")


def _write_mapped(path: Path, folder: Path) -> None:
    key, total, words = read(path)
    made = not folder.parent.exists()
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        tmp = Path(tempfile.mkdtemp(dir=folder.parent, prefix=folder.name + ".tmp-"))
    except OSError:
        if made:
            folder.parent.rmdir()  # a full disk: leave nothing behind
        raise
    try:
        mapped_table.write(tmp, words.items(), "words.")
        (tmp / "meta.json").write_text(json.dumps({**asdict(key), "total": total}), encoding="utf-8")  # last
        try:
            os.replace(tmp, folder)
        except OSError:  # another process wrote it meanwhile: theirs is as good
            if not (folder / "meta.json").exists():
                raise
    finally:
        if tmp.exists():
            for f in tmp.iterdir():
                f.unlink()
            tmp.rmdir()
        if made and not (folder / "meta.json").exists():
            try:
                folder.parent.rmdir()  # a full disk: leave nothing behind (only if empty)
            except OSError:
                pass
