"""The Keras code a pupil takes home: run it, and it builds the very model the lab trains."""

import keras
import matplotlib
import nbformat
import numpy as np
import pytest

from mnist_core import i18n
from mnist_core.networks import keras_code, zoo

matplotlib.use("Agg")  # the script's plt.show() draws nowhere


def tiny_mnist():
    """A few random digits in the shapes and dtypes `keras.datasets.mnist.load_data` returns."""
    generator = np.random.default_rng(0)
    images = generator.integers(0, 256, size=(40, 28, 28), dtype=np.uint8)
    labels = np.arange(40, dtype=np.uint8) % 10
    return (images[:30], labels[:30]), (images[30:], labels[30:])


def layer_description(model):
    """Each layer's class and full configuration, and the model's parameter count."""
    return [(type(layer).__name__, layer.get_config()) for layer in model.layers], \
        model.count_params()


@pytest.mark.parametrize("model_name", zoo.available())
def test_the_script_builds_the_zoo_model_and_trains_it(model_name, monkeypatch, capsys):
    monkeypatch.setattr(keras.datasets.mnist, "load_data", tiny_mnist)  # no network here
    source = keras_code.script(model_name, "mnist", epochs=1, batch_size=8,
                               validation_split=0.2)
    namespace = {}
    exec(compile(source, f"{model_name}.py", "exec"), namespace)
    assert layer_description(namespace["model"]) == layer_description(zoo.build(model_name))
    assert namespace["history"].history["val_accuracy"]  # it trained, and validated
    printed = capsys.readouterr().out
    assert "Test accuracy:" in printed and "predict" in printed  # the crosstab's header


def test_the_notebook_is_valid_and_holds_the_scripts_code():
    text = keras_code.notebook("cnn", "fashion_mnist", 10, 300, 0.2)
    document = nbformat.reads(text, as_version=4)
    nbformat.validate(document)
    script = keras_code.script("cnn", "fashion_mnist", 10, 300, 0.2)
    code = [cell.source for cell in document.cells if cell.cell_type == "code"]
    assert len(code) == 8 and all(source in script for source in code)
    assert "keras.datasets.fashion_mnist.load_data()" in script
    assert "epochs=10" in script and "batch_size=300" in script and "validation_split=0.2" in script


def test_an_uploaded_data_set_is_taught_with_mnist():
    assert "keras.datasets.mnist.load_data()" in keras_code.script("mlp", "our-class", 3, 32, 0.1)


def test_the_comments_are_in_the_readers_language(monkeypatch):
    monkeypatch.setattr(i18n, "_language_of_caller", lambda: "zh_TW")
    script = keras_code.script("lstm", "mnist", 10, 128, 0.2)
    assert i18n.gettext("## 6. The training curves") != "## 6. The training curves"
    assert i18n.gettext("## 6. The training curves")[1:] in script  # a heading -> a comment
    assert i18n.gettext("Test accuracy") in script and "Test accuracy" not in script
    compile(script, "lstm.py", "exec")  # Chinese comments and strings are still Python


@pytest.mark.parametrize("settings", [(0, 128, 0.2), (10, 0, 0.2), (10, 128, 1.0)])
def test_bad_settings_are_refused(settings):
    with pytest.raises(ValueError):
        keras_code.script("mlp", "mnist", *settings)
