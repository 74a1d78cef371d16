"""End to end in Debian's Chromium: every page opens; train, draw and click through the matrix."""

import re

import pytest
from playwright.sync_api import expect

from tests.lab_browser import MENU, assert_no_exception, draw_a_one, menu_links, wait_until_idle

PAGES = ["", "train", "draw", "feature_maps", "confusion_matrix"]


def open_page(page, url, path, ready="h1"):
    """Load a page and wait until Streamlit has finished running its script."""
    page.goto(f"{url}/{path}")
    page.wait_for_selector(ready, timeout=60000)
    wait_until_idle(page)


@pytest.fixture(scope="module")
def trained_server(streamlit_server, browser):
    """The server after one epoch of the seed CNN was trained through the Train page."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    open_page(page, streamlit_server, "train")
    epochs = page.get_by_label("Epochs")
    epochs.fill("1")
    epochs.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Start training").click()
    # One epoch: a curve appears and the run is saved, then selected everywhere.
    page.wait_for_selector("text=/Done after 1 epoch/", timeout=180000)
    page.locator(".js-plotly-plot .legendtext", has_text="cnn validation").first.wait_for(
        timeout=30000)
    assert_no_exception(page)
    page.close()
    return streamlit_server


def test_every_page_opens_without_an_exception(trained_server, page):
    for path in PAGES:
        open_page(page, trained_server, path)
        assert_no_exception(page)
        assert page.locator("h1").first.inner_text().strip()
        # The lab's own menu, never Streamlit's list of the files in pages/.
        assert menu_links(page, len(MENU)) == MENU


def test_drawing_a_digit_shows_a_prediction(trained_server, page):
    open_page(page, trained_server, "draw", ready="canvas.upper-canvas")
    assert draw_a_one(page) == "1"
    assert "Prediction" in page.locator("[data-testid=stMetric]").first.inner_text()
    page.locator(".js-plotly-plot").nth(1).wait_for(timeout=30000)  # 28x28 image and bars
    assert_no_exception(page)


def test_clicking_a_confusion_matrix_cell_opens_its_gallery(trained_server, page):
    open_page(page, trained_server, "confusion_matrix", ready=".js-plotly-plot .nsewdrag")
    area = page.locator(".js-plotly-plot .nsewdrag").first.bounding_box()
    row = column = 1  # the "1" diagonal cell always holds images
    page.mouse.click(area["x"] + (column + 0.5) * area["width"] / 10,
                     area["y"] + (row + 0.5) * area["height"] / 10)
    page.wait_for_selector("text=/True 1, correctly read as 1: \\d+ images/", timeout=30000)
    page.locator("[data-testid=stImage]").first.wait_for(timeout=30000)
    # Below the fold at 1400x1000: the page scrolls to them.
    expect(page.locator("[data-testid=stImage]").first).to_be_in_viewport(timeout=10000)
    assert_no_exception(page)
    # An image of the gallery opens on the Draw page as the current input.
    page.get_by_role("button", name="Open image", exact=True).first.click()
    page.wait_for_selector("text=/What the model sees: test image #\\d+ \\(true:\u2060? 1\\)/",
                           timeout=30000)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "1"


# What a teacher's terminal may show besides the addresses: nothing that looks like a problem.
ALARMING = re.compile(r"warning|error|traceback|cuInit|I0000|E0000|W0000", re.IGNORECASE)


def test_a_tour_of_every_page_leaves_no_console_error_and_a_quiet_terminal(
        streamlit_server, streamlit_server_log, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    errors = []
    context.on("console", lambda message: message.type == "error" and errors.append(
        message.text))
    context.on("weberror", lambda error: errors.append(str(error.error)))
    page = context.new_page()
    open_page(page, streamlit_server, "")
    sidebar = page.locator("[data-testid=stSidebar]")
    for title in MENU:  # through the menu, as a pupil goes: each page left for the next
        sidebar.locator("[data-testid=stPageLink-NavLink]", has_text=title).first.click()
        page.locator("h1").first.wait_for(timeout=60000)
        wait_until_idle(page, timeout=90)
        assert_no_exception(page)
        if title == "Confusion matrix":
            area = page.locator(".js-plotly-plot .nsewdrag").first
            area.wait_for(timeout=60000)
            box = area.bounding_box()
            page.mouse.click(box["x"] + 0.15 * box["width"], box["y"] + 0.15 * box["height"])
            page.locator("[data-testid=stImage]").first.wait_for(timeout=30000)
        if title == "Backpropagation":
            page.get_by_role("button", name="Next").click()
            wait_until_idle(page)
    page.goto(f"{streamlit_server}/draw")  # opened straight, as from a link or a reload
    page.wait_for_selector("canvas.upper-canvas", timeout=60000)
    context.close()
    assert errors == []
    log = streamlit_server_log.read_text()
    assert [line for line in log.splitlines() if ALARMING.search(line)] == [], log
