"""Hand-checkable maths of the convolution lesson: convolution, ReLU and max pooling.

Pure numpy so the lesson page loads without TensorFlow; tests check it against Keras/scipy.
The backpropagation lesson's maths is in mnist_core.backprop. Errors a student can cause on
the playground (an emptied cell, a grid too small to pool) are in the caller's language; those
only a programmer can cause stay in English. The grids and numbers it is given are checked
by mnist_core.grids.
"""
from dataclasses import dataclass

import numpy as np

from mnist_core.i18n import gettext as _
from mnist_core.lessons.grids import as_grid, as_number

PADDINGS = ("valid", "same")


@dataclass(frozen=True)
class CellContribution:
    """How one convolution output cell is built: patch * kernel, summed, plus bias."""
    patch: np.ndarray     # (kernel_height, kernel_width) float64 input values under the kernel
    products: np.ndarray  # (kernel_height, kernel_width) float64 patch * kernel
    total: float          # sum of products, before the bias
    output: float         # total + bias, equal to convolve(...)[row, col]


def _padding_before(kernel_shape, padding):
    """Rows and columns of zeros added above and left of the image: (top, left) ints."""
    if padding == "valid":
        return 0, 0
    # Keras/TensorFlow put the smaller half of the padding before, the rest after.
    return tuple((size - 1) // 2 for size in kernel_shape)


def _windows(image, kernel, padding):
    """Validate the inputs and return every kernel-sized window of the (padded) image.

    Returns (windows, kernel): a read-only float64 view of shape (out_height, out_width,
    kernel_height, kernel_width) and the validated float64 kernel.
    """
    image, kernel = as_grid(image, "image"), as_grid(kernel, "kernel")
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")
    if padding == "same":
        before = _padding_before(kernel.shape, padding)
        image = np.pad(image, [(b, size - 1 - b) for b, size in zip(before, kernel.shape)])
    elif kernel.shape[0] > image.shape[0] or kernel.shape[1] > image.shape[1]:
        raise ValueError(_("The kernel {kernel} is larger than the image {image}; with 'valid' "
                           "padding it must fit inside the image.").format(kernel=kernel.shape,
                                                                          image=image.shape))
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
    return (windows * kernel).sum(axis=(2, 3)) + as_number(bias, "bias")


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
    out_rows, out_cols = windows.shape[:2]
    if not (0 <= row < out_rows and 0 <= col < out_cols):
        raise ValueError(f"Output cell ({row}, {col}) is outside the "
                         f"{out_rows} x {out_cols} output.")
    return _contribution(windows[row, col], kernel, as_number(bias, "bias"))


def every_contribution(image, kernel, padding="valid", bias=0.0):
    """`contributions` of every output cell, the inputs checked and padded once.

    Returns:
        Nested list [row][col] of CellContribution, shaped like `convolve`'s output.
    """
    windows, kernel = _windows(image, kernel, padding)
    bias = as_number(bias, "bias")
    return [[_contribution(window, kernel, bias) for window in row] for row in windows]


def _contribution(window, kernel, bias):
    patch = window.copy()
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
    image = as_grid(image, "image")
    if isinstance(size, bool) or not isinstance(size, (int, np.integer)) or size < 1:
        raise ValueError(f"The pool size must be a whole number of at least 1, not {size!r}.")
    if size > min(image.shape):
        raise ValueError(_("The pool size {size} is bigger than the image {shape}.").format(
            size=size, shape=image.shape))
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
    return as_grid(image, "image")[row * size:(row + 1) * size, col * size:(col + 1) * size]


def input_window(kernel_shape, row, col, padding="valid"):
    """Where the kernel sits on the unpadded input while computing output cell (row, col).

    Args:
        kernel_shape: (kernel_height, kernel_width).
        row, col: index of the output cell, as for `contributions`.
        padding: "valid" or "same", as for `convolve`.
    Returns:
        (top, left, bottom, right) int cell edges, bottom and right exclusive; with "same"
        padding top/left can be negative and bottom/right past the image (its zero border).
    """
    if padding not in PADDINGS:
        raise ValueError(f"Unknown padding {padding!r}; use 'valid' or 'same'.")
    before_rows, before_cols = _padding_before(kernel_shape, padding)
    top, left = row - before_rows, col - before_cols
    return top, left, top + kernel_shape[0], left + kernel_shape[1]


def pooled_cell(row, col, shape, size=2):
    """The `max_pool` output cell that cell (row, col) of a `shape` grid feeds, if any.

    Args:
        row, col: index of a cell of the grid before pooling.
        shape: (height, width) of the grid before pooling.
        size: pool size, as for `max_pool`.
    Returns:
        (pooled_row, pooled_col) ints, or None when the cell is in the ragged edge that
        pooling drops.
    """
    pooled_row, pooled_col = row // size, col // size
    if pooled_row < shape[0] // size and pooled_col < shape[1] // size:
        return pooled_row, pooled_col
    return None
