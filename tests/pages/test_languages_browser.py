"""The lab in a Traditional, a Simplified and an English browser, end to end in Chromium.

Every page's title and the sidebar's menu come in the browser's language (the expected texts
are read from the catalogs, not copied), and the sidebar's picker switches the language
without losing the drawing or a training under way.

With MNIST_LAB_SCREENSHOTS=<folder> set, the Chinese runs also save a screenshot of every page
(1400x1000, and the Draw page at 1024x768, a tablet) for a person to look at.
"""

import os
import pathlib
import re

import pytest

from mnist_core import i18n
from tests.polling import wait_until
from tests.lab_browser import (
    MENU,
    MENU_SECTIONS,
    assert_no_exception,
    choose_in_selectbox,
    choose_language,
    draw_a_one,
    menu_links,
    open_page,
    wait_until_idle,
)

# Each page of the menu: its URL path and the msgid of its title (the h1; Home's is the lab's).
PAGES = list(zip(["", "train", "draw", "feature_maps", "confusion_matrix", "explain",
                  "test_map", "class_page",
                  "our_handwriting", "stump", "hello_neuron", "convolution", "backprop",
                  "compare"], MENU))
TITLES = dict(PAGES, **{"": "MNIST Lab"})
BROWSERS = [("zh-TW", "zh_TW"), ("zh-CN", "zh_CN"), ("en-US", "en")]
SCREENSHOTS = os.environ.get("MNIST_LAB_SCREENSHOTS")


def translated(language, message):
    """`message` (an English msgid) as the catalogs of `language` have it."""
    return i18n.translations(language).gettext(message)


def pattern(language, message):
    """A regular expression for a translated message whose {fields} may be any number."""
    parts = re.split(r"\{\w+(?::[^}]*)?\}", translated(language, message))
    return re.compile(r"[\d,.]+".join(re.escape(part) for part in parts))




# Streamlit's own widget texts, English in every language unless the lab translates them.
STREAMLIT_ENGLISH = ["Upload", "per file", "Drag and drop", "Browse files", "empty"]


def english_widget_texts_in(text):
    """Streamlit's English widget texts that appear as words in `text`."""
    return [words for words in STREAMLIT_ENGLISH if re.search(rf"\b{words}\b", text)]


def english_menu_titles_in(text):
    """The English menu titles and section captions that appear as words in `text`."""
    english = set(MENU) | set(MENU_SECTIONS)
    return sorted(title for title in english if re.search(rf"\b{re.escape(title)}\b", text))


def screenshot(page, name, viewport):
    """Save the page at `viewport`, and the whole of its main column, when asked to."""
    if not SCREENSHOTS:
        return
    folder = pathlib.Path(SCREENSHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    # Plotly draws after the script has finished: wait for every chart's first paint.
    page.wait_for_function("""() => [...document.querySelectorAll('[data-testid=stPlotlyChart]')]
        .every(chart => chart.querySelector('.main-svg'))""", timeout=30000)
    page.screenshot(path=folder / f"{name}.png")
    height = page.evaluate(
        "() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
    if height > viewport["height"]:
        page.set_viewport_size({"width": viewport["width"], "height": height + 40})
        page.screenshot(path=folder / f"{name}-full.png")
        page.set_viewport_size(viewport)


@pytest.mark.parametrize(("locale", "language"), BROWSERS)
def test_every_page_comes_in_the_browsers_language(streamlit_server, browser, locale, language):
    viewport = {"width": 1400, "height": 1000}
    context = browser.new_context(locale=locale, viewport=viewport)
    menu = [translated(language, title) for title in MENU]
    captions = [translated(language, section) for section in MENU_SECTIONS]
    console_errors = []
    context.on("console", lambda message: message.type == "error" and console_errors.append(
        message.text))
    context.on("weberror", lambda error: console_errors.append(str(error.error)))
    try:
        for path, _title in PAGES:
            page = open_page(context, streamlit_server, path)
            assert_no_exception(page)
            assert page.locator("h1").first.inner_text().strip() == translated(
                language, TITLES[path]), path
            assert menu_links(page, len(MENU)) == menu, path
            sidebar = page.locator("[data-testid=stSidebar]")
            assert sidebar.locator("[data-testid=stCaptionContainer]").all_inner_texts()[
                :len(captions)] == captions, path
            if language != "en":
                shown = page.locator("[data-testid=stApp]").inner_text()
                assert english_menu_titles_in(shown) == [], path
                assert english_widget_texts_in(shown) == [], path
                screenshot(page, f"{locale}-{path or 'home'}", viewport)
                if path == "draw":
                    tablet = {"width": 1024, "height": 768}
                    page.set_viewport_size(tablet)
                    page.wait_for_selector("canvas.upper-canvas", timeout=30000)
                    screenshot(page, f"{locale}-draw-tablet", tablet)
            page.close()
        assert console_errors == []
    finally:
        context.close()


@pytest.fixture
def english_context(browser):
    """A new en-US browser context at 1400x1000, closed after the test."""
    context = browser.new_context(locale="en-US", viewport={"width": 1400, "height": 1000})
    yield context
    context.close()


def test_the_picker_switches_the_language_and_keeps_the_drawing(streamlit_server,
                                                              english_context):
    page = open_page(english_context, streamlit_server, "draw")
    page.wait_for_selector("canvas.upper-canvas", timeout=30000)
    assert draw_a_one(page) == "1"
    assert "Prediction" in page.locator("[data-testid=stMetric]").first.inner_text()

    choose_language(page, "繁體中文")
    page.locator("h1", has_text=translated("zh_TW", "Draw")).wait_for(timeout=30000)
    assert menu_links(page, len(MENU)) == [translated("zh_TW", title) for title in MENU]
    page.locator("[data-testid=stMetric]", has_text=translated("zh_TW", "Prediction")).wait_for(
        timeout=30000)
    assert page.locator("[data-testid=stMetricValue]").first.inner_text() == "1"
    assert_no_exception(page)
    # The uploader's texts, first translated into English, follow the switch too.
    wait_until(lambda: english_widget_texts_in(
        page.locator("[data-testid=stFileUploader]").inner_text()) == [], 10,
        lambda: page.locator("[data-testid=stFileUploader]").inner_text())


def test_the_picker_switches_the_language_of_a_running_training(streamlit_server,
                                                               english_context):
    page = open_page(english_context, streamlit_server, "train")
    choose_in_selectbox(page, "Model", "Multilayer perceptron",
                        within=page.locator("[data-testid=stMain]"))
    wait_until_idle(page)
    epochs = page.get_by_label("Epochs")
    epochs.fill("20")
    epochs.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Start training").click()
    progress = page.locator("[data-testid=stProgress]")
    progress.filter(has_text=re.compile(r"Epoch \d+ of 20")).wait_for(timeout=120000)

    choose_language(page, "简体中文")
    page.locator("h1", has_text=translated("zh_CN", "Train")).wait_for(timeout=30000)
    heading = translated("zh_CN", "Training {model}").format(
        model=translated("zh_CN", "Multilayer perceptron"))
    page.get_by_text(heading, exact=True).wait_for(timeout=30000)
    progress.filter(has_text=pattern("zh_CN", "Epoch {epoch} of {epochs}")).wait_for(
        timeout=30000)
    assert "Epoch" not in progress.inner_text()
    assert_no_exception(page)

    # Stop it: the button and the outcome come in the new language too.
    page.get_by_role("button", name=translated("zh_CN", "Stop")).click()
    stopped = i18n.translations("zh_CN").ngettext(
        "Stopped after {count} epoch", "Stopped after {count} epochs", 2)
    outcome = re.compile("|".join([
        re.escape(stopped).replace(re.escape("{count}"), r"\d+"),
        re.escape(translated("zh_CN",
                             "Stopped before the first epoch finished: nothing was saved"))]))
    page.locator("[data-testid=stAlert]").filter(has_text=outcome).first.wait_for(
        timeout=120000)
    assert "Stopped" not in page.locator("[data-testid=stMain]").inner_text()
    assert_no_exception(page)
