"""Browser tests: Playwright driving the distribution's Chromium against live_server."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", "/tmp/socialorg-test-artifacts"))


@pytest.fixture(scope="package", autouse=True)
def _async_unsafe_for_the_browser_tests():
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
    # (creating its records) are still synchronous and safe. Only for these tests: the flag
    # must not leak into the rest of the run (`check --deploy` rightly refuses it).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        yield


# Package scope: Playwright's event loop must be gone before the rest of the run touches the
# database (Django refuses sync ORM calls while a loop runs in the thread).
@pytest.fixture(scope="package")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "浏览器测试需要 /usr/bin/chromium（apt-get install -y chromium fonts-noto-cjk）"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="未安装 playwright（dev 依赖）")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-background-networking", "--disable-component-update"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
