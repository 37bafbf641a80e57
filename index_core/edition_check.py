"""Validate an edition folder before it is installed: every problem, each with its file,
row (a CSV row, header = 1, or a line of ``spec.yaml``), column (or spec field) and fix.

Checks, in order (a later stage needs the earlier one to pass): the folder's files;
the spec's schema, weights (finite, positive, summing to 1) and tier rules; the data
files against the spec (indicator columns, the unit row, numbers); entities, resolved
through the registry plus the folder's ``entities.csv``, with close matches for unknown
ones; coverage (entity count, entity kinds, indicators per dimension); and whether the
id is already taken. Reads files, writes nothing.
"""
from __future__ import annotations

import math
import re
from pathlib import Path

import yaml

from . import catalog, io
from .entities import Registry
from .errors import DataValidationError, HardtechError, Problem, SpecError
from .spec import WEIGHT_TOLERANCE, Spec

#: Files an edition folder may hold; anything else is not installed.
KNOWN_FILES = ("spec.yaml", "raw.csv", "raw.xlsx", "published.csv", "facts.csv", "notes.yaml", "stated.yaml",
               "entities.csv", "cities.csv", "README.md")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9.\-]{1,62}$")
ENTITY_KINDS = ("city", "district", "global_city")
MEASURE_PATTERN = re.compile(r"^(composite|rank|tier|(?P<key>[^.]+)\.(score|rank))$")
SPEC_REFERENCE = "index_core/data/README.md and examples/ (an annotated spec)"


def check_folder(folder: Path | str) -> tuple[Spec | None, list[Problem]]:
    """The folder's spec (``None`` if it is invalid) and every problem found."""
    folder = Path(folder)
    if not (folder / "spec.yaml").is_file():
        what = "a folder" if not folder.is_dir() else "a spec.yaml in the folder"
        return None, [Problem(str(folder), None, None, None, what, "point at an edition folder: spec.yaml plus raw.csv or published.csv")]
    spec, problems = check_spec(folder / "spec.yaml")
    if spec is None:
        return None, problems
    problems += _check_files(folder, spec)
    if problems:
        return spec, problems
    extra_rows, problems = _check_entity_file(folder / "entities.csv", spec)
    registry = _registry_with(extra_rows, skip=folder.name)
    try:
        data = io.read_edition(folder, registry, origin="user")
    except DataValidationError as exc:
        return spec, problems + exc.problems
    except SpecError as exc:
        return spec, problems + [Problem(exc.where or str(folder), None, None, None, exc.message, exc.hint or "fix the file")]
    problems += _check_coverage(folder, data, registry)
    taken = catalog.discover().get(spec.id)
    if taken is not None and taken.path.resolve() != folder.resolve():
        problems.append(Problem(str(folder / "spec.yaml"), _line_of(folder / "spec.yaml", ("id",)), "id", spec.id,
                                "an id no installed edition uses",
                                f"choose another id in spec.yaml (edition {spec.id!r} is {taken.origin}"
                                + (", `hardtech edition remove " + spec.id + "` replaces it)" if taken.origin == "user" else ")")))
    if not problems:
        problems += _check_pipeline(data)
    return spec, problems


# ----------------------------------------------------------------------- the spec
def check_spec(path: Path) -> tuple[Spec | None, list[Problem]]:
    """Schema, weights and tier rules of ``spec.yaml``, every problem at its line."""
    text = path.read_text(encoding="utf-8")
    try:
        data = io.read_yaml(path)
    except SpecError as exc:
        return None, [Problem(str(path), None, None, None, "valid YAML", f"{exc.message} at {exc.where}")]
    if not isinstance(data, dict):
        return None, [Problem(str(path), 1, None, type(data).__name__, "a YAML mapping", f"start from {SPEC_REFERENCE}")]
    lines = _yaml_lines(text)
    problems = [Problem(str(path), lines.get(loc) or _nearest(lines, loc), ".".join(map(str, loc)) or None, value, expected, fix)
                for loc, value, expected, fix in _rule_problems(data)]
    from pydantic import ValidationError

    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(err["loc"])
            if not loc and problems:
                continue  # a model-level check our own rules already reported, more precisely
            problems.append(Problem(str(path), _nearest(lines, loc), ".".join(map(str, loc)) or None, err.get("input") if loc else None,
                                    err["msg"].removeprefix("Value error, "), _schema_fix(err)))
        return None, problems
    return (None if problems else spec), problems


def _rule_problems(data: dict) -> list[tuple[tuple, object, str, str]]:
    """Weights and tier rules, checked on the raw mapping so that every bad value is reported."""
    out: list[tuple[tuple, object, str, str]] = []
    eid = data.get("id")
    if not isinstance(eid, str) or not ID_PATTERN.match(eid):
        out.append((("id",), eid, "a lower-case id of letters, digits, '-' or '.' (e.g. my-index-2024)",
                    "set `id:` to a short kebab-case name; it becomes the folder name"))
    dims = [d for d in data.get("dimensions") or [] if isinstance(d, dict)]
    method = (data.get("aggregation") or {}).get("method", "weighted_sum")
    if method in ("weighted_sum", "geometric") and dims:
        out += _dimension_weight_problems(dims)
    for key in dict.fromkeys(str(d.get("key")) for d in dims):
        members = [(i, ind) for i, ind in enumerate(data.get("indicators") or [])
                   if isinstance(ind, dict) and str(ind.get("dimension")) == key]
        given = [(i, ind["weight"]) for i, ind in members if ind.get("weight") is not None]
        bad = [(i, w) for i, w in given if not isinstance(w, (int, float)) or not math.isfinite(w) or w <= 0]
        out += [(("indicators", i, "weight"), w, "a finite weight > 0", "set a positive share within the dimension, or leave it out to share equally")
                for i, w in bad]
        total = math.fsum(w for _, w in given) if given and not bad else None
        if total is not None and (total > 1 + WEIGHT_TOLERANCE or (len(given) == len(members) and abs(total - 1) > WEIGHT_TOLERANCE)):
            out.append((("indicators", given[0][0], "weight"), round(total, 6), f"indicator weights in dimension {key!r} that sum to 1",
                        "make the shares within the dimension add up to 1 (unset ones share what is left)"))
    raw = data.get("data_level") == "raw"
    rules = ((data.get("tiers") or {}).get("rules") or []) if isinstance(data.get("tiers"), dict) else []
    bounds = (data.get("normalisation") or {}).get("range") or [0, 100]
    lo, hi = (bounds[0], bounds[-1]) if isinstance(bounds, list) and bounds and all(isinstance(b, (int, float)) for b in bounds) else (0, 100)
    for i, r in enumerate(r for r in rules if isinstance(r, dict)):
        t = r.get("threshold")
        if raw and t == "derive":
            out.append((("tiers", "rules", i, "threshold"), t, "a number",
                        "give the threshold as a number: a raw edition prints no tier members to derive it from"))
        elif isinstance(t, (int, float)) and not (lo <= t <= hi):
            out.append((("tiers", "rules", i, "threshold"), t, f"a threshold within the score range [{lo}, {hi}]",
                        "set a threshold on the composite's scale"))
    if raw:
        for i, ind in enumerate(data.get("indicators") or []):
            if isinstance(ind, dict) and not str(ind.get("unit") or "").strip():
                out.append((("indicators", i, "unit"), None, "the indicator's unit",
                            "add `unit:` as the data is measured (人/万人, %, 亿元, 家 ...); raw.csv's unit row is checked against it"))
    return out


def _dimension_weight_problems(dims: list[dict]) -> list[tuple[tuple, object, str, str]]:
    weights = [d.get("weight") for d in dims]
    out = [(("dimensions", i, "weight"), w, "a finite weight > 0",
            f"give dimension {dims[i].get('key')!r} a positive weight; the weights must add up to 1")
           for i, w in enumerate(weights)
           if not isinstance(w, (int, float)) or isinstance(w, bool) or not math.isfinite(w) or w <= 0]
    total = math.fsum(weights) if not out else 1.0
    if abs(total - 1) > WEIGHT_TOLERANCE:
        scaled = ", ".join(f"{d.get('key')}={w / total:.4g}" for d, w in zip(dims, weights))
        out.append((("dimensions",), round(total, 6), "dimension weights that sum to 1",
                    f"make them add up to 1, e.g. divide each by {total:g}: {scaled}"))
    return out


def _schema_fix(err: dict) -> str:
    kind, field = err["type"], (err["loc"][-1] if err["loc"] else "")
    if kind == "missing":
        return f"add `{field}:` to spec.yaml (see {SPEC_REFERENCE})"
    if kind == "extra_forbidden":
        return f"remove `{field}` or correct its spelling"
    if kind == "literal_error":
        return f"use one of {err['ctx']['expected']}"
    if kind.endswith("_parsing") or kind.endswith("_type"):
        return "enter a value of the expected type"
    return "correct the spec as the message says"


def _yaml_lines(text: str) -> dict[tuple, int]:
    """Path (``("dimensions", 1, "weight")``) -> 1-based line of each node of a YAML document."""
    out: dict[tuple, int] = {}

    def walk(node, path: tuple) -> None:
        out[path] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                walk(v, path + (k.value,))
                out[path + (k.value,)] = k.start_mark.line + 1
        elif isinstance(node, yaml.SequenceNode):
            for i, v in enumerate(node.value):
                walk(v, path + (i,))

    root = yaml.compose(text, Loader=io._Yaml12Loader)
    if root is not None:
        walk(root, ())
    return out


def _nearest(lines: dict[tuple, int], loc: tuple) -> int | None:
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None


def _line_of(path: Path, loc: tuple) -> int | None:
    return _nearest(_yaml_lines(path.read_text(encoding="utf-8")), loc)


# ------------------------------------------------------------------------- files
def _check_files(folder: Path, spec: Spec) -> list[Problem]:
    raw = [f for f in io.RAW_FILES if (folder / f).is_file()]
    has_published = (folder / "published.csv").is_file()
    where = str(folder)
    if len(raw) > 1:
        return [Problem(where, None, None, raw, "one raw table", "keep raw.csv or raw.xlsx, not both")]
    if raw and has_published:
        return [Problem(where, None, None, raw + ["published.csv"], "raw indicators or printed results, not both",
                        "keep raw.csv to compute the edition, or published.csv to reproduce a printed one")]
    if not raw and not has_published:
        return [Problem(where, None, None, None, "raw.csv (or raw.xlsx) or published.csv",
                        "add the raw indicators (an entity column and one column per indicator) or the printed results")]
    if bool(raw) != (spec.data_level == "raw"):
        line = _line_of(folder / "spec.yaml", ("data_level",))
        return [Problem(str(folder / "spec.yaml"), line, "data_level", spec.data_level,
                        "data_level: raw" if raw else "a data_level other than raw",
                        "set data_level: raw for a raw table" if raw else "set data_level to the level published.csv prints (dimension, composite or tier)")]
    return []


def _check_entity_file(path: Path, spec: Spec) -> tuple[list[dict], list[Problem]]:
    """The folder's own entities: well-formed, and not clashing with the registry."""
    if not path.is_file():
        return [], []
    rows = io.read_entity_rows(path)
    missing = [c for c in ("name", "name_en", "kind") if rows and c not in rows[0]]
    if missing:
        return [], [Problem(str(path), 1, c, None, f"a column {c!r}", f"use the header {','.join(io.ENTITY_FIELDS)}") for c in missing]
    known = io.load_registry()
    problems, ok = [], []
    for i, row in enumerate(rows, start=2):
        name = row.get("name", "")
        if not name or not row.get("name_en"):
            problems.append(Problem(str(path), i, "name" if not name else "name_en", name, "a Chinese and an English name", "fill both names"))
        elif row.get("kind") not in ENTITY_KINDS:
            problems.append(Problem(str(path), i, "kind", row.get("kind"), f"one of {', '.join(ENTITY_KINDS)}", f"write {spec.entity_kind}"))
        elif name in known and (known.lookup(name).name != name or known.get(name).name_en != row["name_en"]):
            other = known.lookup(name)
            problems.append(Problem(str(path), i, "name", name, "an entity the registry does not already know",
                                    f"{name} is already {other.name} ({other.name_en}); delete the row and use that name"))
        elif name not in known:
            taken = [a for a in [row["name_en"], *row.get("aliases", "").split("|")] if a.strip() and a.strip() in known]
            if taken:
                problems.append(Problem(str(path), i, "aliases", taken[0], "names no other entity answers to",
                                        f"{taken[0]!r} already means {known.lookup(taken[0]).name}; remove it from this row"))
            else:
                ok.append(row)
    return ok, problems


def _registry_with(rows: list[dict], skip: str) -> Registry:
    base = io.read_entity_rows(io.DATA_DIR / "entities.csv")
    known = {r["name"] for r in base}
    others = io.edition_entity_rows(known, skip=skip)
    return Registry.from_rows(base + others + [r for r in rows if r["name"] not in known])


# ---------------------------------------------------------------------- coverage
def _check_coverage(folder: Path, data: io.EditionData, registry: Registry) -> list[Problem]:
    spec, problems = data.spec, []
    spec_file = folder / "spec.yaml"
    if spec.entity_count is not None and spec.entity_count.value != len(data.entities):
        problems.append(Problem(str(spec_file), _line_of(spec_file, ("entity_count",)), "entity_count", spec.entity_count.value,
                                f"the number of entities in the data ({len(data.entities)})", "correct entity_count, or add the missing rows"))
    table = "raw.csv" if data.raw is not None else "published.csv"
    for name in data.entities:
        kind = registry.get(name).kind
        if kind != spec.entity_kind:
            problems.append(Problem(str(folder / table), None, "entity", name, f"a {spec.entity_kind} (spec entity_kind)",
                                    f"{name} is a {kind}: drop the row, or set entity_kind: {kind} if the edition ranks {kind}s"))
    if data.raw is not None:
        used = {i.dimension for i in spec.indicators}
        for i, d in enumerate(spec.dimensions):
            if d.key not in used:
                problems.append(Problem(str(spec_file), _line_of(spec_file, ("dimensions", i)), "dimensions", d.key,
                                        "at least one indicator in every dimension", f"add an indicator with dimension: {d.key}, or drop the dimension"))
    keys = {d.key for d in spec.dimensions}
    for i, measure in enumerate(data.published["measure"], start=2):
        m = MEASURE_PATTERN.match(measure)
        if m is None or (m.group("key") and m.group("key") not in keys):
            problems.append(Problem(str(folder / "published.csv"), i, "measure", measure,
                                    "composite, rank, tier, <dimension>.score or <dimension>.rank",
                                    f"use a dimension key of the spec: {', '.join(sorted(keys))}"))
    return problems


def _check_pipeline(data: io.EditionData) -> list[Problem]:
    """Run the edition once, so that what passes here also computes after installation."""
    from .edition import compute_from_raw, evaluate

    try:
        compute_from_raw(data.spec, data.raw) if data.raw is not None else evaluate(data)
    except DataValidationError as exc:
        return exc.problems
    except HardtechError as exc:
        return [Problem(str(data.folder), None, None, None, exc.message, exc.hint or "correct the spec")]
    return []
