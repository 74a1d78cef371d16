"""The data, models and results every page shares, cached once per server for every session.

Cached functions show no spinner of their own: a decorator's text is fixed at import time, in
one language; the functions pages call wrap them in `st.spinner(_("..."))` in the session's
language. Pages call them through `common` (`caches.load_dataset(...)`).
"""

import gc

import numpy as np
import streamlit as st

from mnist_core.classroom import collection
from mnist_core.datasets import catalog, stored
from mnist_core.i18n import gettext as _
from mnist_core.lessons import neuron
from mnist_core.networks import predict, store, zoo
from mnist_core.networks import test_map as test_maps
from mnist_core.training import runs
from ui.tensorflow_setup import start_tensorflow


def load_dataset(name):
    """The `catalog.Dataset` for a name, loaded once per server and again after it changed."""
    with st.spinner(_("Loading the data set (first time only)...")):
        return _load_dataset(name, stored.changed_at(name))


@st.cache_resource(show_spinner=False, max_entries=20)
def _load_dataset(name, changed_at):
    return catalog.load(name)


def reload_dataset(name):
    """Load a data set again on its next use (the full MNIST finished downloading)."""
    _load_dataset.clear(name, stored.changed_at(name))


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


def warm_up():
    """Load what a first visit to Draw needs, at the server's start: TensorFlow, the canvas,
    MNIST and the shipped MNIST model, so that the first pupil does not wait for them (~8 s); and
    a spare trainer, so that the class's first run does not wait for TensorFlow either (~6 s)."""
    import streamlit_drawable_canvas  # noqa: F401 - its import is part of a first Draw

    runs.prepare()

    _load_dataset("mnist", stored.changed_at("mnist"))
    choice = str(store.ModelKey("default", "mnist"))
    _load_model(choice, default_metadata("mnist").get("created"))


def test_probabilities(model, choice, version, dataset_name):
    """(N, 10) probabilities of a model on a data set's test split, cached per both versions."""
    with st.spinner(_("Testing the model on every test image...")):
        return _test_probabilities(model, choice, version, dataset_name,
                                   stored.changed_at(dataset_name))


@st.cache_data(show_spinner=False, max_entries=20)
def _test_probabilities(_model, choice, version, dataset_name, changed_at):
    return predict.probabilities(_model, _load_dataset(dataset_name, changed_at).x_test)


def parameter_count(model_name):
    """Parameters of a zoo model (building one takes a moment, so it is cached)."""
    with st.spinner(_("Counting the model's parameters...")):
        return _parameter_count(model_name)


@st.cache_data(show_spinner=False)
def _parameter_count(model_name):
    start_tensorflow().join()  # its settings come before the server builds a Keras model
    return zoo.parameter_count(model_name)


def neuron_run(people, epochs, learning_rate, standardise):
    """The Hello World neuron trained on `people` ((height, weight, label) tuples), once per
    server for each table and settings: a class pressing the same buttons trains it once.

    Raises `ValueError` for a bad table (see `neuron.people`).
    """
    with st.spinner(_("Training the neuron...")):
        return _neuron_run(tuple(people), epochs, learning_rate, standardise)


@st.cache_data(show_spinner=False, max_entries=200)
def _neuron_run(people, epochs, learning_rate, standardise):
    start_tensorflow().join()
    heights, weights, labels = zip(*people) if people else ((), (), ())
    return neuron.train(heights, weights, labels, epochs, learning_rate, standardise)


def saved_models():
    """`store.saved_models()`, read from disk again only after a model was saved or deleted."""
    return _saved_models(store.changed_at())


def test_map(choice, version, dataset_name, retry=False):
    """The chosen model's map of the data set's test images, and where its computation is.

    Args:
        choice, version: the model's `store.ModelKey` text and creation time.
        dataset_name: the data set whose test split is mapped.
        retry: compute it again after a failure.

    Returns:
        (`test_map.TestMap` or None, a state of `test_map.start`); the first ask starts
        computing it in a process of its own, once for the whole class.
    """
    # A stored set (a class collection, an upload) splits anew when images come or go: its
    # map is then another one, or its points would name other images.
    if changed := stored.changed_at(dataset_name):
        version = f"{version}+{changed}"
    state = test_maps.start(choice, version, dataset_name, retry=retry)
    if state != "ready":
        return None, state
    saved = test_maps.path(choice, version, dataset_name)
    the_map = _test_map(choice, version, dataset_name, saved.stat().st_mtime_ns)
    if the_map is None:  # the file was damaged, and removed: computed again
        return None, test_maps.start(choice, version, dataset_name)
    return the_map, state


@st.cache_resource(show_spinner=False, max_entries=6)
def _test_map(choice, version, dataset_name, saved_at):
    return test_maps.load(choice, version, dataset_name)


def class_on_map(model, choice, version, name, the_map):
    """Where a class collection's drawings land on a model's map, once per collection state.

    Returns:
        (positions (N, 2), images (N, 28, 28) uint8, labels (N,), neighbours (N, k) test
        image indices, file names (N,)).
    """
    return _class_on_map(model, the_map, choice, version, name, collection.folder(name),
                         stored.changed_at(name))


@st.cache_data(show_spinner=False, max_entries=20)
def _class_on_map(_model, _map, choice, version, name, folder, changed_at):
    from mnist_core.networks import explain  # imports Keras: see `_randomized_model`

    images, labels, file_names, _answers = _collection_readings(_model, choice, version, name,
                                                                folder, changed_at)
    if not len(labels):
        return np.zeros((0, 2), np.float32), images, labels, np.zeros((0, 1), int), file_names
    positions, neighbours, _unusual = test_maps.place(_map, explain.features(_model, images))
    return positions, images, labels, neighbours, file_names


def randomized_model(choice, version):
    """The chosen model's network with random weights (`explain.randomized`), one per model
    version for the whole class; never mutate it."""
    return _randomized_model(load_model(choice, version), choice, version)


@st.cache_resource(show_spinner=False, max_entries=4)
def _randomized_model(_model, choice, version):
    # Imported here: this module is imported as the server starts, and Keras must load later,
    # in the background, with TensorFlow's start-up lines kept out of the teacher's terminal
    # (ui/tensorflow_setup).
    from mnist_core.networks import explain

    return explain.randomized(_model)


@st.cache_resource(show_spinner=False, max_entries=2)
def _saved_models(changed_at):
    return store.saved_models()


@st.cache_resource(show_spinner=False)
def default_metadata(dataset_name):
    """`store.default_metadata`, read once per server (the shipped models never change)."""
    return store.default_metadata(dataset_name)


def collection_readings(model, choice, version, name):
    """A class collection read by a model, once per model and collection state for the class.

    Returns:
        (images (N, 28, 28) uint8, labels (N,) uint8, file names (N,), answers (N,) int).
    """
    with st.spinner(_("Reading every drawing of the collection...")):
        return _collection_readings(model, choice, version, name, collection.folder(name),
                                    stored.changed_at(name))


@st.cache_data(show_spinner=False, max_entries=20)
def _collection_readings(_model, choice, version, name, folder, changed_at):
    images, labels, file_names = collection.drawings(name)
    answers = (predict.probabilities(_model, images).argmax(axis=1) if len(labels) else
               np.zeros(0, int))
    return images, labels, file_names, answers


def class_collection(name):
    """A class collection's (per digit, per nickname) counts and 12 newest drawings, for everyone.

    Every student's Class page asks for them every 2 seconds, and reading them takes ~20-35 ms
    at 900 drawings: read from disk at most once a second for everyone, and at once after a
    drawing was saved or removed here (`class_collection_changed`).
    """
    return _class_collection(name, collection.folder(name))


@st.cache_data(show_spinner=False, ttl=1, max_entries=20)
def _class_collection(name, folder):  # the folder keys it too: each test has its own home
    per_digit, per_nickname = collection.counts(name)
    return per_digit, per_nickname, collection.newest(name, count=12)


def class_collection_changed(name):
    """Read the collection from disk again on its next use (this session saved or removed)."""
    _class_collection.clear(name, collection.folder(name))
