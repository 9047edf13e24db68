"""The pictures of the run reports, as the Dagster UI shows them in a browser.

The fighter chain runs in process on a small served world into a temporary Dagster
instance; ``dagster-webserver`` serves that instance with the ``ufc_pipeline.definitions``
location (no daemon: no sensor or schedule runs); headless Chromium opens the asset pages,
clicks each picture entry's "[Show Markdown]" and checks the images in the dialog: the
expected alt text, a ``data:`` URI, and decoded by the browser (a natural width).

Needs Chromium (Debian: ``apt-get install -y chromium``); skipped with that reason when
it is not installed. ``UFC_UI_SCREENSHOTS=<dir>`` keeps a screenshot of each dialog.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import dagster as dg
import pytest

from tests.e2e.helpers import run_chain
from tests.ui.browser import Chromium, find_chromium, stop_group
from ufc_mirror.server import start_mirror
from ufc_mirror.world import build_world

CHROMIUM = find_chromium()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        CHROMIUM is None,
        reason="no Chromium on this machine (Debian: apt-get install -y chromium)",
    ),
]

REPO = Path(__file__).resolve().parents[2]
LETTERS = "km"
# Sherdog image faults planted on the first "m" fighters, and the reason each must show.
PLANTED = {"broken_404": "image_not_found", "broken_html": "not_an_image"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _run_chain(home: Path, data_dir: Path) -> None:
    world = build_world(seed=11, fighters=24, letters=LETTERS)
    planted = sorted(world.by_letter["m"], key=lambda f: f.id)[: len(PLANTED)]
    for fighter, kind in zip(planted, PLANTED, strict=True):
        fighter.person.image = kind
    with start_mirror(world, host="127.0.0.1") as mirror:
        with dg.DagsterInstance.from_config(str(home)) as instance:
            result = run_chain(
                mirror, data_dir, start=LETTERS[0], end=LETTERS[-1], instance=instance
            )
    assert result.success


def _wait_until_serving(url: str, proc: subprocess.Popen[Any], log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited: {log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/server_info", timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"dagster-webserver not serving after 90 s: {log.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def ui(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Base URL of a webserver on a finished run of the chain over ``LETTERS``."""
    root = tmp_path_factory.mktemp("ui")
    home, data_dir = root / "dagster_home", root / "data"
    home.mkdir()
    # nux: no community sign-up prompt over the pages
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
    _run_chain(home, data_dir)
    port = _free_port()
    env = {**os.environ, "DAGSTER_HOME": str(home), "UFC_DATA_DIR": str(data_dir)}
    webserver = str(Path(sys.executable).parent / "dagster-webserver")
    log = root / "webserver.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [webserver, "-h", "127.0.0.1", "-p", str(port), "-m", "ufc_pipeline.definitions"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_serving(url, proc, log)
        yield url
    finally:
        stop_group(proc)


@pytest.fixture(scope="module")
def browser() -> Iterator[Chromium]:
    assert CHROMIUM is not None
    with Chromium(CHROMIUM) as b:
        yield b


ROW_READY = """[...document.querySelectorAll('td')].some(td => td.innerText.trim() === %s)"""

# Click the "[Show Markdown]" link of the metadata row ``label``; when the dialog's images
# have loaded, describe them and the dialog's text.
OPEN_DIALOG = """(async () => {
  const label = %s;
  const cell = [...document.querySelectorAll('td')].find(td => td.innerText.trim() === label);
  const row = cell.closest('tr');
  const link = [...row.querySelectorAll('a, button')]
    .find(e => e.innerText.trim() === '[Show Markdown]');
  if (!link) return {text: 'no [Show Markdown] link in the row: ' + row.innerText, images: []};
  link.click();
  let dialog = null, imgs = [];
  for (let i = 0; i < 300; i++) {  // the markdown renderer is loaded on first use
    dialog = [...document.querySelectorAll('[role=dialog]')]
      .find(d => d.innerText.includes(label));
    imgs = dialog ? [...dialog.querySelectorAll('img')] : [];
    if (imgs.length && imgs.every(img => img.complete)) break;
    await new Promise(r => setTimeout(r, 100));
  }
  return {
    text: dialog ? dialog.innerText : '',
    images: imgs.map(img => ({alt: img.alt, src: img.getAttribute('src').slice(0, 40),
                              width: img.naturalWidth, height: img.naturalHeight})),
  };
})()"""

CLOSE_DIALOG = """(() => {
  const close = [...document.querySelectorAll('[role=dialog] button')]
    .find(b => b.innerText.trim() === 'Close');
  if (close) close.click();
  return true;
})()"""


def show_markdown(browser: Chromium, label: str) -> dict[str, Any]:
    browser.wait_for(ROW_READY % json.dumps(label))
    shown = browser.evaluate(OPEN_DIALOG % json.dumps(label))
    shots = os.environ.get("UFC_UI_SCREENSHOTS")
    if shots:
        time.sleep(0.5)  # the dialog fades in
        browser.screenshot(Path(shots) / f"{label}.png")
    browser.evaluate(CLOSE_DIALOG)
    browser.wait_for("!document.querySelector('[role=dialog] img')", timeout=10)
    return shown


def assert_rendered(image: dict[str, Any], alt: str, mime: str) -> None:
    assert image["alt"] == alt
    assert image["src"].startswith(f"data:{mime};base64,")
    assert image["width"] > 100 and image["height"] > 50  # the browser decoded it


def test_verified_matches_shows_the_confidence_histogram_and_statuses(
    ui: str, browser: Chromium
) -> None:
    browser.open(f"{ui}/assets/verified_matches")
    histogram = show_markdown(browser, "confidence_histogram")
    [image] = histogram["images"]
    assert_rendered(image, "match confidence histogram", "image/png")
    assert "Match confidence" in histogram["text"]
    statuses = show_markdown(browser, "status_chart")
    [image] = statuses["images"]
    assert_rendered(image, "verified matches by status", "image/png")


def test_fighter_images_shows_saved_and_rejected_contact_sheets(ui: str, browser: Chromium) -> None:
    browser.open(f"{ui}/assets/fighter_images")
    sheet = show_markdown(browser, "contact_sheet")
    saved, rejected = sheet["images"]
    assert_rendered(saved, "saved fighter images", "image/jpeg")
    assert_rendered(rejected, "rejected fighter images with their reasons", "image/png")
    for reason in PLANTED.values():
        assert reason in sheet["text"]
