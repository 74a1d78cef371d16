"""What every page shares: data and models (cached in `caches`), the current model and input.

Session state keys: "dataset" (a name from `dataset_names()`, never a path), "model_choice"
(a `store.ModelKey` as text), "input" (dict: image (28, 28) float32 in [0, 1], caption).
"""

import datetime
import hashlib

import numpy as np
import streamlit as st

from mnist_core.datasets import preprocess, stored
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from mnist_core.networks import store
from ui import caches, plain_text

YOUR_DRAWING = N_("your drawing")  # a drawing's caption as an input, shown translated
DATASET_TITLES = {"mnist": N_("MNIST digits"), "fashion_mnist": N_("Fashion-MNIST clothes")}


def item_noun(name):
    """What one image of a data set shows: "digit" or "piece of clothing" (a key, in English)."""
    return "piece of clothing" if name == "fashion_mnist" else "digit"


def dataset_names():
    """Every data set a browser may choose: the built-in ones, then those uploaded (any session)."""
    return [*DATASET_TITLES, *stored.list_names()]


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
            caches.default_metadata(default_for), name=_("Shipped default"))
    except ValueError:
        pass
    for entry in caches.saved_models():
        if "error" not in entry and entry.get("dataset") == dataset_name:
            options[str(store.ModelKey("store", entry["name"]))] = entry
    return options


def broken_models():
    """Saved models whose files are damaged, as store entries with an `error`."""
    return [entry for entry in caches.saved_models() if "error" in entry]


def select_next(dataset_name, choice):
    """Switch the sidebar to this data set and model on the next full rerun."""
    st.session_state["select_next"] = (dataset_name, choice)


def sidebar():
    """Data set and model pickers shared by all pages (called by lab.py on every run)."""
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
        format_func=lambda key: model_label(options[key]))
    for entry in broken_models():
        st.sidebar.warning(plain_text.markdown(_("Model {name!r} cannot be used: {error}").format(
            name=entry["name"], error=entry["error"])))


def model_label(entry):
    """A model as the sidebar names it, short enough to read whole there.

    A run trained in the lab reads "mlp, 小明, 14:59 - 63.6%" (model, who, when: its store name
    is longer), any other model "<name> - <accuracy>".
    """
    accuracy = entry.get("test_accuracy")
    name = entry["name"]
    if "owner" in entry and entry.get("model") and entry.get("created"):
        created = datetime.datetime.fromisoformat(entry["created"])
        when = created.strftime("%H:%M" if created.date() == datetime.date.today()
                                else "%m-%d %H:%M")
        name = ", ".join(part for part in (entry["model"], entry.get("nickname", "")[:12], when)
                         if part)
    if accuracy is None:
        return name
    return _("{name} - {accuracy:.1%}").format(name=name, accuracy=accuracy)


def current_dataset():
    """The chosen `data.Dataset`; stops the page with a clear message if it cannot load."""
    return dataset_or_stop(st.session_state.get("dataset", "mnist"))


def dataset_or_stop(name):
    """The `data.Dataset` of a name; stops the page with a clear message if it cannot load."""
    try:
        return caches.load_dataset(name)
    except ValueError as error:
        st.error(plain_text.markdown(_("Cannot load {dataset}: {error}").format(
            dataset=dataset_title(name), error=error)))
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
        return caches.load_model(choice, entry.get("created")), entry, choice
    except ValueError as error:
        st.error(plain_text.markdown(str(error)))
        st.stop()


def set_input(image, caption):
    """Make a (28, 28) image in [0, 1] the input the Draw and Feature-maps pages show."""
    st.session_state["input"] = {"image": np.asarray(image, np.float32), "caption": caption}


def read_canvas(canvas, key):
    """A new stroke on the canvas drawn with `key` becomes the input; otherwise the last input
    stays (a test digit picked here or on another page must survive the rerun).

    Clearing or undoing every stroke drops the drawing the input came from.
    """
    canvas_bytes = canvas.image_bytes
    digest = canvas_bytes and hashlib.sha1(canvas_bytes).digest()
    if not canvas_bytes or digest == st.session_state.get(f"{key}-seen"):
        return
    st.session_state[f"{key}-seen"] = digest
    drawing = preprocess.canvas_to_mnist(canvas.image_data)
    if drawing is not None:
        set_input(drawing, YOUR_DRAWING)
    elif (current_input() or {}).get("caption") == YOUR_DRAWING:
        st.session_state.pop("input")


def current_input():
    """The current input dict (image, caption), or None before anything is drawn or chosen."""
    return st.session_state.get("input")


def test_image(dataset, index):
    """Test image `index` scaled to [0, 1] with a caption naming its true label."""
    label = dataset.display_names[dataset.y_test[index]]
    return dataset.x_test[index] / np.float32(255), _("test image #{index} (true: {label})").format(
        index=index, label=label)
