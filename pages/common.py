"""What every page shares: cached data and models, the current model, the current input image.

Session state keys: "dataset" (a name from `dataset_names()`, never a path), "model_choice"
(a `store.ModelKey` as text), "input" (dict: image (28, 28) float32 in [0, 1], caption).
"""

import gc
import uuid

import numpy as np
import streamlit as st

from mnist_core import data, datasets, models, predict, store
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from pages.tensorflow_setup import start_tensorflow  # app.py starts it early, through common

# Cached functions show no spinner of their own: a decorator's text is fixed at import time,
# in one language; callers wrap them in `st.spinner(_("..."))` in the session's language.
DATASET_TITLES = {"mnist": N_("MNIST digits"), "fashion_mnist": N_("Fashion-MNIST clothes")}


def load_dataset(name):
    """The `data.Dataset` for a name, loaded once per server and again after it changed."""
    with st.spinner(_("Loading the data set (first time only)...")):
        return _load_dataset(name, datasets.changed_at(name))


@st.cache_resource(show_spinner=False, max_entries=20)
def _load_dataset(name, changed_at):
    return data.load(name)


def reload_dataset(name):
    """Load a data set again on its next use (the full MNIST finished downloading)."""
    _load_dataset.clear(name, datasets.changed_at(name))


def load_model(choice, version):
    """A model by its `store.ModelKey` text (the cache key); never mutate it.

    `version` (the creation time) is part of the cache key, so retraining under the same
    name loads the new model.
    """
    with st.spinner(_("Loading the model...")):
        return _load_model(choice, version)


@st.cache_resource(show_spinner=False, max_entries=20)
def _load_model(choice, version):
    start_tensorflow().join()
    model = store.ModelKey.parse(choice).load()
    predict.probabilities(model, np.zeros((28, 28), np.float32))  # traced now, not on a stroke
    # TensorFlow's ~400,000 long-lived objects would otherwise be walked by every full garbage
    # collection (~200 ms each); frozen, they are skipped. Frozen once per model load.
    gc.freeze()
    return model


def test_probabilities(model, choice, version, dataset_name):
    """(N, 10) probabilities of a model on a data set's test split, cached per both versions."""
    with st.spinner(_("Testing the model on every test image...")):
        return _test_probabilities(model, choice, version, dataset_name,
                                   datasets.changed_at(dataset_name))


@st.cache_data(show_spinner=False, max_entries=20)
def _test_probabilities(_model, choice, version, dataset_name, changed_at):
    return predict.probabilities(_model, _load_dataset(dataset_name, changed_at).x_test)


def parameter_count(model_name):
    """Parameters of a zoo model (building one takes a moment, so it is cached)."""
    with st.spinner(_("Counting the model's parameters...")):
        return _parameter_count(model_name)


@st.cache_data(show_spinner=False)
def _parameter_count(model_name):
    return models.parameter_count(model_name)


def item_noun(name):
    """What one image of a data set shows: "digit" or "piece of clothing" (a key, in English)."""
    return "piece of clothing" if name == "fashion_mnist" else "digit"


def dataset_names():
    """Every data set a browser may choose: the built-in ones, then those uploaded (any session)."""
    return [*DATASET_TITLES, *datasets.list_names()]


def dataset_title(name):
    """A readable name for a data set: built-in, uploaded, or a folder the command line read."""
    if name in DATASET_TITLES:
        return _(DATASET_TITLES[name])
    if store.NAME_PATTERN.fullmatch(name):
        return _("Uploaded: {name}").format(name=name)
    return _("Folder {name}").format(name=name)


def model_options(dataset_name):
    """`store.ModelKey` text -> metadata of every model usable on a data set, default first."""
    default_for = dataset_name if dataset_name in DATASET_TITLES else "mnist"
    options = {}
    try:
        options[str(store.ModelKey("default", default_for))] = dict(
            _default_metadata(default_for), name=_("Shipped default"))
    except ValueError:
        pass
    for entry in saved_models():
        if "error" not in entry and entry.get("dataset") == dataset_name:
            options[str(store.ModelKey("store", entry["name"]))] = entry
    return options


def saved_models():
    """`store.saved_models()`, read from disk again only after a model was saved or deleted."""
    return _saved_models(store.changed_at())


@st.cache_resource(show_spinner=False, max_entries=2)
def _saved_models(changed_at):
    return store.saved_models()


@st.cache_resource(show_spinner=False)
def _default_metadata(dataset_name):
    return store.default_metadata(dataset_name)


def broken_models():
    """Saved models whose files are damaged, as store entries with an `error`."""
    return [entry for entry in saved_models() if "error" in entry]


def session_owner():
    """This browser session's id, the owner of its training jobs (one at a time each)."""
    return st.session_state.setdefault("owner", uuid.uuid4().hex)


def select_next(dataset_name, choice):
    """Switch the sidebar to this data set and model on the next full rerun."""
    st.session_state["select_next"] = (dataset_name, choice)


def sidebar():
    """Data set and model pickers shared by all pages (called by app.py on every run)."""
    if "select_next" in st.session_state:
        # Widget values can only be set before the widgets are drawn in a run.
        st.session_state["dataset"], st.session_state["model_choice"] = (
            st.session_state.pop("select_next"))
    names = dataset_names()
    if st.session_state.get("dataset") not in names:
        st.session_state["dataset"] = names[0]  # e.g. its folder was removed from the disk
    st.sidebar.selectbox(_("Data set"), names, key="dataset", format_func=dataset_title)
    options = model_options(st.session_state["dataset"])
    if st.session_state.get("model_choice") not in options:
        st.session_state["model_choice"] = next(iter(options), None)
    st.sidebar.selectbox(
        _("Model"), list(options), key="model_choice",
        format_func=lambda key: _model_label(options[key]))
    for entry in broken_models():
        st.sidebar.warning(_("Model {name!r} cannot be used: {error}").format(
            name=entry["name"], error=entry["error"]))


def _model_label(entry):
    accuracy = entry.get("test_accuracy")
    if accuracy is None:
        return entry["name"]
    return _("{name} - {accuracy:.1%}").format(name=entry["name"], accuracy=accuracy)


def current_dataset():
    """The chosen `data.Dataset`; stops the page with a clear message if it cannot load."""
    name = st.session_state.get("dataset", "mnist")
    try:
        return load_dataset(name)
    except ValueError as error:
        st.error(_("Cannot load {dataset}: {error}").format(dataset=dataset_title(name),
                                                             error=error))
        st.stop()


def current_entry():
    """(metadata, choice key) of the chosen model, without loading it; stops if there is none."""
    options = model_options(st.session_state.get("dataset", "mnist"))
    choice = st.session_state.get("model_choice")
    if choice not in options:
        choice = next(iter(options), None)
    if choice is None:
        st.warning(_("No model yet for this data set: train one on the **Train** page."))
        st.stop()
    return options[choice], choice


def current_model():
    """(model, metadata, choice key) of the chosen model; stops the page if none loads."""
    entry, choice = current_entry()
    try:
        return load_model(choice, entry.get("created")), entry, choice
    except ValueError as error:
        st.error(str(error))
        st.stop()


def set_input(image, caption):
    """Make a (28, 28) image in [0, 1] the input the Draw and Feature-maps pages show."""
    st.session_state["input"] = {"image": np.asarray(image, np.float32), "caption": caption}


def current_input():
    """The current input dict (image, caption), or None before anything is drawn or chosen."""
    return st.session_state.get("input")


def test_image(dataset, index):
    """Test image `index` scaled to [0, 1] with a caption naming its true label."""
    label = dataset.class_names[dataset.y_test[index]]
    return dataset.x_test[index] / np.float32(255), _("test image #{index} (true: {label})").format(
        index=index, label=label)
