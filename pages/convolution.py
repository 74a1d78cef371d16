"""Convolution playground: slide a filter over a grid, add a bias, apply ReLU and max pooling."""

import numpy as np
import pandas as pd
import streamlit as st

from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from mnist_core.lessons import convolution, playground
from mnist_core.lessons.convolution_examples import EXAMPLES, FILTERS
from mnist_core.lessons.playground import POOL_SIZE
from ui import charts, common, lesson_charts, plain_text


def grid_editor(values, key):
    """Editable grid of numbers (cells named by row and column index); NaN where emptied."""
    frame = pd.DataFrame(np.asarray(values, dtype=np.float64))
    frame.columns = [str(col) for col in frame.columns]
    edited = st.data_editor(frame, key=key, width="content", column_config={
        col: st.column_config.NumberColumn(col, format="%g", width=44) for col in frame.columns})
    return edited.to_numpy(dtype=np.float64, na_value=np.nan)


# The padding radio's options stay Keras's names; the labels say what they do.
PADDING_LABELS = {"valid": N_("valid (no border)"), "same": N_("same (zero border)")}


st.title(_("Convolution playground"))
st.markdown(_("A convolution layer slides a small **filter** over the image. At every position "
              "it multiplies the pixels under the filter by the filter's numbers, adds them up "
              "and adds a **bias**. Edit any number and watch the result change; point at an "
              "output cell to see its sum."))

# Example and filter names are English msgids: the options stay the same in every language.
choice_column, filter_choice_column, _empty = st.columns([3, 2, 2])
example_name = choice_column.selectbox(_("Example"), list(EXAMPLES), key="example",
                                       format_func=_)
example = EXAMPLES[example_name]
picture = example.get("picture")
# Widget keys carry the example (and the filter), so choosing another one starts afresh.
slot = list(EXAMPLES).index(example_name)
filter_name = filter_choice_column.selectbox(
    _("Filter"), list(FILTERS), index=list(FILTERS).index(example["filter"]),
    key=f"filter-choice-{slot}", format_func=_)
note = example["note"]  # a msgid
st.caption(_(note))

input_column, filter_column, settings_column = st.columns([3, 2, 2], gap="large")
with input_column:
    if picture == "test set":
        dataset = common.current_dataset()
        index = st.number_input(_("Test image number"), 0, len(dataset.x_test) - 1, 0,
                                key="test-index")
        image, caption = common.test_image(dataset, index)
    elif picture == "drawing":
        current = common.current_input()
        if current is None:
            st.info(_("Nothing drawn yet: draw a digit (or pick a test digit) on the **Draw** "
                      "page, then come back here."))
            st.stop()
        image, caption = current["image"], current["caption"]
    else:
        st.markdown(_("**Input** (edit any cell)"))
        image = grid_editor(example["grid"], key=f"input-{slot}")
    # A picture is drawn here, once the window to outline on it is known.
    picture_slot = st.empty()
with filter_column:
    st.markdown(_("**Filter** (edit any cell)"))
    kernel = grid_editor(FILTERS[filter_name],
                         key=f"filter-{slot}-{list(FILTERS).index(filter_name)}")
with settings_column:
    bias = st.slider(_("Bias"), -10.0, 10.0, example["bias"], 0.5, key=f"bias-{slot}")
    padding = st.radio(_("Padding"), convolution.PADDINGS, horizontal=True, key=f"padding-{slot}",
                       format_func=lambda value: _(PADDING_LABELS[value]),
                       help=_("valid: the filter stays inside the image, so the output "
                              "shrinks. same: a border of zeros keeps the output as large as "
                              "the input."))
    use_relu = st.toggle(_("ReLU (negatives become 0)"), example["relu"], key=f"relu-{slot}")
    use_pool = st.toggle(_("Max pooling {size}×{size}").format(size=POOL_SIZE), example["pool"],
                         key=f"pool-{slot}")

try:
    feature_map = convolution.convolve(image, kernel, bias, padding)
except ValueError as error:
    st.error(_("Cannot convolve: {error}").format(error=plain_text.markdown(str(error))))
    st.stop()

with settings_column:
    # A picture's corner is blank, so its explanation starts where the filter answers most.
    start = playground.strongest_cell(feature_map) if picture else (0, 0)
    row_column, col_column = st.columns(2)
    row = row_column.selectbox(_("Explain row"), range(feature_map.shape[0]), start[0],
                               key=f"explain-row-{slot}")
    col = col_column.selectbox(_("column"), range(feature_map.shape[1]), start[1],
                               key=f"explain-col-{slot}")

shown = playground.walk_through(image, kernel, bias, padding, row, col, use_relu, use_pool,
                                plain_text.plotly(caption) if picture else None)
if shown.pool_problem:
    st.warning(_("No pooling: {problem}").format(problem=shown.pool_problem))
if picture:
    picture_slot.plotly_chart(lesson_charts.grid_figure(shown.input), key="picture",
                              config=charts.CONFIG)
stages = shown.stages if picture else [shown.input, *shown.stages]
for position, (column, stage) in enumerate(zip(st.columns(len(stages)), stages)):
    column.plotly_chart(lesson_charts.grid_figure(stage), key=f"stage-{position}", config=charts.CONFIG)

cell = shown.cell
with st.container(key="explanation"):
    explanation = (
        _("**Output row {row}, column {col}** (outlined in orange): each input value in the "
          "orange window times the filter value at the same place, added up row by row, plus "
          "the bias:") if bias else
        _("**Output row {row}, column {col}** (outlined in orange): each input value in the "
          "orange window times the filter value at the same place, added up row by row:"))
    st.markdown(explanation.format(row=row, col=col))
    st.latex(playground.sum_latex(cell, kernel, bias, bias_name=_("bias")))
    if use_relu:
        st.latex(playground.max_latex("ReLU:", [0, cell.output]))
    if shown.pool_cell:
        pool_row, pool_col = shown.pool_cell
        where = _("Max pooling, row {row}, column {col}:").format(row=pool_row, col=pool_col)
        st.latex(playground.max_latex(where, shown.pool_block.flat))
