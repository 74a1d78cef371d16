"""Confusion matrix: where the current model goes wrong, down to the misclassified images."""

import numpy as np
import pandas as pd
import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from mnist_core.networks import evaluate
from ui import caches, charts, common, plain_text, touch

PER_PAGE = 24
COLUMNS = 8

st.title(_("Confusion matrix"))
dataset = common.current_dataset()
model, entry, choice = common.current_model()
probabilities = caches.test_probabilities(model, choice, entry.get("created"), dataset.name)
predicted = probabilities.argmax(axis=1)
names = dataset.display_names
matrix = evaluate.confusion_matrix(dataset.y_test, predicted, len(names))
mistakes = len(evaluate.misclassified(dataset.y_test, predicted))

first, second, third = st.columns(3)
first.metric(_("Test accuracy"), f"{evaluate.accuracy(dataset.y_test, predicted):.2%}")
second.metric(_("Test images"), f"{matrix.sum():,}")
third.metric(_("Mistakes"), f"{mistakes:,}")
st.caption(_("Model {model} on the test split of {dataset}. Rows are the true class, columns "
             "the model's answer; the diagonal is right. **Click or tap a cell** to see its "
             "images.").format(model=plain_text.markdown(entry["name"]),
                               dataset=plain_text.markdown(common.dataset_title(dataset.name))))

matrix_column, table_column = st.columns([3, 2], gap="large")
with matrix_column:
    normalised = st.toggle(_("Row-normalised (share of each true class)"), key="normalised")
    st.plotly_chart(charts.confusion_heatmap(matrix, names, normalised), key="matrix",
                    config=charts.CONFIG)
    # Clicks, not on_select: one tap opens a cell and a swipe scrolls (see pages/touch.py).
    clicked = touch.clicked_point("matrix", trace=charts.CELL_MARKERS)
    if clicked is not None:
        # The clickable markers are laid out row by row: index = true * classes + predicted.
        st.session_state["cell"] = divmod(int(clicked), len(names))
        st.session_state["cell_opened"] = True
with table_column:
    st.subheader(_("Most confused pairs"))
    for true_label, predicted_label, count in evaluate.most_confused(matrix, top=6):
        if st.button(_("{true} mistaken for {predicted}: {count}").format(
                true=names[true_label], predicted=names[predicted_label], count=count),
                     key=f"pair-{true_label}-{predicted_label}", width="stretch"):
            st.session_state["cell"] = (true_label, predicted_label)
            st.session_state["cell_opened"] = True
    precision, recall = evaluate.precision_recall(matrix)
    st.subheader(_("Per class"))
    st.dataframe(pd.DataFrame({"class": names, "precision": 100 * np.asarray(precision),
                               "recall": 100 * np.asarray(recall)}),
                 hide_index=True, column_config={
                     "class": st.column_config.TextColumn(_("class")),
                     "precision": st.column_config.NumberColumn(_("precision"), format="%.1f%%"),
                     "recall": st.column_config.NumberColumn(_("recall"), format="%.1f%%")})
    st.caption(_("Precision: of the images the model called this class, the share that were. "
                 "Recall: of the images of this class, the share the model found."))

if "cell" not in st.session_state:
    st.stop()
true_label, predicted_label = st.session_state["cell"]
indices = evaluate.misclassified(dataset.y_test, predicted, true_label, predicted_label)
fields = dict(true=names[true_label], predicted=names[predicted_label], count=len(indices))
if st.session_state.pop("cell_opened", False):
    # The images are below the fold, even at 1400x1000: a click must visibly open them.
    touch.scroll_here(f"{true_label}-{predicted_label}")
if true_label == predicted_label:
    st.subheader(ngettext("True {true}, correctly read as {predicted}: {count} image",
                          "True {true}, correctly read as {predicted}: {count} images",
                          len(indices)).format(**fields))
else:
    st.subheader(ngettext("True {true}, read as {predicted}: {count} image",
                          "True {true}, read as {predicted}: {count} images",
                          len(indices)).format(**fields))
if not len(indices):
    st.info(_("No test image falls in this cell."))
    st.stop()
page_count = -(-len(indices) // PER_PAGE)
page = st.number_input(_("Page (of {count})").format(count=page_count), 1, page_count, 1,
                       key=f"page-of-{page_count}") if page_count > 1 else 1
shown = indices[(page - 1) * PER_PAGE:page * PER_PAGE]
for row_start in range(0, len(shown), COLUMNS):
    for column, index in zip(st.columns(COLUMNS), shown[row_start:row_start + COLUMNS]):
        confidence = probabilities[index, predicted[index]]
        column.image(np.kron(dataset.x_test[index], np.ones((4, 4), np.uint8)),
                     caption=f"#{index}: {names[predicted[index]]} ({confidence:.0%})")
        if column.button(_("Open image"), key=f"open-{index}", width="stretch",
                         help=_("Open this image on the Draw and Feature maps pages")):
            common.set_input(*common.test_image(dataset, int(index)))
            st.switch_page("pages/draw.py")
        if column.button(_("Why?"), key=f"why-{index}", width="stretch",
                         help=_("See which parts of this image made the model answer so")):
            common.set_input(*common.test_image(dataset, int(index)))
            st.switch_page("pages/explain.py")
