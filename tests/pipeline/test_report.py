import json
import re
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from pipeline.dataset import read_frames
from pipeline.report import (
    PAGE_CHARS,
    PLOT_IDS,
    deadline_periods,
    documents_html,
    frames_to_html,
    review_rows,
    write_report,
)
from pipeline.schema import SCHEMAS
from pipeline.store import commit
from tests.pipeline.conftest import DOC_B, write_tiny

ROOT = Path(__file__).resolve().parents[2]
AS_OF = date(2026, 5, 1)
CHROMIUM = Path("/usr/bin/chromium")
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def fixed(tmp_path: Path) -> Path:
    return write_tiny(tmp_path / "ds", today=AS_OF)


def test_deadlines_are_counted_by_month_and_split_at_the_as_of_date(fixed: Path):
    tasks = read_frames(fixed)["tasks"]
    frame = deadline_periods(tasks, AS_OF).set_index("period")
    # due 2026-02-20 twice (before 1 May), 2026-06-30 and 2028-12-31 (after)
    assert frame.loc["2026-02"].to_dict() == {"past_due": 2, "upcoming": 0}
    assert frame.loc["2026-06"].to_dict() == {"past_due": 0, "upcoming": 1}
    assert frame.loc["2028-12"].to_dict() == {"past_due": 0, "upcoming": 1}
    assert len(frame) == 35 and frame.to_numpy().sum() == 4  # every month between, empty ones included
    later = deadline_periods(tasks, date(2026, 7, 1)).set_index("period")
    assert later.loc["2026-06"].to_dict() == {"past_due": 1, "upcoming": 0}


def test_long_spans_are_counted_by_quarter(fixed: Path):
    tasks = read_frames(fixed)["tasks"]
    tasks.loc[0, "deadline_end"] = date(2035, 1, 1)
    periods = deadline_periods(tasks, AS_OF)["period"]
    assert periods.iloc[0] == "2026Q1" and periods.iloc[-1] == "2035Q1"


def test_the_review_lists_each_kind_with_file_and_page(fixed: Path):
    rows = review_rows(read_frames(fixed))
    by_kind = {}
    for r in rows:
        by_kind.setdefault(r.kind, []).append(r)
    assert {k: len(v) for k, v in by_kind.items()} == {
        "unknown unit": 1, "low confidence": 1, "unparsed deadline": 1, "document without tasks": 1,
        "failed input": 1}
    unknown = by_kind["unknown unit"][0]
    assert (unknown.file, unknown.page, unknown.item) == (f"in/{DOC_B}.txt", "4", "1")
    assert "Ban Khó Tìm" in unknown.detail
    assert by_kind["unparsed deadline"][0].page == "3" and by_kind["unparsed deadline"][0].detail == "sớm nhất có thể"
    assert by_kind["failed input"][0].item == "corrupt_file"


def test_the_page_is_self_contained_with_every_plot(fixed: Path):
    page = frames_to_html(read_frames(fixed), AS_OF)
    for pid in PLOT_IDS:
        section = re.search(rf'<section class="plot" id="{pid}">(.*?)</section>', page, re.S)
        assert section and "<svg" in section.group(1), pid
    assert not re.search(r"""(src|href)\s*=\s*["'](https?:)?//""", page)
    assert "<script" not in page and "<link" not in page and "@import" not in page
    assert "Ban Khó Tìm" in page and "2026-05-01" in page


def test_each_document_is_folded_with_its_pages_text(fixed: Path):
    frames = read_frames(fixed)
    page = frames_to_html(frames, AS_OF)
    section = re.search(r'<section id="documents-section">(.*?)</section>', page, re.S)
    assert section
    docs = re.findall(r'<details class="doc">(.*?)</details>(?=<details class="doc">|\s*$|\n)', section.group(1), re.S)
    assert len(docs) == len(frames["documents"])
    assert section.group(1).count('<details class="page">') == len(frames["pages"]) == 8
    assert "Trang 4 của 7/KH-UBND" in section.group(1) and "page 4 (ocr, confidence 0.90" in section.group(1)


def test_a_long_page_is_cut_and_says_where_the_rest_is(fixed: Path):
    frames = read_frames(fixed)
    frames["pages"].loc[0, "text"] = "Sở <Nội vụ> " * PAGE_CHARS
    out = documents_html(frames["documents"], frames["pages"])
    assert "Sở &lt;Nội vụ&gt;" in out and "<Nội vụ>" not in out
    assert f"{12 * PAGE_CHARS - PAGE_CHARS} more characters (kehoach text {frames['documents'].doc_id[0]})" in out


def test_an_empty_dataset_still_gives_every_plot(tmp_path: Path):
    commit(tmp_path, {n: s.empty_table() for n, s in SCHEMAS.items()})
    page = frames_to_html(read_frames(tmp_path), AS_OF)
    assert all(f'id="{pid}"' in page for pid in PLOT_IDS) and "nothing to review" in page


def test_the_command_writes_the_page(fixed: Path, tmp_path: Path):
    target = tmp_path / "sub" / "report.html"
    r = subprocess.run([sys.executable, "-m", "pipeline", "report", str(fixed), "-o", str(target), "--as-of",
                        "2026-05-01", "--json"], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout) == {"report": str(target), "as_of": "2026-05-01"}
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    bad = subprocess.run([sys.executable, "-m", "pipeline", "report", str(fixed), "--as-of", "May"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def _not_blank(png: Path) -> bool:
    from PIL import Image

    with Image.open(png) as im:
        small = im.convert("RGB").resize((200, 200))
        colors = small.getcolors(200 * 200) or []
        non_white = sum(n for n, c in colors if sum(c) < 720)
        return len(colors) > 8 and non_white > 200


def test_the_report_opens_in_headless_chromium_with_its_plots(ingested: Path, tmp_path: Path):
    # make test installs chromium; without it this fails rather than skips, so CI cannot pass unchecked
    assert CHROMIUM.exists() or shutil.which("chromium"), "chromium is not installed (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    report = write_report(ingested, tmp_path / "report.html", AS_OF)
    errors: list[str] = []
    outside: list[str] = []
    with sync_playwright() as p, tempfile.TemporaryDirectory() as profile:
        browser = p.chromium.launch_persistent_context(
            profile, executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            args=BROWSER_ARGS, headless=True)
        try:
            page = browser.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(("file:", "data:")) else None)
            page.goto(report.as_uri(), wait_until="load")
            for pid in PLOT_IDS:
                box = page.locator(f"#{pid} svg").bounding_box()
                assert box and box["width"] > 100 and box["height"] > 50, pid
            assert page.locator("#review tbody tr").count() > 0
            shot = tmp_path / "report.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert errors == []
    assert outside == []
    assert _not_blank(shot)
