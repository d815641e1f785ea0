"""Headless Chromium for tests, through Playwright, offline.

Uses Debian's /usr/bin/chromium (scripts/test.sh installs it); never
downloads a browser.
"""
import contextlib
import os
import shutil
import tempfile

import pytest

CHROMIUM = os.environ.get("TEACHGRAD_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@contextlib.contextmanager
def chromium_page(allow=("http://127.0.0.1", "ws://127.0.0.1", "file://", "data:", "blob:")):
    """A Playwright page in headless Chromium that can reach only local addresses."""
    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run `bash scripts/test.sh`, which installs Debian's chromium.")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        ctx = p.chromium.launch_persistent_context(tempfile.mkdtemp(), executable_path=CHROMIUM,
                                                   headless=True, args=ARGS)
        try:
            ctx.route("**/*", lambda r: r.continue_() if r.request.url.startswith(allow) else r.abort())
            page = ctx.new_page()
            errors = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.js_errors = errors
            yield page
        finally:
            ctx.close()
