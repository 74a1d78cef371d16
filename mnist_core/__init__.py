"""MNIST Lab's core: everything the pages do, without Streamlit.

Areas, from the top down; each may import only the areas below it (checked by import-linter:
`[tool.importlinter]` in pyproject.toml, run by tests/test_layers.py):
    classroom/, lessons/, training/  the class's collection and Stump; the lessons' maths; the
                                     class's training jobs. None of the three knows another.
    train, default_model             one training run in this process (`python -m
                                     mnist_core.train`); the shipped models' recipe
    networks/                        the zoo, the model store, predict, evaluate, feature maps
    datasets/                        MNIST and friends, uploads, downloads, preprocessing
    people/                          pupils and the teacher, what each may do, the class log
    lab_home, i18n                   the lab's folder and its writes; the languages

The public modules keep short names: `from mnist_core import data, models, predict, preprocess,
features, evaluate, store, train`.
"""

import importlib
import os

# TensorFlow's C++ start-up chatter (CUDA probes on a machine without a GPU) hides real messages.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PUBLIC_MODULES = {
    "data": "mnist_core.datasets.catalog",
    "preprocess": "mnist_core.datasets.preprocess",
    "models": "mnist_core.networks.zoo",
    "store": "mnist_core.networks.store",
    "predict": "mnist_core.networks.predict",
    "evaluate": "mnist_core.networks.evaluate",
    "features": "mnist_core.networks.features",
}


def __getattr__(name):
    """A public module by its short name, imported on first use (some import TensorFlow)."""
    if name not in PUBLIC_MODULES:
        raise AttributeError(f"module 'mnist_core' has no attribute {name!r}")
    return importlib.import_module(PUBLIC_MODULES[name])
