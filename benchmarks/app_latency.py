"""Time a teacher's first minute: `streamlit run` to a prediction, and a stroke to new bars.

Run: python benchmarks/app_latency.py   (needs Debian chromium and pip playwright)
"""

import pathlib
import sys
import time

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from tests.lab_browser import (  # noqa: E402
    BROWSER_ARGS,
    draw_stroke,
    start_server,
    wait_until_healthy,
)


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
    started = time.perf_counter()
    server, url = start_server()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=BROWSER_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            if not wait_until_healthy(url, timeout=120):
                raise SystemExit("streamlit did not start within 120 s")
            page.goto(f"{url}/draw")
            page.wait_for_selector("canvas.upper-canvas", timeout=120000)
            draw_stroke(page, [(150, 40), (150, 240)])  # a one
            seconds, first = prediction_changes(page, "", timeout=120)
            print(f"streamlit run -> Draw page predicting: {time.perf_counter() - started:.1f} s"
                  f" ({' '.join(first.split())})")
            timings = []
            for repeat in range(5):
                # Alternate a one and a seven so that every stroke changes the answer.
                page.get_by_role("button", name="Reset canvas & history").click()
                time.sleep(1.0)
                draw_stroke(page, [(150, 40), (150, 240)])
                before = page.locator("[data-testid=stMetric]").first.inner_text()
                time.sleep(1.0)
                draw_stroke(page, [(70, 40), (150, 40)])
                seconds, _ = prediction_changes(page, before)
                timings.append(seconds)
            print("stroke -> updated prediction and bars: "
                  + ", ".join(f"{value:.2f}" for value in timings) + " s; median "
                  f"{sorted(timings)[len(timings) // 2]:.2f} s")
            browser.close()
    finally:
        server.terminate()


if __name__ == "__main__":
    main()
