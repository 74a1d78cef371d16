"""Print how well the shipped MNIST model reads digits drawn on the browser canvas.

Real MNIST digits are redrawn as a 280x280 canvas hands them over (small, large, off-centre,
thin, thick, black on white, colour, transparent RGBA, gray), passed through
`preprocess.canvas_to_mnist` and classified; each condition is compared with the same digits
read directly.

Run: python benchmarks/drawn_style.py              (real test set, 2,000 digits: ~4 minutes)
     python benchmarks/drawn_style.py --digits holdout --count 500   (the default model's
         500 validation digits, never trained on: for tuning preprocessing without the test set)
"""

import argparse
import pathlib
import sys
import time

import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from benchmarks.core_speed import median_ms  # noqa: E402
from mnist_core import default_model, preprocess, store  # noqa: E402
from mnist_core.datasets import drawings  # noqa: E402


def canvas_speed_ms(repeats=200):
    """Median time of `canvas_to_mnist` on a 280x280 RGBA drawing, in milliseconds."""
    digit = default_model.training_images("mnist")[0][0]
    canvas = drawings.render(drawings.skeleton(digit), drawings.Style(look="transparent"),
                             np.random.default_rng(0))
    return median_ms(lambda: preprocess.canvas_to_mnist(canvas), repeats)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", choices=("test", "holdout"), default="test")
    parser.add_argument("--count", type=int, default=2000, help="digits per condition")
    args = parser.parse_args()
    if args.digits == "test":
        digits = default_model.test_images("mnist")
        if digits is None:
            sys.exit("The real MNIST test set was not found: set MNIST_DATA_DIR.")
    else:
        digits = default_model.holdout_images("mnist")
    model = store.load_default("mnist")
    started = time.perf_counter()
    result = default_model.accuracy_by_condition(model, *digits, count=args.count)
    print(f"{args.count} {args.digits} digits per condition "
          f"({time.perf_counter() - started:.0f} s)")
    plain = result["plain"]
    for name, accuracy in result.items():
        gap = "" if name == "plain" else f"  ({100 * (accuracy - plain):+.2f} points)"
        print(f"  {name:30s} {100 * accuracy:6.2f}%{gap}")
    print(f"canvas_to_mnist, 280x280 RGBA: {canvas_speed_ms():.2f} ms median")


if __name__ == "__main__":
    main()
