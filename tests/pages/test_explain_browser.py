"""Why this answer? and the map of the test set, in Chromium: mouse and finger."""

import os
import re

import numpy as np
import pytest
from playwright.sync_api import expect

from mnist_core.networks import store
from mnist_core.networks import test_map as test_maps
from tests.lab_browser import (
    assert_no_exception,
    choose_in_selectbox,
    draw_a_one,
    draw_stroke,
    open_page,
    serve,
    wait_until_idle,
)
from tests.pages.test_touch import TABLET_LANDSCAPE, Finger

MISTAKES = 10  # the map's trace of rings: after the ten classes'


def first_two_components(features, seed=0):
    """A quick stand-in for t-SNE: the features' first two principal components."""
    centred = features - features.mean(axis=0)
    return (centred @ np.linalg.svd(centred, full_matrices=False)[2][:2].T).astype(np.float32)


@pytest.fixture(scope="module")
def map_server(tmp_path_factory, mnist_test_set):
    """A lab server whose folder already holds the shipped model's map (as a second server
    finds the map the first one computed)."""
    home = tmp_path_factory.mktemp("map-lab")
    images, labels = mnist_test_set
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MNIST_LAB_HOME", str(home))
        patch.setattr(test_maps, "layout", first_two_components)
        version = store.default_metadata("mnist")["created"]
        test_maps.save(test_maps.compute(store.load_default("mnist"), images, labels),
                       test_maps.path("default:mnist", version, "mnist"))
    with serve(dict(os.environ, MNIST_LAB_HOME=str(home))) as url:
        yield url


def point_on_screen(page, trace, number=0):
    """Where point `number` of a trace of the map is on screen, and its test image index."""
    page.locator(".st-key-map").scroll_into_view_if_needed()
    return page.evaluate("""([trace, number]) => {
        const plot = document.querySelector('.st-key-map .js-plotly-plot');
        const data = plot._fullData[trace], box = plot.getBoundingClientRect();
        const x = plot._fullLayout.xaxis, y = plot._fullLayout.yaxis;
        return [box.left + x._offset + x.l2p(data.x[number]),
                box.top + y._offset + y.l2p(data.y[number]), data.customdata[number]];
    }""", [trace, number])


def star_position(page):
    """Where the map's star (the current drawing) is, in map units, or None without a star."""
    return page.evaluate("""() => {
        const plot = document.querySelector('.st-key-map .js-plotly-plot');
        const star = plot._fullData.find((trace) => trace.marker.symbol === 'star');
        return star ? [star.x[0], star.y[0]] : null;
    }""")


def test_the_star_follows_each_stroke_on_the_maps_canvas(map_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_page(context, map_server, "draw")
    assert draw_a_one(page) == "1"
    page.locator("[data-testid=stSidebar] [data-testid=stPageLink]",
                 has_text="Map of the test set").click()
    page.locator(".st-key-map .js-plotly-plot").wait_for(timeout=60000)
    wait_until_idle(page)
    # The one drawn on Draw is the star until something is drawn here.
    stars = [star_position(page)]
    assert stars[0] is not None
    canvas = page.locator(".st-key-map_canvas canvas.upper-canvas")
    for stroke in [[(40, 40), (180, 40)], [(180, 40), (90, 190)]]:  # a seven, stroke by stroke
        draw_stroke(page, stroke, canvas)
        wait_until_idle(page)
        stars.append(star_position(page))
    assert stars[1] != stars[0] and stars[2] != stars[1]
    assert "The star on the map is your drawing (your drawing)" in page.locator(
        "[data-testid=stMain]").inner_text()
    assert_no_exception(page)
    context.close()


def test_a_drawing_explained_then_a_mistake_on_the_map_opened_in_draw(map_server, browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_page(context, map_server, "draw")
    assert draw_a_one(page) == "1"
    page.get_by_role("button", name="Why this answer?").click()
    page.locator("h1", has_text="Why this answer?").wait_for(timeout=30000)
    wait_until_idle(page)
    assert "reads your drawing as 1" in page.locator("[data-testid=stMain]").inner_text()
    choose_in_selectbox(page, "What would make it a...", "7")
    wait_until_idle(page)
    expect(page.get_by_text(re.compile(r"from 1 toward 7"))).to_be_visible()
    assert page.locator(".st-key-toward .js-plotly-plot").count() == 1

    page.locator("[data-testid=stSidebar] [data-testid=stPageLink]",
                 has_text="Map of the test set").click()
    page.locator(".st-key-map .js-plotly-plot").wait_for(timeout=60000)
    wait_until_idle(page)
    x, y, index = point_on_screen(page, MISTAKES)
    page.mouse.click(x, y)
    heading = page.locator("h3", has_text=f"Test image #{index}: true ")
    heading.wait_for(timeout=30000)
    true_label, answer = re.search(r"true (\d), read as (\d)", heading.inner_text()).groups()
    assert true_label != answer  # a mistake, as its ring said
    page.get_by_role("button", name="Open in Draw").first.click()
    page.locator("h1", has_text="Draw").wait_for(timeout=30000)
    wait_until_idle(page)
    main = page.locator("[data-testid=stMain]").inner_text().replace("\u2060", "")
    assert f"test image #{index} (true: {true_label})" in main
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == answer
    assert_no_exception(page)
    context.close()


def test_a_tap_on_the_map_opens_a_point(map_server, browser):
    context = browser.new_context(viewport=TABLET_LANDSCAPE, has_touch=True, is_mobile=True)
    page = open_page(context, map_server, "test_map")
    page.locator(".st-key-map .js-plotly-plot").wait_for(timeout=60000)
    x, y, index = point_on_screen(page, MISTAKES, 3)
    Finger(page).tap(x, y)
    page.locator("h3", has_text=f"Test image #{index}: ").wait_for(timeout=30000)
    assert_no_exception(page)
    context.close()
