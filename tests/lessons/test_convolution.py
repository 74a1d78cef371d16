"""Tests for mnist_core.lessons: the convolution lesson's numbers, checked against Keras."""
import numpy as np
import pytest

from mnist_core.lessons import convolution as lessons
from mnist_core.lessons.convolution import (
    contributions,
    convolve,
    input_window,
    max_pool,
    pool_window,
    pooled_cell,
    relu,
)

GRID_4X4 = [[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]]
FILTER_3X3 = [[2, 0, 1], [0, 1, 2], [1, 0, 2]]
HORIZONTAL_EDGE = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
DIAGONAL = [[1, 0, -1], [0, 0, 0], [-1, 0, 1]]


def cross(size, arm):
    """A plus sign of ones centred in a size x size grid of zeros."""
    grid = np.zeros((size, size))
    middle = size // 2
    grid[middle, middle - arm:middle + arm + 1] = 1
    grid[middle - arm:middle + arm + 1, middle] = 1
    return grid


# --- convolution -----------------------------------------------------------

def test_convolve_4x4_worked_example():
    result = convolve(GRID_4X4, FILTER_3X3)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, [[15, 16], [6, 15]])


def test_convolve_4x4_with_bias():
    np.testing.assert_array_equal(convolve(GRID_4X4, FILTER_3X3, bias=3), [[18, 19], [9, 18]])


def test_convolve_5x5_cross_horizontal_edge():
    image = cross(5, 2)  # middle row and middle column are all ones
    assert image.sum() == 9
    np.testing.assert_array_equal(convolve(image, HORIZONTAL_EDGE),
                                  [[-3, -2, -3], [0, 0, 0], [3, 2, 3]])


def test_7x7_cross_horizontal_edge_bias_relu():
    image = cross(7, 2)
    assert image[3, 1:6].tolist() == [1] * 5 and image[1:6, 3].tolist() == [1] * 5
    assert image.sum() == 9
    # Before the bias and ReLU, so the page can show both steps.
    np.testing.assert_array_equal(convolve(image, HORIZONTAL_EDGE),
                                  [[0, -1, -2, -1, 0],
                                   [-3, -3, -2, -3, -3],
                                   [0, 0, 0, 0, 0],
                                   [3, 3, 2, 3, 3],
                                   [0, 1, 2, 1, 0]])
    np.testing.assert_array_equal(relu(convolve(image, HORIZONTAL_EDGE, bias=-1)),
                                  [[0, 0, 0, 0, 0],
                                   [0, 0, 0, 0, 0],
                                   [0, 0, 0, 0, 0],
                                   [2, 2, 1, 2, 2],
                                   [0, 0, 1, 0, 0]])


def test_7x7_cross_diagonal_filter_bias_relu_is_all_zero():
    result = relu(convolve(cross(7, 2), DIAGONAL, bias=-1))
    np.testing.assert_array_equal(result, np.zeros((5, 5)))


def test_convolve_same_keeps_size_and_centres_like_keras():
    image = np.arange(16.0).reshape(4, 4)
    centre_only = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]
    np.testing.assert_array_equal(convolve(image, centre_only, padding="same"), image)
    # Even kernel: Keras pads 0 before and 1 after, so the top-left weight sees (r, c).
    top_left_only = [[1, 0], [0, 0]]
    np.testing.assert_array_equal(convolve(image, top_left_only, padding="same"), image)


def test_convolve_kernel_larger_than_image_is_allowed_with_same_padding():
    result = convolve([[1, 2], [3, 4]], np.ones((3, 3)), padding="same")
    np.testing.assert_array_equal(result, np.full((2, 2), 10.0))


def test_convolve_does_not_modify_inputs():
    image, kernel = np.array(GRID_4X4, dtype=float), np.array(FILTER_3X3, dtype=float)
    convolve(image, kernel, padding="same")
    np.testing.assert_array_equal(image, GRID_4X4)
    np.testing.assert_array_equal(kernel, FILTER_3X3)


# --- contributions (hover explanation) ----------------------------------------

def test_contributions_explain_each_output_cell():
    output = convolve(GRID_4X4, FILTER_3X3, bias=3)
    for row in range(2):
        for col in range(2):
            cell = contributions(GRID_4X4, FILTER_3X3, row, col, bias=3)
            np.testing.assert_array_equal(cell.patch,
                                          np.array(GRID_4X4)[row:row + 3, col:col + 3])
            np.testing.assert_array_equal(cell.products, cell.patch * np.array(FILTER_3X3))
            assert cell.total == cell.products.sum()
            assert cell.output == output[row, col]
    first = contributions(GRID_4X4, FILTER_3X3, 0, 0)
    np.testing.assert_array_equal(first.products, [[2, 0, 3], [0, 1, 4], [3, 0, 2]])
    assert first.total == 15.0


def test_contributions_same_padding_includes_zero_border():
    cell = contributions(GRID_4X4, FILTER_3X3, 0, 0, padding="same")
    np.testing.assert_array_equal(cell.patch, [[0, 0, 0], [0, 1, 2], [0, 0, 1]])
    assert cell.output == convolve(GRID_4X4, FILTER_3X3, padding="same")[0, 0]


@pytest.mark.parametrize("padding", ["valid", "same"])
def test_every_contribution_is_each_cells_contribution(padding):
    every = lessons.every_contribution(GRID_4X4, FILTER_3X3, padding, bias=-1.5)
    output = convolve(GRID_4X4, FILTER_3X3, bias=-1.5, padding=padding)
    assert (len(every), len(every[0])) == output.shape
    for row, cells in enumerate(every):
        for col, cell in enumerate(cells):
            alone = contributions(GRID_4X4, FILTER_3X3, row, col, padding, bias=-1.5)
            np.testing.assert_array_equal(cell.patch, alone.patch)
            np.testing.assert_array_equal(cell.products, alone.products)
            assert (cell.total, cell.output) == (alone.total, alone.output)
            assert cell.output == output[row, col]


@pytest.mark.parametrize("row, col", [(2, 0), (0, 2), (-1, 0)])
def test_contributions_rejects_cells_outside_output(row, col):
    with pytest.raises(ValueError, match="outside"):
        contributions(GRID_4X4, FILTER_3X3, row, col)


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_shape", [(1, 1), (3, 3), (2, 2), (2, 3)])
def test_input_window_is_where_contributions_reads_the_image(padding, kernel_shape):
    image = np.arange(1.0, 31.0).reshape(5, 6)  # no zeros: only the border is zero
    kernel = np.ones(kernel_shape)
    bordered = np.pad(image, 3)  # wide enough for any window's zero border
    out_rows, out_cols = convolve(image, kernel, padding=padding).shape
    for row in range(out_rows):
        for col in range(out_cols):
            top, left, bottom, right = input_window(kernel_shape, row, col, padding)
            assert (bottom - top, right - left) == kernel_shape
            np.testing.assert_array_equal(
                bordered[top + 3:bottom + 3, left + 3:right + 3],
                contributions(image, kernel, row, col, padding).patch)


def test_input_window_rejects_unknown_padding():
    with pytest.raises(ValueError, match="padding"):
        input_window((3, 3), 0, 0, "full")


# --- relu and pooling --------------------------------------------------------

def test_relu():
    np.testing.assert_array_equal(relu([[-2, 0, 3.5]]), [[0, 0, 3.5]])
    assert relu(-1) == 0.0 and relu(2) == 2.0


def test_max_pool_2x2():
    image = [[5, 2, 3, 1], [4, 1, 1, 6], [7, 8, 2, 9], [1, 1, 1, 1]]
    result = max_pool(image)
    assert result.dtype == np.float64
    np.testing.assert_array_equal(result, [[5, 6], [8, 9]])


def test_max_pool_drops_ragged_edges_like_keras_valid():
    image = np.arange(25.0).reshape(5, 5)
    np.testing.assert_array_equal(max_pool(image, 2), [[6, 8], [16, 18]])
    np.testing.assert_array_equal(max_pool(image, 1), image)


def test_pool_window_is_the_block_behind_each_pooled_cell():
    image = [[5, 2, 3, 1], [4, 1, 1, 6], [7, 8, 2, 9], [1, 1, 1, 1]]
    np.testing.assert_array_equal(pool_window(image, 0, 1), [[3, 1], [1, 6]])
    pooled = max_pool(np.arange(25.0).reshape(5, 5), 2)
    for row in range(2):
        for col in range(2):
            block = pool_window(np.arange(25.0).reshape(5, 5), row, col)
            assert block.shape == (2, 2) and block.max() == pooled[row, col]
    with pytest.raises(ValueError, match="outside"):
        pool_window(image, 2, 0)


def test_pooled_cell_is_the_pooled_cell_whose_block_holds_the_cell():
    image = np.arange(25.0).reshape(5, 5)  # distinct values: a value names its cell
    for row in range(5):
        for col in range(5):
            cell = pooled_cell(row, col, image.shape, 2)
            if row == 4 or col == 4:  # the ragged edge max_pool drops
                assert cell is None
            else:
                assert image[row, col] in pool_window(image, *cell, 2)
    assert pooled_cell(5, 8, (6, 9), 3) == (1, 2)


# --- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("image, kernel, kwargs, message", [
    ([1, 2, 3], FILTER_3X3, {}, "2-D"),
    (np.zeros((2, 4, 4)), FILTER_3X3, {}, "2-D"),
    (GRID_4X4, [1, 0, 1], {}, "2-D"),
    (GRID_4X4, [[]], {}, "empty"),
    ([[1, 2], [3, 4]], FILTER_3X3, {}, "larger than the image"),
    (GRID_4X4, FILTER_3X3, {"padding": "full"}, "padding"),
    (GRID_4X4, FILTER_3X3, {"padding": "SAME"}, "padding"),
    ([[1, np.nan], [3, 4]], [[1]], {}, "NaN"),
    (GRID_4X4, [[np.inf]], {}, "NaN"),
    ([["a", "b"], ["c", "d"]], [[1]], {}, "numbers"),
    ([[1, 2], [3]], [[1]], {}, "numbers"),
    (GRID_4X4, FILTER_3X3, {"bias": float("nan")}, "bias"),
    (GRID_4X4, FILTER_3X3, {"bias": [1, 2]}, "bias"),
])
def test_convolve_rejects_bad_input(image, kernel, kwargs, message):
    with pytest.raises(ValueError, match=message):
        convolve(image, kernel, **kwargs)


@pytest.mark.parametrize("image, size, message", [
    (GRID_4X4, 0, "at least 1"),
    (GRID_4X4, -2, "at least 1"),
    (GRID_4X4, 1.5, "whole number"),
    (GRID_4X4, 5, "bigger than the image"),
    ([1, 2, 3, 4], 2, "2-D"),
    ([[1, np.nan], [3, 4]], 2, "NaN"),
])
def test_max_pool_rejects_bad_input(image, size, message):
    with pytest.raises(ValueError, match=message):
        max_pool(image, size)


# --- trusted references --------------------------------------------------------

KERNEL_SHAPES = [(1, 1), (3, 3), (5, 5), (3, 5), (2, 2), (4, 4), (2, 3)]


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
def test_convolve_matches_scipy_correlate2d(padding, kernel_shape):
    signal = pytest.importorskip("scipy.signal")
    rng = np.random.default_rng(sum(kernel_shape))
    image = rng.normal(size=(9, 11))
    kernel = rng.normal(size=kernel_shape)
    expected = signal.correlate2d(image, kernel, mode=padding) + 0.25
    np.testing.assert_allclose(convolve(image, kernel, bias=0.25, padding=padding),
                               expected, rtol=1e-12, atol=1e-12)


def _keras():
    """Import keras, skipping (not failing) while tensorflow is missing or half-installed."""
    try:
        return pytest.importorskip("keras")
    except pytest.skip.Exception:
        raise
    except Exception as error:  # a partial install can raise anything on import
        pytest.skip(f"keras is not usable yet: {error!r}")


@pytest.mark.parametrize("padding", ["valid", "same"])
@pytest.mark.parametrize("kernel_shape", KERNEL_SHAPES)
def test_convolve_matches_keras_conv2d(padding, kernel_shape):
    keras = _keras()
    rng = np.random.default_rng(100 + sum(kernel_shape))
    image = rng.normal(size=(9, 11)).astype(np.float32)
    kernel = rng.normal(size=kernel_shape).astype(np.float32)
    layer = keras.layers.Conv2D(1, kernel_shape, padding=padding)
    layer.build((1, 9, 11, 1))
    layer.set_weights([kernel.reshape(*kernel_shape, 1, 1), np.array([0.25], np.float32)])
    keras_output = np.asarray(layer(image.reshape(1, 9, 11, 1)))[0, :, :, 0]
    np.testing.assert_allclose(convolve(image, kernel, bias=0.25, padding=padding),
                               keras_output, rtol=1e-4, atol=1e-4)


def test_max_pool_matches_keras_max_pooling2d():
    keras = _keras()
    image = np.random.default_rng(7).normal(size=(7, 9)).astype(np.float32)
    layer = keras.layers.MaxPooling2D(pool_size=2)
    keras_output = np.asarray(layer(image.reshape(1, 7, 9, 1)))[0, :, :, 0]
    np.testing.assert_allclose(max_pool(image, 2), keras_output, rtol=1e-6)


def test_lessons_module_does_not_import_heavy_frameworks():
    source = open(lessons.__file__, encoding="utf-8").read()
    for name in ("keras", "tensorflow", "streamlit"):
        assert f"import {name}" not in source and f"from {name}" not in source
