"""Debian's headless chromium (installed by `make test`) driven by selenium, for every
page we serve or write."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


@contextmanager
def headless_chromium(
    *, performance_log: bool = False, downloads: Path | None = None
) -> Iterator[webdriver.Chrome]:
    """The browser, its console log kept (and Chrome's performance log: every network
    request, when asked); files it downloads land in ``downloads``."""
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    assert chromium, "make test installs Debian's chromium"
    assert driver, "make test installs Debian's chromium-driver"
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,1000"):
        options.add_argument(argument)
    logs = {"browser": "ALL", **({"performance": "ALL"} if performance_log else {})}
    options.set_capability("goog:loggingPrefs", logs)
    if downloads is not None:
        options.add_experimental_option(
            "prefs",
            {"download.default_directory": str(downloads), "download.prompt_for_download": False},
        )
    chrome = webdriver.Chrome(options=options, service=Service(executable_path=driver))
    try:
        if downloads is not None:
            chrome.execute_cdp_cmd(
                "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
            )
        yield chrome
    finally:
        chrome.quit()
