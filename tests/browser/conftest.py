"""The browser every browser test shares: Debian's /usr/bin/chromium through Playwright.

Playwright never downloads a browser here: it is pointed at the system's Chromium
(Debian package ``chromium``; ``.ci/run`` installs it), and a missing one is a failure,
not a skip. Pages are opened from ``file://`` URLs with network features switched off.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing: install the Debian package chromium "
                    "(.ci/run does this); the browser tests never download a browser")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()
