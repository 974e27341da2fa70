"""One real browser: `streamlit run` on loopback, Debian's Chromium through Playwright.

Types a contact on the Draft page, drafts one message, and saves a screenshot (copied to
$OUTREACH_SCREENSHOT_DIR when set). Never downloads a browser: skipped without
/usr/bin/chromium (CI installs the `chromium` package first).
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium package"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not become healthy at {url}")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    port = _free_port()
    env = {
        **os.environ,
        "OUTREACH_HOME": str(tmp_path / "home"),
        "OUTREACH_BACKEND": "offline",
    }
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OUTREACH_CHROMA_URL"):
        env.pop(name, None)
    streamlit = Path(sys.executable).with_name("streamlit")
    log = (tmp_path / "streamlit.log").open("wb")
    process = subprocess.Popen(
        [
            str(streamlit),
            "run",
            str(ROOT / "streamlit_app.py"),
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.fileWatcherType",
            "none",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


def test_draft_a_message_in_a_real_browser(server: str, tmp_path: Path) -> None:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # A phone-ish width: the layout must hold up narrow too.
            page = browser.new_page(viewport={"width": 480, "height": 2400})
            page.goto(server, wait_until="domcontentloaded")
            page.get_by_role("heading", name="Draft a message").wait_for(timeout=60_000)
            # The first page a fresh server shows: a local tool, not a Streamlit Cloud demo,
            # so the toolbar has no "Deploy" button (config set before the first run).
            page.get_by_test_id("stToolbar").wait_for(state="attached", timeout=10_000)
            assert page.get_by_test_id("stAppDeployButton").count() == 0
            assert page.get_by_role("button", name="Deploy").count() == 0
            # Each text box is committed with Tab, as a user moving to the next field would.
            for label, value in (
                ("Name", "Priya Raman"),
                ("Their work you admire", "her talk on CRDTs at Strange Loop 2023"),
                ("Notes", "We both run a distributed-systems book club."),
            ):
                box = page.get_by_role("textbox", name=label, exact=True)
                box.fill(value)
                box.press("Tab")
            page.get_by_role("button", name="Draft", exact=True).click()
            message = page.get_by_role("textbox", name="Your message", exact=False)
            message.wait_for(timeout=90_000)
            page.get_by_text("checks passed").or_(
                page.get_by_text("checks flagged")
            ).first.wait_for(timeout=30_000)
            message.scroll_into_view_if_needed()
            text = message.input_value()
            assert "Priya" in text
            assert page.get_by_text("no LLM was used").count() >= 1
            # A local tool, not a Streamlit Cloud demo: no "Deploy" button or developer menu.
            assert page.get_by_role("button", name="Deploy").count() == 0
            shot = tmp_path / "draft-page.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert shot.stat().st_size > 10_000
    target = os.environ.get("OUTREACH_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(target) / shot.name)
