"""One real browser: `streamlit run` on loopback, Debian's Chromium through Playwright.

Drives the README's launch (`streamlit run streamlit_app.py` from the repository root;
only the port, address, headless and file-watcher flags are added) as a person would: drafts a message,
types a pitch and presses Approve at once, fills a follow-up, opens pages by URL, reviews
a batch. Screenshots are copied to $OUTREACH_SCREENSHOT_DIR when set. Never downloads a browser: skipped without
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
from typing import Any

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


@pytest.fixture
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser: Any, url: str, heading: str, height: int = 1400) -> Any:
    # A phone-ish width: the layout must hold up narrow too.
    page = browser.new_page(viewport={"width": 480, "height": height})
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=heading, exact=True, level=1).wait_for(timeout=60_000)
    return page


def _type_contact_and_draft(page: Any) -> Any:
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
    page.get_by_text("checks passed").or_(page.get_by_text("checks flagged")).first.wait_for(
        timeout=30_000
    )
    return message


def _wait_still(page: Any) -> None:
    """Wait until nothing on the page is animating. A click during an expander's opening
    lands its mouse-up off the moving button, so the button never fires (read in the
    browser's own pointer events: mousedown on the button, mouseup on its container)."""
    page.wait_for_function("() => document.getAnimations().length === 0", timeout=10_000)


def _save_screenshot(page: Any, path: Path) -> None:
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    target = os.environ.get("OUTREACH_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def test_plain_launch_has_no_deploy_button_and_drafts_a_message(
    server: str, browser: Any, tmp_path: Path
) -> None:
    # A phone's height: the new draft appears below the fold unless the page scrolls to it.
    page = _open(browser, server, "This week", height=800)  # the first page
    # The first page a fresh server shows: a local tool, not a Streamlit Cloud demo,
    # so the toolbar has no "Deploy" button (config read before the first run).
    page.get_by_test_id("stToolbar").wait_for(state="attached", timeout=10_000)
    assert page.get_by_test_id("stAppDeployButton").count() == 0
    assert page.get_by_role("button", name="Deploy").count() == 0
    page.goto(server + "/draft", wait_until="domcontentloaded")
    page.get_by_role("heading", name="Draft a message", exact=True, level=1).wait_for(
        timeout=60_000
    )
    message = _type_contact_and_draft(page)
    assert "Priya" in message.input_value()
    assert page.get_by_text("no LLM was used").count() >= 1
    # The page scrolls to the new draft: its heading moves to the top of the screen.
    heading = page.get_by_role("heading", name="Compliment for Priya Raman")
    page.wait_for_function(
        "(h) => h.getBoundingClientRect().top < window.innerHeight / 4",
        arg=heading.element_handle(),
        timeout=10_000,
    )
    assert page.get_by_role("button", name="Deploy").count() == 0
    _save_screenshot(page, tmp_path / "draft-page.png")


PITCH = " Could you book a demo of my product and share it with your team?"


def test_checks_rerun_as_you_type_and_approving_a_pitch_at_once_is_blocked(
    server: str, browser: Any, tmp_path: Path
) -> None:
    page = _open(browser, server + "/draft", "Draft a message")
    message = _type_contact_and_draft(page)
    # Typing alone (no Tab, no Ctrl+Enter) re-runs the checks after a pause.
    message.click()
    message.press("End")
    message.press_sequentially(PITCH, delay=15)
    page.get_by_text("checks flagged").wait_for(timeout=15_000)
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"  # still typing
    # The score card beside the checks follows the typing too.
    page.get_by_text("Score card").wait_for(timeout=5_000)
    page.get_by_text("Take out the request").wait_for(timeout=5_000)
    page.get_by_text("a compliment asks for nothing").first.wait_for(timeout=5_000)
    assert page.get_by_text("share_promote").count() == 0
    assert page.get_by_text("classifier").count() == 0
    # One click removes the sentence to blame; the checks pass again.
    page.get_by_role("button", name="Remove this sentence").first.click()
    page.get_by_text("checks passed").wait_for(timeout=15_000)
    assert "book a demo" not in message.input_value()
    # The score card re-renders in the same rerun; wait for it rather than race it.
    page.get_by_text("Take out the request").first.wait_for(state="detached", timeout=15_000)
    # Type the pitch again and press Approve at once, before any pause: not saved.
    message.click()
    message.press("End")
    message.press_sequentially(PITCH, delay=5)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Not approved yet").wait_for(timeout=15_000)
    assert page.get_by_text("Approved and saved").count() == 0
    _save_screenshot(page, tmp_path / "approve-blocked.png")
    page.get_by_role("button", name="Approve anyway").click()
    page.get_by_text("Approved and saved").wait_for(timeout=15_000)


def test_follow_up_form_and_every_page_url_opens_it(server: str, browser: Any) -> None:
    page = _open(browser, server + "/draft", "Draft a message")
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_text("Follow-up", exact=True).click()
    event = page.get_by_role("textbox", name="Event where you met", exact=True)
    event.wait_for(timeout=15_000)
    assert event.is_visible()
    assert page.get_by_role("textbox", name="A moment you shared there", exact=True).is_visible()
    assert not page.get_by_role("textbox", name="Their work you admire", exact=True).is_visible()
    for path, heading in (
        ("/contacts", "Contacts"),
        ("/batch", "Batch"),
        ("/guidance", "Guidance"),
        ("/settings", "Settings"),
    ):
        other = _open(browser, server + path, heading)
        assert other.get_by_text("Page not found").count() == 0
        assert other.url.endswith(path)
        other.close()
    root = _open(browser, server, "This week")  # the first page in the navigation
    root.wait_for_url("**/week", timeout=10_000)


def test_batch_review_opens_a_passing_row_on_the_draft_page(
    server: str, browser: Any, tmp_path: Path
) -> None:
    people = tmp_path / "people.csv"
    people.write_text(
        "name,their_work,notes,kind\n"
        "Priya Raman,her talk on CRDTs at Strange Loop 2023,"
        "We both run a distributed-systems book club.,compliment\n",
        encoding="utf-8",
    )
    page = _open(browser, server + "/batch", "Batch")
    page.locator("input[type=file]").first.set_input_files(str(people))
    start = page.get_by_role("button", name="Start batch")
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some("
        "b => b.innerText.trim() === 'Start batch' && !b.disabled)",
        timeout=30_000,
    )
    start.click()
    # The real `outreach batch` runs in its own process; the page follows it to the end.
    row = page.get_by_text("Priya Raman · passed its checks")
    row.wait_for(timeout=180_000)
    # The picker says the run has finished (a keyed picker went on showing "running").
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stSelectbox]')].some(box => "
        "(box.innerText + ' ' + (box.querySelector('input')?.value ?? ''))"
        ".includes('people.csv · finished'))",
        timeout=10_000,
    )
    row.click()
    _wait_still(page)  # as a person would: the row opens before its button is pressed
    page.get_by_role("button", name="Open on the Draft page").click()
    page.get_by_role("heading", name="Draft a message", exact=True, level=1).wait_for(
        timeout=30_000
    )
    page.wait_for_url("**/draft", timeout=10_000)
    message = page.get_by_role("textbox", name="Your message", exact=False)
    message.wait_for(timeout=30_000)
    assert "Priya" in message.input_value()
    page.get_by_text("checks passed").wait_for(timeout=15_000)
    page.get_by_text("From batch run").wait_for(timeout=5_000)
    page.get_by_role("button", name="Approve", exact=True).click()
    page.get_by_text("Approved and saved").wait_for(timeout=15_000)
    # The approved text, ready to copy.
    page.get_by_test_id("stCode").get_by_text("Priya", exact=False).first.wait_for(timeout=10_000)
    _save_screenshot(page, tmp_path / "batch-row-on-draft-page.png")


def test_click_a_contact_to_edit_it_then_draft_to_them(
    server: str, browser: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core import store
    from core.contacts import Contact

    monkeypatch.setenv("OUTREACH_HOME", str(tmp_path / "home"))  # the server's workspace
    store.upsert_contact(
        Contact(name="Zoe Kim", company="Hooli", their_work="her talk on Go generics")
    )
    page = _open(browser, server + "/contacts", "Contacts")
    table = page.get_by_test_id("stDataFrame")
    table.wait_for(timeout=30_000)
    box = table.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 80, box["y"] + 35 + 17)  # the first data row, below the header
    draft = page.get_by_role("button", name="Draft a message to Zoe")
    draft.wait_for(timeout=15_000)
    assert page.get_by_role("textbox", name="Name", exact=True).input_value() == "Zoe Kim"
    draft.click()
    page.get_by_role("heading", name="Draft a message", exact=True, level=1).wait_for(
        timeout=30_000
    )
    page.get_by_role("button", name="Draft", exact=True).click()
    message = page.get_by_role("textbox", name="Your message", exact=False)
    message.wait_for(timeout=90_000)
    assert "Zoe" in message.input_value()
