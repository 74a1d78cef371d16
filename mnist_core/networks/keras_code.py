"""A zoo model's Keras 3 code, as a pupil takes it home: a script or a Jupyter notebook.

The code is written from the zoo's own definition: each `<architecture>_layers` function is
called with a stand-in for `keras.layers` that records every layer it makes and writes it back
as source, so the code shown can never drift from the model the lab trains.
"""

import json
import textwrap

from mnist_core.i18n import gettext as _
from mnist_core.networks import zoo

# The two data sets Keras downloads itself; any other data set of the lab is taught as MNIST.
KERAS_DATASETS = {"mnist": "mnist", "fashion_mnist": "fashion_mnist"}
NOTEBOOK_FORMAT = (4, 5)


class _LayerCall:
    """One recorded layer: its class name and the arguments it was made with."""

    def __init__(self, class_name, args, kwargs):
        self.class_name, self.args, self.kwargs = class_name, args, kwargs

    def source(self):
        """The call as Python source, e.g. `layers.Dense(50, name="hidden")`."""
        arguments = [_literal(value) for value in self.args]
        arguments += [f"{key}={_literal(value)}" for key, value in self.kwargs.items()]
        return f"layers.{self.class_name}({', '.join(arguments)})"


class _LayerRecorder:
    """Stands in for the `keras.layers` module: `recorder.Conv2D(...)` records the call."""

    def __getattr__(self, class_name):
        return lambda *args, **kwargs: _LayerCall(class_name, args, kwargs)


def _literal(value):
    """A Python literal in the tutorials' style: double-quoted strings, tuples as written."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return repr(value)


def layer_calls(model_name):
    """The layers of a zoo model as recorded calls, input first (see `zoo.ZooEntry.layers`)."""
    return zoo.info(model_name).layers(_LayerRecorder())


def cells(model_name, dataset_name, epochs, batch_size, validation_split):
    """The program that builds, trains and evaluates a zoo model, as notebook cells.

    Args:
        model_name: one of `zoo.available()`.
        dataset_name: the lab's data set; "fashion_mnist" loads Fashion-MNIST, anything else
            MNIST (both through `keras.datasets`).
        epochs, batch_size: positive integers; validation_split: a float in [0, 1).

    Returns:
        A list of ("markdown" or "code", text) pairs; comments and headings are in the
        reader's language.
    """
    entry = zoo.info(model_name)
    if not (isinstance(epochs, int) and epochs >= 1 and isinstance(batch_size, int)
            and batch_size >= 1):
        raise ValueError("Epochs and batch size must be whole numbers of at least 1.")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"The validation split must be in [0, 1), got {validation_split}.")
    keras_dataset = KERAS_DATASETS.get(dataset_name, "mnist")
    calls = layer_calls(model_name)
    shape = calls[0].kwargs["shape"]
    layer_lines = "\n".join(f"        {call.source()}," for call in calls)
    return [
        ("markdown", f"# {entry.title}\n\n{entry.description}"),
        ("code", "import keras\nimport matplotlib.pyplot as plt\nimport pandas as pd\n"
                 "from keras import layers"),
        ("markdown", _("## 1. The data: 28x28 grey images and their labels")),
        ("code", "# {comment}\n"
                 "(x_train, y_train), (x_test, y_test) = keras.datasets.{dataset}.load_data()\n"
                 "# {scale}\n"
                 "x_train = x_train.reshape(-1, {shape}).astype(\"float32\") / 255\n"
                 "x_test = x_test.reshape(-1, {shape}).astype(\"float32\") / 255\n"
                 "print(x_train.shape, x_test.shape)".format(
                     comment=_("Keras downloads the data set on the first run and keeps it in "
                               "~/.keras/datasets."),
                     dataset=keras_dataset,
                     scale=_("Pixels from 0-255 to 0-1, in the shape the first layer reads."),
                     shape=", ".join(str(size) for size in shape))),
        ("markdown", _("## 2. The network, layer by layer")),
        ("code", f"model = keras.Sequential(\n    [\n{layer_lines}\n    ],\n"
                 f"    name={_literal(model_name)},\n)\nmodel.summary()"),
        ("markdown", _("## 3. Compile: how it learns")),
        ("code", "# {loss}\nmodel.compile(\n    optimizer={optimizer},\n"
                 "    loss=\"sparse_categorical_crossentropy\",\n"
                 "    metrics=[\"accuracy\"],\n)".format(
                     optimizer=_literal(entry.optimizer),
                     loss=_("labels are whole numbers 0-9, outputs 10 probabilities"))),
        ("markdown", _("## 4. Train")),
        ("code", "# {comment}\nhistory = model.fit(\n    x_train,\n    y_train,\n"
                 "    epochs={epochs},\n    batch_size={batch_size},\n"
                 "    validation_split={split},\n    verbose=2,\n)".format(
                     comment=_("The last part of the training images is kept aside to "
                               "validate on."),
                     epochs=epochs, batch_size=batch_size, split=_literal(validation_split))),
        ("markdown", _("## 5. Test on images it has never seen")),
        ("code", "loss, accuracy = model.evaluate(x_test, y_test, verbose=0)\n"
                 "print(f\"{label}: {{accuracy:.2%}}\")".format(label=_("Test accuracy"))),
        ("markdown", _("## 6. The training curves")),
        ("code", "for metric in (\"accuracy\", \"loss\"):\n"
                 "    plt.figure()\n"
                 "    plt.plot(history.history[metric], label=\"train\")\n"
                 "    plt.plot(history.history[\"val_\" + metric], label=\"validation\")\n"
                 "    plt.xlabel(\"epoch\")\n    plt.ylabel(metric)\n    plt.legend()\n"
                 "plt.show()"),
        ("markdown", _("## 7. The confusion matrix: which digits it mixes up")),
        ("code", "# {comment}\n"
                 "predictions = model.predict(x_test, verbose=0).argmax(axis=1)\n"
                 "print(pd.crosstab(y_test, predictions, rownames=[\"label\"], "
                 "colnames=[\"predict\"]))".format(
                     comment=_("Rows: the true label; columns: the network's answer."))),
    ]


def script(model_name, dataset_name, epochs, batch_size, validation_split):
    """The program of `cells` as one Python script (headings become comments)."""
    parts = []
    for kind, text in cells(model_name, dataset_name, epochs, batch_size, validation_split):
        if kind == "markdown":
            text = "\n".join("\n".join(textwrap.wrap(line.lstrip("# "), 76, initial_indent="# ",
                                                     subsequent_indent="# ")) or "#"
                             for line in text.splitlines())
        parts.append(text)
    return "\n\n".join(parts) + "\n"


def notebook(model_name, dataset_name, epochs, batch_size, validation_split):
    """The program of `cells` as a Jupyter notebook (nbformat 4.5), as JSON text."""
    notebook_cells = []
    for number, (kind, text) in enumerate(
            cells(model_name, dataset_name, epochs, batch_size, validation_split)):
        cell = {"cell_type": kind, "id": f"cell-{number}", "metadata": {},
                "source": text.splitlines(keepends=True)}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        notebook_cells.append(cell)
    document = {
        "cells": notebook_cells,
        "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python",
                                    "name": "python3"},
                     "language_info": {"name": "python"}},
        "nbformat": NOTEBOOK_FORMAT[0],
        "nbformat_minor": NOTEBOOK_FORMAT[1],
    }
    return json.dumps(document, ensure_ascii=False, indent=1) + "\n"
