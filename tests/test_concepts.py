"""Concept data (assistant/offline/concepts/*.yaml) is reviewed data with provenance.

Each entry must parse against the schema, cite lines on which its quote is printed,
and state no number its quote does not hold, in either language. The checks read
the shipped corpus (byte-identical to the seed reports), never a copy of it.
"""
from __future__ import annotations

import re
import unicodedata

import pytest
import yaml

from assistant.offline.concepts import CONCEPTS_DIR, Concept, ConceptFile, all_concepts, load_files
from assistant.numerals import chinese_int as cn_to_int
from index_core import io
from tests.conftest import CORPUS

FILES = load_files()
ENTRIES = [c for f in FILES for c in f.concepts]
MANIFEST = yaml.safe_load((CORPUS / "manifest.yaml").read_text(encoding="utf-8"))["documents"]


def _norm(text: str) -> str:
    """Compatibility-normalised (fullwidth and subscript forms folded), all whitespace removed:
    the reports are PDF extractions whose line breaks and spacing carry no meaning."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _cited_text(c: Concept, seed_lines) -> str:
    first, last = c.source.lines
    return _norm("".join(seed_lines(c.source.file)[first - 1 : last]))


def quote_found(quote: str, cited: str) -> bool:
    """Each "…"-separated segment of ``quote`` is in ``cited``, in order."""
    pos = 0
    for segment in quote.split("…"):
        seg = _norm(segment)
        if not seg:
            continue
        hit = cited.find(seg, pos)
        if hit < 0:
            return False
        pos = hit + len(seg)
    return True


_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_EN_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_EN_WORDS.update({"thirty": 30, "forty": 40, "fifty": 50})
_EN_NUMBER = re.compile(r"\b(" + "|".join(w for w in _EN_WORDS if _EN_WORDS[w] >= 2) + r")\b", re.I)
_CN_NUMERAL = "〇零一二两三四五六七八九十百千"
# A Chinese count ("八大领域", "五个维度", "第三梯队"); a bare 一 is too often a word to count.
_CN_COUNT = re.compile(rf"第([{_CN_NUMERAL}]+)|([{_CN_NUMERAL}]*[二两三四五六七八九十][{_CN_NUMERAL}]*)"
                       r"(?=个|大|项|类|条|种|所|家|名|位|层|级|批|部分|方面|阶段|维度|方向|领域|路|步|梯队|次|篇|倍)")


def _token_values(token: str) -> set[float]:
    """Every way a printed number may be read: '2,506' 2506, '2,73' 2.73 (a decimal comma,
    as the reports sometimes print), '9.74' 9.74; and its comma-separated pieces."""
    values = {float(p) for p in re.split(r",", token) if re.fullmatch(r"\d+(?:\.\d+)?", p)}
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", token):
        values.add(float(token.replace(",", "")))
    if re.fullmatch(r"\d+,\d{1,2}", token):
        values.add(float(token.replace(",", ".")))
    if re.fullmatch(r"\d+(?:\.\d+)?", token):
        values.add(float(token))
    return values


def _primary(token: str) -> float:
    """How an answer's own number reads: thousands separators dropped, a lone ',dd' as decimals."""
    if re.fullmatch(r"\d+,\d{1,2}", token):
        return float(token.replace(",", "."))
    return float(token.replace(",", ""))


def quote_values(quote: str) -> set[float]:
    text = unicodedata.normalize("NFKC", quote)
    values: set[float] = set()
    for m in _DIGITS.finditer(text):
        values |= _token_values(m.group(0))
    # Chinese numerals, with 万/亿 only where no Arabic number precedes them: 一万 10000 and
    # 每万人 (a bare 万, ten thousand), but not the unit in 3.48万件.
    for m in re.finditer(rf"(?<!\d)(?<!\d\.)[{_CN_NUMERAL}万亿]+", text):
        v = cn_to_int(m.group(0))
        if v is not None:
            values.add(float(v))
        values |= {float(cn_to_int(ch)) for ch in m.group(0) if cn_to_int(ch) is not None}
    return values


def answer_numbers(text: str) -> list[tuple[str, float]]:
    """Every number a reader would take as a claim: digits, English number words, Chinese counts."""
    text = unicodedata.normalize("NFKC", text)
    found = [(m.group(0), _primary(m.group(0))) for m in _DIGITS.finditer(text)]
    found += [(m.group(0), 10000.0) for m in re.finditer(r"(?i)\bten thousand\b", text)]
    text = re.sub(r"(?i)\bten thousand\b", " ", text)
    found += [(m.group(0), float(_EN_WORDS[m.group(1).lower()])) for m in _EN_NUMBER.finditer(text)]
    for m in _CN_COUNT.finditer(text):
        numeral = m.group(1) or m.group(2)
        v = cn_to_int(numeral)
        if v is not None:
            found.append((m.group(0), float(v)))
    return found


def unsupported_numbers(c: Concept) -> list[str]:
    allowed = quote_values(c.quote)
    texts = [c.answer.zh, c.answer.en] + [p.zh for p in c.parts] + [p.en for p in c.parts]
    return [f"{tok!r} in {t[:40]!r}…" for t in texts for tok, v in answer_numbers(t) if v not in allowed]


# --- the helpers themselves, on hand-made cases ---------------------------------------

def test_number_readings_follow_the_printed_forms():
    assert quote_values("比重为2,73%，居首位") >= {2.73, 2.0, 73.0}
    assert 2506.0 in quote_values("从2012年的2506家增加")
    assert 8.0 in quote_values("硬科技八路军") and 36.0 in quote_values("三十六个城市")
    assert 10000.0 in quote_values("每万人研发人员") and 10000.0 not in quote_values("3.48万件")
    assert [v for _, v in answer_numbers("printed 2,73%, read as 2.73%")] == [2.73, 2.73]
    assert [v for _, v in answer_numbers("eight fields, 第三梯队 and 五个维度")] == [8.0, 3.0, 5.0]
    assert [v for _, v in answer_numbers("per ten thousand residents")] == [10000.0]
    assert answer_numbers("统一的一级指标") == []  # a bare 一 is a word, not a claim


def test_quote_matching_ignores_line_breaks_and_respects_order():
    cited = _norm("硬科技的概念最早是由中国科学院西安光机所\n米磊博士在 2010 年独立提出的。")
    assert quote_found("米磊博士在2010年独立提出的", cited)
    assert quote_found("硬科技的概念…独立提出的", cited)
    assert not quote_found("独立提出的…硬科技的概念", cited)
    assert not quote_found("米磊博士在2011年", cited)


# --- the shipped data ----------------------------------------------------------------

def test_every_report_in_the_corpus_manifest_has_a_concept_file():
    reports = {f.report for f in FILES}
    for doc in MANIFEST:
        assert doc["source_file"] in reports, f"no concept file for {doc['source_file']}"
        assert (CONCEPTS_DIR / (doc["source_file"].removesuffix(".txt") + ".yaml")).is_file()
    assert {p.stem for p in CONCEPTS_DIR.glob("*.yaml")} == {f.report.removesuffix(".txt") for f in FILES}


def test_every_file_parses_against_the_schema_and_ids_are_unique():
    for path in sorted(CONCEPTS_DIR.glob("*.yaml")):
        parsed = ConceptFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        assert parsed.report == path.stem + ".txt"
    ids = [c.id for c in ENTRIES]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert len(all_concepts()) == len(ids)


@pytest.mark.parametrize("c", ENTRIES, ids=lambda c: c.id)
def test_quote_is_printed_on_the_cited_lines(c, seed_lines):
    lines = seed_lines(c.source.file)
    assert c.source.lines[1] <= len(lines), f"{c.id}: line {c.source.lines[1]} is past the end ({len(lines)})"
    assert quote_found(c.quote, _cited_text(c, seed_lines)), f"{c.id}: quote not on lines {list(c.source.lines)}"


@pytest.mark.parametrize("c", ENTRIES, ids=lambda c: c.id)
def test_every_number_in_the_answer_is_in_the_quote(c):
    assert unsupported_numbers(c) == []


def test_every_edition_named_exists():
    known = set(io.edition_ids())
    assert {c.edition for c in ENTRIES if c.edition} <= known


def test_the_journal_has_one_article_entry_per_article_tiling_the_issue():
    """One ``article`` entry per article, in order, whose line ranges tile the whole issue,
    each named by the article's title (as the retrieval manifest knows it) and listing its key
    figures. Ranges are read from the report itself: article 3's first paragraph (lines
    1126-1127) precedes its printed title, so ranges need not equal the manifest's chunking."""
    journal = next(d for d in MANIFEST if d.get("articles"))
    articles = sorted((c for c in ENTRIES if c.kind == "article"), key=lambda c: c.source.lines)
    assert len(articles) == len(journal["articles"]) == 14
    assert all(c.source.file == journal["source_file"] for c in articles)
    assert articles[0].source.lines[0] == 1
    text_lines = [i for i, line in enumerate((CORPUS / journal["source_file"]).read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
    assert articles[-1].source.lines[1] == text_lines[-1]
    for before, after in zip(articles, articles[1:]):
        assert after.source.lines[0] == before.source.lines[1] + 1, (before.id, after.id)
    for c, meta in zip(articles, journal["articles"]):
        assert meta["title_zh"] in c.names.zh, (c.id, meta["title_zh"])
        assert c.parts, f"{c.id}: list the article's key figures or points"


def test_each_report_is_covered_start_to_end():
    """Systematic, not sampled: entries spread over each report's content (at least one per
    tenth of the lines that hold text), so no chapter is skipped."""
    for f in FILES:
        keep = next(d for d in MANIFEST if d["source_file"] == f.report).get("keep_lines")
        total = keep[1] if keep else len((CORPUS / f.report).read_text(encoding="utf-8").splitlines())
        covered = {min(9, (line - 1) * 10 // total) for c in f.concepts for line in c.source.lines if line <= total}
        assert covered == set(range(10)), f"{f.report}: no entry in tenths {sorted(set(range(10)) - covered)}"
