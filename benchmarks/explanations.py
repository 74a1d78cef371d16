"""Measure what "Why this answer?" and the map of the test set cost the lab's server.

Prints, for the shipped MNIST model and the tutorial's seed CNN (speed does not depend on
the weights): server CPU per explanation of one drawing (occlusion for all 10 classes,
SmoothGrad, Integrated Gradients, a plain gradient) and per placing of a drawing on the map;
then the map of the 10,000 MNIST test images computed as the page starts it (its own process,
at low priority): wall time, CPU, and the share of the layout (t-SNE) against PCA's for the same
features. With --home FOLDER the map stays there, for `classroom_load.py` to visit.

Run: python benchmarks/explanations.py [--home FOLDER]
"""

import argparse
import os
import pathlib
import resource
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
import numpy as np  # noqa: E402

from mnist_core.datasets import catalog  # noqa: E402
from mnist_core.networks import explain, store, zoo  # noqa: E402
from mnist_core.networks import test_map as test_maps  # noqa: E402

REPEATS = 20


def cpu_ms(action):
    """Median CPU milliseconds (every thread of this process) of `action()` over REPEATS."""
    action()  # traced and warmed up first, as on a server that has answered once
    spent = []
    for _ in range(REPEATS):
        before = time.process_time()
        action()
        spent.append(1000 * (time.process_time() - before))
    return statistics.median(spent)


def explanation_figures(name, model, image, the_map):
    """Print the CPU cost of each explanation of `image` by `model`."""
    features = explain.features(model, image[None])
    costs = {
        "occlusion, all 10 classes (169 patches)": lambda: explain.occlusion(model, image),
        "SmoothGrad, 40 noisy copies": lambda: explain.smooth_gradient(model, image, 7, 3),
        "Integrated Gradients, 50 steps": lambda: explain.integrated_gradients(model, image, 3),
        "gradient": lambda: explain.gradient(model, image, 3),
    }
    if the_map is not None:
        costs["placing a drawing on the map (its features, then place)"] = (
            lambda: test_maps.place(the_map, explain.features(model, image[None])))
        costs["  place alone"] = lambda: test_maps.place(the_map, features)
    print(f"{name}: server CPU per call (median of {REPEATS})")
    for what, action in costs.items():
        print(f"  {what}: {cpu_ms(action):.1f} ms")


def map_figures(home):
    """Compute the shipped model's map as the page does; print its costs; return the map."""
    os.environ["MNIST_LAB_HOME"] = str(home)
    version = store.default_metadata("mnist").get("created")
    started = time.monotonic()
    assert test_maps.start("default:mnist", version, "mnist") == "computing"
    test_maps._computing[test_maps.path("default:mnist", version, "mnist")].wait()
    wall = time.monotonic() - started
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    the_map = test_maps.load("default:mnist", version, "mnist")
    if the_map is None:
        raise SystemExit(f"the map failed: {test_maps.start('default:mnist', version, 'mnist')}")
    print(f"map of {len(the_map.labels):,} test images, in its own process: {wall:.1f} s, "
          f"{children.ru_utime + children.ru_stime:.1f} s of CPU")
    started = time.process_time()
    test_maps.layout(the_map.features)
    print(f"  of which t-SNE (openTSNE, one thread): {time.process_time() - started:.1f} s of CPU")
    started = time.process_time()
    centred = the_map.features - the_map.features.mean(axis=0)
    np.linalg.svd(centred, full_matrices=False)
    print(f"  PCA of the same features, for comparison: {time.process_time() - started:.2f} s")
    return the_map


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=pathlib.Path,
                        help="lab folder to keep the map in (default: a temporary one)")
    arguments = parser.parse_args()
    home = arguments.home or pathlib.Path(tempfile.mkdtemp(prefix="explanations-"))
    dataset = catalog.load("mnist")
    image = dataset.x_test[0] / np.float32(255)
    the_map = map_figures(home)
    explanation_figures("shipped MNIST model (cnn_strong)", store.load_default("mnist"), image,
                        the_map)
    explanation_figures("the tutorial's seed CNN", zoo.build("cnn"), image, None)


if __name__ == "__main__":
    main()
