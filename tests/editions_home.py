"""A fresh HARDTECH_HOME for tests of user editions and documents, in process or for the CLI."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

EXAMPLE = ROOT / "examples" / "example-2025"
REPORT_DIR = ROOT / "examples" / "example-2025-report"


def use_home(monkeypatch, home: Path) -> Path:
    """Point this process at ``home`` (settings, core caches, retrieval caches)."""
    from hardtech.settings import reload_settings
    from index_core import api
    from vectorstore.retrieval import reset_searcher

    monkeypatch.setenv("HARDTECH_HOME", str(home))
    reload_settings()
    api.reload()
    reset_searcher()
    return home


def leave_home() -> None:
    """Undo :func:`use_home` after monkeypatch restored the environment."""
    from hardtech.settings import reload_settings
    from index_core import api
    from vectorstore.retrieval import reset_searcher

    reload_settings()
    api.reload()
    reset_searcher()


def cli(home: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    """``hardtech ARGS`` in a new process with ``HARDTECH_HOME=home``."""
    exe = Path(sys.executable).with_name("hardtech")
    env = {**os.environ, "HARDTECH_HOME": str(home), "HARDTECH_RATE_LIMIT": "0"}
    proc = subprocess.run([str(exe), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    if check and proc.returncode != 0:
        raise AssertionError(f"hardtech {' '.join(args)} exited {proc.returncode}:\n{proc.stdout}\n{proc.stderr}")
    return proc


def cli_json(home: Path, *args: str) -> dict:
    return json.loads(cli(home, *args, "--json").stdout)


def copy_shared_index(home: Path) -> None:
    """Start ``home`` with the run's index of the bundled corpus (built once per run), so that a
    test that adds a document measures what is embedded for it alone."""
    from tests.conftest import shared_home

    shutil.copytree(shared_home() / "index", home / "index")


def make_report(out: Path) -> tuple[Path, Path]:
    """The example report as PDF and .docx (examples/example-2025-report/make_report.py)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_report", REPORT_DIR / "make_report.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    markdown = (REPORT_DIR / "report.md").read_text(encoding="utf-8")
    out.mkdir(parents=True, exist_ok=True)
    return module.write_pdf(out / "example-2025-report.pdf", markdown), module.write_docx(out / "example-2025-report.docx", markdown)
