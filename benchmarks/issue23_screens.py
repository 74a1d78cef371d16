"""Screenshots of the situations of issue 23, for a person to compare two checkouts.

Starts `streamlit run app.py` of a checkout (a fresh MNIST_LAB_HOME, a known teacher key, its
output in <out>/server.log), drives it in Debian's Chromium and saves PNGs into <out>. Each
numbered step is independent: a failure prints "step N failed: ..." and the run goes on. At the
end it prints what the pages said, the browser's console errors and page errors, and the
server log's warning lines.

Run from the repository: python benchmarks/issue23_screens.py --root /tmp/before --out /tmp/shots/before
"""

import argparse
import os
import pathlib
import re
import subprocess
import sys
import tempfile
import time
import traceback

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from tests.lab_browser import (  # noqa: E402
    BROWSER_ARGS,
    choose_in_selectbox,
    choose_language,
    draw_stroke,
    free_port,
    open_page,
    wait_until_healthy,
    wait_until_idle,
)

KEY = "some-key"
DESKTOP = {"viewport": {"width": 1400, "height": 1000}}
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True}
ONE = [(140, 50), (140, 230)]
LOG_WORDS = ("Warning", "warning", "E0000", "cuInit", "Error")
notes = []  # what the pages said, printed at the end
errors = []  # (kind, page URL, text) of every console error and page error


def note(text):
    print(text, flush=True)
    notes.append(text)


def start_logged_server(root, environment, log_path):
    """`streamlit run app.py` of `root` as tests.lab_browser.start_server, logging its output."""
    port = free_port()
    log = open(log_path, "w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=root, env=environment, stdout=log, stderr=subprocess.STDOUT)
    return server, log, f"http://127.0.0.1:{port}"


def new_context(browser, **options):
    """A browser context whose pages report their console errors and page errors."""
    context = browser.new_context(**options)

    def watch(page):
        page.on("console", lambda message: message.type == "error" and errors.append(
            ("console", page.url, message.text)))
        page.on("pageerror", lambda error: errors.append(("pageerror", page.url, str(error))))
        # Chromium's "Failed to load resource" names no address: the failed responses do.
        page.on("response", lambda response: response.status >= 400 and errors.append(
            (f"http {response.status}", page.url, response.url)))

    context.on("page", watch)
    return context


def settle(page, seconds=1.0):
    """Let charts paint and fragments refresh: every Plotly chart drawn, then a short pause."""
    try:
        page.wait_for_function("""() => [...document.querySelectorAll(
            '[data-testid=stPlotlyChart]')].every(chart => chart.querySelector('.main-svg'))""",
                               timeout=30000)
    except Exception as error:  # noqa: BLE001 - a screenshot is still worth taking
        print(f"  (charts not all drawn: {error})")
    page.wait_for_timeout(seconds * 1000)


def shot(page, out, name, full=True):
    """Save a screenshot; `full`: the whole main column (Streamlit scrolls it, not the window)."""
    viewport = page.viewport_size
    path = out / name
    if not full:
        page.screenshot(path=path)
    else:
        height = page.evaluate(
            "() => document.querySelector('[data-testid=stMain]')?.scrollHeight || 0")
        if height > viewport["height"]:
            page.set_viewport_size({"width": viewport["width"], "height": height + 40})
            page.wait_for_timeout(800)
            page.screenshot(path=path)
            page.set_viewport_size(viewport)
            page.wait_for_timeout(300)
        else:
            page.screenshot(path=path)
    print(f"  saved {path}", flush=True)


def page_link(page, title_pattern):
    """The sidebar's page link whose title (after its icon's name) matches, e.g. "(Train|訓練)"."""
    # A link's text is its icon's ligature name, then its title: match the end.
    return page.locator("[data-testid=stSidebar] [data-testid=stPageLink]").filter(
        has_text=re.compile(rf"(?:^|\W|[a-z_])(?:{title_pattern})\s*$")).first


def go_by_sidebar(page, title_pattern):
    """Follow the sidebar's page link whose title matches; wait for the page's run."""
    link = page_link(page, title_pattern)
    link.click()
    page.wait_for_timeout(500)
    page.wait_for_selector("h1", timeout=60000)
    wait_until_idle(page, timeout=90)


def newest_canvas(page, prefix):
    """The canvas of the newest drawing pad whose key starts with `prefix` (e.g. class_canvas_)."""
    keys = page.locator(f"[class*='st-key-{prefix}']").evaluate_all(
        "holders => holders.flatMap(holder => [...holder.classList])")
    numbers = [int(found[1]) for key in keys
               if (found := re.fullmatch(rf"st-key-{prefix}(\d+)", key))]
    if not numbers:
        return page.locator("canvas.upper-canvas").first
    return page.locator(f".st-key-{prefix}{max(numbers)} canvas.upper-canvas")


def texts(page, selector):
    return [text.strip() for text in page.locator(selector).all_inner_texts() if text.strip()]


def alerts(page):
    return texts(page, "[data-testid=stAlert]")


def click_cell(page, row, column, touch=False):
    """Click (or tap) the confusion matrix's cell (true `row`, predicted `column`)."""
    area = page.locator(".st-key-matrix .nsewdrag").first
    area.wait_for(timeout=60000)
    area.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    box = area.bounding_box()
    x = box["x"] + (column + 0.5) * box["width"] / 10
    y = box["y"] + (row + 0.5) * box["height"] / 10
    if touch:
        page.touchscreen.tap(x, y)
    else:
        page.mouse.click(x, y)


def images_in_viewport(page):
    """How many of the page's st.image pictures are (at least partly) on screen, of how many."""
    return page.evaluate("""() => {
        const pictures = [...document.querySelectorAll('[data-testid=stImage] img')];
        const seen = pictures.filter(img => {
            const box = img.getBoundingClientRect();
            return box.bottom > 0 && box.top < window.innerHeight && box.width > 0;
        });
        return [seen.length, pictures.length];
    }""")


def sidebar_open(page):
    """True if the sidebar is shown (expanded and on screen)."""
    sidebar = page.locator("[data-testid=stSidebar]")
    if not sidebar.count():
        return False
    expanded = sidebar.first.get_attribute("aria-expanded")
    box = sidebar.first.bounding_box()
    return expanded != "false" and box is not None and box["x"] + box["width"] > 10


def open_sidebar(page):
    if not sidebar_open(page):
        page.locator("[data-testid=stExpandSidebarButton]").first.click(timeout=15000)
        page.wait_for_timeout(800)


def choose_language_in_sidebar(page, name):
    """choose_language, once the picker is scrolled into the (phone's) sidebar's view."""
    picker = page.get_by_role("combobox", name="Language · 語言 · 语言", exact=True)
    picker.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    choose_language(page, name)


def choose_upload(page):
    """On Train, pick the main column's data set choice to upload (the last option)."""
    main = page.locator("[data-testid=stMain]")
    main.locator("[data-testid=stSelectbox]").first.locator("[role=combobox]").click()
    page.get_by_role("option").last.click(timeout=10000)
    wait_until_idle(page)


def step_class_nickname(context, url, out):
    page = open_page(context, url, "class_page")
    box = page.get_by_role("textbox", name=re.compile("nickname|暱稱|昵称"))
    box.first.fill("小明")
    box.first.press("Enter")
    wait_until_idle(page)
    page.wait_for_selector("canvas.upper-canvas", timeout=60000)
    # Skip to the digit drawn below (a one), so the saved drawing is labelled right.
    for _ in range(10):
        asked = page.get_by_text(re.compile(r"^Draw an? \d$")).first
        asked.wait_for(timeout=30000)
        if asked.inner_text().strip().endswith("1"):
            break
        page.get_by_role("button", name="Skip", exact=True).click()
        wait_until_idle(page)
    note(f"1: the Class page asks: {asked.inner_text()!r}")
    draw_stroke(page, ONE, newest_canvas(page, "class_canvas_"))
    wait_until_idle(page)
    page.get_by_role("button", name="Save", exact=True).click()
    try:
        page.wait_for_selector("text=/Saved your \\d as /", timeout=30000)
    except Exception:  # noqa: BLE001
        pass
    wait_until_idle(page)
    note(f"1: alerts after Save: {alerts(page)}")
    try:  # the live gallery refreshes every 2 s
        page.wait_for_selector("[data-testid=stImage]", timeout=30000)
    except Exception:  # noqa: BLE001
        pass
    settle(page, 3)
    note(f"1: gallery captions: {texts(page, '[data-testid=stImageCaption]')}")
    note(f"1: counts table: {texts(page, '[data-testid=stDataFrame]')}")
    note(f"1: nickname box holds: {box.first.input_value()!r}")
    shot(page, out, "class_chinese_nickname.png")
    return page


def step_nickname_train(page, out):
    go_by_sidebar(page, "Train|訓練|训练")
    settle(page)
    box = page.get_by_role("textbox", name=re.compile("nickname|暱稱|昵称")).first
    box.scroll_into_view_if_needed()
    note(f"2: Train's nickname box holds: {box.input_value()!r}")
    page.locator("[data-testid=stMain]").evaluate("main => main.scrollTo(0, 0)")
    page.wait_for_timeout(300)
    shot(page, out, "nickname_train.png", full=False)


def step_confusion(context, url, out, name, touch):
    page = open_page(context, url, "confusion_matrix")
    settle(page)
    click_cell(page, 4, 9, touch=touch)  # true 4, read as 9: off the diagonal
    page.wait_for_timeout(3000)
    try:
        wait_until_idle(page, timeout=30)
    except Exception as error:  # noqa: BLE001
        print(f"  (no run after the click: {str(error).splitlines()[0]})")
    page.wait_for_timeout(500)
    seen, total = images_in_viewport(page)
    headings = [text for text in texts(page, "h3") if "True" in text or "read as" in text]
    note(f"3 ({name}): after the click: heading {headings}, {seen} of {total} images in the "
         f"viewport, main column scrolled to {page.evaluate(SCROLL)} px")
    shot(page, out, name, full=False)
    page.close()


SCROLL = "() => document.querySelector('[data-testid=stMain]')?.scrollTop"


def step_train(context, url, out):
    page = open_page(context, url, "train")
    main = page.locator("[data-testid=stMain]")
    model = main.get_by_role("combobox", name="Model", exact=True)
    try:
        model.wait_for(timeout=30000)
    except Exception:  # noqa: BLE001 - no model select: train the default
        note("4: no Model select on Train")
    else:
        choose_in_selectbox(page, "Model", "Multilayer perceptron", within=main)
        wait_until_idle(page)
        note(f"4: Model select: {model.input_value()!r}")
    epochs = page.get_by_label("Epochs")
    try:
        epochs.first.wait_for(timeout=30000)
    except Exception:  # noqa: BLE001
        note("4: no Epochs box on Train")
    else:
        epochs.first.fill("2")
        epochs.first.press("Enter")
        wait_until_idle(page)
        note(f"4: Epochs: {page.get_by_label('Epochs').first.input_value()!r}")
    page.get_by_role("button", name="Start training").click()
    started = time.monotonic()
    page.wait_for_selector("text=/Done after/", timeout=180000)
    note(f"4: training finished after {time.monotonic() - started:.0f} s")
    page.wait_for_timeout(3000)
    done = page.get_by_text(re.compile("Done after")).all_inner_texts()
    note(f"4: Done message: {done[:3]}")
    note(f"4: alerts: {alerts(page)}")
    settle(page, 2)
    shot(page, out, "train_done.png")
    sidebar = page.locator("[data-testid=stSidebar]")
    model = sidebar.get_by_role("combobox", name="Model", exact=True)
    if model.count():
        model.first.scroll_into_view_if_needed()
        note(f"4: sidebar model picker shows: {model.first.input_value()!r}")
    shot(page, out, "sidebar_model.png", full=False)
    page.close()


def step_phone_menu(browser, url, out):
    context = new_context(browser, **PHONE)
    try:
        page = open_page(context, url, "")
        open_sidebar(page)
        choose_language_in_sidebar(page, "繁體中文")
        page.wait_for_timeout(1000)
        note(f"5: sidebar open after choosing the language: {sidebar_open(page)}")
        open_sidebar(page)
        link = page_link(page, "繪圖|Draw")
        link.scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        note(f"5: tapping the link {link.inner_text().split(chr(10))[-1].strip()!r}")
        link.tap()
        page.wait_for_timeout(2000)
        note(f"5: after the tap: page {page.url}, h1 {texts(page, 'h1')[:1]}, "
             f"sidebar open: {sidebar_open(page)}")
        shot(page, out, "phone_menu.png", full=False)
    finally:
        context.close()


def step_uploader(context, url, out, language, name):
    page = open_page(context, url, "train")
    choose_language(page, language)
    page.wait_for_timeout(500)
    choose_upload(page)
    uploader = page.locator("[data-testid=stFileUploader]").first
    uploader.wait_for(timeout=30000)
    uploader.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    shown = uploader.inner_text()
    english = sorted(set(re.findall(r"[A-Za-z][A-Za-z.']+(?: [A-Za-z][A-Za-z.']+)*", shown)))
    note(f"6 ({language}): uploader says {shown!r}; English in it: {english}")
    uploader.screenshot(path=out / name)
    print(f"  saved {out / name}")
    shot(page, out, name.replace(".png", "_viewport.png"), full=False)
    page.close()


def step_our_handwriting(context, url, out):
    page = open_page(context, url, "our_handwriting")
    try:
        page.wait_for_selector("[data-testid=stMetric]", timeout=60000)
    except Exception:  # noqa: BLE001
        pass
    settle(page, 2)
    note(f"7: metrics: {texts(page, '[data-testid=stMetric]')}; alerts: {alerts(page)}")
    shot(page, out, "our_handwriting.png")
    page.close()


def step_stump(context, url, out):
    page = open_page(context, url, "stump")
    page.wait_for_selector("canvas.upper-canvas", timeout=60000)
    draw_stroke(page, ONE, newest_canvas(page, "stump_canvas_"))
    wait_until_idle(page)
    meant = page.locator(".st-key-stump_meant")
    (meant if meant.count() else page).locator("button").filter(
        has_text=re.compile(r"^\s*7\s*$")).first.click()
    wait_until_idle(page)
    page.get_by_role("button", name="Check").first.click()
    wait_until_idle(page)
    settle(page, 2)
    note(f"8: alerts after Check: {alerts(page)}")
    shot(page, out, "stump_checked.png")
    page.close()


def step_backprop(context, url, out):
    page = open_page(context, url, "backprop")
    settle(page)
    shot(page, out, "backprop.png")
    page.get_by_role("button", name="Next").first.click()
    wait_until_idle(page)
    settle(page)
    note(f"9: after Next, the step control shows: "
         f"{texts(page, '[data-testid=stButtonGroup]')[:1]}")
    shot(page, out, "backprop_next.png")
    page.close()


def step_class_intro(context, url, out):
    page = open_page(context, url, "class_page")
    choose_language(page, "繁體中文")
    page.wait_for_timeout(500)
    settle(page, 2)
    note(f"10: h1 {texts(page, 'h1')[:1]}")
    shot(page, out, "class_intro_zh_tw.png", full=False)
    page.close()


def step_teacher_class(browser, url, out):
    context = new_context(browser, **DESKTOP)
    try:
        page = open_page(context, url, f"?teacher={KEY}")
        page.close()
        page = open_page(context, url, "class_page")
        settle(page, 3)
        note(f"11: teacher's Class page captions: "
             f"{texts(page, '[data-testid=stImageCaption]')}")
        shot(page, out, "class_teacher.png")
    finally:
        context.close()


def run(number, action, *args):
    print(f"step {number} ...", flush=True)
    try:
        return action(*args)
    except Exception as error:  # noqa: BLE001 - the other steps still run
        print(f"step {number} failed: {error}", flush=True)
        traceback.print_exc(limit=3)
        notes.append(f"step {number} failed: {str(error).splitlines()[0] if str(error) else error!r}")
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="the checkout whose app.py runs")
    parser.add_argument("--out", required=True, help="folder for the PNGs and server.log")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    home = tempfile.mkdtemp(prefix="issue23-lab-")
    environment = dict(os.environ, MNIST_LAB_HOME=home, MNIST_LAB_TEACHER_KEY=KEY)
    server, log, url = start_logged_server(args.root, environment, out / "server.log")
    try:
        if not wait_until_healthy(url, timeout=120):
            raise RuntimeError("streamlit did not start within 120 s (see server.log)")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=BROWSER_ARGS)
            desktop = new_context(browser, **DESKTOP)
            class_tab = run(1, step_class_nickname, desktop, url, out)
            if class_tab is not None:
                run(2, step_nickname_train, class_tab, out)
            run("3", step_confusion, desktop, url, out, "cm_clicked.png", False)
            phone = new_context(browser, **PHONE)
            run("3 (phone)", step_confusion, phone, url, out, "cm_clicked_phone.png", True)
            phone.close()
            run(4, step_train, desktop, url, out)
            run(5, step_phone_menu, browser, url, out)
            chinese = new_context(browser, **DESKTOP)
            run("6 (zh-TW)", step_uploader, chinese, url, out, "繁體中文", "uploader_zh_tw.png")
            run("6 (zh-CN)", step_uploader, chinese, url, out, "简体中文", "uploader_zh_cn.png")
            run(7, step_our_handwriting, desktop, url, out)
            run(8, step_stump, desktop, url, out)
            run(9, step_backprop, desktop, url, out)
            run(10, step_class_intro, chinese, url, out)
            run("11 (extra)", step_teacher_class, browser, url, out)
            for context in (desktop, chinese):
                context.close()
            browser.close()
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()

    print("\n== what the pages said ==")
    for text in notes:
        print(text)
    print("\n== files ==")
    for path in sorted(out.glob("*.png")):
        print(path)
    print(f"\n== console errors and page errors ({len(errors)}) ==")
    for kind, where, text in errors:
        print(f"[{kind}] {where}: {text}")
    print("\n== server log lines with " + ", ".join(LOG_WORDS) + " ==")
    lines = (out / "server.log").read_text(errors="replace").splitlines()
    for line in lines:
        if any(word in line for word in LOG_WORDS):
            print(line)
    # Streamlit's own warnings are "YYYY-MM-DD HH:MM:SS.mmm <message>" lines, often none of those.
    print("\n== server log lines from Streamlit's logger ==")
    for line in lines:
        if re.match(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", line):
            print(line)


if __name__ == "__main__":
    main()
