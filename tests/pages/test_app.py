"""AppTest of lab.py itself: the sidebar's pickers and menu around the page that runs."""

import pytest
from streamlit.runtime import pages_manager
from streamlit.testing.v1 import AppTest

from mnist_core import store
from tests.lab_browser import MENU, MENU_SECTIONS, ROOT


@pytest.fixture
def server_left_legacy_pages(monkeypatch):
    """Keep Streamlit's pages/ mode off on every AppTest run, as app.py keeps it on a server."""
    # AppTest resets the process-wide flag before each run, which a server never does; the flip
    # itself (app.py) is tested on a real server in test_navigation.py.
    original = pages_manager.PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        pages_manager.PagesManager.uses_pages_directory = False

    monkeypatch.setattr(pages_manager.PagesManager, "__init__", init)


def model_label(dataset_name):
    """The model picker's label of a data set's shipped default, from its metadata file."""
    return f"Shipped default - {store.default_metadata(dataset_name)['test_accuracy']:.1%}"


def test_app_draws_the_pickers_and_the_menu(server_left_legacy_pages):
    app = AppTest.from_file(str(ROOT / "lab.py"), default_timeout=120).run()
    assert not app.exception
    dataset, model = app.sidebar.selectbox(key="dataset"), app.sidebar.selectbox(key="model_choice")
    assert (dataset.label, model.label) == ("Data set", "Model")
    assert dataset.value == "mnist" and dataset.options == ["MNIST digits", "Fashion-MNIST clothes"]
    assert model.value == "default:mnist" and model.options == [model_label("mnist")]
    assert [caption.value for caption in app.sidebar.caption] == list(MENU_SECTIONS)
    links = app.sidebar.get("page_link")
    assert [link.proto.label for link in links] == MENU
    assert app.title[0].value == "MNIST Lab"  # the default page, Home


def test_switching_the_data_set_switches_model_and_page(server_left_legacy_pages):
    app = AppTest.from_file(str(ROOT / "lab.py"), default_timeout=120).run()
    app.sidebar.selectbox(key="dataset").select("fashion_mnist").run()
    assert not app.exception
    assert app.sidebar.selectbox(key="dataset").value == "fashion_mnist"
    model = app.sidebar.selectbox(key="model_choice")
    assert model.value == "default:fashion_mnist"
    assert model.options == [model_label("fashion_mnist")]
    assert app.metric[0].label == r"Fashion\-MNIST clothes: training / test images"
    assert [link.proto.label for link in app.sidebar.get("page_link")] == MENU
