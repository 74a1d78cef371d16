"""Print the shipped default models' file sizes, load times, one-image latency and accuracy.

Run: python benchmarks/default_models.py   (about 20 seconds on two CPU cores)
"""

import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from benchmarks.core_speed import median_ms  # noqa: E402
from mnist_core import default_model, evaluate, features, predict, store  # noqa: E402


def main():
    for dataset in ("mnist", "fashion_mnist"):
        path = store.DEFAULT_MODELS_DIR / f"{dataset}.keras"
        started = time.perf_counter()
        model = store.load_default(dataset)
        load_seconds = time.perf_counter() - started
        test = default_model.test_images(dataset)
        print(f"{dataset}: {path.stat().st_size / 2**20:.2f} MB, loads in {load_seconds:.2f} s")
        if test is None:
            print("  test set not found")
            continue
        image = test[0][0]
        print(f"  predict.probabilities, one image: "
              f"{median_ms(lambda: predict.probabilities(model, image)):.2f} ms median")
        print(f"  features.activations, one image: "
              f"{median_ms(lambda: features.activations(model, image)):.2f} ms median")
        accuracy = evaluate.accuracy(test[1], predict.classes(model, test[0]))
        print(f"  test accuracy: {100 * accuracy:.2f}% on {len(test[1])} images")


if __name__ == "__main__":
    main()
