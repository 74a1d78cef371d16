"""Time a teacher's first minute: `streamlit run` to a prediction, and a stroke to new bars.

Run: python benchmarks/app_latency.py   (needs Debian chromium and pip playwright)
"""

import pathlib
import socket
import subprocess
import sys
import time

from playwright.sync_api import sync_playwright

ROOT = pathlib.Path(__file__).resolve().parent.parent
BROWSER_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]


def free_port():
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def stroke(page, points):
    """Drag the mouse through `points` (canvas pixels) on the Draw page's canvas."""
    box = page.locator("canvas.upper-canvas").bounding_box()
    page.mouse.move(box["x"] + points[0][0], box["y"] + points[0][1])
    page.mouse.down()
    for x, y in points[1:]:
        page.mouse.move(box["x"] + x, box["y"] + y, steps=8)
    page.mouse.up()


def prediction_changes(page, before, timeout=30):
    """Seconds until the Prediction metric's text differs from `before`."""
    start = time.perf_counter()
    metric = page.locator("[data-testid=stMetric]").first
    while time.perf_counter() - start < timeout:
        if metric.count() and metric.inner_text() != before:
            return time.perf_counter() - start, metric.inner_text()
        time.sleep(0.02)
    raise TimeoutError("the prediction did not change")


def main():
    port = free_port()
    started = time.perf_counter()
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/draw")
                    break
                except Exception:  # noqa: BLE001 - the server is still starting
                    time.sleep(0.2)
            page.wait_for_selector("canvas.upper-canvas", timeout=120000)
            stroke(page, [(150, 40), (150, 240)])  # a one
            seconds, first = prediction_changes(page, "", timeout=120)
            print(f"streamlit run -> Draw page predicting: {time.perf_counter() - started:.1f} s"
                  f" ({' '.join(first.split())})")
            timings = []
            for repeat in range(5):
                # Alternate a one and a seven so that every stroke changes the answer.
                page.get_by_role("button", name="Reset canvas & history").click()
                time.sleep(1.0)
                stroke(page, [(150, 40), (150, 240)])
                before = page.locator("[data-testid=stMetric]").first.inner_text()
                time.sleep(1.0)
                stroke(page, [(70, 40), (150, 40)])
                seconds, after = prediction_changes(page, before)
                timings.append(seconds)
            print("stroke -> updated prediction and bars: "
                  + ", ".join(f"{value:.2f}" for value in timings) + " s; median "
                  f"{sorted(timings)[len(timings) // 2]:.2f} s")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
