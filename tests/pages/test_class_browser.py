"""Two students in two browsers save drawings on the Class page and see each other's live."""

from tests.lab_browser import assert_no_exception, draw_stroke, wait_until_idle


def open_class_page(browser, url, nickname):
    """A new browser session on the Class page, the nickname typed in."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{url}/class_page")
    page.wait_for_selector("canvas.upper-canvas", timeout=60000)
    wait_until_idle(page)
    nickname_box = page.get_by_role("textbox", name="Your nickname")
    nickname_box.fill(nickname)
    nickname_box.press("Enter")
    wait_until_idle(page)
    return page


def save_a_one(page):
    """Draw a one on the canvas and save it."""
    draw_stroke(page, [(140, 50), (140, 230)])
    wait_until_idle(page)
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=/Saved your \\d as /", timeout=30000)


def test_two_students_see_each_others_drawings(streamlit_server, browser):
    alice = open_class_page(browser, streamlit_server, "alice")
    bob = open_class_page(browser, streamlit_server, "bob")
    try:
        save_a_one(alice)
        save_a_one(bob)
        for page in (alice, bob):
            # The live part refreshes by itself every 2 s: no reload, no click.
            page.wait_for_selector("text=2 drawings in 'our-class'", timeout=30000)
            for nickname in ("alice", "bob"):
                page.get_by_text(f"by {nickname}", exact=False).first.wait_for(timeout=10000)
            assert_no_exception(page)
    finally:
        alice.close()
        bob.close()
