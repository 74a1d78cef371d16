"""Teach a model the class's handwriting: fine-tune it on MNIST's training digits plus ours.

A few hundred drawings beside thousands of MNIST digits would hardly count, so the
collection's drawings are repeated until they make a quarter of every epoch. A stratified
fifth of the collection is held out and never trained on: the model is measured on it and on
the MNIST test set before and after, which is the lesson (it learns our handwriting and must
not forget MNIST's).
"""

import math

import numpy as np

from mnist_core.datasets.dataset import SEED, stratified_split
from mnist_core.i18n import gettext as _
from mnist_core.networks import evaluate, predict, store

HELD_OUT_SHARE = 0.2
COLLECTION_SHARE = 0.25
LEARNING_RATE = 3e-4  # a third of a fresh model's: adjust what it knows, do not start over
HELD_OUT, MNIST_TEST = "held_out", "mnist_test"  # the test sets measured before and after


def split_collection(labels, seed=SEED):
    """Split the collection into drawings to learn from and a stratified held-out fifth.

    Args:
        labels: (N,) integer labels of the collection's drawings.
        seed: seed of the split.

    Returns:
        (learn_index, held_out_index), int arrays into `labels`.

    Raises:
        ValueError: some digit has fewer than 2 drawings (one to learn from, one to hold out).
    """
    per_digit = np.bincount(np.asarray(labels, np.int64), minlength=10)
    if per_digit.min() < 2:
        missing = ", ".join(str(digit) for digit in np.flatnonzero(per_digit < 2))
        raise ValueError(_("To teach the model our handwriting, every digit needs at least 2 "
                           "drawings (one to learn from, one to test on): draw more of "
                           "{digits}.").format(digits=missing))
    learn_index, held_out_index = stratified_split(labels, HELD_OUT_SHARE, seed)
    return np.sort(learn_index), np.sort(held_out_index)


def mixed_training_set(mnist_images, mnist_labels, our_images, our_labels):
    """MNIST's training digits plus ours, repeated to make at least `COLLECTION_SHARE` of them.

    Args:
        mnist_images: (M, 28, 28) uint8; mnist_labels: (M,) integers.
        our_images: (K, 28, 28) uint8, K >= 1; our_labels: (K,) integers.

    Returns:
        (images (M + r*K, 28, 28) uint8, labels (M + r*K,) uint8), r the repeat count.
    """
    wanted = COLLECTION_SHARE / (1 - COLLECTION_SHARE) * len(mnist_labels)
    repeats = max(1, math.ceil(wanted / len(our_labels)))
    images = np.concatenate([mnist_images, np.tile(our_images, (repeats, 1, 1))])
    labels = np.concatenate([mnist_labels, np.tile(our_labels, repeats)]).astype(np.uint8)
    return images, labels


def scores(model, test_sets):
    """The model's accuracy on each named test set: dict name -> float in [0, 1]."""
    return {name: evaluate.accuracy(labels, predict.classes(model, images))
            for name, (images, labels) in test_sets.items()}


def fine_tune(model, images, labels, test_sets, epochs, batch_size, **reporting):
    """Fine-tune a trained model and measure it on each test set before and after.

    Args:
        model: a trained digit `keras.Model` (compiled again here, with `LEARNING_RATE`).
        images, labels: the training set, e.g. from `mixed_training_set`.
        test_sets: dict name -> (images (N, 28, 28) uint8, labels (N,)); the first one is
            also the validation data of the live curves (e.g. the held-out drawings).
        epochs, batch_size: positive integers.
        **reporting: `on_epoch`, `should_stop`, `on_batch`, as for `train.fit`.

    Returns:
        (history: one dict per finished epoch, before: dict name -> accuracy,
        after: dict name -> accuracy, or None if stopped before an epoch finished).
    """
    import keras

    from mnist_core import train  # imports keras: only where a model is fine-tuned

    before = scores(model, test_sets)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=LEARNING_RATE),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    validation_images, validation_labels = next(iter(test_sets.values()))
    history = train.fit(model, images, labels, epochs, batch_size,
                        validation_data=(validation_images, validation_labels), **reporting)
    return history, before, scores(model, test_sets) if history else None


def teach_and_save(base_key, mnist, our_images, our_labels, collection_name, epochs,
                   batch_size, owner="", nickname="", **reporting):
    """Fine-tune a shipped or saved model on MNIST plus a collection; save it in the store.

    Args:
        base_key: the `store.ModelKey` text of the model to start from, e.g. "default:mnist".
        mnist: the MNIST `Dataset`: its training digits are kept, its test set checked.
        our_images: (K, 28, 28) uint8 drawings of the collection; our_labels: (K,) integers.
        collection_name: the collection's name, for the new model's name and metadata.
        epochs, batch_size, **reporting: as for `fine_tune`.
        owner: the pupil id of who taught it, who may delete it (empty: only the teacher).
        nickname: what they call themselves, for the sidebar's label of the model.

    Returns:
        The metadata saved with the new model (`taught` holds the before and after
        accuracies), or None if stopped before the first epoch finished.
    """
    key = store.ModelKey.parse(base_key)
    model = key.load()
    learn, held_out = split_collection(our_labels)
    images, labels = mixed_training_set(mnist.x_train, mnist.y_train, our_images[learn],
                                        our_labels[learn])
    test_sets = {HELD_OUT: (our_images[held_out], our_labels[held_out]),
                 MNIST_TEST: (mnist.x_test, mnist.y_test)}
    history, before, after = fine_tune(model, images, labels, test_sets, epochs, batch_size,
                                       **reporting)
    if not history:
        return None
    base = key.metadata()
    base_name = base.get("name", f"shipped-{key.name}")
    metadata = {
        "model": base["model"],
        "dataset": "mnist",
        "dataset_source": f"{mnist.source}, plus {len(learn)} drawings of {collection_name!r}",
        "epochs": len(history),
        "batch_size": batch_size,
        "parameters": model.count_params(),
        "seconds": sum(epoch["seconds"] for epoch in history),
        "history": history,
        "test_accuracy": after[MNIST_TEST],
        "test_size": len(mnist.y_test),
        "taught": {"from": base_name, "collection": collection_name, "learned_from": len(learn),
                   "held_out": len(held_out), "before": before, "after": after},
        "owner": owner,
        "nickname": nickname,
    }
    return store.save_new(model, f"{base_name}-taught-{collection_name}", metadata)
