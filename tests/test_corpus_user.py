"""A user's reports: `hardtech corpus add` of the example PDF and .docx on a fresh HARDTECH_HOME,
indexed without re-embedding the bundled corpus, then cited by line by search and ask."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.editions_home import EXAMPLE, cli, cli_json, copy_shared_index, make_report

WHY_HEFEI = "合肥的发展环境维度在13个城市中排名第二"


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    """A fresh home with the example edition and both example documents added."""
    home = tmp_path_factory.mktemp("home")
    copy_shared_index(home)
    bundled = json.loads((home / "index" / "meta.json").read_text(encoding="utf-8"))["count"]
    pdf, docx = make_report(tmp_path_factory.mktemp("report"))
    cli(home, "edition", "add", str(EXAMPLE))
    added = {p.suffix: cli_json(home, "corpus", "add", str(p), "--edition", "example-2025") for p in (pdf, docx)}
    return {"home": home, "bundled": bundled, "added": added}


def stored_lines(home: Path, source_file: str) -> list[str]:
    return (home / "corpus" / source_file).read_text(encoding="utf-8").split("\n")


def test_documents_are_stored_as_text_with_a_manifest(home):
    pdf = home["added"][".pdf"]["document"]
    assert pdf["kind"] == "pdf" and pdf["original_file"] == "example-2025-report.pdf" and pdf["editions"] == ["example-2025"]
    assert pdf["title_zh"] == "示例城市硬科技指数报告（虚构数据，仅作演示）"  # the PDF's metadata title
    lines = stored_lines(home["home"], pdf["source_file"])
    section = next(s for s in pdf["sections"] if s["name"].endswith("合肥：发展环境突出"))
    assert lines[section["lines"][0] - 1] == "（一）合肥：发展环境突出"
    assert WHY_HEFEI in "".join(lines[section["lines"][0]:section["lines"][1]])
    manifest = (home["home"] / "corpus" / "manifest.yaml").read_text(encoding="utf-8")
    assert pdf["sha256"] in manifest and pdf["original_sha256"] in manifest
    listed = {d["id"]: d for d in cli_json(home["home"], "corpus", "list")["documents"]}
    assert listed[pdf["id"]]["origin"] == "user" and listed["001"]["origin"] == "shipped"


def test_only_the_new_documents_are_embedded(home):
    pdf, docx = home["added"][".pdf"]["index"], home["added"][".docx"]["index"]
    assert pdf["reused"] == home["bundled"] and 0 < pdf["embedded"] < 30
    assert docx["reused"] == home["bundled"] + pdf["embedded"] and 0 < docx["embedded"] < 30
    assert docx["count"] == home["bundled"] + pdf["embedded"] + docx["embedded"]


def test_search_cites_the_pdf_by_line(home):
    pdf = home["added"][".pdf"]["document"]
    found = cli_json(home["home"], "search", "合肥 发展环境 为什么 突出", "--edition", "example-2025", "--k", "3")["results"]
    assert found and all(r["source_file"].startswith("example-2025-report-") for r in found)  # the edition filter
    hit = next(r for r in found if r["source_file"] == pdf["source_file"])
    first, last = hit["lines"]
    assert WHY_HEFEI in "".join(stored_lines(home["home"], pdf["source_file"])[first - 1:last])
    assert hit["section"].endswith("（一）合肥：发展环境突出")


def test_ask_cites_the_pdf_by_line(home):
    pdf = home["added"][".pdf"]["document"]
    env = cli_json(home["home"], "ask", "为什么合肥在2025年示例城市硬科技指数中发展环境突出？")
    cited = [c for c in env["citations"] if c["source_file"] == pdf["source_file"]]
    assert cited, env["citations"]
    first, last = cited[0]["lines"]
    assert WHY_HEFEI in "".join(stored_lines(home["home"], pdf["source_file"])[first - 1:last])
    assert "53.17" in env["answer"]  # the environment score, from the edition (hand: (100*325/1475 + 100*215/255)/2)


def test_remove_drops_the_document_and_its_passages(tmp_path):
    copy_shared_index(tmp_path)
    _, docx = make_report(tmp_path / "report")
    added = cli_json(tmp_path, "corpus", "add", str(docx), "--title", "示例报告")
    assert added["document"]["title_zh"] == "示例报告" and added["document"]["editions"] == []
    again = cli(tmp_path, "corpus", "add", str(docx), check=False)
    assert again.returncode == 2 and f"already in the corpus as {added['document']['id']}" in again.stderr
    removed = cli_json(tmp_path, "corpus", "remove", added["document"]["id"])
    assert removed["index"]["count"] == added["index"]["count"] - added["index"]["embedded"]
    assert removed["index"]["embedded"] == 0
    assert not (tmp_path / "corpus" / added["document"]["source_file"]).exists()
    shipped = cli(tmp_path, "corpus", "remove", "001", check=False)
    assert shipped.returncode == 2 and "shipped with hardtech" in shipped.stderr


def test_a_pdf_without_a_text_layer_is_refused(tmp_path):
    from reportlab.pdfgen import canvas

    scan = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(scan))
    pdf.rect(50, 50, 400, 600, fill=1)  # a page that is only an image-like shape, no text
    pdf.showPage()
    pdf.save()
    proc = cli(tmp_path, "corpus", "add", str(scan), check=False)
    assert proc.returncode == 2
    assert "scan.pdf has no text layer (1 page(s), 0 characters of text)" in proc.stderr
    assert "does not run OCR" in proc.stderr
    assert not (tmp_path / "corpus" / "manifest.yaml").exists()


@pytest.mark.parametrize("name, content, message", [
    ("notes.rtf", b"{\\rtf1 hello}", ".rtf is not a supported format"),
    ("broken.pdf", b"not a pdf at all", "is not a readable PDF"),
    ("broken.docx", b"not a zip", "is not a readable Word document"),
])
def test_unreadable_documents_are_refused(tmp_path, monkeypatch, name, content, message):
    from vectorstore.extract import DocumentError, extract

    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(DocumentError, match=message):
        extract(path)


def test_markdown_headings_become_sections(tmp_path, monkeypatch):
    from tests.editions_home import REPORT_DIR, leave_home, use_home
    from vectorstore import corpus, user_corpus

    use_home(monkeypatch, tmp_path)
    try:
        entry = user_corpus.add(REPORT_DIR / "report.md", editions=["hardtech-2019"])
        names = [s["name"] for s in entry["sections"]]
        assert names[0] == "示例城市硬科技指数报告（虚构数据，仅作演示）"
        assert "示例城市硬科技指数报告（虚构数据，仅作演示） › 三、城市观察 › （二）西安：投入强、转化弱" in names
        doc = corpus.document_by_key(entry["id"])
        chunks = [c for c in corpus.build_chunks() if c.doc_id == entry["id"]]
        assert doc is not None and chunks and all(c.editions == ("hardtech-2019",) for c in chunks)
        xian = next(c for c in chunks if "西安的R&D经费投入强度为5.2%" in c.text)
        lines = corpus.read_lines(entry["source_file"])
        assert "西安的R&D经费投入强度为5.2%" in "".join(lines[xian.lines[0] - 1:xian.lines[1]])
        assert corpus.get_passage(entry["source_file"], *xian.lines)["doc_title"] == entry["title_zh"]
    finally:
        monkeypatch.undo()
        leave_home()
