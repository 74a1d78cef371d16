"""Training: a stoppable `fit` that reports every epoch, and a command-line trainer."""

import argparse
import pathlib
import sys
import time

import keras
import numpy as np

from mnist_core import lab_home
from mnist_core.datasets import catalog
from mnist_core.datasets.dataset import SEED, stratified_split
from mnist_core.networks import evaluate, predict, store, zoo


class _Reporter(keras.callbacks.Callback):
    """Times and reports epochs; reports batches and polls `should_stop()` every ~50 ms."""

    # Keras waits for each batch's metrics before calling a callback that has batch hooks,
    # unless it is async-safe: then the hooks run in Keras' helper thread, as they do without
    # any callback, and training never waits for them.
    async_safe = True
    # Often enough for a live progress bar and for a stop within a second, rarely enough that
    # reporting costs nothing next to the batches themselves.
    CHECK_SECONDS = 0.05

    def __init__(self, on_epoch, should_stop, on_batch, batches_per_epoch):
        super().__init__()
        self.on_epoch, self.should_stop, self.on_batch = on_epoch, should_stop, on_batch
        self.batches_per_epoch = batches_per_epoch
        self.history, self.stopped, self.next_check = [], False, 0.0

    def on_epoch_begin(self, epoch, logs=None):
        self.started = time.perf_counter()

    def on_train_batch_end(self, batch, logs=None):
        now = time.monotonic()
        if now < self.next_check:
            return
        self.next_check = now + self.CHECK_SECONDS
        if self.on_batch is not None:
            self.on_batch(batch + 1, self.batches_per_epoch)
        if self.should_stop is not None and self.should_stop():
            self.stopped = self.model.stop_training = True

    def on_epoch_end(self, epoch, logs=None):
        if self.stopped:  # an epoch cut short is not a finished epoch
            return
        metrics = {key: float(value) for key, value in (logs or {}).items()}
        metrics["seconds"] = time.perf_counter() - self.started
        self.history.append(metrics)
        if self.on_epoch is not None:
            self.on_epoch(epoch, metrics)


def fit(model, x, y, epochs, batch_size, validation_split=0.2, on_epoch=None,
        should_stop=None, on_batch=None, seed=SEED, validation_data=None):
    """Train a compiled model, holding out a stratified, shuffled validation split.

    The tutorials' `model.fit(validation_split=0.2)` takes the *last* 20% unshuffled: on
    class-sorted data that validates on 8s and 9s and never trains on them. We shuffle and
    stratify first.

    Args:
        model: a compiled Keras model (see `models.build`).
        x: (N, 28, 28) uint8 images; y: (N,) integer labels.
        epochs, batch_size: positive integers.
        validation_split: share of each class held out for validation, in [0, 1).
        on_epoch: called as `on_epoch(epoch_index, metrics)` after each finished epoch.
        should_stop: polled after a batch, at most every 50 ms; training ends within a
            batch of the poll that returns True.
        on_batch: called as `on_batch(batches_done, batches_per_epoch)` after a batch, at
            most every 50 ms (and after the first batch).
        seed: seed of the shuffle and split.
        validation_data: optional (images (V, 28, 28) uint8, labels (V,)) to validate on
            instead of a split of `x` (then `validation_split` is ignored).

    Returns:
        One dict per finished epoch: loss, accuracy, val_loss, val_accuracy, seconds.
    """
    labels = np.asarray(y)
    if len(labels) != len(x):
        raise ValueError(f"Got {len(x)} images but {len(labels)} labels.")
    if not (isinstance(epochs, int) and epochs >= 1 and isinstance(batch_size, int)
            and batch_size >= 1):
        raise ValueError("Epochs and batch size must be whole numbers of at least 1.")
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(f"The validation split must be in [0, 1), got {validation_split}.")
    inputs = predict.as_model_input(model, x)
    if validation_data is None and validation_split > 0:
        train_index, validation_index = stratified_split(labels, validation_split, seed)
        validation_data = (inputs[validation_index], labels[validation_index])
    else:
        train_index = np.random.default_rng(seed).permutation(len(labels))
        if validation_data is not None:
            validation_data = (predict.as_model_input(model, validation_data[0]),
                               np.asarray(validation_data[1]))
    batches_per_epoch = -(-len(train_index) // batch_size)
    reporter = _Reporter(on_epoch, should_stop, on_batch, batches_per_epoch)
    model.fit(inputs[train_index], labels[train_index], epochs=epochs, batch_size=batch_size,
              validation_data=validation_data, callbacks=[reporter], verbose=0)
    return reporter.history


def train_and_save(model_name, dataset, epochs, batch_size, validation_split=0.2,
                   on_epoch=None, should_stop=None, on_batch=None, store_name=None, owner="",
                   nickname=""):
    """Build a zoo model, fit it, measure it on the test split and save it in the store.

    Args:
        model_name: one of `zoo.available()`.
        dataset: a `data.Dataset`; `dataset_name` for the metadata comes from its source.
        epochs, batch_size, validation_split, on_epoch, should_stop, on_batch: as for `fit`.
        store_name: name in the store; default `<model>-<dataset>-<nickname>-<time>`.
        owner: the pupil id of who trained it, who may delete it (empty: only the teacher).
        nickname: what they call themselves, for the sidebar's label of the model.

    Returns:
        The metadata dict saved with the model (see `store.save`), or None if stopped
        before the first epoch finished.
    """
    keras.utils.set_random_seed(SEED)
    model = zoo.build(model_name)
    history = fit(model, dataset.x_train, dataset.y_train, epochs, batch_size,
                  validation_split, on_epoch, should_stop, on_batch)
    if not history:
        return None
    predictions = predict.classes(model, dataset.x_test)
    metadata = {
        "model": model_name,
        "dataset": dataset.name,
        "dataset_source": dataset.source,
        "epochs": len(history),
        "batch_size": batch_size,
        "validation_split": validation_split,
        # What one epoch trained on, for the forecast of later runs (training.forecast).
        "images_per_epoch": len(dataset.x_train) - round(len(dataset.x_train) * validation_split),
        "parameters": model.count_params(),
        "seconds": sum(epoch["seconds"] for epoch in history),
        "history": history,
        "test_accuracy": evaluate.accuracy(dataset.y_test, predictions),
        "test_size": len(dataset.y_test),
        "owner": owner,
        "nickname": nickname,
    }
    if store_name:
        return store.save(model, store_name, metadata)
    return store.save_new(model, default_name(model_name, dataset.name, nickname), metadata)


def default_name(model_name, dataset_name, nickname=""):
    """The store name a run is saved under: `<model>-<data set>-<nickname>-<hours><minutes>`,
    e.g. "mlp-mnist-ada-1459", short enough to read whole in the sidebar.

    A folder's data set name is its path: only its last part is kept; of a nickname, only what
    a store name may hold (小明's run is "mlp-mnist-1459"). Two runs of the same minute:
    `store.save_new` gives the second a `-2`.
    """
    parts = (model_name, pathlib.PurePath(dataset_name).name,
             lab_home.clean_name(nickname[:12], ""), time.strftime("%H%M"))
    return lab_home.clean_name("-".join(part for part in parts if part), model_name)


def main(argv=None):
    """Command line: train a zoo model and save it into the store, showing progress."""
    parser = argparse.ArgumentParser(
        prog="python -m mnist_core.train",
        description="Train a model of the zoo and save it in the MNIST Lab model store.")
    parser.add_argument("--model", default="cnn", choices=zoo.available())
    parser.add_argument("--dataset", default="mnist",
                        help="mnist, fashion_mnist or a folder of labelled images")
    parser.add_argument("--epochs", type=int, help="default: the tutorial's")
    parser.add_argument("--batch-size", type=int, help="default: the tutorial's")
    parser.add_argument("--validation-split", type=float, default=0.2)
    parser.add_argument("--name", help="name in the store (default: model-dataset-time)")
    args = parser.parse_args(argv)
    entry = zoo.info(args.model)
    try:
        dataset = catalog.load(args.dataset)
    except ValueError as error:
        parser.exit(2, f"error: {error}\n")
    print(f"Data: {dataset.source}\nModel: {entry.title}", flush=True)

    def show_batch(done, total):
        print(f"\r  batch {done}/{total}", end="", flush=True)

    def show_epoch(epoch, metrics):
        print(f"\repoch {epoch + 1}: loss {metrics['loss']:.4f}, accuracy "
              f"{metrics['accuracy']:.4f}, val_accuracy {metrics.get('val_accuracy', 0):.4f}"
              f" ({metrics['seconds']:.1f} s)", flush=True)

    metadata = train_and_save(args.model, dataset, args.epochs or entry.epochs,
                              args.batch_size or entry.batch_size, args.validation_split,
                              show_epoch, None, show_batch, args.name)
    print(f"Test accuracy {metadata['test_accuracy']:.4f} on {metadata['test_size']} images; "
          f"saved as {metadata['name']!r} in {store.home()}")


if __name__ == "__main__":
    sys.exit(main())
