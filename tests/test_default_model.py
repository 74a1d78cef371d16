"""Tests for the shipped default models: small files, real accuracy, usable by every page."""

import numpy as np
import pytest

from mnist_core import data, evaluate, features, predict, store

MAX_BYTES = 5 * 2**20
DATASETS = ("mnist", "fashion_mnist")


@pytest.fixture(scope="module")
def fashion_test_set():
    """Fashion-MNIST's 10,000 test images from the Debian package (skips when absent)."""
    splits = data.read_splits(data.FASHION_SYSTEM_DIR) if data.FASHION_SYSTEM_DIR.is_dir() else {}
    if "test" not in splits:
        pytest.skip(f"Fashion-MNIST is not installed in {data.FASHION_SYSTEM_DIR}")
    return splits["test"]


@pytest.mark.parametrize("dataset", DATASETS)
def test_shipped_model_is_small_and_described(dataset):
    path = store.DEFAULT_MODELS_DIR / f"{dataset}.keras"
    assert path.stat().st_size <= MAX_BYTES
    metadata = store.default_metadata(dataset)
    for key in ("command", "seed", "training_data", "validation_accuracy", "test_accuracy",
                "created", "history"):
        assert key in metadata
    assert metadata["command"].startswith("python -m mnist_core.default_model")


@pytest.mark.parametrize("dataset", DATASETS)
def test_shipped_model_works_on_every_page(dataset):
    model = store.load_default(dataset)
    image = np.zeros((28, 28), np.float32)
    image[6:22, 13:15] = 1.0
    probabilities = predict.probabilities(model, image)
    assert probabilities.shape == (10,) and probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    maps = features.activations(model, image)
    assert [name for name in maps if name.startswith("conv")] == ["conv1", "conv2", "conv3"]
    assert maps["conv1"].shape == (28, 28, 32)


def test_mnist_default_reaches_98_8_percent_on_the_real_test_set(mnist_test_set):
    images, labels = mnist_test_set
    accuracy = evaluate.accuracy(labels, predict.classes(store.load_default("mnist"), images))
    assert accuracy >= 0.988
    assert accuracy == pytest.approx(store.default_metadata("mnist")["test_accuracy"], abs=1e-4)


@pytest.fixture(scope="module")
def fashion_accuracy(fashion_test_set):
    """The shipped Fashion model's accuracy on the 10,000 test images."""
    images, labels = fashion_test_set
    return evaluate.accuracy(labels, predict.classes(store.load_default("fashion_mnist"), images))


def test_fashion_default_beats_the_tutorial_and_matches_its_record(fashion_accuracy):
    assert fashion_accuracy > 0.9257  # the tutorial's fashion_cnn after 35 epochs
    assert fashion_accuracy == pytest.approx(
        store.default_metadata("fashion_mnist")["test_accuracy"], abs=1e-4)


def test_fashion_default_reaches_93_percent_on_its_test_set(fashion_accuracy):
    assert fashion_accuracy >= 0.93
