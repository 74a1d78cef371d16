"""Convolution playground: slide a filter over a grid, add a bias, apply ReLU and max pooling."""

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from mnist_core import lessons
from pages import common


def plus_sign(size):
    """A plus sign of ones with arms of length 2 in the middle of a size x size grid of zeros."""
    grid = np.zeros((size, size))
    middle = size // 2
    grid[middle, middle - 2:middle + 3] = grid[middle - 2:middle + 3, middle] = 1
    return grid


FILTERS = {
    "Tutorial 3×3": [[2, 0, 1], [0, 1, 2], [1, 0, 2]],
    "Horizontal edge": [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    "Vertical edge": [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    "Diagonal": [[1, 0, -1], [0, 0, 0], [-1, 0, 1]],
    "Sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "Blur": (np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16).tolist(),
    "Keep as is (1×1)": [[1]],
}
# Each example has a `grid` to edit or a 28x28 `picture` source; the other settings are where
# each widget starts, so an example opens exactly as its tutorial shows it.
EXAMPLES = {
    "4×4 grid with the tutorial's filter": dict(
        grid=[[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]],
        filter="Tutorial 3×3", bias=0.0, relu=False, pool=False,
        note="The tutorials' first example gives 15, 16, 6, 15. "
             "Move the bias to 3 and every cell grows by 3: 18, 19, 9, 18."),
    "5×5 cross, horizontal edge": dict(
        grid=plus_sign(5), filter="Horizontal edge", bias=0.0, relu=False, pool=False,
        note="The filter answers +3 under the cross's horizontal bar and -3 above it: "
             "it detects horizontal edges, and their direction."),
    "7×7 plus, horizontal edge, bias -1, ReLU": dict(
        grid=plus_sign(7), filter="Horizontal edge", bias=-1.0, relu=True, pool=False,
        note="The bias of -1 and ReLU keep only strong answers: the bottom edge of the bar."),
    "7×7 plus, diagonal filter, bias -1, ReLU": dict(
        grid=plus_sign(7), filter="Diagonal", bias=-1.0, relu=True, pool=False,
        note="All zeros after ReLU: a plus sign has no diagonal feature."),
    "Max pooling a 4×4 grid": dict(
        grid=[[5, 2, 3, 1], [4, 1, 1, 6], [7, 8, 2, 9], [1, 1, 1, 1]],
        filter="Keep as is (1×1)", bias=0.0, relu=False, pool=True,
        note="A 1×1 filter of 1 leaves the grid as it is, so only the pooling acts: "
             "the largest value of each 2×2 block, 5, 6, 8, 9."),
    "Image from the test set (28×28)": dict(
        picture="test set", filter="Horizontal edge", bias=0.0, relu=True, pool=True,
        note="The first layer of a CNN does exactly this with the filters it learned."),
    "The Draw page's digit (28×28)": dict(
        picture="drawing", filter="Vertical edge", bias=0.0, relu=True, pool=True,
        note="Your own strokes through an edge filter: try the others on them too."),
}
POOL_SIZE = 2
# Above this many rows or columns the values no longer fit in the cells.
LARGEST_LABELLED = 12


def number(value):
    """A compact label: whole numbers as they are, others to at most three decimals."""
    return f"{round(float(value), 3) + 0.0:g}"  # + 0.0 turns -0.0 into 0


def factor(value):
    """A number ready to stand in a product, negative ones in brackets."""
    return f"({number(value)})" if value < 0 else number(value)


def multiply_and_sum(cell, kernel, times="×", row_break=" + "):
    """'1×2 + 2×0 + ...': every input value under the filter times its filter value.

    `row_break` joins the filter's rows, so each row can go on its own line.
    """
    return row_break.join(" + ".join(f"{factor(x)}{times}{factor(w)}"
                                     for x, w in zip(patch_row, kernel_row))
                          for patch_row, kernel_row in zip(cell.patch, kernel))


def cell_hover(shape, describe):
    """Hover text for every cell of a grid: `describe(row, col)`."""
    text = np.empty(shape, dtype=object)
    for row, col in np.ndindex(shape):
        text[row, col] = describe(row, col)
    return text


def cell_explanations(image, kernel, bias, padding, shape):
    """Hover text of every output cell: its multiply-and-sum and the bias."""
    def describe(row, col):
        cell = lessons.contributions(image, kernel, row, col, padding, bias)
        return (f"row {row}, column {col}<br>" + multiply_and_sum(cell, kernel, row_break="<br>+ ")
                + f" = {number(cell.total)}"
                + (f"<br>+ bias {number(bias)} = {number(cell.output)}" if bias else ""))

    return cell_hover(shape, describe)


def grid_figure(title, values, hover, boxes=()):
    """A heatmap of a grid, values printed in small grids, outlined `boxes` (x0, y0, x1, y1)."""
    values = np.asarray(values)
    labelled = max(values.shape) <= LARGEST_LABELLED
    figure = go.Figure(go.Heatmap(
        z=values, zmid=0, colorscale="RdBu", showscale=False, hovertext=hover,
        hovertemplate="%{hovertext}<extra></extra>", xgap=1 if labelled else 0,
        ygap=1 if labelled else 0,
        text=[[number(value) for value in row] for row in values] if labelled else None,
        texttemplate="%{text}" if labelled else None, textfont=dict(size=15)))
    for x0, y0, x1, y1 in boxes:
        figure.add_shape(type="rect", x0=x0 - 0.5, y0=y0 - 0.5, x1=x1 - 0.5, y1=y1 - 0.5,
                         line=dict(color="#ff7f0e", width=4))
    ticks = dict(dtick=1 if labelled else 7, showgrid=False, zeroline=False)
    figure.update_xaxes(side="top", constrain="domain", **ticks)
    figure.update_yaxes(autorange="reversed", scaleanchor="x", constrain="domain", **ticks)
    figure.update_layout(title=dict(text=title, y=0.98, x=0, font=dict(size=15)), height=320,
                         margin=dict(l=10, r=10, t=60, b=10), dragmode=False,
                         hoverlabel=dict(align="left", font_size=14))
    return figure


def grid_editor(values, key):
    """Editable grid of numbers (cells named by row and column index); NaN where emptied."""
    frame = pd.DataFrame(np.asarray(values, dtype=np.float64))
    frame.columns = [str(col) for col in frame.columns]
    edited = st.data_editor(frame, key=key, width="content", column_config={
        col: st.column_config.NumberColumn(col, format="%g", width=44) for col in frame.columns})
    return edited.to_numpy(dtype=np.float64, na_value=np.nan)


st.title("Convolution playground")
st.markdown("A convolution layer slides a small **filter** over the image. At every position it "
            "multiplies the pixels under the filter by the filter's numbers, adds them up and "
            "adds a **bias**. Edit any number and watch the result change; point at an output "
            "cell to see its sum.")

choice_column, filter_choice_column, _ = st.columns([3, 2, 2])
example_name = choice_column.selectbox("Example", list(EXAMPLES), key="example")
example = EXAMPLES[example_name]
picture = example.get("picture")
# Widget keys carry the example (and the filter), so choosing another one starts afresh.
slot = list(EXAMPLES).index(example_name)
filter_name = filter_choice_column.selectbox(
    "Filter", list(FILTERS), index=list(FILTERS).index(example["filter"]),
    key=f"filter-choice-{slot}")
st.caption(example["note"])

input_column, filter_column, settings_column = st.columns([3, 2, 2], gap="large")
with input_column:
    if picture == "test set":
        dataset = common.current_dataset()
        index = st.number_input("Test image number", 0, len(dataset.x_test) - 1, 0,
                                key="test-index")
        image, caption = common.test_image(dataset, index)
    elif picture == "drawing":
        current = common.current_input()
        if current is None:
            st.info("Nothing drawn yet: draw a digit (or pick a test digit) on the **Draw** "
                    "page, then come back here.")
            st.stop()
        image, caption = current["image"], current["caption"]
    else:
        st.markdown("**Input** (edit any cell)")
        image = grid_editor(example["grid"], key=f"input-{slot}")
    # A picture is drawn here, once the window to outline on it is known.
    picture_slot = st.empty()
with filter_column:
    st.markdown("**Filter** (edit any cell)")
    kernel = grid_editor(FILTERS[filter_name],
                         key=f"filter-{slot}-{list(FILTERS).index(filter_name)}")
with settings_column:
    bias = st.slider("Bias", -10.0, 10.0, example["bias"], 0.5, key=f"bias-{slot}")
    padding = st.radio("Padding", lessons.PADDINGS, horizontal=True, key=f"padding-{slot}",
                       help="valid: the filter stays inside the image, so the output shrinks. "
                            "same: a border of zeros keeps the output as large as the input.")
    use_relu = st.toggle("ReLU (negatives become 0)", example["relu"], key=f"relu-{slot}")
    use_pool = st.toggle(f"Max pooling {POOL_SIZE}×{POOL_SIZE}", example["pool"],
                         key=f"pool-{slot}")

try:
    feature_map = lessons.convolve(image, kernel, bias, padding)
except ValueError as error:
    st.error(f"Cannot convolve: {error}")
    st.stop()

with settings_column:
    # A picture's corner is blank, so its explanation starts where the filter answers most.
    start = np.unravel_index(np.argmax(feature_map), feature_map.shape) if picture else (0, 0)
    row_column, col_column = st.columns(2)
    row = row_column.selectbox("Explain row", range(feature_map.shape[0]), int(start[0]),
                               key=f"explain-row-{slot}")
    col = col_column.selectbox("column", range(feature_map.shape[1]), int(start[1]),
                               key=f"explain-col-{slot}")

# Where the chosen cell's window sits on the input: "same" shifts it up and left by the padding.
before = [(size - 1) // 2 if padding == "same" else 0 for size in kernel.shape]
top, left = row - before[0], col - before[1]
input_stage = (f"Input {image.shape[0]}×{image.shape[1]}" + (f": {caption}" if picture else ""),
               image, cell_hover(image.shape,
                                 lambda r, c: f"row {r}, column {c}: {number(image[r, c])}"),
               [(left, top, left + kernel.shape[1], top + kernel.shape[0])])
stages = [] if picture else [input_stage]
stages.append((f"Filter output{' + bias' if bias else ''} "
               f"{feature_map.shape[0]}×{feature_map.shape[1]}", feature_map,
               cell_explanations(image, kernel, bias, padding, feature_map.shape),
               [(col, row, col + 1, row + 1)]))
if use_relu:
    rectified = lessons.relu(feature_map)
    stages.append(("After ReLU", rectified, cell_hover(
        rectified.shape,
        lambda r, c: f"max(0, {number(feature_map[r, c])}) = {number(rectified[r, c])}"), []))
pool_cell = None
if use_pool:
    unpooled = stages[-1][1]
    try:
        pooled = lessons.max_pool(unpooled, POOL_SIZE)
    except ValueError as error:
        st.warning(f"No pooling: {error}")
    else:
        # The pooled cell fed by the chosen cell; none when pooling drops its ragged edge.
        pool_row, pool_col = row // POOL_SIZE, col // POOL_SIZE
        if pool_row < pooled.shape[0] and pool_col < pooled.shape[1]:
            pool_cell = (pool_row, pool_col)
            stages[-1][3].append((pool_col * POOL_SIZE, pool_row * POOL_SIZE,
                                  (pool_col + 1) * POOL_SIZE, (pool_row + 1) * POOL_SIZE))
        stages.append((f"After max pooling {pooled.shape[0]}×{pooled.shape[1]}", pooled,
                       cell_hover(pooled.shape, lambda r, c: "max of " + ", ".join(
                           number(value) for value in lessons.pool_window(unpooled, r, c).flat)
                           + f" = {number(pooled[r, c])}"),
                       [(pool_col, pool_row, pool_col + 1, pool_row + 1)] if pool_cell else []))

if picture:
    picture_slot.plotly_chart(grid_figure(*input_stage), key="picture",
                              config={"displayModeBar": False})
for position, (column, stage) in enumerate(zip(st.columns(len(stages)), stages)):
    column.plotly_chart(grid_figure(*stage), key=f"stage-{position}",
                        config={"displayModeBar": False})

cell = lessons.contributions(image, kernel, row, col, padding, bias)
with st.container(key="explanation"):
    st.markdown(f"**Output row {row}, column {col}** (outlined in orange): each input value in "
                f"the orange window times the filter value at the same place, added up row by "
                f"row" + (", plus the bias:" if bias else ":"))
    lines = multiply_and_sum(cell, kernel, times=r" \times ", row_break=r" \\ & + ")
    with_bias = rf" \quad + \text{{ bias }} {number(bias)} = {number(cell.output)}"
    st.latex(rf"\begin{{aligned}} & {lines} \\ & = {number(cell.total)}"
             + (with_bias if bias else "") + r" \end{aligned}")
    if use_relu:
        st.latex(rf"\text{{ReLU: }} \max(0, {number(cell.output)}) = "
                 rf"{number(lessons.relu(cell.output))}")
    if pool_cell:
        block = lessons.pool_window(unpooled, *pool_cell)
        st.latex(rf"\text{{Max pooling, row {pool_cell[0]}, column {pool_cell[1]}: }} \max("
                 + ", ".join(number(value) for value in block.flat)
                 + rf") = {number(block.max())}")
