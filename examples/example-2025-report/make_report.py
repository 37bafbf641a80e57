"""Write the example report (report.md beside this file) as a PDF and a Word document.

    python examples/example-2025-report/make_report.py OUT_DIR

creates OUT_DIR/example-2025-report.pdf (a text layer in the Adobe-Song CJK font that
reportlab carries, so no font file is needed) and OUT_DIR/example-2025-report.docx. The
test suite runs this; nothing binary is committed. Needs the test extras (reportlab,
python-docx): pip install -e '.[test]'.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

SOURCE = Path(__file__).with_name("report.md")
STEM = "example-2025-report"


def blocks(markdown: str) -> list[tuple[int, str]]:
    """(heading level, text) per block: 1-3 for #, ##, ###; 0 for a paragraph."""
    out = []
    for para in re.split(r"\n\s*\n", markdown.strip()):
        m = re.match(r"^(#{1,3})\s+(.*)$", para.strip())
        out.append((len(m.group(1)), m.group(2).strip()) if m else (0, " ".join(para.split("\n")).strip()))
    return out


def write_pdf(path: Path, markdown: str) -> Path:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    font = "STSong-Light"
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    width, height = A4
    margin = 56
    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setTitle(blocks(markdown)[0][1])
    y = height - margin

    def line(text: str, size: float) -> None:
        nonlocal y
        if y < margin:
            pdf.showPage()
            y = height - margin
        pdf.setFont(font, size)
        pdf.drawString(margin, y, text)
        y -= size * 1.6

    for level, text in blocks(markdown):
        size = {1: 16, 2: 13, 3: 12}.get(level, 10.5)
        current = ""
        for ch in text:  # wrap by measured width: CJK has no spaces to break at
            if pdfmetrics.stringWidth(current + ch, font, size) > width - 2 * margin:
                line(current, size)
                current = ""
            current += ch
        line(current, size)
        y -= size * 0.6
    pdf.save()
    return path


def write_docx(path: Path, markdown: str) -> Path:
    import docx

    document = docx.Document()
    for level, text in blocks(markdown):
        if level == 1:
            document.add_heading(text, level=0)  # the Title style
            document.core_properties.title = text
        elif level:
            document.add_heading(text, level=level - 1)
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    markdown = SOURCE.read_text(encoding="utf-8")
    for written in (write_pdf(out / f"{STEM}.pdf", markdown), write_docx(out / f"{STEM}.docx", markdown)):
        print(written)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else ".")
