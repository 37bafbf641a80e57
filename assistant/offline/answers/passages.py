"""Narrative support: search the reports (through the ``search_passages`` tool) and pick the
*sentences* inside the retrieved passages that best answer the question, each with its own
line range, so an answer can state the best sentence first and cite exactly where it is."""
from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from index_core.io import read_yaml

from ... import retrieval
from ...concept_index import vocabulary
from ...tools import ToolRunner
from . import editions
from .blocks import Cite
from .quotes import is_table_row
from .vocab import rules, words

_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z&\-]+")
_END = "。！？；!?;"
PROSE_MARKS = "，。；、"
_CAPTION = re.compile(r"^\s*(?:图|表|Figure|Table)\s*\d")
# A sentence must share at least this much with the question to count as support.
SUPPORT = 3.0
NO_QUANTITY = 0.6  # weight of a sentence with no quantity when the question asks one
NO_PLACE = 0.5  # weight of a sentence naming no place of the kind a "which district / 哪个城市" question asks
PAIR = 3.0  # weight of two adjacent words of the question said together
TRANSLATED = 1.0  # weight of a dictionary translation of an English word (vectorstore.lexicon)
SYNONYM = 2.0  # least weight of a word the reports print for one of the question (sentences.yaml)


@dataclass(frozen=True)
class Sentence:
    text: str
    source_file: str
    first: int
    last: int
    score: float = 0.0
    table: bool = False
    doc_title: str = ""

    def cite(self) -> Cite:
        return Cite(self.source_file, self.first, self.last, quote=self.text)


def search(tools: ToolRunner, query: str, k: int = 5, **filters) -> list[dict]:
    args = {"query": query[:500], "k": k, **{n: v for n, v in filters.items() if v}}
    _, res = tools.ok("search_passages", **args)
    return (res or {}).get("results", [])


def _unasked(query: str, stop: set[str]) -> str:
    """``query`` without its Chinese question words: a longer one wherever it is said, a one-character
    one only where the tokenizer reads it as a word of its own (中 of 其中, not of 中国)."""
    for w in sorted((w for w in stop if not w.isascii() and len(w) > 1), key=len, reverse=True):
        query = query.replace(w, " ")
    chars = list(query)
    for word, a, b in retrieval.words_at(query):
        if word in stop and len(word) == 1:
            chars[a:b] = [" "] * (b - a)
    return "".join(chars)


WORD = 5  # characters of a dictionary word weighted as itself inside a longer run of the question (高新技术企业)


def terms(query: str, extra: tuple[str, ...] = ()) -> dict[str, float]:
    """Weighted terms of a question: its Chinese words (and their bigrams), Latin words, the
    glossary's Chinese terms for English words, and ``extra`` names (entities) weighted up."""
    stop = set(vocabulary()["question_words"])
    out: dict[str, float] = {}
    text = _unasked(query, stop)
    for run in _CJK_RUN.findall(text):
        if len(run) >= 2:
            out[run] = max(out.get(run, 0), min(len(run), 6))
        for i in range(len(run) - 1):
            out.setdefault(run[i:i + 2], 1.0)
    for w in _LATIN.findall(query):
        if w.lower() not in stop and len(w) > 2:
            out.setdefault(w.lower(), 1.0)
    if _LATIN.search(query):
        for g in retrieval.glossary_terms(query):
            if not g.isascii() and len(g) >= 2:
                out[g] = max(out.get(g, 0), min(len(g), 4))
        for g in retrieval.search_terms(query):
            if not g.isascii() and len(g) >= 2:
                out.setdefault(g, TRANSLATED)
    if _CJK_RUN.search(text):  # two words said together ("来自企业") tell a sentence apart more than each alone
        said = [w for w in retrieval.words(text) if _CJK_RUN.fullmatch(w)]
        whole = [w for w in said if not any(w != o and w in o for o in said)]
        for a, b in zip(whole, whole[1:]):
            if a + b in text:
                out.setdefault(a + b, PAIR)
        for w in said:  # a dictionary word inside a longer run ("高新技术企业" in "重庆高新技术企业有多少家")
            if len(w) >= WORD and retrieval.in_dictionary(w):
                out[w] = max(out.get(w, 0), min(len(w), 4))
    for word, others in synonyms().items():
        if word in query.lower():  # before the question words go ("占多少" holds 多少)
            for other in others:
                out[other] = max(out.get(other, 0), out.get(word, 0), SYNONYM)
    for e in extra:
        if e:
            out[e] = 4.0
    return out


@functools.lru_cache(maxsize=1)
def sentence_vocabulary() -> dict:
    """The sentence vocabulary (``sentences.yaml``): synonyms, quantity and clause patterns."""
    return read_yaml(Path(__file__).with_name("sentences.yaml"))


@functools.lru_cache(maxsize=1)
def synonyms() -> dict[str, list[str]]:
    """The reports' words for a question's word."""
    return {str(k): [str(x).lower() for x in v] for k, v in sentence_vocabulary()["synonyms"].items()}


@functools.lru_cache(maxsize=1)
def _quantity() -> re.Pattern:
    return re.compile(str(sentence_vocabulary()["quantity_pattern"]))


def subject_pieces(query: str, entities: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What a Chinese question asks about besides its entities: every run of three or more
    characters inside its word runs (双一流高校 -> 双一流, 一流高校…), the entity names left out.
    A sentence that holds one of them speaks of the thing asked, not only of the entity."""
    out: list[str] = []
    for run in (r for r in terms(query) if _CJK_RUN.fullmatch(r) and len(r) >= 3):
        for e in entities:
            run = run.replace(e, " ")
        for part in run.split():
            out += [part[i:j] for i in range(len(part)) for j in range(i + 3, len(part) + 1)]
    return tuple(dict.fromkeys(out))


def split(hit: dict) -> list[Sentence]:
    """The sentences of a retrieved passage, each with the lines it spans; table rows stay whole."""
    first, last = int(hit["lines"][0]), int(hit["lines"][-1])
    title = hit.get("doc_title", "")
    out: list[Sentence] = []
    buf, start, pieces = "", None, 0

    def close(end: int) -> None:
        text = buf.strip()
        # a run of short fragments with no clause mark is a table header or chart labels, not prose
        # (the journal's narrow columns wrap a sentence into fragments too: it has its commas)
        labels = pieces >= 3 and len(text) / pieces < 12 and not any(c in text for c in PROSE_MARKS)
        if text:
            out.append(Sentence(text, hit["source_file"], start, end, table=labels, doc_title=title))

    for no, raw in enumerate(retrieval.lines(hit["source_file"], first, last), start=first):
        line = raw.strip()
        if not line or _CAPTION.match(line):  # figure and table captions are not statements
            continue
        if is_table_row(line):
            out.append(Sentence(line, hit["source_file"], no, no, table=True, doc_title=title))
            continue
        pieces += 1
        for ch in line:
            if not buf:
                start, pieces = no, 1
            buf += ch
            if ch in _END:
                close(no)
                buf = ""
        if buf and buf[-1].isascii():  # a wrapped English line: keep the word break
            buf += " "
    if buf.strip() and start is not None:
        close(last)
    return out


@functools.lru_cache(maxsize=1)
def _corpus_lines() -> tuple[str, ...]:
    return tuple(re.sub(r"\s+", "", ln).lower() for f in retrieval.report_files()
                 for ln in retrieval.lines(f, 1, 10**9) if ln.strip())


@functools.lru_cache(maxsize=20000)
def idf(term: str) -> float:
    """How rare a term is in the reports (inverse line frequency, 0.2..~6): 硬科技 is everywhere, 最早 is not."""
    lines = _corpus_lines()
    df = sum(1 for ln in lines if term in ln)
    return max(0.2, math.log((len(lines) + 1) / (df + 1)) / 2)


def score(sentence: str, weighted: dict[str, float], want_number: bool = False) -> float:
    flat = re.sub(r"\s+", "", sentence).lower()
    s = sum(w * idf(t) for t, w in weighted.items() if t in flat)
    if want_number and re.search(r"\d", sentence):
        s += 2.0
    return s / (1.0 + math.log1p(len(flat) / 120))


def wants_number(question: str) -> bool:
    q = question.lower()
    return any(c in q for c in words("quantity_cues"))


def _contains(text: str, needle: str) -> bool:
    """Substring, except that a number must stand alone ("8" is not in "2018")."""
    if needle.replace(".", "").isdigit():
        return re.search(rf"(?<![\d.]){re.escape(needle)}(?![\d])", text) is not None
    return needle in text


def cues(aspect: str | None) -> tuple[str, ...]:
    """Words that mark a sentence answering ``aspect`` (definition, origin, parts…)."""
    return tuple(rules()["sentence_cues"].get(aspect) or ()) if aspect else ()


_OWN = re.compile(r"[\u3400-\u9fff]+|(?:19|20)\d\d|[A-Za-z]{3,}")


def own_words(turn: str) -> tuple[str, ...]:
    """The words a short follow-up adds ("中国" of "中国呢？", "2022" of "那2022年呢", "Shenzhen" of
    "and Shenzhen?"), without its follow-up particles and question words."""
    stop = set(vocabulary()["question_words"])
    edges = "".join(sentence_vocabulary()["followup_edges"])
    out = []
    for w in _OWN.findall(turn):
        w = w.strip(edges) if not w.isascii() else w
        if (len(w) >= 2 or w.isdigit()) and w.lower() not in stop:
            out.append(w)
    return tuple(out)


def best(hits: list[dict], question: str, k: int = 3, extra: tuple[str, ...] = (),
         must: tuple[str, ...] = (), aspect: str | None = None, subject: str | None = None,
         keep: Callable[[str], bool] | None = None) -> list[Sentence]:
    """The ``k`` sentences that best answer ``question``, best first (one per line range).

    ``must``: every sentence kept contains one of these strings (e.g. a year the question names);
    ``keep``: a test every sentence kept passes, applied before one is picked per line range."""
    weighted = terms(question, extra)
    for c in cues(aspect):
        weighted[c] = max(weighted.get(c, 0), 2.0)
    numeric = wants_number(question)
    place = place_asked(question)
    scored: list[Sentence] = []
    for i, h in enumerate(hits):
        prior = 0.5 * (len(hits) - i) / max(1, len(hits))
        for s in split(h):
            if len(s.text) < 6 or (must and not any(_contains(s.text, m) for m in must)) or (keep and not keep(s.text)):
                continue
            v = score(s.text, weighted, numeric) * (0.5 if s.table else 1.0)
            if numeric and not _quantity().search(s.text):
                v *= NO_QUANTITY  # "how many / 多少": the sentence that answers states a quantity
            if place and not names_place(s.text, place, question):
                v *= NO_PLACE  # "which district…": the sentence that answers names one
            if subject and aspect and s.text.lstrip("“\"《「").startswith(subject):
                v += 2.0  # a sentence about the subject itself ("硬科技（…）是…", "硬科技的概念最早…")
            if v > 0:
                scored.append(Sentence(s.text, s.source_file, s.first, s.last, v + prior, s.table, s.doc_title))
    scored.sort(key=lambda s: -s.score)
    out: list[Sentence] = []
    for s in scored:
        if not any(o.source_file == s.source_file and o.first <= s.last and s.first <= o.last for o in out):
            out.append(s)
        if len(out) == k:
            break
    return out


def place_asked(question: str) -> tuple[str, ...]:
    """The kinds of place a question asks which of ("which district", "哪个城市"; ``sentences.yaml``
    ``place_asked``), or ``()``."""
    return tuple(k for entry in sentence_vocabulary().get("place_asked") or ()
                 if re.search(entry["pattern"], question, re.IGNORECASE) for k in entry["kinds"])


@functools.lru_cache(maxsize=256)
def _named_in(question: str) -> frozenset[str]:
    """The places a question names: read once per question, not once per sentence scored."""
    return frozenset(editions.entities_in(question))


def names_place(text: str, kinds: tuple[str, ...], question: str) -> bool:
    """Does ``text`` name a place of one of ``kinds`` that ``question`` does not name itself?"""
    named = _named_in(question)
    return any(editions.entity(n).kind in kinds for n in editions.entities_in(text) if n not in named)


def supported(sentences: list[Sentence]) -> bool:
    return bool(sentences) and sentences[0].score >= SUPPORT


SENTENCE_END = re.compile(r"[；;。]")
_CLAUSE_END = re.compile(r"[，,：:（）()]")


def _wrapped(source_file: str, line: int, reach: int = 4) -> str:
    """``line`` with the lines the PDF wrapped its last sentence onto ("次于九龙坡区、渝中区、沙" /
    "坪坝区；"): the next non-blank lines within ``reach``, up to the first sentence end."""
    text = retrieval.line_text(source_file, line).strip()
    for nxt in range(line + 1, line + 1 + reach):
        if SENTENCE_END.search(text[-1:] or "。"):
            break
        text += retrieval.line_text(source_file, nxt).strip()
    return text


def clause(source_file: str, line: int, printed: str, longest: int = 60) -> str | None:
    """The sentence of ``line`` that states ``printed`` ("上海市拥有科创板上市企业数量为5家，占全国首批29家的
    17.24%"), or its clause when the sentence is long ("深圳市拥有0所中央级高校"): how the report words
    a figure a table names otherwise; ``None`` when no short piece of the line holds it."""
    value = re.compile(rf"(?<![\d.]){re.escape(str(printed).strip())}(?![\d.])")
    for sentence in SENTENCE_END.split(_wrapped(source_file, line)):
        if not value.search(sentence):
            continue
        pieces = [sentence.strip()] if len(sentence.strip()) <= longest else [p.strip() for p in _CLAUSE_END.split(sentence)]
        found = next((p for p in pieces if value.search(p) and len(p) <= longest and re.sub(r"[\d.\s%]", "", p)), None)
        if found:
            return found
    return None
