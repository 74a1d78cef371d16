"""Tablets and phones in Chromium with real touch events: draw, read, clear, swipe, tap a cell.

Touches go through the DevTools protocol (Input.dispatchTouchEvent), as a finger's would;
Playwright's own tap() sends no touchmove. Streamlit scrolls its main element, not the
window, so scrolling is read from [data-testid=stMain].
"""

import re

import pytest
from playwright.sync_api import expect

from tests.lab_browser import ROOT, assert_no_exception, wait_until_idle

PHONE = {"width": 390, "height": 844}
TABLET_PORTRAIT = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}
SCREENSHOTS = ROOT / "screenshots"
# Strokes in canvas pixels (the canvas is 280 x 280).
ONE = [[(140, 40), (140, 240)]]
# The top bar starts at the top right, where the canvas's hover toolbar used to catch it.
SEVEN = [[(255, 22), (60, 22)], [(255, 22), (130, 260)]]
PAGE_SCROLL = "() => document.querySelector('[data-testid=stMain]').scrollTop"


class Finger:
    """One finger on a page, through the DevTools protocol."""

    def __init__(self, page):
        self.page = page
        self.session = page.context.new_cdp_session(page)

    def _touch(self, kind, points):
        self.session.send("Input.dispatchTouchEvent", {
            "type": kind, "touchPoints": [{"x": x, "y": y} for x, y in points]})

    def swipe(self, points, steps=8):
        """Touch the first point, move through the others in small steps, lift."""
        self._touch("touchStart", points[:1])
        for (x0, y0), (x1, y1) in zip(points, points[1:]):
            for step in range(1, steps + 1):
                self._touch("touchMove", [(x0 + (x1 - x0) * step / steps,
                                           y0 + (y1 - y0) * step / steps)])
        self._touch("touchEnd", [])

    def tap(self, x, y):
        """Touch and lift at one point."""
        self._touch("touchStart", [(x, y)])
        self._touch("touchEnd", [])

    def tap_on(self, locator):
        """Tap the middle of an element, which must be on screen."""
        box = locator.bounding_box()
        self.tap(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def open_touch_page(browser, url, path, viewport, ready="h1"):
    """A new touch-screen tab of this size showing a page of the lab, with its finger."""
    context = browser.new_context(viewport=viewport, has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(f"{url}/{path}")
    page.wait_for_selector(ready, timeout=60000)
    wait_until_idle(page)
    return page, Finger(page)


def open_touch_chart(browser, url, path, viewport, chart):
    """A touch tab showing a page, scrolled to a chart: (page, finger, the chart's box)."""
    page, finger = open_touch_page(browser, url, path, viewport, ready=chart)
    area = page.locator(chart)
    area.scroll_into_view_if_needed()
    return page, finger, area.bounding_box()


@pytest.fixture(params=[PHONE, TABLET_LANDSCAPE], ids=["phone", "tablet-landscape"])
def viewport(request):
    """The two screen sizes the behaviour tests run at."""
    return request.param


def draw(page, finger, strokes):
    """Draw strokes on the canvas with the finger, waiting for each to be read."""
    box = page.locator("canvas.upper-canvas").bounding_box()
    for stroke in strokes:
        finger.swipe([(box["x"] + x, box["y"] + y) for x, y in stroke])
        wait_until_idle(page)


def test_a_finger_draws_reads_clears_and_undoes(streamlit_server, browser, viewport):
    page, finger = open_touch_page(browser, streamlit_server, "draw", viewport,
                                   ready="canvas.upper-canvas")
    prediction = page.locator("[data-testid=stMetricValue]").first
    draw(page, finger, ONE)
    expect(prediction).to_have_text("1", timeout=30000)
    if viewport == PHONE:
        # The answer is on the first screen, under the drawing: nothing was scrolled.
        box = page.locator("[data-testid=stMetric]").first.bounding_box()
        assert page.evaluate(PAGE_SCROLL) == 0 and box["y"] + box["height"] <= viewport["height"]
    for name in ("Clear", "Undo"):
        assert page.get_by_role("button", name=name, exact=True).bounding_box()["height"] >= 40
    finger.tap_on(page.get_by_role("button", name="Clear", exact=True))
    expect(page.get_by_text("Draw a digit on the canvas")).to_be_visible(timeout=30000)

    draw(page, finger, SEVEN)
    expect(prediction).to_have_text("7", timeout=30000)
    # Two undos take back both strokes of the 7.
    for _ in SEVEN:
        finger.tap_on(page.get_by_role("button", name="Undo", exact=True))
        wait_until_idle(page)
    expect(page.get_by_text("Draw a digit on the canvas")).to_be_visible(timeout=30000)
    assert_no_exception(page)
    page.context.close()


def test_a_swipe_over_feature_maps_scrolls_the_page(streamlit_server, browser, viewport):
    page, finger, box = open_touch_chart(browser, streamlit_server, "feature_maps", viewport,
                                         ".st-key-maps-conv1 .nsewdrag")
    x = box["x"] + box["width"] / 2
    y = box["y"] + min(box["height"], viewport["height"] - box["y"]) / 2
    before = page.evaluate(PAGE_SCROLL)
    finger.swipe([(x, y), (x, y - 250)])
    page.wait_for_function(f"() => ({PAGE_SCROLL})() > {before + 100}", timeout=5000)
    assert_no_exception(page)
    page.context.close()


def test_one_tap_on_a_matrix_cell_opens_its_gallery(streamlit_server, browser, viewport):
    page, finger, area = open_touch_chart(browser, streamlit_server, "confusion_matrix",
                                          viewport, ".st-key-matrix .nsewdrag")
    row = column = 1  # the "1" diagonal cell always holds images
    finger.tap(area["x"] + (column + 0.5) * area["width"] / 10,
               area["y"] + (row + 0.5) * area["height"] / 10)
    heading = page.locator("h3", has_text=re.compile(r"True 1, correctly read as 1: \d+ images"))
    heading.wait_for(timeout=30000)
    # The images are below the matrix: the page brings them where the eye is.
    expect(heading).to_be_in_viewport(timeout=10000)
    assert_no_exception(page)
    page.context.close()


def test_the_phone_menu_closes_once_a_page_is_chosen(streamlit_server, browser):
    page, finger = open_touch_page(browser, streamlit_server, "", PHONE)
    sidebar = page.locator("[data-testid=stSidebar]")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # starts closed on a phone
    finger.tap_on(page.locator("[data-testid=stExpandSidebarButton]"))
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    link = sidebar.locator("[data-testid=stPageLink-NavLink]", has_text="Draw")
    expect(link).to_be_in_viewport()
    finger.tap_on(link)
    page.wait_for_selector("canvas.upper-canvas", timeout=60000)
    expect(sidebar).to_have_attribute("data-collapsed", "true", timeout=5000)
    expect(page.locator("canvas.upper-canvas")).to_be_in_viewport()
    assert_no_exception(page)
    page.context.close()


def test_a_help_icon_is_a_finger_sized_target(streamlit_server, browser, viewport):
    page, _ = open_touch_page(browser, streamlit_server, "draw", viewport,
                              ready="canvas.upper-canvas")
    button = page.locator("[data-testid=stTooltipIcon] button").first
    button.scroll_into_view_if_needed()
    box, icon_box = button.bounding_box(), button.locator("svg").bounding_box()
    assert box["width"] >= 40 and box["height"] >= 40, box
    assert icon_box["height"] <= 24  # the icon itself, and the label beside it, keep their size
    page.context.close()


@pytest.mark.parametrize("viewport", [PHONE, TABLET_PORTRAIT, TABLET_LANDSCAPE],
                         ids=["390x844", "768x1024", "1024x768"])
def test_screenshots_of_the_touch_pages(streamlit_server, browser, viewport):
    """The first screen of Draw (with a 7), Feature maps and Confusion matrix, to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)
    size = f"{viewport['width']}x{viewport['height']}"
    page, finger = open_touch_page(browser, streamlit_server, "draw", viewport,
                                   ready="canvas.upper-canvas")
    draw(page, finger, SEVEN)
    expect(page.locator("[data-testid=stMetricValue]").first).to_have_text("7", timeout=30000)
    page.screenshot(path=SCREENSHOTS / f"draw-{size}.png")
    for path, ready in (("feature_maps", ".st-key-maps-conv1 .nsewdrag"),
                        ("confusion_matrix", ".st-key-matrix .nsewdrag")):
        page.goto(f"{streamlit_server}/{path}")
        page.wait_for_selector(ready, timeout=60000)
        wait_until_idle(page)
        assert_no_exception(page)
        page.screenshot(path=SCREENSHOTS / f"{path}-{size}.png")
    page.context.close()
