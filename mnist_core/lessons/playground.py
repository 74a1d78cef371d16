"""The convolution playground's lesson: every grid it shows, and how each cell came about.

Hover texts are plain text with "\n" line breaks; the page's charts turn them into HTML.
The examples and filters it starts from are in mnist_core.convolution_examples.
"""
from dataclasses import dataclass, field

import numpy as np

from mnist_core.i18n import gettext as _
from mnist_core.lessons import convolution

POOL_SIZE = 2


@dataclass
class Stage:
    """One grid the playground draws, with what to say about each cell."""
    title: str          # in the caller's language
    values: np.ndarray  # (rows, cols) float64
    hover: list         # rows x cols nested list of str: how each cell came about (translated)
    # (top, left, bottom, right) cell edges to outline, bottom and right exclusive.
    boxes: list = field(default_factory=list)


@dataclass(frozen=True)
class Walkthrough:
    """Every grid and number the playground shows for one input and one explained cell."""
    input: Stage
    stages: list                      # filter output, then after ReLU and pooling if chosen
    cell: convolution.CellContribution    # the explained cell of the filter output
    pool_cell: tuple | None           # the pooled cell it feeds, None when pooling drops it
    pool_block: np.ndarray | None     # (POOL_SIZE, POOL_SIZE) block behind pool_cell
    pool_problem: str | None          # why pooling was left out, if it was (translated)


def number(value):
    """A compact label: whole numbers as they are, others to at most three decimals."""
    return f"{round(float(value), 3) + 0.0:g}"  # + 0.0 turns -0.0 into 0


def _factor(value):
    """A number ready to stand in a product, negative ones in brackets."""
    return f"({number(value)})" if value < 0 else number(value)


def multiply_and_sum(cell, kernel, times="×", row_break=" + "):
    """'1×2 + 2×0 + ...': every input value under the filter times its filter value.

    Args:
        cell: CellContribution of the output cell.
        kernel: the (kernel_height, kernel_width) filter.
        times: the multiplication sign.
        row_break: joins the filter's rows, so each row can go on its own line.
    """
    return row_break.join(" + ".join(f"{_factor(x)}{times}{_factor(w)}"
                                     for x, w in zip(patch_row, kernel_row))
                          for patch_row, kernel_row in zip(cell.patch, np.asarray(kernel)))


def sum_latex(cell, kernel, bias, bias_name):
    """The explained cell's multiply-and-sum as LaTeX: a line per filter row, then the bias.

    Args:
        cell, kernel: as for `multiply_and_sum`.
        bias: the bias; left out of the formula when 0.
        bias_name: the word "bias" in the caller's language, written before its value.
    """
    lines = multiply_and_sum(cell, kernel, times=r" \times ", row_break=r" \\ & + ")
    with_bias = rf" \quad + \text{{ {bias_name} }} {number(bias)} = {number(cell.output)}"
    return (rf"\begin{{aligned}} & {lines} \\ & = {number(cell.total)}"
            + (with_bias if bias else "") + r" \end{aligned}")


def max_latex(label, values):
    """'label max(a, b, ...) = largest' as LaTeX: ReLU's max(0, x) or a pooled block's."""
    values = [float(value) for value in values]
    return (rf"\text{{{label} }} \max(" + ", ".join(number(value) for value in values)
            + rf") = {number(max(values))}")


def strongest_cell(feature_map):
    """(row, col) ints of the largest value: a picture's blank corner explains nothing."""
    return tuple(int(index) for index in np.unravel_index(np.argmax(feature_map),
                                                          np.shape(feature_map)))


def _hover(shape, describe):
    """`describe(row, col)` for every cell of a grid, as a nested list of rows."""
    return [[describe(row, col) for col in range(shape[1])] for row in range(shape[0])]


def _filter_stage(image, kernel, bias, padding):
    """The filter output, each cell's hover spelling out its multiply-and-sum and bias."""
    feature_map = convolution.convolve(image, kernel, bias, padding)
    cells = convolution.every_contribution(image, kernel, padding, bias)

    def explain(row, col):
        cell = cells[row][col]
        text = (_("row {row}, column {col}").format(row=row, col=col) + "\n"
                + multiply_and_sum(cell, kernel, row_break="\n+ ") + f" = {number(cell.total)}")
        if bias:
            text += "\n" + _("+ bias {bias} = {output}").format(bias=number(bias),
                                                                output=number(cell.output))
        return text

    title = (_("Filter output + bias {rows}×{cols}") if bias
             else _("Filter output {rows}×{cols}"))
    return Stage(title.format(rows=feature_map.shape[0], cols=feature_map.shape[1]), feature_map,
                 _hover(feature_map.shape, explain))


def _relu_stage(feature_map):
    """ReLU of the filter output, each cell's hover showing max(0, value)."""
    rectified = convolution.relu(feature_map)

    def explain(row, col):
        return f"max(0, {number(feature_map[row, col])}) = {number(rectified[row, col])}"

    return Stage(_("After ReLU"), rectified, _hover(rectified.shape, explain))


def _pooled_stage(unpooled):
    """Max pooling of a grid, each cell's hover listing its block. Raises ValueError if small."""
    pooled = convolution.max_pool(unpooled, POOL_SIZE)

    def explain(row, col):
        block = convolution.pool_window(unpooled, row, col, POOL_SIZE)
        return _("max of {values} = {largest}").format(
            values=", ".join(number(value) for value in block.flat),
            largest=number(pooled[row, col]))

    title = _("After max pooling {rows}×{cols}").format(rows=pooled.shape[0], cols=pooled.shape[1])
    return Stage(title, pooled, _hover(pooled.shape, explain))


def _input_stage(image, kernel_shape, padding, row, col, caption):
    """The input, outlining the window the kernel covers for output cell (row, col)."""
    def explain(r, c):
        return _("row {row}, column {col}: {value}").format(row=r, col=c, value=number(image[r, c]))

    title = (_("Input {rows}×{cols}: {caption}") if caption else _("Input {rows}×{cols}")).format(
        rows=image.shape[0], cols=image.shape[1], caption=caption)
    return Stage(title, image, _hover(image.shape, explain),
                 [convolution.input_window(kernel_shape, row, col, padding)])


def _outline(stage, top, left, size=1):
    """Outline the size x size block of `stage` whose top-left cell is (top, left)."""
    stage.boxes.append((top, left, top + size, left + size))


def walk_through(image, kernel, bias, padding, row, col, relu=False, pool=False, caption=None):
    """Convolve, optionally apply ReLU and max pooling, and explain output cell (row, col).

    Args:
        image, kernel, bias, padding: as for `convolution.convolve`.
        row, col: the output cell to explain and outline.
        relu, pool: whether to show the ReLU and the POOL_SIZE max-pooling stages.
        caption: a picture's name (translated), added to the input's title.
    Returns:
        Walkthrough. Raises ValueError as `convolution.convolve` does.
    """
    image, kernel = np.asarray(image, np.float64), np.asarray(kernel, np.float64)
    cell = convolution.contributions(image, kernel, row, col, padding, bias)
    filtered = _filter_stage(image, kernel, bias, padding)
    _outline(filtered, row, col)
    stages = [filtered, _relu_stage(filtered.values)] if relu else [filtered]
    pool_cell = pool_block = pool_problem = None
    if pool:
        unpooled = stages[-1]
        try:
            pooled = _pooled_stage(unpooled.values)
        except ValueError as error:
            pool_problem = str(error)
        else:
            stages.append(pooled)
            pool_cell = convolution.pooled_cell(row, col, unpooled.values.shape, POOL_SIZE)
        if pool_cell:  # None when pooling drops the explained cell's ragged edge
            _outline(pooled, *pool_cell)
            _outline(unpooled, pool_cell[0] * POOL_SIZE, pool_cell[1] * POOL_SIZE, POOL_SIZE)
            pool_block = convolution.pool_window(unpooled.values, *pool_cell, POOL_SIZE)
    return Walkthrough(_input_stage(image, kernel.shape, padding, row, col, caption), stages,
                       cell, pool_cell, pool_block, pool_problem)
