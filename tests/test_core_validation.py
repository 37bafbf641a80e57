"""Bad specs and data get clear errors; nothing is written."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from index_core import io
from index_core.entities import Registry
from index_core.errors import DataValidationError, SpecError, UnknownEntityError

TOY = Path(__file__).resolve().parents[1] / "examples" / "toy"


def toy_spec() -> dict:
    return yaml.safe_load((TOY / "spec.yaml").read_text().replace("{no: ", "{'no': "))


def write_spec(tmp_path, data: dict) -> Path:
    p = tmp_path / "spec.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True))
    return p


def test_weights_that_do_not_sum_to_one(tmp_path):
    spec = toy_spec()
    spec["dimensions"][0]["weight"] = 0.5
    with pytest.raises(SpecError) as exc:
        io.load_spec(write_spec(tmp_path, spec))
    assert "sum to 0.9, expected 1" in exc.value.message and "capacity=0.5" in exc.value.message
    assert str(tmp_path) in exc.value.where


def test_unknown_dimension_key(tmp_path):
    spec = toy_spec()
    spec["indicators"][0]["dimension"] = "capacty"
    with pytest.raises(SpecError, match="unknown dimension 'capacty'; known: \\['capacity', 'output'\\]"):
        io.load_spec(write_spec(tmp_path, spec))


def test_duplicate_dimension_and_bad_tiers(tmp_path):
    spec = toy_spec()
    spec["dimensions"].append(dict(spec["dimensions"][0]))
    with pytest.raises(SpecError, match="duplicate dimension keys"):
        io.load_spec(write_spec(tmp_path, spec))
    spec = toy_spec()
    spec["tiers"]["rules"][1]["threshold"] = 50
    with pytest.raises(SpecError, match="thresholds must decrease"):
        io.load_spec(write_spec(tmp_path, spec))


def test_yaml_syntax_error_points_at_the_line(tmp_path):
    p = tmp_path / "broken.yaml"
    p.write_text("id: x\ndimensions: [\n  {key: a\n")
    with pytest.raises(SpecError) as exc:
        io.load_spec(p)
    assert "line" in exc.value.where


def test_out_of_range_published_score(tmp_path):
    folder = tmp_path / "editions" / "hardtech-2019"
    folder.mkdir(parents=True)
    src = io.EDITIONS_DIR / "hardtech-2019"
    (folder / "spec.yaml").write_text((src / "spec.yaml").read_text())
    rows = (src / "published.csv").read_text().splitlines()
    rows[1] = rows[1].replace(",89.31,", ",189.31,")
    (folder / "published.csv").write_text("\n".join(rows) + "\n")
    with pytest.raises(DataValidationError) as exc:
        io.read_edition(folder, io.load_registry())
    p = exc.value.problems[0]
    assert (p.row, p.column, p.value, p.expected) == (2, "value", 189.31, "a score in [0, 100]")


def test_duplicate_entities_in_the_registry():
    with pytest.raises(ValueError, match="duplicate entity '深圳'"):
        Registry.from_rows([{"name": "深圳", "name_en": "Shenzhen"}, {"name": "深圳", "name_en": "SZ"}])


def test_parse_number_keeps_the_printed_typo_readable():
    assert io.parse_number("2,73") == 2.73  # 001 line 1964 prints "2,73%"
    assert io.parse_number("130,632") == 130632
    assert io.parse_number("9.74%") == 9.74


@pytest.mark.parametrize("alias", ["深圳", "深圳市", "Shenzhen", "shenzhen", "SZ", " 深圳 "])
def test_aliases_resolve(alias):
    assert io.load_registry().resolve(alias).name == "深圳"


def test_aliases_for_districts_and_apostrophes():
    reg = io.load_registry()
    assert reg.resolve("渝北").name == "渝北区"
    assert reg.resolve("xian").name == reg.resolve("Xi'an").name == "西安"


def test_unknown_entity_suggests_close_matches():
    with pytest.raises(UnknownEntityError) as exc:
        io.load_registry().resolve("深证")
    assert exc.value.suggestions[0] == "深圳"
    with pytest.raises(UnknownEntityError) as exc:
        io.load_registry().resolve("Shenzen")
    assert "深圳" in exc.value.suggestions


def test_find_in_text_prefers_longest_names():
    reg = io.load_registry()
    assert reg.find_in_text("渝北区和北京、Shenzhen 以及 Xi'an 的对比") == ["渝北区", "北京", "深圳", "西安"]
    assert reg.find_in_text("南京大学") == ["南京"]


def test_english_district_names_work_without_the_suffix():
    reg = io.load_registry()
    assert reg.resolve("Yubei").name == reg.resolve("Yubei District").name == "渝北区"
    assert reg.find_in_text("How did Yubei do, compared with Jiangbei District?") == ["渝北区", "江北区"]


def test_alias_order_does_not_change_with_string_hashing():
    # The aliases were a set, so the order of 重庆's forms (and with it the Chinese term the
    # glossary gives for "Chongqing", and an answer's search topic) changed from process to
    # process. Two interpreters with different hash seeds must list the same forms in the same order.
    import json
    import os
    import subprocess
    import sys

    probe = ("import json; from index_core import io; m = io.load_registry().alias_map(); "
             "print(json.dumps([a for a, n in m.items() if n in ('重庆', '渝北区')]))")
    seen = {subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in ("1", "3", "7")}
    assert len(seen) == 1
    forms = json.loads(seen.pop())
    assert forms[:2] == ["重庆", "Chongqing"] and forms.index("重庆市") > forms.index("重庆")
    assert forms.index("渝北区") < forms.index("渝北")
