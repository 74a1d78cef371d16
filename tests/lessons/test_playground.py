"""Tests for mnist_core.playground and its examples: the explanations and the grids shown."""
import numpy as np
import pytest

from mnist_core.lessons import convolution as lessons
from mnist_core.lessons import playground
from mnist_core.lessons.convolution_examples import EXAMPLES, FILTERS, plus_sign
from mnist_core.lessons.playground import multiply_and_sum, number, strongest_cell, walk_through

GRID_4X4 = EXAMPLES["4×4 grid with the tutorial's filter"]["grid"]
TUTORIAL_FILTER = FILTERS["Tutorial 3×3"]


def test_plus_sign_has_two_arms_of_length_two():
    grid = plus_sign(7)
    assert grid.shape == (7, 7) and grid.sum() == 9
    assert grid[3, 1:6].tolist() == [1] * 5 and grid[1:6, 3].tolist() == [1] * 5
    np.testing.assert_array_equal(plus_sign(5), plus_sign(5).T)


def test_examples_start_on_known_filters_and_give_the_tutorials_numbers():
    assert all(example["filter"] in FILTERS for example in EXAMPLES.values())
    assert all(("grid" in example) != ("picture" in example) for example in EXAMPLES.values())
    np.testing.assert_array_equal(lessons.convolve(GRID_4X4, TUTORIAL_FILTER), [[15, 16], [6, 15]])
    pooling = EXAMPLES["Max pooling a 4×4 grid"]
    unchanged = lessons.convolve(pooling["grid"], FILTERS[pooling["filter"]])
    np.testing.assert_array_equal(lessons.max_pool(unchanged), [[5, 6], [8, 9]])


@pytest.mark.parametrize("value, label", [(15.0, "15"), (-0.0, "0"), (0.0625, "0.062"),
                                          (-1.5, "-1.5"), (np.float32(2.0), "2")])
def test_number(value, label):
    assert number(value) == label


def test_multiply_and_sum_brackets_negative_factors():
    cell = lessons.contributions([[1, -2], [0, 3]], [[-1, 2], [1, 0.5]], 0, 0)
    assert multiply_and_sum(cell, [[-1, 2], [1, 0.5]]) == "1×(-1) + (-2)×2 + 0×1 + 3×0.5"
    assert multiply_and_sum(cell, [[-1, 2], [1, 0.5]], times="*", row_break=" | ") == (
        "1*(-1) + (-2)*2 | 0*1 + 3*0.5")


def test_strongest_cell():
    assert strongest_cell(np.array([[0, 1, 0], [0, 0, 7]])) == (1, 2)
    assert all(isinstance(index, int) for index in strongest_cell(np.eye(3)))


def test_walk_through_the_tutorials_first_example():
    shown = walk_through(GRID_4X4, TUTORIAL_FILTER, 3.0, "valid", 1, 0)
    assert [stage.title for stage in shown.stages] == ["Filter output + bias 2×2"]
    np.testing.assert_array_equal(shown.stages[0].values, [[18, 19], [9, 18]])
    assert shown.stages[0].hover[1][0] == ("row 1, column 0\n0×2 + 1×0 + 2×1\n+ 3×0 + 0×1 + 1×2"
                                           "\n+ 2×1 + 3×0 + 0×2 = 6\n+ bias 3 = 9")
    assert shown.cell.output == 9.0
    assert shown.stages[0].boxes == [(1, 0, 2, 1)]
    assert shown.input.title == "Input 4×4" and shown.input.boxes == [(1, 0, 4, 3)]
    assert shown.input.hover[0][2] == "row 0, column 2: 3"
    assert shown.pool_cell is None and shown.pool_problem is None


def test_walk_through_relu_and_pooling_outline_the_cells_behind_the_explained_one():
    image = plus_sign(7)
    kernel = FILTERS["Horizontal edge"]
    shown = walk_through(image, kernel, -1.0, "same", 4, 3, relu=True, pool=True,
                         caption="a plus")
    assert shown.input.title == "Input 7×7: a plus"
    assert shown.input.boxes == [(3, 2, 6, 5)]  # "same" padding: centred on the cell
    feature_map = lessons.convolve(image, kernel, -1.0, "same")
    filtered, rectified, pooled = shown.stages
    np.testing.assert_array_equal(rectified.values, lessons.relu(feature_map))
    np.testing.assert_array_equal(pooled.values, lessons.max_pool(rectified.values))
    assert rectified.hover[3][3] == f"max(0, {number(feature_map[3, 3])}) = 0"
    assert pooled.title == "After max pooling 3×3"
    assert pooled.hover[0][0] == "max of 0, 0, 0, 0 = 0"
    assert shown.pool_cell == (2, 1) and pooled.boxes == [(2, 1, 3, 2)]
    assert rectified.boxes == [(4, 2, 6, 4)] and filtered.boxes == [(4, 3, 5, 4)]
    np.testing.assert_array_equal(shown.pool_block, rectified.values[4:6, 2:4])


def test_walk_through_without_pooled_cell_or_room_to_pool():
    ragged = walk_through(plus_sign(7), [[1]], 0.0, "valid", 6, 0, pool=True)
    assert ragged.pool_cell is None and ragged.pool_block is None
    assert ragged.stages[-1].boxes == [] and ragged.stages[0].boxes == [(6, 0, 7, 1)]
    tiny = walk_through([[1, 2]], [[1]], 0.0, "valid", 0, 0, pool=True)
    assert "bigger than the image" in tiny.pool_problem and len(tiny.stages) == 1


def test_walk_through_passes_on_bad_input():
    with pytest.raises(ValueError, match="NaN"):
        walk_through([[1, np.nan]], [[1]], 0.0, "valid", 0, 0)


def test_playground_module_does_not_import_heavy_frameworks():
    source = open(playground.__file__, encoding="utf-8").read()
    for name in ("keras", "tensorflow", "streamlit"):
        assert f"import {name}" not in source and f"from {name}" not in source
