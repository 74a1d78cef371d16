"""Streamlit's old pages/ mode, which app.py turns off: fails when Streamlit changes."""

import os

import pytest
from streamlit.runtime.pages_manager import PagesManager

from tests.lab_browser import MENU, ROOT, assert_no_exception, menu_links, serve, wait_until_idle


@pytest.fixture
def fresh_pages_flag(monkeypatch):
    """Streamlit's process-wide flag as before any run, restored after the test."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", None)


def test_a_pages_folder_beside_the_main_script_still_turns_the_old_mode_on(fresh_pages_flag):
    # The private flag app.py sets: when this fails, Streamlit changed how it
    # chooses the old mode, and the workaround there must be revisited (or can go).
    PagesManager(str(ROOT / "lab.py"))
    assert PagesManager.uses_pages_directory is True


def test_no_pages_folder_leaves_the_old_mode_off(fresh_pages_flag, tmp_path):
    (tmp_path / "app.py").touch()
    PagesManager(str(tmp_path / "app.py"))
    assert PagesManager.uses_pages_directory is False


def test_first_visit_of_a_fresh_server_to_draw_runs_lab_py(page, tmp_path):
    """/draw as the very first page a new server serves still gets lab.py's sidebar."""
    with serve(dict(os.environ, MNIST_LAB_HOME=str(tmp_path / "lab"))) as url:
        page.goto(f"{url}/draw")
        page.wait_for_selector("canvas.upper-canvas", timeout=60000)
        wait_until_idle(page)
        assert_no_exception(page)
        assert page.locator("h1").first.inner_text().strip() == "Draw"
        assert menu_links(page, len(MENU)) == MENU
        sidebar = page.locator("[data-testid=stSidebar]")
        for label in ("Data set", "Model"):
            assert sidebar.get_by_label(label).count() == 1
