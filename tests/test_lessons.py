"""Tests for mnist_core.lessons: the worked numbers shown on the lesson pages."""
import numpy as np
import pytest

from mnist_core import lessons
from mnist_core.lessons import (
    backprop_example,
    contributions,
    convolve,
    max_pool,
    pool_window,
    relu,
    train_steps,
)

GRID_4X4 = [[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]]
FILTER_3X3 = [[2, 0, 1], [0, 1, 2], [1, 0, 2]]
HORIZONTAL_EDGE = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
DIAGONAL = [[1, 0, -1], [0, 0, 0], [-1, 0, 1]]
TOLERANCE = 1e-8


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


@pytest.mark.parametrize("row, col", [(2, 0), (0, 2), (-1, 0)])
def test_contributions_rejects_cells_outside_output(row, col):
    with pytest.raises(ValueError, match="outside"):
        contributions(GRID_4X4, FILTER_3X3, row, col)


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


def test_backprop_rejects_unknown_weight_names():
    with pytest.raises(ValueError, match="w9"):
        backprop_example(weights={"w9": 1.0})


def test_train_steps_rejects_negative_steps():
    with pytest.raises(ValueError, match="steps"):
        train_steps(-1)
    assert train_steps(0) == []


# --- backpropagation (Matt Mazur's worked example) ----------------------------

def test_backprop_forward_pass_and_error():
    result = backprop_example()
    assert result["h1_out"] == pytest.approx(0.593269992, abs=TOLERANCE)
    assert result["h2_out"] == pytest.approx(0.596884378, abs=TOLERANCE)
    assert result["o1_net"] == pytest.approx(1.105905967, abs=TOLERANCE)
    assert result["o1_out"] == pytest.approx(0.75136507, abs=TOLERANCE)
    assert result["o2_out"] == pytest.approx(0.772928465, abs=TOLERANCE)
    assert result["E_o1"] == pytest.approx(0.274811083, abs=TOLERANCE)
    assert result["E_o2"] == pytest.approx(0.023560026, abs=TOLERANCE)
    assert result["E_total"] == pytest.approx(0.298371109, abs=TOLERANCE)


def test_backprop_chain_rule_for_w5():
    result = backprop_example()
    assert result["dE_do1_out"] == pytest.approx(0.74136507, abs=TOLERANCE)
    assert result["do1_out_do1_net"] == pytest.approx(0.186815602, abs=TOLERANCE)
    assert result["do1_net_dw5"] == pytest.approx(0.593269992, abs=TOLERANCE)
    product = result["dE_do1_out"] * result["do1_out_do1_net"] * result["do1_net_dw5"]
    assert result["dE_dw5"] == pytest.approx(product, abs=1e-15)
    assert result["dE_dw5"] == pytest.approx(0.082167041, abs=TOLERANCE)
    assert result["w5_new"] == pytest.approx(0.35891648, abs=TOLERANCE)


@pytest.mark.parametrize("name, expected", [
    ("w1_new", 0.149780716), ("w2_new", 0.19956143), ("w3_new", 0.24975114),
    ("w4_new", 0.29950229), ("w5_new", 0.35891648), ("w6_new", 0.408666186),
    ("w7_new", 0.511301270), ("w8_new", 0.561370121),
])
def test_backprop_updated_weights_match_tutorial(name, expected):
    assert backprop_example(learning_rate=0.5)[name] == pytest.approx(expected, abs=TOLERANCE)


def test_backprop_keys_and_biases_unchanged():
    result = backprop_example()
    expected_keys = {"h1_net", "h1_out", "h2_net", "h2_out", "o1_net", "o1_out", "o2_net",
                     "o2_out", "E_o1", "E_o2", "E_total", "dE_do1_out", "do1_out_do1_net",
                     "do1_net_dw5"}
    expected_keys |= {f"dE_dw{n}" for n in range(1, 9)} | {f"w{n}_new" for n in range(1, 9)}
    assert expected_keys <= set(result)
    assert result["weights"] == lessons.TUTORIAL_WEIGHTS
    assert result["new_weights"]["b1"] == 0.35 and result["new_weights"]["b2"] == 0.60
    assert result["new_weights"]["w5"] == result["w5_new"]


def test_backprop_weight_override_and_learning_rate():
    assert backprop_example(weights={"w5": 0.40})["E_total"] == backprop_example()["E_total"]
    changed = backprop_example(weights={"b2": 0.0})
    assert changed["o1_net"] == pytest.approx(1.105905967 - 0.60, abs=TOLERANCE)
    result = backprop_example(learning_rate=0.1)
    assert result["w5_new"] == pytest.approx(0.40 - 0.1 * result["dE_dw5"], abs=1e-15)


def test_backprop_gradients_match_finite_differences():
    result, step = backprop_example(), 1e-6
    for n in range(1, 9):
        name = f"w{n}"
        plus = backprop_example(weights={name: lessons.TUTORIAL_WEIGHTS[name] + step})
        minus = backprop_example(weights={name: lessons.TUTORIAL_WEIGHTS[name] - step})
        numeric = (plus["E_total"] - minus["E_total"]) / (2 * step)
        assert result[f"dE_dw{n}"] == pytest.approx(numeric, abs=1e-9)


def test_train_steps_error_falls_to_near_zero():
    errors = train_steps(10_000, learning_rate=0.5)
    assert len(errors) == 10_000
    # The tutorial reports 0.291027924 after one round; exact arithmetic gives 0.2910277737.
    assert errors[0] == pytest.approx(0.291027924, abs=1e-6)
    assert errors[0] == pytest.approx(backprop_example(
        weights=backprop_example()["new_weights"])["E_total"], abs=1e-15)
    assert all(later < earlier for earlier, later in zip(errors, errors[1:]))
    # The tutorial reports 0.0000351085 after 10,000 rounds; we get 0.0000351019.
    assert errors[-1] == pytest.approx(0.0000351085, rel=1e-3)
    assert train_steps(1000) == errors[:1000]


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
