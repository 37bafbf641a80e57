"""File adapters: read shipped and user data, validate it, write results atomically.

This is the only module of ``index_core`` that touches the file system. Everything it
returns is plain data (pydantic specs, pandas frames) for the pure functions.
"""
from __future__ import annotations

import csv
import io as _io
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from . import catalog, parse_cache
from .entities import Registry
from .errors import DataValidationError, Problem, SpecError, UnknownEditionError
from .spec import Spec, parse_spec

if TYPE_CHECKING:  # pandas is imported where a frame is made (0.3-0.45 s): `import vectorstore` and
    import pandas as pd  # the retrieval index check need this module, not pandas

DATA_DIR = Path(str(resources.files("index_core") / "data"))
EDITIONS_DIR = catalog.SHIPPED_DIR
ENTITY_FIELDS = ("name", "name_en", "kind", "region", "aliases")


class _Yaml12Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # libyaml's parser when installed
    """YAML 1.2 booleans only: ``no:`` (an indicator number) must stay the key 'no'. Implicit
    types are resolved in Python even with libyaml's C parser, so the override holds for both."""


_Yaml12Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:bool"]
    for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Yaml12Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def load_yaml(text: str) -> object:
    """Parse YAML text with YAML 1.2 booleans: only true/false are booleans, so ``no`` stays a string.
    Raises ``yaml.YAMLError`` on bad syntax. A long text parsed before comes from the on-disk
    cache (:mod:`index_core.parse_cache`)."""
    return parse_cache.parsed(text, "yaml1.2", _parse_yaml)


def _parse_yaml(text: str) -> object:
    return yaml.load(text, Loader=_Yaml12Loader)


def read_yaml(path: Path) -> object:
    try:
        return load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SpecError(f"Spec file not found: {path}", where=str(path), hint="Check the path.") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}, line {mark.line + 1}, column {mark.column + 1}" if mark else str(path)
        raise SpecError(f"Not valid YAML: {getattr(exc, 'problem', exc)}", where=where, hint="Fix the YAML syntax at that position.") from None


def load_spec(path: Path | str) -> Spec:
    path = Path(path)
    return parse_spec(read_yaml(path), where=str(path))


def read_entity_rows(path: Path) -> list[dict[str, str]]:
    """Rows of an entity table (``data/entities.csv``, or an edition's ``entities.csv``)."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(fh)]


@lru_cache(maxsize=1)
def load_registry() -> Registry:
    """The entity registry: ``data/entities.csv`` plus every edition's ``entities.csv``
    (entities a user's edition brings, e.g. a city no shipped report ranks)."""
    rows = read_entity_rows(DATA_DIR / "entities.csv")
    return Registry.from_rows(rows + edition_entity_rows(known={r["name"] for r in rows}))


def edition_entity_rows(known: set[str], skip: str | None = None) -> list[dict[str, str]]:
    """New entities from the editions' ``entities.csv`` files (first definition wins; the
    installer refuses a conflicting one). ``skip`` leaves one edition out."""
    out: list[dict[str, str]] = []
    for folder in catalog.discover().values():
        path = folder.path / "entities.csv"
        if folder.id == skip or not path.is_file():
            continue
        for row in read_entity_rows(path):
            if row.get("name") and row["name"] not in known:
                known.add(row["name"])
                out.append(row)
    return out


@dataclass(frozen=True)
class EditionData:
    """One edition as shipped: spec, printed numbers (long format) and narrative facts."""

    spec: Spec
    published: pd.DataFrame  # entity, measure, value (float), printed (str), source_file, line
    facts: pd.DataFrame  # entity, indicator_no, indicator_zh, ..., value (float), printed, source_file, line
    entities: tuple[str, ...]  # every entity of the edition, in report order
    notes: tuple[dict, ...] = ()  # contradictions in the report (notes.yaml), each with its lines
    stated: dict = field(default_factory=dict)  # totals the report states about its lists (stated.yaml)
    raw: pd.DataFrame | None = None  # raw indicators (entity x indicator column, floats) when the edition is computed from them
    folder: Path | None = None
    origin: str = "shipped"  # "shipped" | "user"


def edition_ids() -> list[str]:
    """Every edition id: the shipped ones, then the user's (see :mod:`index_core.catalog`)."""
    return list(catalog.discover())


def reload() -> None:
    """Forget every cached edition and the registry, and tell the layers above to do the same."""
    load_edition.cache_clear()
    load_registry.cache_clear()
    catalog.run_reload_hooks()


def parse_number(text: str) -> float:
    """A number as the reports print it: '64.34', '1,234', '2,73' (a printed typo for 2.73), '9.74%'."""
    t = text.strip().rstrip("%").replace("，", ",")
    if re.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d+)?", t):
        t = t.replace(",", "")
    elif re.fullmatch(r"-?\d+,\d{1,2}", t):
        t = t.replace(",", ".")
    return float(t)


def _read_long_csv(path: Path, required: list[str]) -> pd.DataFrame:
    import pandas as pd

    if not path.is_file():
        return pd.DataFrame(columns=required + ["printed"])
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataValidationError(
            [Problem(str(path), 1, c, None, "a column named " + c, f"add the {c!r} column") for c in missing]
        )
    problems = []
    values = []
    for i, raw in enumerate(df["value"], start=2):
        try:
            values.append(parse_number(raw))
        except ValueError:
            values.append(float("nan"))
            problems.append(Problem(str(path), i, "value", raw, "a number", "enter the number as printed in the report"))
    if "measure" in df.columns:
        for i, (measure, v) in enumerate(zip(df["measure"], values), start=2):
            if (measure == "composite" or measure.endswith(".score")) and not 0 <= v <= 100:
                problems.append(Problem(str(path), i, "value", v, "a score in [0, 100]", "scores are points on [0, 100]; check the printed number"))
    if problems:
        raise DataValidationError(problems)
    df["printed"] = df["value"]
    df["value"] = values
    df["line"] = df["line"].astype(int)
    return df


@lru_cache(maxsize=None)
def load_edition(edition_id: str) -> EditionData:
    """Read and validate an edition (shipped or the user's). Raises :class:`UnknownEditionError`."""
    found = catalog.folder_of(edition_id)
    if found is None:
        import difflib

        known = edition_ids()
        raise UnknownEditionError(
            f"Unknown edition {edition_id!r}",
            hint=f"Known editions: {', '.join(known)}. `hardtech editions` lists them; `hardtech edition add DIR` adds one.",
            suggestions=difflib.get_close_matches(edition_id, known, n=3, cutoff=0.5),
        )
    return read_edition(found.path, load_registry(), origin=found.origin)


RAW_FILES = ("raw.csv", "raw.xlsx")


def read_edition(folder: Path, registry: Registry, origin: str = "shipped") -> EditionData:
    """Read an edition folder, resolving entity names through ``registry``.

    Raises :class:`DataValidationError` listing every bad row (file, row, column, fix)."""
    from .validate import raw_table, unknown_entities

    spec = load_spec(folder / "spec.yaml")
    published = _read_long_csv(folder / "published.csv", ["entity", "measure", "value", "source_file", "line"])
    facts = _read_long_csv(
        folder / "facts.csv",
        ["entity", "indicator_no", "indicator_zh", "indicator_en", "value", "unit", "year", "stated_rank", "source_file", "line"],
    )
    raw = None
    raw_file = next((folder / f for f in RAW_FILES if (folder / f).is_file()), None)
    if raw_file is not None:
        raw = raw_table(read_table(raw_file), spec, str(raw_file), registry=registry)
        members = list(raw.index)
    else:
        members = list(dict.fromkeys(published["entity"]))
    cities_file = folder / "cities.csv"
    if cities_file.is_file():  # editions that list more entities than they score (GTII: 45 cities, TOP15 printed)
        members += [e for e in (r["entity"] for r in read_entity_rows(cities_file)) if e not in members]
    notes = _read_notes(folder / "notes.yaml")
    problems = unknown_entities(published["entity"], str(folder / "published.csv"), registry, kind=spec.entity_kind)
    problems += unknown_entities(facts["entity"], str(folder / "facts.csv"), registry, allow=("全国",), kind=spec.entity_kind)
    problems += unknown_entities([n["entity"] for n in notes if n["entity"] is not None], str(folder / "notes.yaml"),
                                 registry, rows=False)
    if problems:
        raise DataValidationError(problems)
    return EditionData(spec=spec, published=published, facts=facts, entities=tuple(members), notes=notes,
                       stated=_read_stated(folder / "stated.yaml"), raw=raw, folder=folder, origin=origin)


# entity None: a note about the edition as a whole (e.g. a count the report states)
_NOTE_FIELDS = {"entity": (str, type(None)), "kind": str, "source_file": str, "lines": list, "zh": str, "en": str}


def _read_notes(path: Path) -> tuple[dict, ...]:
    if not path.is_file():
        return ()
    data = read_yaml(path)
    notes = data.get("notes", []) if isinstance(data, dict) else None
    if not isinstance(notes, list):
        raise SpecError("notes.yaml must hold a list under 'notes'", where=str(path), hint="The format is in index_core/data/README.md (notes.yaml).")
    for i, note in enumerate(notes, start=1):
        bad = [k for k, t in _NOTE_FIELDS.items() if not isinstance(note.get(k), t)]
        if bad or len(note["lines"]) != 2:
            raise SpecError(f"note {i} lacks or mistypes {bad or ['lines']}", where=str(path),
                            hint="Each note needs entity (or null), kind, source_file, lines: [first, last], zh and en.")
    return tuple(notes)


_AGGREGATES = {"count", "countries", "sum", "mean", "min", "max"}


def _read_stated(path: Path) -> dict:
    """``stated.yaml``: totals, counts and averages a report states about its own lists, and the
    words its period-on-period statements use. Checked by :mod:`index_core.consistency`."""
    if not path.is_file():
        return {}
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise SpecError("stated.yaml must be a mapping", where=str(path), hint="The format is in index_core/data/README.md (stated.yaml).")
    for i, a in enumerate(data.get("aggregates", []), start=1):
        if not (isinstance(a, dict) and a.get("what") in _AGGREGATES and isinstance(a.get("of"), dict)
                and isinstance(a.get("line"), int) and "printed" in a):
            raise SpecError(f"aggregate {i} is malformed: {a!r}", where=str(path),
                            hint=f"Each needs what ({'|'.join(sorted(_AGGREGATES))}), of (a selection), printed and line.")
    for i, f in enumerate((data.get("year_before") or {}).get("figures", []), start=1):
        if not (isinstance(f, dict) and f.get("what") in ("mean", "min", "max") and f.get("measure") and "printed" in f
                and isinstance(f.get("line"), int)):
            raise SpecError(f"year_before figure {i} is malformed: {f!r}", where=str(path),
                            hint="Each needs what (mean|min|max), measure, printed and line.")
    return data


@lru_cache(maxsize=1)
def load_change_words() -> dict:
    """Direction words of period-on-period statements (``data/consistency.yaml``: up, down)."""
    data = read_yaml(DATA_DIR / "consistency.yaml")
    if not (isinstance(data, dict) and data.get("up") and data.get("down")):
        raise SpecError("consistency.yaml needs non-empty 'up' and 'down' word lists", where=str(DATA_DIR / "consistency.yaml"))
    return data


def read_table(path: Path | str) -> pd.DataFrame:
    """Read a user's CSV or Excel table as strings (validation happens in :mod:`index_core.validate`)."""
    import pandas as pd

    path = Path(path)
    if not path.is_file():
        raise DataValidationError([Problem(str(path), None, None, None, "an existing file", "check the path")])
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls"):
        return pd.read_excel(path, dtype=str).fillna("")
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def write_atomic(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` so that readers see the old file or the new one, never half of it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def frame_to_csv(df: pd.DataFrame) -> str:
    buf = _io.StringIO()
    df.to_csv(buf, index=False)
    return buf.getvalue()
