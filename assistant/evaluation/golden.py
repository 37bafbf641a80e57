"""The hand-written question sets, one item format (:mod:`.items`):

- dev (suite ``golden``): ``assistant/golden.yaml`` (the assistant's owner), the files in
  ``assistant/golden.d/`` (one per topic, same format) and
  ``assistant/evaluation/golden_extra.yaml`` (this package); tune on these. Also dev:
  ``assistant/evaluation/spent_*.yaml``, held-out sets whose failures were read (spent), and
  ``open_*.yaml``, questions the answerer still misses: scored here, not pinned by the tests.
- held-out (suite ``heldout``): ``assistant/evaluation/heldout*.yaml``, written apart
  from development and never used to tune; only its aggregate scores are shown unless
  development is frozen (``hardtech eval --reveal-heldout``).

A file may be a list of items or a mapping with ``items:`` / ``questions:``."""
from __future__ import annotations

from pathlib import Path

from index_core.io import load_yaml

from .items import EvalItem

HERE = Path(__file__).resolve().parent
ASSISTANT_GOLDEN = HERE.parent / "golden.yaml"
GOLDEN_DIR = HERE.parent / "golden.d"
EXTRA_GOLDEN = HERE / "golden_extra.yaml"
HELDOUT_GLOB = "heldout*.yaml"
SCORED_GLOBS = ("spent_*.yaml", "open_*.yaml")  # dev scored but not pinned by tests: spent held-out sets, open items


class GoldenError(ValueError):
    pass


def read_items(path: Path) -> list[dict]:
    # YAML 1.2 booleans (index_core's loader): a must_contain term "no" stays the string "no"
    data = load_yaml(path.read_text(encoding="utf-8"))
    if isinstance(data, dict):
        data = data.get("items") or data.get("questions") or []
    if not isinstance(data, list):
        raise GoldenError(f"{path}: expected a list of items (or a mapping with 'items:'), got {type(data).__name__}")
    return data


def dev_paths() -> list[Path]:
    """The shipped dev files: ``assistant/golden.yaml``, ``assistant/golden.d/*.yaml``,
    ``golden_extra.yaml``, then the spent held-out sets and the open items. Missing files are skipped."""
    paths = [ASSISTANT_GOLDEN, *sorted(GOLDEN_DIR.glob("*.yaml")), EXTRA_GOLDEN, *(p for g in SCORED_GLOBS for p in sorted(HERE.glob(g)))]
    return [p for p in paths if p.is_file()]


def heldout_paths() -> list[Path]:
    """The shipped held-out files (``assistant/evaluation/heldout*.yaml``), sorted."""
    return sorted(HERE.glob(HELDOUT_GLOB))


def load_golden(paths: list[Path] | None = None) -> list[EvalItem]:
    """Every dev item (suite ``golden``), ids unique across files. Missing default files are skipped."""
    if paths is None:
        paths = dev_paths()
    return _load(paths, "golden")


def load_heldout(paths: list[Path] | None = None) -> list[EvalItem]:
    """Every held-out item (suite ``heldout``), ids unique across files."""
    paths = heldout_paths() if paths is None else paths
    if not paths:
        raise GoldenError(f"no held-out file ({HERE / HELDOUT_GLOB})")
    return _load(paths, "heldout")


def _load(paths: list[Path], suite: str) -> list[EvalItem]:
    items: list[EvalItem] = []
    seen: dict[str, str] = {}
    for path in paths:
        for i, raw in enumerate(read_items(Path(path))):
            if not isinstance(raw, dict) or "id" not in raw or "question" not in raw:
                raise GoldenError(f"{path}: item #{i + 1} needs at least 'id' and 'question'")
            try:
                item = EvalItem.from_dict(raw, suite=suite, source=Path(path).name)
            except (KeyError, ValueError, TypeError) as exc:
                raise GoldenError(f"{path}: item {raw.get('id')}: {exc}") from None
            if item.id in seen:
                raise GoldenError(f"{path}: duplicate id {item.id!r} (also in {seen[item.id]})")
            seen[item.id] = Path(path).name
            items.append(item)
    return items
