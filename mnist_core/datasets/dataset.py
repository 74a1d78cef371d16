"""A `Dataset`: images and labels split for training and testing, and how one is made and split."""

import dataclasses

import numpy as np

from mnist_core.i18n import gettext as _

MNIST_CLASS_NAMES = tuple(str(digit) for digit in range(10))
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


def make_dataset(splits, origins, class_names, name, title, offline=False):
    """A `Dataset` from {"train"/"test": (images, labels)} and where each split came from."""
    (x_train, y_train), (x_test, y_test) = splits["train"], splits["test"]
    return Dataset(
        x_train.astype(np.uint8, copy=False), y_train.astype(np.uint8, copy=False),
        x_test.astype(np.uint8, copy=False), y_test.astype(np.uint8, copy=False), class_names,
        f"{title}: training images from {origins['train']}; test images from {origins['test']}",
        name, origins["train"], origins["test"], offline)
