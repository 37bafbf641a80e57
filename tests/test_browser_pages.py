"""The chat page and the explorer in a real browser (Debian's chromium driven by Playwright,
against a live ``hardtech serve``), at a desktop (1280×800) and a phone (390×844) size.

Screenshots go to ``test-output/`` (git-ignored), one per page state and size.
"""
from __future__ import annotations

import csv
import io
import json
import re
import time
from pathlib import Path

import pytest

from tests.conftest import running_server

CHROMIUM = "/usr/bin/chromium"
OUT = Path(__file__).resolve().parents[1] / "test-output"
VIEWPORTS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}
CJK = re.compile(r"[\u4e00-\u9fff]")

if not Path(CHROMIUM).exists():
    pytest.skip(f"{CHROMIUM} is absent (apt-get install -y chromium fonts-wqy-microhei)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright Python package is not installed")
expect = sync_api.expect


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


def open_page(browser, base, size: str, locale: str = "en-US"):
    """A fresh context (no stored chat, no stored language) at ``size``; page errors, failed
    requests and requests that leave the server are collected on ``page.problems``."""
    OUT.mkdir(exist_ok=True)
    ctx = browser.new_context(viewport=VIEWPORTS[size], locale=locale, accept_downloads=True)
    page = ctx.new_page()
    page.problems = []
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))
    page.on("response", lambda r: page.problems.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("request", lambda r: page.problems.append(f"left the server: {r.url}")
            if not r.url.startswith(base) and not r.url.startswith(("data:", "blob:")) else None)
    return page


# Every visible SVG label inside ``root``: pairs that overlap (more than 1 px²) and labels
# that stick out of ``root``'s box.
LABEL_CHECK = """(root) => {
  const box = root.getBoundingClientRect();
  const labels = [...root.querySelectorAll("svg text")].filter((t) => {
    const s = getComputedStyle(t);
    return t.textContent.trim() && s.display !== "none" && s.visibility !== "hidden" && s.opacity !== "0" && t.getAttribute("fill-opacity") !== "0";
  }).map((t) => ({ text: t.textContent, r: t.getBoundingClientRect() })).filter((x) => x.r.width > 0);
  const overlaps = [];
  for (let i = 0; i < labels.length; i++) for (let j = i + 1; j < labels.length; j++) {
    const a = labels[i].r, b = labels[j].r;
    const w = Math.min(a.right, b.right) - Math.max(a.left, b.left), h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
    if (w > 1 && h > 1) overlaps.push([labels[i].text, labels[j].text]);
  }
  const outside = labels.filter((x) => x.r.left < box.left - 1 || x.r.right > box.right + 1 || x.r.top < box.top - 1 || x.r.bottom > box.bottom + 1)
    .map((x) => x.text);
  return { texts: labels.map((x) => x.text), overlaps, outside };
}"""


def labels_of(locator, drawn: bool = True, settle_s: float = 5.0) -> dict:
    """The labels' texts, checked once the chart has settled; ``drawn``: the chart must have labels.

    Charts grow in with an animation whose length depends on the machine's load, so the check is
    retried for up to ``settle_s`` seconds: a layout that is still wrong then is a real defect."""
    deadline = time.monotonic() + settle_s
    while True:
        result = locator.evaluate(LABEL_CHECK)
        settled = (result["texts"] or not drawn) and not result["overlaps"] and not result["outside"]
        if settled or time.monotonic() > deadline:
            break
        locator.page.wait_for_timeout(250)
    assert result["texts"] or not drawn, "the chart drew no labels"
    assert not result["overlaps"], f"labels drawn over each other: {result['overlaps']}"
    assert not result["outside"], f"labels cut off at the chart's edge: {result['outside']}"
    return result


# ------------------------------------------------------------------------------ the explorer
@pytest.mark.parametrize("size", VIEWPORTS)
def test_explorer(live_server, browser, size):
    page = open_page(browser, live_server, size)
    editions = page.request.get(live_server + "/api/v1/editions").json()["editions"]
    page.goto(live_server + "/explore")
    page.wait_for_function("() => document.getElementById('map').dataset.count")  # the first edition is drawn

    # Each edition on its map, with every entity placed; the map's labels never overlap.
    for ed in editions:
        page.select_option("#edition", ed["id"])
        expect(page.locator(f'#map[data-edition="{ed["id"]}"]')).to_have_attribute("data-count", str(ed["entities"]), timeout=15_000)
        drawn = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('map')).getOption().series[0].data.length")
        assert drawn == ed["entities"], ed["id"]
        assert page.locator("#map").get_attribute("data-map") == {"city": "china", "global_city": "world", "district": "chongqing"}[ed["entity_kind"]]
        expect(page.locator("#rank-table tbody tr")).to_have_count(ed["entities"])
        labels_of(page.locator("#map"), drawn=ed["entity_kind"] != "district")  # districts: names on hover only
        page.screenshot(path=str(OUT / f"explore-{ed['id']}-{size}.png"), full_page=True)

    # Sorting: by composite (highest first, then lowest first), by a dimension; unscored rows last.
    page.select_option("#edition", "hardtech-2019")
    expect(page.locator('#map[data-edition="hardtech-2019"]')).to_have_attribute("data-count", "36")

    def column(key: str) -> list[float]:
        return [float(x) for x in page.locator(f'#rank-table tbody td[data-key="{key}"]').all_inner_texts() if x != "–"]

    page.locator('#rank-table th[data-key="composite"] button').click()
    expect(page.locator('#rank-table th[data-key="composite"]')).to_have_attribute("aria-sort", "descending")
    assert column("composite") == sorted(column("composite"), reverse=True) and column("composite")[0] == 86.59  # 北京 (表2)
    page.locator('#rank-table th[data-key="composite"] button').click()
    expect(page.locator('#rank-table th[data-key="composite"]')).to_have_attribute("aria-sort", "ascending")
    assert column("composite") == sorted(column("composite"))
    page.locator('#rank-table th[data-key="innovation_base"] button').click()
    expect(page.locator('#rank-table th[data-key="innovation_base"]')).to_have_attribute("aria-sort", "descending")
    assert column("innovation_base")[:2] == [89.31, 25.70] and column("innovation_base") == sorted(column("innovation_base"), reverse=True)

    # Downloads: the edition's scores as CSV and as an Excel workbook.
    with page.expect_download() as dl:
        page.locator("#dl-csv").click()
    assert dl.value.suggested_filename == "hardtech-2019-scores.csv"
    rows = list(csv.DictReader(io.StringIO(Path(dl.value.path()).read_text(encoding="utf-8-sig"))))
    assert len(rows) == 36 and {r["name"]: r["composite"] for r in rows}["深圳"] == "50.99"
    with page.expect_download() as dl:
        page.locator("#dl-xlsx").click()
    from openpyxl import load_workbook

    head, *cells = load_workbook(io.BytesIO(Path(dl.value.path()).read_bytes())).active.iter_rows(values_only=True)
    assert len(cells) == 36 and {r[0]: r[head.index("composite")] for r in cells}["深圳"] == 50.99

    # A profile from the table: scores against the median and the leader, every edition side by side.
    page.locator('#rank-table tbody tr[data-entity="深圳"]').click()
    profile = page.locator("#profile")
    expect(profile).to_be_visible()
    expect(page.locator("#profile-title")).to_have_text("Shenzhen")
    chart = profile.locator(".chart-block")
    expect(chart.locator("svg")).to_be_visible()
    texts = labels_of(chart)["texts"]
    assert {"Shenzhen", "Median", "Leader", "Innovation base"} <= set(texts) and not any(CJK.search(t) for t in texts)
    expect(profile.locator(".profile-table")).to_contain_text("3.93 (#34)")
    expect(profile.locator(".across-table thead th")).to_have_count(4)  # a blank corner + 2019, GTII 2019, 2020
    expect(profile.locator(".caveat")).to_be_visible()
    page.screenshot(path=str(OUT / f"explore-profile-{size}.png"))
    page.locator("#profile-close").click()
    expect(profile).to_be_hidden()

    # A profile from the map: click Harbin's point where ECharts drew it.
    page.evaluate("() => window.scrollTo(0, 0)")
    x, y = page.evaluate("""() => {
      const node = document.getElementById('map'), chart = echarts.getInstanceByDom(node);
      const item = chart.getOption().series[0].data.find((d) => d.entity === '哈尔滨');
      const [px, py] = chart.convertToPixel({ seriesIndex: 0 }, item.value), r = node.getBoundingClientRect();
      return [r.left + px, r.top + py];
    }""")
    page.mouse.click(x, y)
    expect(profile).to_be_visible()
    expect(page.locator("#profile-title")).to_have_text("Harbin")

    # Ask about this: one click, and the chat page posts the prefilled question.
    link = profile.locator(".ask-city") if size == "desktop" else profile.locator('.ask-cell[data-dimension="innovation_output"]')
    question = dict(re.findall(r"(\w+)=([^&]+)", link.get_attribute("href")))["ask"]
    with page.expect_request(lambda r: r.url.endswith("/api/v1/ask/stream") and r.method == "POST") as req:
        link.click()
    from urllib.parse import unquote_plus

    assert json.loads(req.value.post_data)["question"] == unquote_plus(question)
    assert "Harbin" in unquote_plus(question) and "2019 City Industrial Innovation Capability Index" in unquote_plus(question)
    expect(page.locator(".msg.user .bubble")).to_have_text(unquote_plus(question))
    expect(page.locator(".msg.assistant .controls")).to_be_visible(timeout=60_000)
    assert "ask=" not in page.url  # a reload does not ask again
    page.wait_for_timeout(500)  # the chart's bars grow in
    page.screenshot(path=str(OUT / f"explore-ask-{size}.png"))

    # In Chinese, every label of the explorer is Chinese.
    page.goto(live_server + "/explore?edition=hardtech-2019")
    page.locator("#lang").click()
    expect(page.locator('#rank-table th[data-key="rank"]')).to_have_text(re.compile("排名"))
    heads = page.locator("#rank-table thead th").all_inner_texts()
    assert all(CJK.search(h) for h in heads), heads
    assert page.locator("#dl-xlsx").inner_text() == "Excel" and CJK.search(page.locator("#map-status").inner_text())
    assert not page.problems, page.problems
    page.context.close()


# ------------------------------------------------------------------------------ the chat page
def ask(page, question: str):
    """Type ``question``, send it, wait for the whole answer; the answer's bubble."""
    box = page.locator("#input")
    box.fill(question)
    box.press("Enter")
    bubble = page.locator(".msg.assistant .bubble").last
    expect(bubble.locator(".controls")).to_be_visible(timeout=60_000)
    return bubble


def check_answer(page, bubble, lang: str) -> None:
    """One sources list, tool steps that ended, a readable chart, labels in ``lang``."""
    answer = bubble.locator(".answer").inner_text()
    chips = bubble.locator(".chip")
    assert chips.count() >= 1
    # the plain-text footer is not shown again above the chips: no heading, no file names
    assert not re.search(r"^\s*(Sources|来源|出处)\b", answer, re.M) and ".txt" not in answer, answer
    assert all(re.search(r"\.txt", c.get_attribute("title")) for c in chips.all())  # the file name is in the tooltip
    steps = bubble.locator(".tools summary").inner_text()
    assert "…" not in steps, f"the tool-steps line did not end: {steps}"
    labels = [steps, chips.first.inner_text(), bubble.locator(".copy").inner_text(), bubble.locator(".regen").inner_text(),
              bubble.locator(".chart-toggle").inner_text()]
    if lang == "zh":
        assert all(CJK.search(x) for x in labels), labels
        assert re.search(r"第\d+行", chips.first.inner_text())
    else:
        assert not any(CJK.search(x) for x in labels[:1] + labels[2:]), labels
        assert re.search(r"\blines? \d+", chips.first.inner_text())
    chart = bubble.locator(".chart-block")
    expect(chart.locator("svg")).to_be_visible(timeout=10_000)
    texts = labels_of(chart)["texts"] + [chart.locator(".chart-title").inner_text()]
    if lang == "en":  # every chart label is English (names may add the Chinese in brackets)
        assert all(re.search(r"[A-Za-z0-9]", t) for t in texts), texts
    else:
        assert all(CJK.search(t) or re.fullmatch(r"[\d.\s]+", t) for t in texts), texts
    toggle = bubble.locator(".chart-toggle")
    toggle.click()  # the same numbers as a table
    table = chart.locator(".chart-table")
    expect(table).to_be_visible()
    assert table.locator("tbody tr").count() >= 2 and toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    expect(chart.locator("svg")).to_be_visible()


def test_explorer_before_its_data_arrives(live_server, browser):
    """A language switch, a resize and a colour pick while the edition is still loading change
    nothing but the labels; the edition is drawn, in the chosen language, once its data is in.
    (The first click on 中文 used to read the missing edition and throw.)"""
    page = open_page(browser, live_server, "desktop")
    held = []
    page.route("**/api/v1/editions/*/scores", lambda route: held.append(route))
    page.goto(live_server + "/explore?edition=hardtech-2019")
    page.wait_for_function("() => document.getElementById('edition')")
    while not held:
        page.wait_for_timeout(50)
    page.locator("#lang").click()
    page.set_viewport_size(VIEWPORTS["phone"])
    page.wait_for_timeout(300)  # past the resize debounce: the map redraw runs with nothing loaded
    page.select_option("#color-by", [])
    for route in held:
        route.continue_()
    expect(page.locator('#map[data-edition="hardtech-2019"]')).to_have_attribute("data-count", "36", timeout=15_000)
    expect(page.locator("#rank-table tbody tr")).to_have_count(36)
    expect(page.locator('#rank-table th[data-key="rank"]')).to_have_text(re.compile("排名"))
    assert not page.problems, page.problems
    page.context.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_chat(live_server, browser, size):
    page = open_page(browser, live_server, size)
    page.goto(live_server + "/")
    examples = page.locator(".example")
    expect(examples.first).to_be_visible()
    assert not any(CJK.search(x) for x in examples.all_inner_texts())  # an English page: English examples
    assert page.request.get(live_server + "/favicon.ico").status == 200

    # The header's buttons stay on one line.
    tops = {round(b["y"]) for b in (x.bounding_box() for x in page.locator(".topbar .actions > :not([hidden])").all())}
    assert len(tops) == 1 and page.locator(".topbar").bounding_box()["height"] < 64, tops

    # Shift+Enter adds a line, Enter sends.
    box = page.locator("#input")
    box.type("why is Shenzhen weak")
    box.press("Shift+Enter")
    assert "\n" in box.input_value()

    bubble = ask(page, "What are Shenzhen's 2019 composite score and rank?")
    expect(bubble.locator(".answer")).to_contain_text("50.99")  # 表2
    check_answer(page, bubble, "en")
    page.screenshot(path=str(OUT / f"chat-en-{size}.png"))

    # A Chinese question on an English page: the answer and all its labels are Chinese.
    bubble = ask(page, "2019年深圳的创新基础得分是多少？")
    expect(bubble.locator(".answer")).to_contain_text("3.93")
    check_answer(page, bubble, "zh")
    page.screenshot(path=str(OUT / f"chat-zh-{size}.png"))

    # A source chip opens the passage with the cited line, its file named.
    bubble.locator(".chip").first.click()
    panel = page.locator("#panel")
    expect(panel.locator(".passage .ln.cited").first).to_be_visible(timeout=10_000)
    expect(panel.locator(".meta code")).to_have_text(re.compile(r"\.txt$"))
    page.screenshot(path=str(OUT / f"chat-source-{size}.png"))
    page.locator("#panel-close").click()

    # History survives a reload; the language toggle relabels the page; new chat clears.
    page.reload()
    expect(page.locator(".msg.assistant .answer").first).to_contain_text("50.99")
    page.locator("#lang").click()
    assert page.locator("#send").inner_text() == "发送" and page.locator("#explore-link").inner_text() == "指数浏览"
    page.locator("#new-chat").click()
    expect(page.locator(".example").first).to_have_text(re.compile(CJK.pattern))  # a Chinese page: a Chinese first example
    assert page.locator(".msg").count() == 0
    assert not page.problems, page.problems
    page.context.close()


def sse(*events: tuple[str, dict]) -> str:
    return "".join(f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n" for kind, data in events)


def test_a_replaced_llm_answer_is_replaced_with_a_notice(live_server, browser):
    """In LLM mode the page shows the model's tokens as they come; when the verifier replaces
    the text, the page shows the checked answer instead, and says so."""
    page = open_page(browser, live_server, "phone", locale="zh-CN")
    checked = "在2019年指数中，深圳的综合得分为 50.99 分，排第 3 名。[1]\n\n来源：[1] 2019 中国硬科技发展白皮书，第1942行"
    notice = "回答已按数据核对并更正：无法由工具结果支持的数字已删除。"
    cite = {"id": "c1", "source_file": "001_2d381f25c7fc5f5d.txt", "lines": [1942, 1942], "doc_title": "2019 中国硬科技发展白皮书",
            "section": "深圳", "quote": "深圳市产业创新综合能力水平指数为 50.99"}
    body = sse(("tool", {"id": "t1", "name": "scores", "args": {"entity": "深圳"}}), ("token", {"text": "让我想想。"}),
               ("token", {"text": "深圳得了九十九分，第 99 名。"}), ("verification", {"status": "replaced", "answer": checked, "notice": notice}),
               ("citation", cite), ("done", {"answer": checked, "language": "zh", "mode": "llm", "citations": [cite], "numbers": [],
                                             "tool_calls": [], "chart": None, "warnings": ["unverified numbers: 99"]}))
    page.route("**/api/v1/ask/stream", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    page.goto(live_server + "/")
    bubble = ask(page, "深圳2019年的综合得分是多少？")
    expect(bubble.locator(".notice")).to_have_text(notice)
    answer = bubble.locator(".answer").inner_text()
    assert "50.99" in answer and "第 99 名" not in answer and "让我想想" not in answer and "来源" not in answer
    assert bubble.locator(".tools summary").inner_text() == "已完成 1 个工具步骤"
    expect(bubble.locator(".warn summary")).to_have_text("技术说明 (1)")
    page.screenshot(path=str(OUT / "chat-replaced-phone.png"))
    assert not page.problems, page.problems
    page.context.close()
