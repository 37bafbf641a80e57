"""The CLI as people read it: tables that fit 80 columns, one entity as a record, --format
table|json|csv everywhere (--json its alias), explain's wording, answers labelled in their language."""
from __future__ import annotations

import csv
import io
import json

import pytest
from rich.console import Console
from rich.text import Text
from typer.testing import CliRunner

from hardtech.cli import app
from index_core import api

runner = CliRunner()
EDITIONS = [e["id"] for e in api.list_editions()]


def run(*args: str, columns: int = 80) -> str:
    result = runner.invoke(app, list(args), env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.stdout


def header_cells(out: str) -> list[str]:
    """The header row: the line above the table's rule."""
    lines = out.splitlines()
    rule = next(i for i, line in enumerate(lines) if set(line.strip()) == {"─"})
    return lines[rule - 1].split()


@pytest.mark.parametrize("edition", EDITIONS)
def test_scores_fit_80_columns_with_whole_headers(edition):
    out = run("scores", "-e", edition)
    assert "…" not in out  # nothing cut: not a header, not a cell
    assert all(Text(line).cell_len <= 80 for line in out.splitlines()), "a line is wider than the terminal"
    heads = header_cells(out)
    assert len(heads) == len(set(heads)), f"two columns with the same header: {heads}"
    dims = api.methodology(edition)["dimensions"]
    assert len(heads) >= 3 + len(dims)  # rank, name, composite, every dimension
    for d in dims:  # each short key is explained, with the dimension's names
        short = heads[-len(dims) + [x["key"] for x in dims].index(d["key"])]
        assert f"{short}: {d['key']} {d['zh']} ({d['en']})" in out


def test_wide_terminals_get_full_headers_and_ranks():
    out = run("scores", "-e", "hardtech-2019", columns=200)
    assert header_cells(out)[-4:] == ["innovation_base", "innovation_input", "innovation_output", "innovation_environment"]
    assert "3.93 (#34)" in out and "深圳 Shenzhen" in out  # 2019 Shenzhen, innovation base: score and rank (表2)


def test_one_entity_is_a_record_with_every_dimension_named():
    out = run("scores", "-e", "hardtech-2019", "-c", "上海")
    lines = {line.split()[0]: line.split()[1:] for line in out.splitlines()[1:] if line.strip()}
    assert lines["innovation_base"][:2] == ["24.92", "(#4)"] and lines["innovation_environment"][:2] == ["59.14", "(#3)"]
    assert "创新环境 (Innovation environment)" in out and "…" not in out


@pytest.mark.parametrize("command", [
    ["editions"], ["scores", "-e", "hardtech-2020"], ["rank", "-e", "hardtech-2019", "--top", "3"],
    ["explain", "-e", "hardtech-2019", "-c", "深圳"], ["tiers", "-e", "hardtech-2019"], ["method", "-e", "hardtech-2019"],
    ["facts", "-e", "hardtech-2019", "-c", "深圳"], ["sensitivity", "-e", "hardtech-2019", "--draws", "50"],
    ["whatif", "-e", "hardtech-2019", "-w", "innovation_base=1,innovation_input=1"],
])
def test_every_data_command_speaks_json_and_csv(command):
    as_json = json.loads(run(*command, "--json"))
    assert json.loads(run(*command, "--format", "json")) == as_json
    rows = list(csv.DictReader(io.StringIO(run(*command, "--format", "csv"))))
    assert rows and all(rows[0].keys() == r.keys() for r in rows)


def test_csv_flattens_nested_fields_to_dotted_columns():
    rows = list(csv.DictReader(io.StringIO(run("scores", "-e", "hardtech-2019", "-c", "深圳", "-f", "csv"))))
    assert rows == [rows[0]] and rows[0]["dimensions.innovation_base.score"] == "3.93" and rows[0]["dimensions.innovation_base.rank"] == "34"


def test_explain_names_each_measure_and_which_composite_a_gap_uses():
    out = " ".join(run("explain", "-e", "hardtech-2019", "-c", "深圳", columns=200).split())
    # 2019 深圳 (表2): environment 63.68 is the highest score; input 0.35 × 61.26 = 21.44 the largest part
    assert "Strongest by score: innovation_environment 63.68 (rank 2)." in out
    assert "Largest contribution: innovation_input 21.44 points of the composite (weight 0.35 × score 61.26)." in out
    # printed composites 51.86 - 50.99 = 0.87; computed 51.8615 - 50.9865 = 0.875, shown as 0.88
    assert "Gap to the next rank (上海): 0.87 between the printed composites (0.88 between the computed composites)." in out
    data = api.explain("hardtech-2019", "深圳")
    assert (data["strongest_by_score"], data["largest_contribution"], data["gap_to_next_rank_printed"]) == (
        "innovation_environment", "innovation_input", 0.87)


def test_errors_stay_json_under_format_json():
    r = runner.invoke(app, ["scores", "-e", "hardtech-2025", "--format", "json"])
    assert r.exit_code == 2 and json.loads(r.stdout)["error"]["code"] == "unknown_edition"


def test_answers_print_their_sources_and_notes_in_the_answer_language():
    from assistant.cli import answer_body, print_envelope
    from assistant.envelope import Citation, Envelope

    cite = Citation(id="c1", source_file="001_2d381f25c7fc5f5d.txt", lines=(1942, 1942), doc_title="2019 中国硬科技发展白皮书",
                    section="深圳", quote="深圳市产业创新综合能力水平指数为 50.99")
    text = "深圳的综合得分为 50.99 分。[1]\n\n**来源**\n[1] 2019 中国硬科技发展白皮书，第1942行"
    out = Console(file=io.StringIO(), width=100)
    print_envelope(out, Envelope(answer=text, language="zh", mode="offline", citations=[cite], warnings=["万州区 is not in hardtech-2019"]))
    shown = out.file.getvalue()
    assert shown.count("来源") == 1 and "第1942行" in shown and "001_2d381f25c7fc5f5d.txt" in shown
    assert "注：" in shown and "note:" not in shown and "lines" not in shown
    assert answer_body("Shenzhen scores 50.99. [1]\n\nSources: [1]\n\n**Sources**\n[1] x") == "Shenzhen scores 50.99. [1]"
