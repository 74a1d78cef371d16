"""Hand-checkable maths behind the lessons: convolution, pooling and backpropagation.

Pure numpy so lesson pages load without TensorFlow; tests check it against Keras/scipy.
"""
import math
from dataclasses import dataclass

import numpy as np

PADDINGS = ("valid", "same")
# Matt Mazur's "A Step by Step Backpropagation Example" starting network.
TUTORIAL_WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "b1": 0.35,
                    "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b2": 0.60}


@dataclass(frozen=True)
class CellContribution:
    """How one convolution output cell is built: patch * kernel, summed, plus bias."""
    patch: np.ndarray     # (kernel_height, kernel_width) float64 input values under the kernel
    products: np.ndarray  # (kernel_height, kernel_width) float64 patch * kernel
    total: float          # sum of products, before the bias
    output: float         # total + bias, equal to convolve(...)[row, col]


def _as_grid(values, name):
    """Return `values` as a finite 2-D float64 array or raise a ValueError naming it."""
    try:
        grid = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"The {name} must contain only numbers.") from None
    if grid.ndim != 2:
        raise ValueError(f"The {name} must be a 2-D grid (rows x columns), "
                         f"but it has {grid.ndim} dimension(s) with shape {grid.shape}.")
    if grid.size == 0:
        raise ValueError(f"The {name} is empty; it needs at least one row and one column.")
    if not np.all(np.isfinite(grid)):
        raise ValueError(f"The {name} contains NaN or infinite values; "
                         "every cell needs a real number.")
    return grid


def _as_number(value, name):
    """Return `value` as a finite float or raise a ValueError naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"The {name} must be a single number, not {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"The {name} must be a real number, not {number}.")
    return number


def _windows(image, kernel, padding):
    """Validate the inputs and return every kernel-sized window of the (padded) image.

    Returns (windows, kernel): a read-only float64 view of shape (out_height, out_width,
    kernel_height, kernel_width) and the validated float64 kernel.
    """
    image, kernel = _as_grid(image, "image"), _as_grid(kernel, "kernel")
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")
    if padding == "same":
        # Keras/TensorFlow put the smaller half of the padding before, the rest after.
        before = [(size - 1) // 2 for size in kernel.shape]
        image = np.pad(image, [(b, size - 1 - b) for b, size in zip(before, kernel.shape)])
    elif kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(f"The kernel {kernel.shape} is larger than the image {image.shape}; "
                         "with 'valid' padding it must fit inside the image.")
    return np.lib.stride_tricks.sliding_window_view(image, kernel.shape), kernel


def convolve(image, kernel, bias=0.0, padding="valid"):
    """Slide the kernel over the image exactly as a one-filter Keras Conv2D does.

    Like Keras this is cross-correlation (the kernel is not flipped), stride 1.

    Args:
        image: 2-D array-like of numbers, shape (height, width).
        kernel: 2-D array-like of numbers, shape (kernel_height, kernel_width).
        bias: number added to every output cell.
        padding: "valid" -> shape (height - kernel_height + 1, width - kernel_width + 1);
            "same" -> shape (height, width), zero padded.
    Returns:
        float64 array of the output feature map.
    Raises:
        ValueError: non-2-D or non-numeric input, NaN/inf, unknown padding,
            or a kernel larger than the image with "valid" padding.
    """
    windows, kernel = _windows(image, kernel, padding)
    # Same multiply-and-sum per window as `contributions`, so hover text matches the grid.
    return (windows * kernel).sum(axis=(2, 3)) + _as_number(bias, "bias")


def contributions(image, kernel, row, col, padding="valid", bias=0.0):
    """Explain output cell (row, col) of `convolve` as a multiply-and-sum.

    Args:
        image, kernel, padding, bias: as for `convolve`.
        row, col: non-negative index of the output cell.
    Returns:
        CellContribution with the (kernel_height, kernel_width) float64 patch and
        products, their sum `total` and `output` = total + bias.
    """
    windows, kernel = _windows(image, kernel, padding)
    bias = _as_number(bias, "bias")
    out_rows, out_cols = windows.shape[:2]
    if not (0 <= row < out_rows and 0 <= col < out_cols):
        raise ValueError(f"Output cell ({row}, {col}) is outside the "
                         f"{out_rows} x {out_cols} output.")
    patch = windows[row, col].copy()
    products = patch * kernel
    total = float(products.sum())
    return CellContribution(patch, products, total, total + bias)


def relu(x):
    """Keep positive values and replace negatives with zero.

    Args: x: number or array-like of any shape. Returns: float64 array of that shape.
    """
    return np.maximum(np.asarray(x, dtype=np.float64), 0.0)


def max_pool(image, size=2):
    """Take the largest value in each non-overlapping size x size block.

    Like Keras MaxPooling2D(padding='valid'), rows/columns not filling a block are dropped.

    Args:
        image: 2-D array-like, shape (height, width).
        size: block edge length, 1 <= size <= min(height, width).
    Returns:
        float64 array of shape (height // size, width // size).
    """
    image = _as_grid(image, "image")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"The pool size must be a whole number of at least 1, not {size!r}.")
    if size > min(image.shape):
        raise ValueError(f"The pool size {size} is bigger than the image {image.shape}.")
    rows, cols = image.shape[0] // size, image.shape[1] // size
    blocks = image[:rows * size, :cols * size].reshape(rows, size, cols, size)
    return blocks.max(axis=(1, 3))


def pool_window(image, row, col, size=2):
    """The size x size block of `image` that `max_pool` turns into output cell (row, col).

    Args:
        image, size: as for `max_pool`.
        row, col: non-negative index of the pooled output cell.
    Returns:
        float64 array of shape (size, size); its maximum is max_pool(image, size)[row, col].
    """
    pooled = max_pool(image, size)  # validates image and size the same way
    if not (0 <= row < pooled.shape[0] and 0 <= col < pooled.shape[1]):
        raise ValueError(f"Pooled cell ({row}, {col}) is outside the "
                         f"{pooled.shape[0]} x {pooled.shape[1]} output.")
    return _as_grid(image, "image")[row * size:(row + 1) * size, col * size:(col + 1) * size]


def _sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


def backprop_example(learning_rate=0.5, weights=None, inputs=(0.05, 0.10), targets=(0.01, 0.99)):
    """Run one forward pass and one gradient-descent step of the 2-2-2 tutorial network.

    Args:
        learning_rate: step size eta for w_new = w - eta * dE/dw.
        weights: optional dict overriding any of w1..w8, b1, b2 (see TUTORIAL_WEIGHTS).
        inputs: (i1, i2).
        targets: (target_o1, target_o2).
    Returns:
        dict of floats: forward values (h1_net, h1_out, h2_net, h2_out, o1_net, o1_out,
        o2_net, o2_out, E_o1, E_o2, E_total), chain-rule terms for w5 (dE_do1_out,
        do1_out_do1_net, do1_net_dw5), delta_o1, delta_o2, dE_dh1_out, dE_dh2_out,
        dE_dw1..dE_dw8 and w1_new..w8_new; plus "weights" (the dict used) and
        "new_weights" (w1..w8 updated, biases unchanged as in the tutorial).
    """
    unknown = set(weights or {}) - set(TUTORIAL_WEIGHTS)
    if unknown:
        raise ValueError(f"Unknown weight name(s) {sorted(unknown)}; use w1..w8, b1, b2.")
    weight = {**TUTORIAL_WEIGHTS, **(weights or {})}
    (input1, input2), (target1, target2) = inputs, targets
    h1_net = weight["w1"] * input1 + weight["w2"] * input2 + weight["b1"]
    h2_net = weight["w3"] * input1 + weight["w4"] * input2 + weight["b1"]
    h1_out, h2_out = _sigmoid(h1_net), _sigmoid(h2_net)
    o1_net = weight["w5"] * h1_out + weight["w6"] * h2_out + weight["b2"]
    o2_net = weight["w7"] * h1_out + weight["w8"] * h2_out + weight["b2"]
    o1_out, o2_out = _sigmoid(o1_net), _sigmoid(o2_net)
    E_o1, E_o2 = 0.5 * (target1 - o1_out) ** 2, 0.5 * (target2 - o2_out) ** 2
    # The three factors of dE/dw5 that the lesson page spells out one by one.
    dE_do1_out, do1_out_do1_net, do1_net_dw5 = o1_out - target1, o1_out * (1 - o1_out), h1_out
    delta_o1 = dE_do1_out * do1_out_do1_net
    delta_o2 = (o2_out - target2) * o2_out * (1 - o2_out)
    # Hidden errors use the ORIGINAL w5..w8: every gradient comes from the same forward pass.
    dE_dh1_out = delta_o1 * weight["w5"] + delta_o2 * weight["w7"]
    dE_dh2_out = delta_o1 * weight["w6"] + delta_o2 * weight["w8"]
    delta_h1, delta_h2 = dE_dh1_out * h1_out * (1 - h1_out), dE_dh2_out * h2_out * (1 - h2_out)
    gradients = {"dE_dw1": delta_h1 * input1, "dE_dw2": delta_h1 * input2,
                 "dE_dw3": delta_h2 * input1, "dE_dw4": delta_h2 * input2,
                 "dE_dw5": delta_o1 * h1_out, "dE_dw6": delta_o1 * h2_out,
                 "dE_dw7": delta_o2 * h1_out, "dE_dw8": delta_o2 * h2_out}
    updated = {f"w{n}": weight[f"w{n}"] - learning_rate * gradients[f"dE_dw{n}"]
               for n in range(1, 9)}
    return dict(h1_net=h1_net, h1_out=h1_out, h2_net=h2_net, h2_out=h2_out, o1_net=o1_net,
                o1_out=o1_out, o2_net=o2_net, o2_out=o2_out, E_o1=E_o1, E_o2=E_o2,
                E_total=E_o1 + E_o2, dE_do1_out=dE_do1_out, do1_out_do1_net=do1_out_do1_net,
                do1_net_dw5=do1_net_dw5, delta_o1=delta_o1, delta_o2=delta_o2,
                dE_dh1_out=dE_dh1_out, dE_dh2_out=dE_dh2_out, **gradients,
                **{f"{name}_new": value for name, value in updated.items()},
                weights=weight, new_weights={**weight, **updated})


def train_steps(steps=1000, learning_rate=0.5, weights=None, inputs=(0.05, 0.10),
                targets=(0.01, 0.99)):
    """Repeat the tutorial's update `steps` times and record the falling error.

    Args:
        steps: number of weight updates, a whole number >= 0.
        learning_rate, weights, inputs, targets: as for `backprop_example`.
    Returns:
        list of `steps` floats; item k is E_total after k + 1 updates (about 0.291028
        after 1 and 0.0000351 after 10,000, matching the tutorial's rounded figures).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"The number of steps must be a whole number >= 0, not {steps!r}.")
    result = backprop_example(learning_rate, weights, inputs, targets)
    errors = []
    for _ in range(steps):
        result = backprop_example(learning_rate, result["new_weights"], inputs, targets)
        errors.append(result["E_total"])
    return errors
