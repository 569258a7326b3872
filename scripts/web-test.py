#!/usr/bin/env python3
"""Drives the server's page at / in headless Chromium: enter the key, drop a photo, scrub it, and check
that the before/after view, the privacy report and the download link appear. Saves a screenshot.

Usage: web-test.py URL KEY SCREENSHOT.png PRODUCT.jpg  (scripts/web-test starts the server and calls this)."""
import os
import struct
import sys
import tempfile
import zlib

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

SECRET = "WEB-TEST-SECRET-Jane-Doe-42-Main-St"


def png_with_comment(width=480, height=320):
    """A gradient PNG with a tEXt Comment chunk: metadata the scrub must find and remove."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes((x * 255 // width, y * 255 // height, 120))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Comment\x00" + SECRET.encode()) + chunk(b"IDAT", zlib.compress(bytes(rows)))
            + chunk(b"IEND", b""))


def main():
    url, key, screenshot, product = sys.argv[1], sys.argv[2], sys.argv[3], os.path.abspath(sys.argv[4])
    folder = tempfile.mkdtemp(prefix="backdrop-web-")
    photo = os.path.join(folder, "shirt.png")
    with open(photo, "wb") as handle:
        handle.write(png_with_comment())

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    failures = []
    try:
        driver.get(url)
        wait = WebDriverWait(driver, 120)
        # Without a key the page says so instead of calling the API.
        driver.find_element(By.ID, "files").send_keys(photo)
        wait.until(lambda d: "API key" in d.find_element(By.ID, "status").text)

        driver.find_element(By.ID, "key").send_keys(key)
        driver.find_element(By.ID, "saveKey").click()
        if driver.execute_script("return window.sessionStorage.getItem('backdrop-key')") != key:
            failures.append("the key was not kept in sessionStorage")
        Select(driver.find_element(By.ID, "operation")).select_by_value("scrub")
        driver.find_element(By.ID, "files").send_keys(photo)
        link = wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "a.download")))
        wait.until(lambda d: d.execute_script(
            "const i = document.querySelector('img.result'); return i && i.complete && i.naturalWidth > 0"))
        report = driver.find_element(By.CSS_SELECTOR, ".privacy").text
        if "found and removed" not in report:
            failures.append(f"the privacy report does not say metadata was removed: {report!r}")
        if SECRET in driver.page_source:
            failures.append("the page shows the planted secret")
        if not link.get_attribute("download").endswith(".png"):
            failures.append(f"download name: {link.get_attribute('download')!r}")
        # The before/after slider moves the clip.
        slider = driver.find_element(By.CSS_SELECTOR, ".compare input[type=range]")
        driver.execute_script("arguments[0].value = 25; arguments[0].dispatchEvent(new Event('input'))", slider)
        clip = driver.execute_script("return document.querySelector('.compare .after').style.clipPath")
        if "25%" not in clip:
            failures.append(f"the slider did not move the clip: {clip!r}")

        # A JSON operation shows its report.
        Select(driver.find_element(By.ID, "operation")).select_by_value("inspect")
        driver.find_element(By.ID, "files").send_keys(photo)
        wait.until(EC.presence_of_element_located((By.CSS_SELECTOR, "pre.json")))
        if "text_chunks" not in driver.find_element(By.CSS_SELECTOR, "pre.json").text:
            failures.append("the inspect report does not list the text chunk")

        # A product photo through background removal: the card the screenshot shows.
        Select(driver.find_element(By.ID, "operation")).select_by_value("remove-bg")
        Select(driver.find_element(By.ID, "gate")).select_by_value("off")
        driver.find_element(By.ID, "files").send_keys(product)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "a.download")) == 2)
        wait.until(lambda d: d.execute_script(
            "return Array.from(document.querySelectorAll('img.result')).every(i => i.complete && i.naturalWidth > 0)"))
        cards = driver.find_elements(By.CSS_SELECTOR, "article.card")
        if len(cards) != 3:
            failures.append(f"expected 3 result cards, got {len(cards)}")
        driver.save_screenshot(screenshot)
    finally:
        driver.quit()
    for failure in failures:
        print("web-test: FAIL:", failure)
    print(f"web-test: 0 passed, 1 failed" if failures else "web-test: 1 passed, 0 failed")
    print("web-test: screenshot", screenshot)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
