"""A map of a data set's test images as a model sees them: its penultimate features in 2-D.

The features (the last Dense layer's input, see `explain.features`) of every test image are
laid out in 2-D by t-SNE (openTSNE), so that images the model finds alike sit together. It is
computed once per model and data set, in a process of its own at low priority (`start`), and
saved in `$MNIST_LAB_HOME/maps/`, where every page of every lab server finds it (`load`). A new
image (a drawing, the class's handwriting) is placed from its nearest test images in feature
space (`place`): milliseconds, deterministic, whatever laid the map out.

Run as `python -m mnist_core.networks.test_map <model key> <version> <data set>` (what `start`
does).
"""

import dataclasses
import hashlib
import os
import pathlib
import subprocess
import sys
import threading
import zipfile

import numpy as np

from mnist_core.lab_home import atomic_write, clean_name, home

NEIGHBOURS = 15  # test images a new image is placed among
UNUSUAL_PERCENTILE = 99  # farther from its neighbours than this share of the test images
PERPLEXITY = 30
LOW_PRIORITY = 10  # the map's process yields the CPU to the pages (os.nice)
MOST_AT_ONCE = 1  # maps computed at the same time (see `start`)


@dataclasses.dataclass(frozen=True)
class TestMap:
    """A data set's test images laid out for one model.

    Attributes:
        positions: (N, 2) float32 map coordinates.
        features: (N, F) float32 penultimate features, for placing new images.
        labels: (N,) int64 true classes; predicted: (N,) int64 the model's answers.
        probabilities: (N, 10) float32 the model's probabilities.
        squared_norms: (N,) float32 squared lengths of `features` (kept: placing is then
            one product with the features).
        typical_distance: how far from its neighbours a test image may be
            (`UNUSUAL_PERCENTILE` of their mean distances): farther is unusual.
    """

    positions: np.ndarray
    features: np.ndarray
    squared_norms: np.ndarray
    labels: np.ndarray
    predicted: np.ndarray
    probabilities: np.ndarray
    typical_distance: float


def path(model_key, version, dataset_name):
    """Where the map of `model_key`'s `version` (its creation time) on a data set is saved."""
    identity = f"{model_key}|{version}|{dataset_name}"
    digest = hashlib.sha256(identity.encode()).hexdigest()[:16]
    return home() / "maps" / f"{clean_name(f'{model_key}-{dataset_name}', 'map')[:60]}-{digest}.npz"


def load(model_key, version, dataset_name):
    """The saved `TestMap` of a model on a data set, or None if it was not computed yet.

    A file that cannot be read (a disk that filled up, a copy cut short) is removed, so that
    the next `start` computes the map again instead of every page failing on it.
    """
    saved = path(model_key, version, dataset_name)
    if not saved.exists():
        return None
    try:
        with np.load(saved, allow_pickle=False) as arrays:
            return TestMap(**{field.name: arrays[field.name]
                              for field in dataclasses.fields(TestMap)
                              if field.name != "typical_distance"},
                           typical_distance=float(arrays["typical_distance"]))
    except (OSError, ValueError, KeyError, zipfile.BadZipFile):
        saved.unlink(missing_ok=True)
        return None


def save(test_map, file):
    """Write a `TestMap` to `file` (an .npz path) in one step."""
    file.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(file, lambda temporary: np.savez(temporary, **dataclasses.asdict(test_map)))


def layout(features, seed=0):
    """2-D positions of feature vectors by t-SNE (openTSNE, one thread): (N, 2) float32."""
    from openTSNE import TSNE  # imported only where a map is computed

    embedding = TSNE(perplexity=PERPLEXITY, n_jobs=1, random_state=seed).fit(features)
    return np.asarray(embedding, np.float32)


def compute(model, images, labels, seed=0):
    """Lay out a data set's test images as `model` sees them.

    Args:
        model: a zoo model; images: (N, 28, 28) uint8; labels: (N,) integers.
        seed: t-SNE's seed.

    Returns:
        A `TestMap`.
    """
    from mnist_core.networks import explain, predict

    features = explain.features(model, images)
    probabilities = predict.probabilities(model, images)
    distances = _neighbour_distances(features, features[:: max(1, len(features) // 1000)])
    # A test image is its own nearest neighbour: its distance 0 is left out.
    typical = float(np.percentile(distances[:, 1:].mean(axis=1), UNUSUAL_PERCENTILE))
    return TestMap(positions=layout(features, seed), features=features,
                   squared_norms=(features ** 2).sum(axis=1), labels=np.asarray(labels, np.int64),
                   predicted=probabilities.argmax(axis=1).astype(np.int64),
                   probabilities=probabilities, typical_distance=typical)


def _neighbour_distances(features, queries, count=NEIGHBOURS):
    """Sorted distances (M, count) from each query to its nearest `features`."""
    squared = ((queries ** 2).sum(axis=1)[:, None] - 2 * queries @ features.T
               + (features ** 2).sum(axis=1)[None])
    nearest = np.sort(np.maximum(squared, 0), axis=1)[:, :count]
    return np.sqrt(nearest)


def place(test_map, features, count=NEIGHBOURS):
    """Where new images land on a map: the median position of their nearest test images.

    Args:
        test_map: a `TestMap`.
        features: (M, F) the new images' features (`explain.features`).
        count: how many nearest test images place each (all N of the map's, if fewer).

    Returns:
        (positions (M, 2) float32, neighbours (M, count) indices of the nearest test images,
        nearest first, unusual (M,) bool: farther from them than the test images usually are).
    """
    features = np.asarray(features, np.float32)
    squared = ((features ** 2).sum(axis=1)[:, None] - 2 * features @ test_map.features.T
               + test_map.squared_norms[None])
    count = min(count, len(test_map.features))  # a small uploaded set may have fewer
    nearest = np.argpartition(squared, count - 1, axis=1)[:, :count]  # then only those sorted
    order = np.argsort(np.take_along_axis(squared, nearest, axis=1), axis=1)
    neighbours = np.take_along_axis(nearest, order, axis=1)
    distances = np.sqrt(np.maximum(np.take_along_axis(squared, neighbours, axis=1), 0))
    positions = np.median(test_map.positions[neighbours], axis=1).astype(np.float32)
    return positions, neighbours, distances.mean(axis=1) > test_map.typical_distance


_computing = {}  # map path -> the process computing it
_failed = {}  # map path -> why its last computation failed, until someone tries again
_computing_lock = threading.Lock()


def start(model_key, version, dataset_name, retry=False):
    """Compute a map in the background unless it is saved, being computed, or failed.

    At most `MOST_AT_ONCE` maps are computed at once: each is a process that loads TensorFlow
    and a data set (~1 GB), and a class of pupils with a model each may ask for 30.

    Args:
        model_key, version, dataset_name: as for `path`.
        retry: try again after a failure (else the failure is reported to every caller).

    Returns:
        "ready" (saved), "computing" (a process is at it), "waiting" (other maps are being
        computed; asking again later starts it), or "failed: <its last error line>".
    """
    saved = path(model_key, version, dataset_name)
    with _computing_lock:
        _collect_ended()
        if saved.exists():
            return "ready"
        if saved in _computing:
            return "computing"
        if saved in _failed and not retry:
            return f"failed: {_failed[saved]}"
        if len(_computing) >= MOST_AT_ONCE:
            return "waiting"
        _failed.pop(saved, None)
        saved.parent.mkdir(parents=True, exist_ok=True)
        # The process's stderr (TensorFlow's lines, an error) goes to a log beside the map.
        with open(saved.with_suffix(".log"), "w") as errors:
            _computing[saved] = subprocess.Popen(
                [sys.executable, "-m", __name__, model_key, str(version), dataset_name],
                stdout=subprocess.DEVNULL, stderr=errors,
                cwd=pathlib.Path(__file__).resolve().parents[2])
        return "computing"


def _collect_ended():
    """Forget the processes that have ended, keeping why each failed one failed."""
    for saved, process in list(_computing.items()):
        if process.poll() is None:
            continue
        del _computing[saved]
        if process.returncode != 0:
            lines = [line for line in saved.with_suffix(".log").read_text(
                errors="replace").splitlines() if line.strip()]
            _failed[saved] = lines[-1] if lines else str(process.returncode)


def main(argv=None):
    """Compute and save the map the command line names (model key, version, data set)."""
    model_key, version, dataset_name = (argv or sys.argv[1:])[:3]
    # Here, not between fork and exec (preexec_fn), which is unsafe in the server's threads.
    os.nice(LOW_PRIORITY)
    from mnist_core.datasets import catalog
    from mnist_core.networks import store

    model = store.ModelKey.parse(model_key).load()
    dataset = catalog.load(dataset_name)
    save(compute(model, dataset.x_test, dataset.y_test), path(model_key, version, dataset_name))


if __name__ == "__main__":
    main()
