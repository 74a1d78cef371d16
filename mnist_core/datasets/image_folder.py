"""A folder of labelled images as a data set: `<label>.<n>.png` files or folders `0/`...`9/`.

The tutorials' layout, read by `data.load(<folder>)`; stored and uploaded sets use it too.
"""

import pathlib
import re

import numpy as np

from mnist_core.datasets import preprocess
from mnist_core.datasets.dataset import MNIST_CLASS_NAMES, make_dataset, stratified_split

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp"}


def label_of(path):
    """The digit a labelled image's path names: its folder `0/`...`9/`, else its `<label>.` prefix.

    Args:
        path: a `pathlib.PurePath` relative to the data set's folder, e.g. `3/17.png`.

    Returns:
        The label as an int, or None when the path names no digit.
    """
    if re.fullmatch(r"\d", path.parent.name):
        return int(path.parent.name)
    match = re.fullmatch(r"(\d)\..*", path.name)
    return int(match[1]) if match else None


def load(folder, test_fraction=0.2):
    """Load labelled images named `<label>.<n>.png` or stored in sub-folders `0/`...`9/`.

    Args:
        folder: the folder to read.
        test_fraction: share of each class held out as the test split.

    Returns:
        A `Dataset`, images converted with `preprocess.image_file_to_mnist`.
    """
    folder = pathlib.Path(folder)
    images, labels = [], []
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGE_SUFFIXES:
            continue
        label = label_of(path.relative_to(folder))
        if label is None:
            continue
        image = preprocess.image_file_to_mnist(path.read_bytes())
        images.append(np.round(image * 255).astype(np.uint8))
        labels.append(label)
    labels = np.array(labels, dtype=np.uint8)
    counts = np.bincount(labels, minlength=10) if len(labels) else np.zeros(10, int)
    if len(labels) < 10 or counts.min() < 2:
        raise ValueError(
            f"{folder} needs at least 2 labelled images of every digit, named like '3.17.png' "
            f"or stored in sub-folders 0/ to 9/; found {dict(enumerate(counts.tolist()))}."
        )
    images = np.stack(images)
    train_index, test_index = stratified_split(labels, test_fraction)
    splits = {"train": (images[train_index], labels[train_index]),
              "test": (images[test_index], labels[test_index])}
    origin = f"{len(labels)} labelled images in {folder} (a stratified split)"
    return make_dataset(splits, dict.fromkeys(splits, origin), MNIST_CLASS_NAMES,
                        str(folder), f"Folder {folder}")
