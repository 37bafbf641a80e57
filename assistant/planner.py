"""Deterministic planner: question (+ history) -> :class:`Plan`.

Detects the language, the intent, the entities (the registry's aliases, also
loaded into a jieba dictionary), dimensions, indicators, edition and top-N, and
resolves follow-ups ("And its rank?", "那杭州呢？", "compare it with 2020") from
the earlier user turns.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from index_core import catalog, io

from . import retrieval

EDITIONS = ("hardtech-2019", "hardtech-2020", "gtii-2019", "chongqing-2018q3")
CITY_EDITIONS = ("hardtech-2020", "hardtech-2019")

INTENTS = ("value", "rank", "compare", "topn", "why", "how", "definition", "method", "whatif", "sensitivity",
           "trend", "tiers", "facts", "search", "out_of_scope", "refuse")


@dataclass
class Plan:
    question: str
    lang: str
    intent: str
    entities: list[str] = field(default_factory=list)
    edition: str | None = None
    edition_explicit: bool = False
    editions_mentioned: list[str] = field(default_factory=list)
    unknown_edition: str | None = None
    dimension: str | None = None  # dimension key in ``edition``
    dimension_mentions: list[tuple[str, str]] = field(default_factory=list)  # (edition, key)
    overall: bool = False
    indicator_terms: list[str] = field(default_factory=list)
    top_n: int | None = None
    bottom: bool = False
    weights: dict[str, float] | None = None
    inherited: list[str] = field(default_factory=list)
    change: str | None = None  # "rise" | "fall" for quarter-on-quarter questions
    offset: int = 0  # rows of a ranking already shown ("the next two" after a top 3)
    unknown_entities: list[str] = field(default_factory=list)  # place names the registry does not know (洛阳)
    unknown_measure: str | None = None  # a quantity no edition measures (GDP, population...)
    composite_pref: str | None = None  # "printed" | "computed": which composite the question asks for
    focus: str | None = None  # "discrepancy" (why printed and computed differ), "origin" (who coined a term), "coverage" (how many entities)
    previous_period: bool = False  # "last quarter" / 上个季度: the report's stated earlier value


# ----------------------------------------------------------------------------- lexicons
_CJK = re.compile(r"[\u3400-\u9fff]")


def detect_language(text: str) -> str:
    cjk = len(_CJK.findall(text))
    latin = len(re.findall(r"[A-Za-z]", text))
    return "zh" if cjk * 3 >= latin or cjk >= 12 else "en"


@functools.lru_cache(maxsize=1)
def _tokenizer():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tk = jieba.Tokenizer()
    words = set(retrieval.user_dictionary_words())
    words.update(io.load_registry().alias_map())
    for kw in _ZH_KEYWORDS:
        words.add(kw)
    for w in words:
        if w and not w.isascii() and " " not in w:
            tk.add_word(w, freq=200000)
    return tk


def tokens(text: str) -> list[str]:
    return [t for t in _tokenizer().lcut(text) if t.strip()]


_ZH_KEYWORDS = ["为什么", "为何", "原因", "薄弱", "短板", "优势", "排名", "第几", "名次", "得分", "分数", "多少", "对比", "比较",
                "相比", "权重", "梯队", "方法", "计算", "指标", "定义", "硬科技", "趋势", "变化", "如果", "假如", "假设", "等权",
                "敏感性", "稳健", "倒数", "最后", "最高", "最低", "领先", "哪些", "哪个", "增幅最大", "降幅最大", "第一类",
                "第二类", "第三类", "第四类", "无量纲", "归一化"]

@functools.lru_cache(maxsize=1)
def dimension_forms() -> list[tuple[str, str, str]]:
    """(surface form, edition, key), longest first."""
    out: list[tuple[str, str, str]] = []
    for eid in io.edition_ids():
        for d in io.load_edition(eid).spec.dimensions:
            out.append((d.zh, eid, d.key))
            out.append((d.en.lower(), eid, d.key))
            out += [(f, eid, d.key) for f in d.aliases]
    out.sort(key=lambda x: -len(x[0]))
    return out


def dimension_label(edition: str, key: str, lang: str) -> str:
    for d in io.load_edition(edition).spec.dimensions:
        if d.key == key:
            return d.zh if lang == "zh" else d.en
    return key


# ----------------------------------------------------------------------------- cues
def _has(text: str, words: list[str]) -> bool:
    t = text.lower()
    for w in words:
        if w.isascii():
            if re.search(r"(?<![a-z])" + re.escape(w) + r"(?![a-z])", t):
                return True
        elif w in text:
            return True
    return False


INJECTION = [
    r"ignore (?:all |any |your |the |my |previous |prior |above |these )*(?:rules|instructions|prompt|guidelines)",
    r"disregard (?:all |any |your |the |previous |prior )*(?:rules|instructions)", r"forget (?:all |your )*(?:rules|instructions)",
    r"system prompt", r"jailbreak", r"you are now", r"pretend (?:to be|that)", r"developer mode",
    r"忽略.{0,6}(?:规则|指令|设定|要求|提示)", r"无视.{0,6}(?:规则|指令)", r"忘记.{0,6}(?:规则|指令)", r"系统提示", r"假装", r"扮演",
]
WRITE = [r"\b(?:delete|overwrite|modify|change|update|edit|set|write)\b.{0,40}\b(?:data|file|score|scores|database|csv|record)s?\b",
         r"(?:删除|修改|篡改|改写|写入|更新).{0,10}(?:数据|文件|得分|分数|排名)", r"rm -rf"]

DOMAIN = ["硬科技", "指数", "排名", "梯队", "得分", "分数", "权重", "指标", "维度", "城市", "区县", "双创", "创新", "科技", "白皮书",
          "报告", "方法", "第几", "名次", "hard tech", "hard-tech", "hardtech", "index", "indices", "rank", "ranking", "ranks", "tier",
          "tiers", "score", "scores", "weight", "weights", "indicator", "indicators", "dimension", "dimensions", "innovation",
          "report", "white paper", "whitepaper", "method", "methodology", "city", "cities", "district", "districts", "edition",
          "editions", "gtii", "top", "class"]

WHATIF = ["what if", "what-if", "if the weights", "if weights", "equal weights", "equally weighted", "equal weighting",
          "re-weight", "reweight", "如果", "假如", "假设", "若权重", "等权", "权重相同", "权重相等"]
SENSITIVITY = ["sensitivity", "sensitive", "robust", "robustness", "perturb", "敏感", "稳健", "扰动"]
DEFINITION = ["what is hard tech", "what is hard-tech", "what does hard tech", "what does hard-tech", "define hard", "definition",
              "meaning of hard", "who coined", "who proposed", "who first proposed", "who first coined", "who introduced",
              "who came up with", "origin of", "首先提出", "最早提出", "最先提出", "谁最早", "谁首先", "什么是硬科技", "硬科技是什么", "硬科技的定义", "定义", "含义",
              "概念", "谁提出", "起源", "是什么意思", "哪些领域", "eight fields", "8 fields", "八大领域", "technology pyramid", "金字塔"]
METHOD = ["how is", "how are", "how was", "how were", "calculated", "computed", "calculate", "compute", "method", "methodology",
          "weight", "weights", "weighting", "normalis", "normaliz", "min-max", "how many indicators", "which indicators",
          "what indicators", "indicator system", "data year", "threshold", "thresholds",
          "怎么算", "如何计算", "怎么计算", "计算方法", "评价方法", "权重", "无量纲", "归一化", "指标体系", "哪些指标", "几个指标", "门槛", "如何划分", "怎么划分"]
TIERS = ["tier", "tiers", "echelon", "梯队", "class 1", "class 2", "class 3", "class 4", "classes", "第一类", "第二类", "第三类", "第四类", "哪一类", "几类", "哪几类", "类别"]
TREND = ["trend", "over time", "across editions", "across the editions", "both editions", "each edition", "every edition",
         "changed", "change between", "over the years", "between editions", "历年", "趋势", "各版本", "两个版本", "两版", "各个版本",
         "变化", "前后"]
COMPARE = ["compare", "comparison", "versus", "vs", "vs.", "against", "stronger than", "weaker than", "better than",
           "对比", "比较", "相比", "哪个更", "谁更", "比"]
WHY = ["why", "reason", "reasons", "explain", "weak", "weakness", "weaknesses", "lag", "lags", "lagging", "behind", "low on",
       "为什么", "为何", "原因", "薄弱", "短板", "弱", "落后", "靠后", "解释"]
STRONG = ["strong", "strength", "strengths", "good at", "advantage", "优势", "强项", "长处"]
HOW = ["how did", "made up", "how far", "还差", "差多少", "差距多大", "composed", "composition", "contribut", "breakdown", "break down", "gap", "close the gap",
       "next tier", "next rank", "构成", "贡献", "差距", "怎么得到", "如何得到", "拆解"]
TOPN = ["top", "bottom", "best", "worst", "highest", "lowest", "leading", "leader", "leaders", "which city", "which cities",
        "which district", "which districts", "who ranks", "who is first", "first place", "list", "strongest", "weakest",
        "前", "倒数", "最高", "最低", "最强", "最弱", "哪些", "哪个城市", "哪座城市", "哪个区县", "第一名", "排名第一", "领先", "末位", "最后一名",
        "垫底", "排最后", "which one", "last place", "comes last", "is last", "ranks last", "ranked last"]
RANK = ["rank", "ranks", "ranking", "ranked", "position", "place", "排名", "第几", "名次", "位次", "排第", "几名"]
VALUE = ["score", "scores", "scored", "value", "index value", "points", "how many points", "得分", "分数", "多少分", "指数值", "多少"]
FACTS = ["how many", "number of", "how much", "per 10k", "per 10,000", "universities", "university", "students", "patents",
         "laboratories", "labs", "r&d", "institutes", "incubators", "enterprises", "firms", "air quality", "productivity",
         "多少个", "多少所", "几所", "几个", "多少家", "高校", "大学", "在校", "专利", "实验室", "科研院所", "研发", "孵化器", "企业数",
         "空气质量", "劳动生产率", "国际科技合作基地", "规模", "基金", "数量", "众创空间"]
PATTERN = ["pattern", "patterns", "distribution", "geograph", "regional", "格局", "态势", "分布", "特点", "特征", "地区差异"]
OFFTOPIC = ["weather", "stock", "stocks", "poem", "recipe", "joke", "movie", "football", "restaurant", "translate this",
            "天气", "股票", "写诗", "一首", "笑话", "菜谱", "电影", "足球", "餐厅"]
OVERALL = ["overall", "composite", "total", "综合", "总分", "总体"]
PRONOUN = ["it", "its", "it's", "they", "their", "them", "this city", "that city", "the city", "same city", "它", "它的", "该市", "这个城市",
           "该城市", "这座城市", "那里", "该区", "该区县"]
CHANGE_RISE = ["largest rise", "largest increase", "biggest rise", "biggest increase", "rose the most", "increased the most",
               "增幅最大", "上升最多", "提升最大", "涨幅最大"]
CHANGE_FALL = ["largest fall", "largest drop", "largest decline", "largest decrease", "biggest fall", "biggest drop",
               "fell the most", "dropped the most", "降幅最大", "下降最多", "下降最大", "跌幅最大"]
# References to several entities named in the previous answer ("which of the two", 这两个城市)
PLURAL_REF = ["the two", "both", "these two", "those two", "which of the two", "either of them", "them", "these cities",
              "those cities", "the pair", "两者", "二者", "这两个", "这两座", "两座城市", "两个城市", "两市", "它们", "这几个", "这些城市"]
# "the next two" after a top 3: continue the ranking
NEXT = re.compile(r"(?i)\b(?:the\s+)?(?:next|following)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\b"
                  r"|(?:接下来|再往后|之后|随后|后面)的?\s*(\d{1,2}|十|[一二两三四五六七八九])\s*(?:个|座|名|位|家)?")
# The previous period of a quarterly index ("last quarter", 上个季度)
PREVIOUS_PERIOD = ["last quarter", "previous quarter", "prior quarter", "quarter before", "the second quarter", "q2",
                   "上个季度", "上季度", "上一季度", "前一季度", "第二季度", "第2季度", "二季度"]
# Printed versus recomputed composite
COMPUTED_ASK = ["recomputed", "recompute", "re-computed", "recalculated", "recalculate", "computed from", "calculated from",
                "derived from the dimension", "from the dimension scores", "by the method", "with the method", "method's",
                "重新计算", "重算", "由维度得分", "按方法", "按其方法", "的方法由", "按照方法", "计算得出", "计算值"]
PRINTED_ASK = ["print", "prints", "printed", "published", "report give", "report gives", "report state", "report states",
               "印出", "印刷", "公布", "报告中印", "报告给出", "报告写"]
DISCREPANCY = ["difference between", "differ", "different numbers", "two numbers", "two values", "discrepancy", "mismatch",
               "inconsistent", "inconsistency", "not the same", "why two", "差异", "不一致", "不一样", "两个数", "两个值",
               "两个分数", "为何不同", "为什么不同", "差了", "相差"]
ORIGIN = ["who coined", "who proposed", "who first", "who introduced", "who came up with", "when was", "when did", "origin",
          "谁提出", "谁最早", "谁首先", "最早提出", "首先提出", "最先提出", "何时提出", "什么时候提出", "起源", "诞生", "由来"]
COVERAGE = ["how many cities", "how many districts", "how many entities", "cover", "covers", "covered", "多少个城市", "几个城市",
            "多少座城市", "多少个区县", "几个区县", "覆盖", "涵盖", "包括多少", "包含多少", "共有多少", "共多少"]
# Quantities that no edition measures: asked for, they are declined (with what the index does say)
NON_INDEX_MEASURES = [
    (re.compile(r"(?i)(?<![A-Za-z])GDP(?![A-Za-z])(?!\s*(?:比重|占比|的比重|share|ratio))|国内生产总值|地区生产总值|经济总量"), "GDP"),
    (re.compile(r"(?i)\bpopulation\b|(?<![万千百每])人口(?:数|总数|规模|数量)?(?!密度)"), "population"),
    (re.compile(r"(?i)house prices?|housing prices?|房价"), "house prices"),
    (re.compile(r"(?i)average (?:wage|salary|income)|平均工资|人均收入|可支配收入"), "income"),
    (re.compile(r"(?i)fiscal revenue|财政收入|税收"), "fiscal revenue"),
]
_SHARE_CUE = re.compile(r"(?i)占.{0,12}(?:GDP|生产总值)|(?:%|percent|share|ratio)\s*of\s*(?:the\s*)?GDP|GDP\s*(?:比重|占比)|研发|R&D|经费|技术合同|外资")

CHINESE_NUMS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                "十五": 15, "二十": 20}
EN_NUMS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
           "fifteen": 15, "twenty": 20}


@functools.lru_cache(maxsize=1)
def _added_editions() -> dict[str, tuple[int, tuple[str, ...]]]:
    """Editions the rules here do not know (a user's, ``hardtech edition add``): each one's
    year and the names its spec gives it (id, names, title, report; with and without the
    bracketed part), longest first. Linked from the data, never by a rule."""
    out = {}
    for eid in io.edition_ids():
        if eid in EDITIONS:
            continue
        spec = io.load_edition(eid).spec
        forms = [eid, spec.title.zh, spec.title.en, *spec.edition_names("zh"), *spec.edition_names("en")]
        forms += [spec.report.zh, spec.report.en] if spec.report else []
        forms += [re.sub(r"\s*[（(][^）)]*[）)]", "", f).strip() for f in forms]
        out[eid] = (spec.edition_year, tuple(sorted({f.lower() for f in forms if len(f) >= 4}, key=len, reverse=True)))
    return out


def _editions_in(text: str) -> tuple[list[str], str | None]:
    """Editions the text names, and an unknown edition year if it names one."""
    t = text.lower()
    found: list[str] = [eid for eid, (_, forms) in _added_editions().items() if any(f in t for f in forms)]
    for eid in EDITIONS:
        if eid in t:
            found.append(eid)
    gtii = _has(text, ["gtii", "gtii-city", "global", "world", "worldwide", "全球", "世界", "国际城市"])
    cq = _has(text, ["双创", "区县", "district", "districts", "county", "counties", "重庆区县", "q3", "third quarter", "第三季度", "第3季度"])
    unknown = None
    for m in re.finditer(r"(?<!\d)((?:19|20)\d{2})(?!\d)", text):
        y = int(m.group(1))
        after = text[m.end():m.end() + 3]
        if y == 2019:
            found.append("gtii-2019" if gtii and not _city_2019(text, m.start(), m.end()) else "hardtech-2019")
        elif y == 2020:
            found.append("hardtech-2020")
        elif y == 2018 and not gtii:
            found.append("chongqing-2018q3")
        elif 2012 <= y <= 2017 or (y == 2018 and gtii):
            continue  # data years inside the editions
        elif any(year == y for year, _ in _added_editions().values()):
            found += [eid for eid, (year, _) in _added_editions().items() if year == y and eid not in found]
        elif unknown is None and not re.match(r"\s*(?:家|个|所|件|人|项|亿|万|元|%)", after):
            unknown = m.group(1)
    if gtii and "gtii-2019" not in found:
        found.append("gtii-2019")
    if cq and "chongqing-2018q3" not in found and not found:
        found.append("chongqing-2018q3")
    if _has(text, ["城市硬科技指数"]) and not found:
        found.append("hardtech-2020")
    if _has(text, ["城市产业创新综合能力", "industrial innovation capability"]) and "hardtech-2019" not in found:
        found.append("hardtech-2019")
    return list(dict.fromkeys(found)), unknown


_SEGMENT = re.compile(r"[,，、;；]|\band\b|\bor\b|和|与|以及|及")


def _city_2019(text: str, start: int, end: int) -> bool:
    """In a question that also names GTII, does this mention of 2019 belong to the 2019 city
    index ("the 2019 city industrial innovation index, the 2020 ... and GTII-City 2019")?
    Yes when its own clause names the city index and not GTII."""
    cuts = [0] + [m.end() for m in _SEGMENT.finditer(text)] + [len(text)]
    lo = max(c for c in cuts if c <= start)
    hi = min([m.start() for m in _SEGMENT.finditer(text) if m.start() >= end] or [len(text)])
    clause = text[lo:hi]
    if _has(clause, ["gtii", "gtii-city", "global", "world", "worldwide", "全球", "世界", "国际城市"]):
        return False
    return _has(clause, ["industrial", "产业", "城市产业", "hardtech-2019", "白皮书产业篇"])


def _dimensions_in(text: str) -> list[tuple[str, str]]:
    low = text.lower()
    taken = [False] * len(low)
    hits: list[tuple[int, str, str]] = []
    for form, eid, key in dimension_forms():
        src = low if form.isascii() else text
        pat = (r"(?<![a-z])" + re.escape(form) + r"(?![a-z])") if form.isascii() else re.escape(form)
        for m in re.finditer(pat, src):
            if any(taken[m.start():m.end()]):
                # the same span may name the same dimension in another edition (创新环境: 2019 and 2020)
                if any(h[0] == m.start() for h in hits):
                    hits.append((m.start(), eid, key))
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            hits.append((m.start(), eid, key))
    hits.sort()
    return list(dict.fromkeys((e, k) for _, e, k in hits))


def _top_n(text: str) -> tuple[int | None, bool]:
    t = text.lower()
    bottom = _has(text, ["bottom", "worst", "lowest", "weakest", "last", "倒数", "最低", "最弱", "末位", "最后", "后"]) and not _has(text, ["top", "前"])
    m = re.search(r"(?:top|bottom|first|last|best|worst)\s*(\d{1,2})\b", t) or re.search(r"(?:前|后|倒数)\s*(\d{1,2})", text)
    if m:
        return int(m.group(1)), bottom
    m = re.search(r"(?:top|bottom|first|last|best|worst)\s+(" + "|".join(EN_NUMS) + r")\b", t)
    if m:
        return EN_NUMS[m.group(1)], bottom
    m = re.search(r"\b(\d{1,2}|" + "|".join(EN_NUMS) + r")\s+(?:highest|best|top|leading|strongest|lowest|weakest|worst)", t)
    if m:
        g = m.group(1)
        return (int(g) if g.isdigit() else EN_NUMS[g]), bottom
    m = re.search(r"(?:最高|最低|最强|最弱|领先)的?\s*(\d{1,2}|二十|十五|十|[一二两三四五六七八九])\s*(?:个|座|名|家)", text)
    if m:
        g = m.group(1)
        return (int(g) if g.isdigit() else CHINESE_NUMS[g]), bottom
    m = re.search(r"(?:前|后|倒数)(二十|十五|十|[一二两三四五六七八九])", text)
    if m:
        return CHINESE_NUMS[m.group(1)], bottom
    m = re.search(r"(\d{1,2}|二十|十五|十|[一二两三四五六七八九])\s*(?:个|座|名|大)?\s*(?:城市|区县|区)", text)
    if m:
        g = m.group(1)
        return (int(g) if g.isdigit() else CHINESE_NUMS[g]), bottom
    if _has(text, ["第一名", "排名第一", "who is first", "first place", "ranks first", "ranked first", "最高", "最强", "highest",
                   "strongest", "best", "leader", "leading", "top city", "number one", "no. 1"]):
        return 1, False
    if _has(text, ["最低", "最弱", "lowest", "weakest", "worst", "最后一名", "末位", "last place", "ranks last", "ranked last",
                   "is last", "comes last", "last one", "垫底", "排最后", "倒数第一", "最后"]) or \
            re.search(r"(?i)\blast\b(?!\s+(?:quarter|year|edition|time|question|answer))", text):
        return 1, True
    return None, bottom


def _weights(text: str, edition: str) -> dict[str, float] | None:
    keys = [d.key for d in io.load_edition(edition).spec.dimensions]
    pairs = re.findall(r"([a-z_]+)\s*=\s*(\d+(?:\.\d+)?)", text)
    if pairs:
        return {k: float(v) for k, v in pairs}
    m = re.search(r"(\d+(?:\.\d+)?%?(?:\s*[/:,，]\s*\d+(?:\.\d+)?%?){2,})", text)
    if m:
        nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", m.group(1))]
        if len(nums) == len(keys):
            return dict(zip(keys, nums))
    if _has(text, ["equal", "equally", "等权", "相同", "相等", "平均"]):
        return {k: 1.0 for k in keys}
    # "double the weight of X" / "X 权重翻倍"
    dims = [k for e, k in _dimensions_in(text) if e == edition]
    if dims and _has(text, ["double", "twice", "翻倍", "加倍"]):
        base = {d.key: float(d.weight or 0) for d in io.load_edition(edition).spec.dimensions}
        base[dims[0]] *= 2
        return base
    return None


# ----------------------------------------------------------------------------- unknown names
# Place-like words that are not index entities: countries, regions, generic words jieba tags as places.
_NOT_A_CITY = {"中国", "全国", "全球", "世界", "国内", "国外", "国际", "海外", "城市", "维度", "山区", "东部", "西部", "中部", "南方",
               "北方", "东北", "西北", "西南", "东南", "华北", "华东", "华南", "华中", "沿海", "内地", "亚洲", "欧洲", "美洲", "非洲",
               "美国", "日本", "韩国", "英国", "法国", "德国", "印度", "长三角", "珠三角", "京津冀", "粤港澳", "大湾区", "成渝",
               "省会", "主城", "市区", "地区", "区县", "重庆区县"}
_EN_NOT_NAMES = {"what", "which", "where", "who", "how", "why", "when", "is", "does", "did", "the", "and", "or", "of", "in", "a",
                 "an", "china", "chinese", "gtii", "city", "cities", "index", "indices", "hard", "tech", "hard-tech", "white",
                 "paper", "global", "technology", "innovation", "industrial", "capability", "district", "districts",
                 "chongqing's", "mi", "lei", "compare", "list", "top", "rank", "score", "and", "in", "q3", "class", "tier",
                 "report", "and", "both", "its", "it", "answer", "from", "yes", "no", "sorry", "ignore", "system", "tool"}
_EN_NAME_SLOT = re.compile(
    r"\b([A-Z][a-z]{2,}(?:[ -][A-Z][a-z]{2,})?)(?:'s\b|\s+(?:rank|ranks|ranked|score|scores|scored|get|gets|got|place|places|"
    r"stand|stands|do|did|perform|performs|performed)\b)")
_EN_NAME_AFTER = re.compile(r"\b(?:does|did|is|was|about|for)\s+([A-Z][a-z]{2,}(?:[ -][A-Z][a-z]{2,})?)\b(?=\s*(?:\?|rank|score|get|place|stand|in\b|on\b|do\b))")


@functools.lru_cache(maxsize=1)
def _posseg():
    import logging

    import jieba
    import jieba.posseg as pseg

    jieba.setLogLevel(logging.WARNING)
    return pseg


def unknown_places(text: str) -> list[str]:
    """Place names in ``text`` that are not entities of any edition (洛阳, Luoyang).

    Chinese: words jieba tags as place names (``ns``) once every known alias is blanked
    out; English: capitalised names in an entity slot ("Luoyang's score", "does Luoyang rank")."""
    reg = io.load_registry()
    blank = text
    for m in reversed(list(reg._mention_pattern.finditer(text))):
        blank = blank[:m.start()] + "，" + blank[m.end():]
    out: list[str] = []
    if _CJK.search(blank):
        for w, flag in _posseg().lcut(blank):
            if flag == "ns" and 2 <= len(w) <= 6 and w not in _NOT_A_CITY and not reg.lookup(w) and w not in out \
                    and not any(x in w for x in ("城市", "维度", "指数", "区县")):
                out.append(w)
    for rx in (_EN_NAME_SLOT, _EN_NAME_AFTER):
        for m in rx.finditer(blank):
            name = m.group(1)
            words = re.split(r"[ -]", name.lower())
            if any(w in _EN_NOT_NAMES for w in words) or reg.lookup(name) or name in out:
                continue
            if any(name.lower() in f for f, _, _ in dimension_forms()):
                continue
            out.append(name)
    return out


# ----------------------------------------------------------------------------- planning
def _default_edition(entities: list[str], dims: list[tuple[str, str]]) -> str:
    if dims:
        eds = list(dict.fromkeys(e for e, _ in dims))
        if len(eds) == 1:
            return eds[0]
        for pref in ("hardtech-2019", "hardtech-2020"):
            if pref in eds:
                return pref
    if entities:
        reg = io.load_registry()
        kinds = {reg.get(e).kind for e in entities}
        if kinds == {"district"}:
            return "chongqing-2018q3"
        if kinds == {"global_city"}:
            return "gtii-2019"
        for eid in CITY_EDITIONS + ("gtii-2019",):
            members = set(io.load_edition(eid).entities)
            if all(e in members for e in entities):
                return eid
        for eid in CITY_EDITIONS:
            if entities[0] in io.load_edition(eid).entities:
                return eid
    return "hardtech-2020"


def plan(question: str, history: list[dict] | None = None) -> Plan:
    """Plan ``question``; earlier user turns are planned in order (each a follow-up of the one
    before), and the last assistant turn is kept for references to what it named ("the two")."""
    prev: Plan | None = None
    answer: str | None = None
    for turn in history or []:
        if not isinstance(turn, dict) or not str(turn.get("content") or "").strip():
            continue
        if turn.get("role") == "user":
            prev = _plan_one(str(turn["content"]), prev, answer)
            answer = None
        elif turn.get("role") == "assistant":
            answer = str(turn["content"])
    return _plan_one(question, prev, answer)


def _entities_in(text: str) -> list[str]:
    entities = io.load_registry().find_in_text(text)
    if "重庆" in entities and re.search(r"(?i)重庆(?:市)?(?:区县|的区县|各区县)|重庆(?:区县)?双创|chongqing(?:'s)? (?:district|county)", text):
        entities = [e for e in entities if e != "重庆"]  # 重庆区县双创指数 names the index, not the city
    return entities


def _plural_reference(q: str, answer: str | None) -> list[str]:
    """Entities a plural reference ("which of the two", 这两个城市) points to in the previous answer."""
    if not answer or not _has(q, PLURAL_REF):
        return []
    named = _entities_in(answer)
    if len(named) < 2:
        return []
    two = _has(q, ["two", "both", "pair", "两", "二者"])
    return named[:2] if two else named[:5]


def _next_rows(q: str) -> int | None:
    m = NEXT.search(q)
    if not m:
        return None
    g = (m.group(1) or m.group(2) or "").lower()
    return int(g) if g.isdigit() else EN_NUMS.get(g) or CHINESE_NUMS.get(g)


def _non_index_measure(q: str) -> str | None:
    if _SHARE_CUE.search(q):
        return None
    for rx, name in NON_INDEX_MEASURES:
        if rx.search(q):
            return name
    return None


def _plan_one(question: str, prev: Plan | None, prev_answer: str | None = None) -> Plan:
    q = question.strip()
    lang = detect_language(q)
    entities = _entities_in(q)
    editions, unknown = _editions_in(q)
    dims = _dimensions_in(q)
    p = Plan(question=q, lang=lang, intent="value", entities=entities, editions_mentioned=editions, unknown_edition=unknown,
             dimension_mentions=dims, overall=_has(q, OVERALL))
    if not entities:
        p.unknown_entities = unknown_places(q)
        referred = [] if p.unknown_entities else _plural_reference(q, prev_answer)
        if referred:
            p.entities = entities = referred
            p.inherited.append("entities")
    if _has(q, COMPUTED_ASK):
        p.composite_pref = "computed"
    elif _has(q, PRINTED_ASK):
        p.composite_pref = "printed"

    if any(re.search(rx, q, re.IGNORECASE) for rx in INJECTION) or any(re.search(rx, q, re.IGNORECASE) for rx in WRITE):
        p.intent = "refuse"
        p.edition = _default_edition(entities, dims) if entities else None
        return p
    if (_has(q, OFFTOPIC) and not _has(q, DOMAIN)) or _has(q, ["stock", "stocks", "股票", "天气", "weather", "买入", "buy shares"]):
        p.intent = "out_of_scope"
        return p
    measure = _non_index_measure(q)
    if measure and not p.unknown_edition and not _has(q, METHOD + DEFINITION):
        # "2019年上海的GDP是多少？": no edition measures it; decline, then offer what the index says
        p.intent, p.unknown_measure = "out_of_scope", measure
        if p.entities:
            p.edition = editions[0] if editions else _default_edition(p.entities, dims)
            p.edition_explicit = bool(editions)
        return p

    has_pronoun = _has(q, PRONOUN)
    intent = _intent(q, p)
    followup_bare = intent is None
    next_n = _next_rows(q)
    if next_n and prev and prev.intent == "topn" and not entities:
        # "What about the next two?" continues the ranking the previous turn showed
        intent, followup_bare = None, True
    if _has(q, PREVIOUS_PERIOD) and not entities and prev and prev.entities and \
            (prev.edition == "chongqing-2018q3" or "chongqing-2018q3" in editions):
        intent, followup_bare = "facts", False
        p.previous_period = True
    if not entities and prev and prev.entities and (has_pronoun or followup_bare or intent in ("rank", "value", "why", "how", "facts", "trend", "compare")
                                                   and not _standalone(q, intent)):
        p.entities = list(prev.entities)
        p.inherited.append("entities")
    if followup_bare and prev:
        intent = prev.intent if prev.intent not in ("refuse", "out_of_scope") else "value"
        p.inherited.append("intent")
        if not dims and prev.dimension_mentions:
            p.dimension_mentions = list(prev.dimension_mentions)
            p.inherited.append("dimension")
        p.top_n, p.bottom = prev.top_n, prev.bottom
        p.weights, p.change = prev.weights, prev.change
        if next_n and prev.intent == "topn":
            p.offset, p.top_n = prev.offset + (prev.top_n or 10), next_n
    if intent is None:
        intent = "value" if p.entities else ("search" if _has(q, DOMAIN) or dims else "out_of_scope")
    # "compare it with 2020": one entity, another edition -> trend across editions
    if intent == "compare" and len(p.entities) < 2 and (editions or prev):
        intent = "trend"
    if intent in ("rank", "value") and not dims and prev and prev.dimension_mentions and "entities" in p.inherited and not p.overall:
        p.dimension_mentions = list(prev.dimension_mentions)
        p.inherited.append("dimension")
    p.intent = intent

    # edition
    if editions:
        p.edition, p.edition_explicit = editions[-1] if intent == "trend" and len(editions) == 1 else editions[0], True
    elif prev and prev.edition and (prev.edition_explicit or "entities" in p.inherited or followup_bare) and \
            _fits(prev.edition, p.entities):
        p.edition = prev.edition
        p.edition_explicit = prev.edition_explicit
        p.inherited.append("edition")
    else:
        p.edition = _default_edition(p.entities, p.dimension_mentions)
    if intent == "trend" and prev and prev.edition and prev.edition not in p.editions_mentioned and p.editions_mentioned:
        p.editions_mentioned = [prev.edition] + p.editions_mentioned
    # dimension in the chosen edition
    for e, k in p.dimension_mentions:
        if e == p.edition:
            p.dimension = k
            break
    if (p.intent in ("topn", "rank") or (p.intent == "value" and not p.entities)) and not p.offset:
        n, bottom = _top_n(q)
        if n is not None:
            p.top_n, p.bottom = n, bottom
        elif p.intent == "topn" and p.top_n is None:
            p.top_n, p.bottom = 10, bottom
    if p.intent == "why" and _has(q, DISCREPANCY) and not p.dimension:
        p.focus = "discrepancy"
    elif p.intent == "definition" and _has(q, ORIGIN):
        p.focus = "origin"
    elif p.intent in ("topn", "search", "value") and not p.entities and _has(q, COVERAGE):
        p.focus = "coverage"
    if p.intent == "whatif":
        p.weights = _weights(q, p.edition if p.edition in CITY_EDITIONS else "hardtech-2019") or p.weights
    if _has(q, CHANGE_RISE):
        p.change = "rise"
    elif _has(q, CHANGE_FALL):
        p.change = "fall"
    if p.change and not p.edition_explicit and not p.entities:
        p.edition = "chongqing-2018q3"
    p.indicator_terms = _indicator_terms(q, p)
    if p.intent == "value" and p.indicator_terms and p.entities and not p.dimension and \
            not _has(q, ["score", "scores", "得分", "分数", "指数", "rank", "排名", "第几", "tier", "梯队"]):
        p.intent = "facts"
    return p


def _standalone(q: str, intent: str | None) -> bool:
    """A question that makes sense without an entity (ranking-wide, method...)."""
    return intent in ("topn", "tiers", "method", "definition", "whatif", "sensitivity")


def _fits(edition: str, entities: list[str]) -> bool:
    if not entities:
        return True
    members = set(io.load_edition(edition).entities)
    return all(e in members for e in entities) or edition in CITY_EDITIONS and \
        all(io.load_registry().get(e).kind == "city" for e in entities)


def _intent(q: str, p: Plan) -> str | None:
    ents = p.entities
    if _has(q, WHATIF):
        return "whatif"
    if _has(q, SENSITIVITY):
        return "sensitivity"
    if _has(q, DEFINITION) and not ents:
        return "definition"
    if p.unknown_edition is None and _has(q, TREND) and (ents or _has(q, PRONOUN)):
        return "trend"
    if len(p.editions_mentioned) >= 2 and (ents or _has(q, PRONOUN)) and not _has(q, METHOD):
        return "trend"
    if len(ents) >= 2:
        return "compare"
    if _has(q, COMPARE) and re.search(r"(?i)\bcompare\b|对比|比较|相比|\bvs\b|versus", q):
        return "compare"
    if _has(q, HOW) and (ents or _has(q, PRONOUN)):
        return "how"
    if _has(q, WHY + STRONG) and (ents or _has(q, PRONOUN)):
        return "why"
    if not ents and _has(q, METHOD) and not _has(q, PRONOUN):
        return "method"
    if _has(q, CHANGE_RISE + CHANGE_FALL):
        return "facts"
    if not ents and _has(q, TIERS) and not _has(q, PRONOUN):
        return "tiers"
    if not ents and _has(q, PATTERN) and not _has(q, TOPN):
        return "search"
    if not ents and not _has(q, PRONOUN) and (_has(q, TOPN) or _has(q, RANK)):
        return "topn"
    if _has(q, RANK):
        return "rank"
    if _has(q, TIERS):
        return "value"
    if _has(q, VALUE):
        return "value"
    if _has(q, FACTS):
        return "facts"
    if _has(q, WHY):
        return "why"
    if not ents and (_has(q, DOMAIN) or p.dimension_mentions):
        return "search" if not _has(q, PRONOUN) else None
    return None


_STOP = {"深圳", "城市", "数量", "多少", "指标", "创新", "哪些", "什么", "怎么", "为什么", "的", "是", "有", "个", "所", "家", "吗", "呢",
         "得分", "排名", "指数", "情况", "数", "年"}


@functools.lru_cache(maxsize=1)
def _indicator_vocab() -> list[tuple[str, str]]:
    """(zh name, en name) for every indicator in the facts tables and the specs."""
    out: list[tuple[str, str]] = []
    for eid in EDITIONS:
        ed = io.load_edition(eid)
        for i in ed.spec.indicators:
            out.append((i.zh, i.en or ""))
        for _, r in ed.facts.iterrows():
            out.append((r["indicator_zh"], r["indicator_en"]))
    return list(dict.fromkeys(out))


def _indicator_terms(q: str, p: Plan) -> list[str]:
    """Words of the question that name an indicator (for the facts filter and passage search)."""
    if not _has(q, FACTS) and p.intent not in ("facts", "why"):
        return []
    names = set(p.entities)
    words: list[str] = []
    for t in tokens(q):
        if len(t) >= 2 and not t.isascii() and t not in _STOP and t not in names and \
                not io.load_registry().lookup(t):
            words.append(t)
    words.extend(w for w in retrieval.glossary_terms(q) if len(w) >= 2)
    vocab = " ".join(z for z, _ in _indicator_vocab())
    return list(dict.fromkeys(w for w in words if w in vocab))


# editions added or removed while a process runs (index_core.api.reload)
for _cache in (_added_editions, dimension_forms):
    catalog.on_reload(_cache.cache_clear)
