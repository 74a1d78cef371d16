"""Print how the shipped model reads a class collection drawn unlike MNIST, before and after teaching.

In Debian's Chromium, one student draws every digit asked for on the Class page with the
mouse, deliberately unlike MNIST: slanted hard and turned, small, off-centre, with a crossed 7,
a flagged 1 with a base and an open 4, until the collection holds `--per-digit` drawings of each digit. Then, on the
Our handwriting page, it reads the current model's accuracy on them, presses "Teach the model
our handwriting" and reads the before/after figures the page shows when the job is done.

Run: python benchmarks/class_handwriting.py [--per-digit 12]   (~5 minutes)
"""

import argparse
import os
import pathlib
import re
import sys
import tempfile
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from tests import lab_browser  # noqa: E402

# Each digit as strokes of points in a unit box (x right, y down), as a person might draw it.
STROKES = {
    0: [[(0.5 + 0.4 * np.sin(a), 0.5 - 0.48 * np.cos(a)) for a in np.linspace(0, 6.4, 24)]],
    1: [[(0.3, 0.2), (0.55, 0.0), (0.55, 1.0)], [(0.3, 1.0), (0.8, 1.0)]],
    2: [[(0.15, 0.25), (0.35, 0.03), (0.7, 0.03), (0.85, 0.25), (0.7, 0.5), (0.15, 1.0),
         (0.9, 1.0)]],
    3: [[(0.15, 0.08), (0.8, 0.05), (0.45, 0.45), (0.85, 0.65), (0.75, 0.95), (0.15, 0.92)]],
    4: [[(0.45, 0.0), (0.15, 0.6), (0.9, 0.6)], [(0.7, 0.3), (0.7, 1.0)]],
    5: [[(0.85, 0.02), (0.25, 0.02), (0.2, 0.45), (0.65, 0.4), (0.85, 0.65), (0.7, 0.95),
         (0.15, 0.9)]],
    6: [[(0.75, 0.02), (0.3, 0.35), (0.18, 0.75), (0.45, 0.98), (0.78, 0.85), (0.75, 0.6),
         (0.45, 0.5), (0.2, 0.7)]],
    7: [[(0.1, 0.05), (0.9, 0.05), (0.4, 1.0)], [(0.3, 0.5), (0.8, 0.5)]],
    8: [[(0.5 + 0.3 * np.sin(a), 0.27 - 0.25 * np.cos(a)) for a in np.linspace(-3.1, 3.1, 14)]
        + [(0.5 - 0.38 * np.sin(a), 0.75 - 0.24 * np.cos(a)) for a in np.linspace(3.1, -3.1, 14)]],
    9: [[(0.8, 0.3)] + [(0.5 + 0.3 * np.sin(a), 0.3 - 0.27 * np.cos(a))
                        for a in np.linspace(1.6, 7.8, 16)] + [(0.75, 1.0)]],
}


def unlike_mnist(strokes, rng, size=280):
    """The strokes slanted hard, turned, small and off-centre: lists of (x, y) canvas pixels."""
    height = rng.uniform(80, 120)
    slant = rng.uniform(0.6, 0.9)  # MNIST's digits lean little; these lean 30-40 degrees
    turn = np.radians(rng.uniform(-25, 25))
    placed = []
    for stroke in strokes:
        points = np.array([(0.6 * x + slant * (1 - y) - 0.5, y - 0.5) for x, y in stroke])
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        placed.append(points @ rotation.T * height)
    reach = max(np.abs(points).max() for points in placed)
    centre = rng.uniform(reach + 5, size - reach - 5, size=2)
    return [[tuple(centre + point) for point in points] for points in placed]


def draw_and_save(page, rng):
    """Draw the digit the Class page asks for and save it; returns the digit."""
    # A save swaps in a fresh canvas (key class_canvas_<n>); the old one may linger a moment.
    keys = page.locator("[class*='st-key-class_canvas_']").evaluate_all(
        "holders => holders.flatMap(holder => [...holder.classList])")
    newest = max(int(found[1]) for key in keys
                 if (found := re.fullmatch(r"st-key-class_canvas_(\d+)", key)))
    canvas = page.locator(f".st-key-class_canvas_{newest} canvas.upper-canvas")
    digit = int(re.search(r"\d", page.get_by_text(re.compile(r"^Draw a \d$")).inner_text())[0])
    for stroke in unlike_mnist(STROKES[digit], rng):
        lab_browser.draw_stroke(page, stroke, canvas)
        lab_browser.wait_until_idle(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector(f"text=/Saved your {digit} as /", timeout=30000)
    lab_browser.wait_until_idle(page)
    return digit


def metric(page, label):
    """The value the page shows under a metric's label, e.g. "87.5%"."""
    block = page.locator("[data-testid=stMetric]", has_text=label).first
    return block.locator("[data-testid=stMetricValue]").inner_text()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-digit", type=int, default=12)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    environment = dict(os.environ, MNIST_LAB_HOME=tempfile.mkdtemp(prefix="class-handwriting-"))
    rng = np.random.default_rng(7)
    with lab_browser.serve(environment) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=lab_browser.BROWSER_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/class_page")
        page.wait_for_selector("canvas.upper-canvas", timeout=60000)
        lab_browser.wait_until_idle(page)
        try:
            drawn = [draw_and_save(page, rng) for _ in range(10 * args.per_digit)]
        except Exception:
            page.screenshot(path="screenshots/class-handwriting-failed.png", full_page=True)
            raise
        print(f"drew {len(drawn)} digits in the browser: {np.bincount(drawn).tolist()} per digit")
        page.screenshot(path="screenshots/class-handwriting-collection.png")
        page.goto(f"{url}/our_handwriting")
        page.wait_for_selector("text=On our drawings", timeout=120000)
        print(f"shipped model on all our drawings: {metric(page, 'On our drawings')}, "
              f"on the MNIST test set: {metric(page, 'On the MNIST test set')}")
        started = time.monotonic()
        page.get_by_role("button", name="Teach the model our handwriting").click()
        page.wait_for_selector("text=On our held-out drawings", timeout=900000)
        print(f"taught in {time.monotonic() - started:.0f} s (button to result)")
        for label in ("On our held-out drawings", "On the MNIST test set"):
            block = page.locator("[data-testid=stMetric]", has_text=label).last
            print(f"  {label}: after {metric(page, label)} "
                  f"({block.locator('[data-testid=stMetricDelta]').inner_text()})")
        page.screenshot(path="screenshots/class-handwriting-taught.png", full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
