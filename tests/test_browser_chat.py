"""The chat page in a real browser: Debian's chromium driven by Playwright, against a live uvicorn."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import running_server

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "test-output"

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install -y chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")


@pytest.fixture(scope="module")
def live_server():
    with running_server() as base:
        yield base


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_chat_page_streams_cites_and_charts(live_server, browser):
    OUT.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1360, "height": 1000}, locale="en-US")
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(live_server) and not r.url.startswith("data:") else None)
    page.goto(live_server + "/")

    # Empty chat: example questions, English UI for an English browser.
    examples = page.locator(".example")
    sync_api.expect(examples.first).to_be_visible()
    texts = examples.all_inner_texts()
    assert "why is Shenzhen weak on innovation base?" in texts and "2020年第二梯队有哪些城市？" in texts
    assert page.locator("#send").inner_text() == "Send"

    # Shift+Enter adds a newline, Enter sends.
    box = page.locator("#input")
    box.click()
    box.type("why is Shenzhen weak")
    box.press("Shift+Enter")
    assert "\n" in box.input_value()
    box.fill("why is Shenzhen weak on innovation base?")
    box.press("Enter")

    answer = page.locator(".msg.assistant .answer").last
    sync_api.expect(answer).to_contain_text("3.93", timeout=60_000)
    sync_api.expect(page.locator(".msg.assistant .controls").last).to_be_visible(timeout=60_000)  # stream finished
    assert page.locator(".msg.assistant .tools summary").count() >= 1  # collapsible tool steps

    # A citation chip opens the passage panel with the cited line.
    chip = page.locator(".msg.assistant .chip").first
    sync_api.expect(chip).to_be_visible()
    chip.click()
    panel = page.locator("#panel")
    sync_api.expect(panel).to_be_visible()
    sync_api.expect(panel.locator(".passage .ln.cited").first).to_be_visible(timeout=10_000)
    assert "3.93" in panel.inner_text()
    page.screenshot(path=str(OUT / "chat-shenzhen.png"), full_page=False)
    page.locator("#panel-close").click()
    sync_api.expect(panel).to_be_hidden()

    # The answer's dimension chart renders (ECharts draws a canvas).
    canvas = page.locator(".msg.assistant .chart canvas").first
    sync_api.expect(canvas).to_be_visible(timeout=20_000)
    assert canvas.bounding_box()["height"] > 100
    page.wait_for_timeout(800)  # let the bars finish their (short) grow-in animation
    page.screenshot(path=str(OUT / "chat-chart.png"), full_page=False)

    # History survives a reload (localStorage); the language toggle switches to Chinese; new chat clears.
    page.reload()
    sync_api.expect(page.locator(".msg.assistant .answer").first).to_contain_text("3.93")
    page.locator("#lang").click()
    assert page.locator("#send").inner_text() == "发送"
    page.locator("#new-chat").click()
    sync_api.expect(page.locator(".example").first).to_be_visible()
    assert page.locator(".msg").count() == 0

    assert not errors, errors
    assert not external, f"requests left the server: {external}"
    ctx.close()
