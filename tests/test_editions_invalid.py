"""Bad edition folders fail with the file, the row (or spec line), the column (or field) and the
fix, and leave nothing installed."""
from __future__ import annotations

import shutil

import pytest

from index_core.errors import DataValidationError
from tests.editions_home import EXAMPLE, cli, leave_home, use_home


@pytest.fixture()
def home(tmp_path, monkeypatch):
    yield use_home(monkeypatch, tmp_path / "home")
    monkeypatch.undo()
    leave_home()


@pytest.fixture()
def folder(tmp_path):
    """A copy of the example edition to break."""
    return shutil.copytree(EXAMPLE, tmp_path / "edition")


def edit(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_column(path, column: str) -> None:
    rows = [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]
    at = rows[0].index(column)
    path.write_text("\n".join(",".join(r[:at] + r[at + 1:]) for r in rows) + "\n", encoding="utf-8")


def nothing_installed(home) -> bool:
    root = home / "editions"
    return not root.exists() or [p.name for p in root.iterdir()] in ([], [".lock"])


def problems_of(folder) -> list:
    from index_core import install

    with pytest.raises(DataValidationError) as exc:
        install.add(folder)
    assert "nothing was written" in str(exc.value)
    return exc.value.problems


def spec_line(folder, startswith: str) -> int:
    lines = (folder / "spec.yaml").read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if line.lstrip().startswith(startswith))


def test_missing_column(home, folder):
    drop_column(folder / "raw.csv", "researchers")
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column) == (str(folder / "raw.csv"), 1, "researchers")
    assert p.hint == "add a column named 'researchers'"
    assert nothing_installed(home)


def test_unit_mismatch(home, folder):
    edit(folder / "raw.csv", "家,亿元,", "家,万元,")  # venture investment given in 10k yuan, the spec says 100m yuan
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column, p.value) == (str(folder / "raw.csv"), 2, "vc_investment", "万元")
    assert "convert the column to 亿元" in p.hint
    assert nothing_installed(home)


def test_unknown_city_is_listed_with_did_you_mean(home, folder):
    edit(folder / "raw.csv", "\n合肥,", "\n合费,")
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column, p.value) == (str(folder / "raw.csv"), 12, "entity", "合费")
    assert p.hint.startswith("did you mean 合肥?") and "entities.csv" in p.hint
    assert nothing_installed(home)


def test_weights_that_do_not_sum(home, folder):
    edit(folder / "spec.yaml", "weight: 0.25", "weight: 0.30")
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column, p.value) == (str(folder / "spec.yaml"), spec_line(folder, "dimensions:"), "dimensions", 1.05)
    assert "add up to 1" in p.hint and "divide each by 1.05" in p.hint
    assert nothing_installed(home)


def test_duplicate_id(home, folder):
    from index_core import install

    install.add(EXAMPLE)
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column, p.value) == (str(folder / "spec.yaml"), spec_line(folder, "id:"), "id", "example-2025")
    assert "choose another id" in p.hint and "hardtech edition remove example-2025" in p.hint
    assert sorted(x.name for x in (home / "editions").iterdir() if not x.name.startswith(".")) == ["example-2025"]
    edit(folder / "spec.yaml", "id: example-2025", "id: hardtech-2019")
    [shipped] = problems_of(folder)
    assert shipped.column == "id" and "is shipped" in shipped.hint


def test_every_problem_at_once_and_schema_errors_at_their_line(home, folder):
    edit(folder / "spec.yaml", "weight: 0.40", "weight: -0.40")
    edit(folder / "spec.yaml", "dimension: environment, direction: negative", "dimension: environment, direction: down")
    edit(folder / "spec.yaml", "threshold: 60, status: stated", "threshold: derive, status: assumed")
    found = {(p.row, p.column): p for p in problems_of(folder)}
    weight = found[(spec_line(folder, "- {key: talent_input"), "dimensions.0.weight")]
    assert weight.value == -0.4 and "positive weight" in weight.hint
    direction = found[(spec_line(folder, "- {no: 6"), "indicators.5.direction")]
    assert direction.value == "down" and "'positive' or 'negative'" in direction.hint
    tier = found[(spec_line(folder, "- {tier: 1"), "tiers.rules.0.threshold")]
    assert "no tier members to derive it from" in tier.hint
    assert nothing_installed(home)


def test_entities_csv_may_not_redefine_a_known_city(home, folder):
    with (folder / "entities.csv").open("a", encoding="utf-8") as fh:
        fh.write("深圳,Shenzhen City,city,广东,\n")
    [p] = problems_of(folder)
    assert (p.file, p.row, p.column) == (str(folder / "entities.csv"), 3, "name")
    assert "delete the row and use that name" in p.hint
    assert nothing_installed(home)


def test_a_city_of_another_kind_and_a_wrong_count(home, folder):
    edit(folder / "raw.csv", "\n长沙,", "\n东京,")  # a global city in a Chinese-city edition
    edit(folder / "spec.yaml", "entity_count: {value: 13}", "entity_count: {value: 14}")
    found = {p.column: p for p in problems_of(folder)}
    assert "set entity_kind: global_city" in found["entity"].hint and found["entity"].value == "东京"
    assert found["entity_count"].value == 14 and found["entity_count"].row == spec_line(folder, "entity_count:")


def test_an_edition_an_other_edition_depends_on_cannot_be_removed(home, folder):
    from index_core import install
    from index_core.install import EditionInUseError

    install.add(EXAMPLE)
    (folder / "entities.csv").unlink()  # this one relies on the example's 洛阳
    edit(folder / "spec.yaml", "id: example-2025", "id: example-2025b")
    install.add(folder)
    with pytest.raises(EditionInUseError, match="example-2025b uses 洛阳"):
        install.remove("example-2025")
    install.remove("example-2025b")
    install.remove("example-2025")
    assert nothing_installed(home)


def test_the_command_line_names_the_row_and_the_fix(tmp_path, folder):
    edit(folder / "raw.csv", "\n合肥,", "\n合费,")
    proc = cli(tmp_path, "edition", "add", str(folder), check=False)
    assert proc.returncode == 2
    assert f"{folder / 'raw.csv'}, row 12, column 'entity': got '合费'" in proc.stderr
    assert "Fix: did you mean 合肥?" in proc.stderr
    assert nothing_installed(tmp_path)
    checked = cli(tmp_path, "edition", "check", str(EXAMPLE))
    assert "edition example-2025 is valid" in checked.stdout and nothing_installed(tmp_path)
