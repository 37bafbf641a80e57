"""The hand-written golden set: ``assistant/golden.yaml`` (the assistant's owner) plus
``assistant/evaluation/golden_extra.yaml`` (this package), one item format
(:mod:`.items`). Either file may be a list of items or a mapping with ``items:`` /
``questions:``."""
from __future__ import annotations

from pathlib import Path

from index_core.io import load_yaml

from .items import EvalItem

HERE = Path(__file__).resolve().parent
ASSISTANT_GOLDEN = HERE.parent / "golden.yaml"
EXTRA_GOLDEN = HERE / "golden_extra.yaml"


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


def load_golden(paths: list[Path] | None = None) -> list[EvalItem]:
    """Every golden item, ids unique across files. Missing default files are skipped."""
    if paths is None:
        paths = [p for p in (ASSISTANT_GOLDEN, EXTRA_GOLDEN) if p.is_file()]
    items: list[EvalItem] = []
    seen: dict[str, str] = {}
    for path in paths:
        for i, raw in enumerate(read_items(Path(path))):
            if not isinstance(raw, dict) or "id" not in raw or "question" not in raw:
                raise GoldenError(f"{path}: item #{i + 1} needs at least 'id' and 'question'")
            try:
                item = EvalItem.from_dict(raw, suite="golden", source=Path(path).name)
            except (KeyError, ValueError, TypeError) as exc:
                raise GoldenError(f"{path}: item {raw.get('id')}: {exc}") from None
            if item.id in seen:
                raise GoldenError(f"{path}: duplicate id {item.id!r} (also in {seen[item.id]})")
            seen[item.id] = Path(path).name
            items.append(item)
    return items
