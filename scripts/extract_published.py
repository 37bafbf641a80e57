"""One-off extraction of the printed ranking tables into published.csv.

Kept in the repository so that anyone can re-derive the shipped CSVs from the
seed reports and diff them. The CSVs, not this script, are the source of truth
at run time. Usage: python scripts/extract_published.py ../shared/seeds
"""
from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "index_core" / "data" / "editions"
NUM = r"(\d+(?:\.\d+)?)"


def _rows(path: Path, first: int, last: int, pattern: str):
    lines = path.read_text(encoding="utf-8").splitlines()
    for no in range(first, last + 1):
        m = re.fullmatch(pattern, lines[no - 1].strip())
        if m:
            yield no, m.groups()


def hardtech_2019(seeds: Path) -> list[dict]:
    """表2 (lines 1838-1874): city, then score/rank for the four dimensions."""
    src = "001_2d381f25c7fc5f5d.txt"
    keys = ["innovation_base", "innovation_input", "innovation_output", "innovation_environment"]
    pattern = r"(\S+?)市?\s+" + r"\s+".join([NUM + r"\s+(\d+)"] * 4)
    out = []
    for line, g in _rows(seeds / src, 1838, 1874, pattern):
        name = g[0]
        for i, key in enumerate(keys):
            out.append(dict(entity=name, measure=f"{key}.score", value=g[1 + 2 * i], source_file=src, line=line))
            out.append(dict(entity=name, measure=f"{key}.rank", value=g[2 + 2 * i], source_file=src, line=line))
    return out


def hardtech_2020(seeds: Path) -> list[dict]:
    """3.2 ranking table (lines 2760-2840): rank, city, composite, then score/rank x5."""
    src = "000_a935e4fe392ee53f.txt"
    keys = ["research_talent", "hardtech_investment", "hightech_output", "hardtech_enterprises", "innovation_environment"]
    pattern = r"(\d+)\s+(\S+)\s+" + NUM + r"\s+" + r"\s+".join([NUM + r"\s+(\d+)"] * 5)
    out = []
    for line, g in _rows(seeds / src, 2760, 2840, pattern):
        rank, name, composite = g[0], g[1], g[2]
        out.append(dict(entity=name, measure="composite", value=composite, source_file=src, line=line))
        out.append(dict(entity=name, measure="rank", value=rank, source_file=src, line=line))
        for i, key in enumerate(keys):
            out.append(dict(entity=name, measure=f"{key}.score", value=g[3 + 2 * i], source_file=src, line=line))
            out.append(dict(entity=name, measure=f"{key}.rank", value=g[4 + 2 * i], source_file=src, line=line))
    return out


def narrative_2019(seeds: Path) -> list[dict]:
    """1.3 profiles print the composite and its rank for 11 cities."""
    src = "001_2d381f25c7fc5f5d.txt"
    pattern = r"(\S+?)市产业创新综合能力水平指数为\s*" + NUM + r"，居所有主要城市第\s*(\d+)\s*位。.*"
    out = []
    for line, (name, composite, rank) in _rows(seeds / src, 1876, 2210, pattern):
        out.append(dict(entity=name, measure="composite", value=composite, source_file=src, line=line))
        out.append(dict(entity=name, measure="rank", value=rank, source_file=src, line=line))
    return out


# Stated tier membership, as read from the text: (tier, line, members).
# members=None means "every entity not named in an earlier tier" (2019: 其余21个城市).
TIERS = {
    "hardtech-2019": ("001_2d381f25c7fc5f5d.txt", [
        (1, 1821, ["北京"]),
        (2, 1821, ["上海", "深圳"]),
        (3, 1821, ["西安", "广州", "杭州", "武汉", "南京", "天津"]),
        (4, 1821, ["合肥", "长沙", "成都", "厦门", "青岛", "宁波"]),
        (5, 1821, None),
    ]),
    "hardtech-2020": ("000_a935e4fe392ee53f.txt", [
        (1, 3055, ["北京"]),
        (2, 2709, ["上海", "深圳"]),
        (3, 2711, ["广州", "西安", "武汉", "杭州"]),
    ]),
}


def tiers(seeds: Path, edition: str, entities: list[str]) -> list[dict]:
    src, stated = TIERS[edition]
    lines = (seeds / src).read_text(encoding="utf-8").splitlines()
    named: set[str] = set()
    out = []
    for tier, line, members in stated:
        if members is None:
            members = [e for e in entities if e not in named]
        else:
            missing = [m for m in members if m not in lines[line - 1]]
            assert not missing, f"{edition}: {missing} not on line {line}"
        named.update(members)
        out += [dict(entity=m, measure="tier", value=tier, source_file=src, line=line) for m in members]
    return out


def write(rows: list[dict], edition: str) -> None:
    path = DATA / edition / "published.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["entity", "measure", "value", "source_file", "line"])
        w.writeheader()
        w.writerows(rows)
    print(f"{edition}: {len(rows)} rows -> {path}")


if __name__ == "__main__":
    seeds = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/seeds")
    rows19 = hardtech_2019(seeds)
    cities19 = list(dict.fromkeys(r["entity"] for r in rows19))
    write(rows19 + narrative_2019(seeds) + tiers(seeds, "hardtech-2019", cities19), "hardtech-2019")
    rows20 = hardtech_2020(seeds)
    cities20 = list(dict.fromkeys(r["entity"] for r in rows20))
    write(rows20 + tiers(seeds, "hardtech-2020", cities20), "hardtech-2020")
