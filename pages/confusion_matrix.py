"""Confusion matrix: where the current model goes wrong, down to the misclassified images."""

import numpy as np
import pandas as pd
import streamlit as st

from mnist_core import evaluate
from pages import charts, common, touch

PER_PAGE = 24
COLUMNS = 8

st.title("Confusion matrix")
dataset = common.current_dataset()
model, entry, choice = common.current_model()
probabilities = common.test_probabilities(model, choice, entry.get("created"), dataset.name)
predicted = probabilities.argmax(axis=1)
names = dataset.class_names
matrix = evaluate.confusion_matrix(dataset.y_test, predicted, len(names))
mistakes = len(evaluate.misclassified(dataset.y_test, predicted))

first, second, third = st.columns(3)
first.metric("Test accuracy", f"{evaluate.accuracy(dataset.y_test, predicted):.2%}")
second.metric("Test images", f"{matrix.sum():,}")
third.metric("Mistakes", f"{mistakes:,}")
st.caption(f"Model {entry['name']} on the test split of {common.dataset_title(dataset.name)}. "
           "Rows are the true class, columns the model's answer; the diagonal is right. "
           "**Click or tap a cell** to see its images.")

matrix_column, table_column = st.columns([3, 2], gap="large")
with matrix_column:
    normalised = st.toggle("Row-normalised (share of each true class)")
    st.plotly_chart(charts.confusion_heatmap(matrix, names, normalised), key="matrix",
                    config=charts.CONFIG)
    # Clicks, not on_select: one tap opens a cell and a swipe scrolls (see pages/touch.py).
    clicked = touch.clicked_point("matrix", trace=charts.CELL_MARKERS)
    if clicked is not None:
        # The clickable markers are laid out row by row: index = true * classes + predicted.
        st.session_state["cell"] = divmod(int(clicked), len(names))
with table_column:
    st.subheader("Most confused pairs")
    for true_label, predicted_label, count in evaluate.most_confused(matrix, top=6):
        if st.button(f"{names[true_label]} mistaken for {names[predicted_label]}: {count}",
                     key=f"pair-{true_label}-{predicted_label}", width="stretch"):
            st.session_state["cell"] = (true_label, predicted_label)
    precision, recall = evaluate.precision_recall(matrix)
    st.subheader("Per class")
    st.dataframe(pd.DataFrame({"class": names, "precision": 100 * np.asarray(precision),
                               "recall": 100 * np.asarray(recall)}),
                 hide_index=True, column_config={
                     "precision": st.column_config.NumberColumn(format="%.1f%%"),
                     "recall": st.column_config.NumberColumn(format="%.1f%%")})
    st.caption("Precision: of the images the model called this class, the share that were. "
               "Recall: of the images of this class, the share the model found.")

if "cell" not in st.session_state:
    st.stop()
true_label, predicted_label = st.session_state["cell"]
indices = evaluate.misclassified(dataset.y_test, predicted, true_label, predicted_label)
verb = "correctly read as" if true_label == predicted_label else "read as"
st.subheader(f"True {names[true_label]}, {verb} {names[predicted_label]}: "
             f"{len(indices)} images")
if not len(indices):
    st.info("No test image falls in this cell.")
    st.stop()
page_count = -(-len(indices) // PER_PAGE)
page = st.number_input(f"Page (of {page_count})", 1, page_count, 1) if page_count > 1 else 1
shown = indices[(page - 1) * PER_PAGE:page * PER_PAGE]
for row_start in range(0, len(shown), COLUMNS):
    for column, index in zip(st.columns(COLUMNS), shown[row_start:row_start + COLUMNS]):
        confidence = probabilities[index, predicted[index]]
        column.image(np.kron(dataset.x_test[index], np.ones((4, 4), np.uint8)),
                     caption=f"#{index}: {names[predicted[index]]} ({confidence:.0%})")
        if column.button("Open image", key=f"open-{index}", width="stretch",
                         help="Open this image on the Draw and Feature maps pages"):
            common.set_input(*common.test_image(dataset, int(index)))
            st.switch_page("pages/draw.py")
