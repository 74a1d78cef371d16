"""Feature maps: what each convolution and pooling layer makes of the current input."""

import numpy as np
import streamlit as st

from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from mnist_core.networks import features, predict
from ui import charts, common, plain_text

CURRENT, TEST = "current", "test"  # the input choices, whatever the language
INPUT_LABELS = {CURRENT: N_("Current input (from Draw)"), TEST: N_("A test image")}
LAYER_KINDS = {"convolution": N_("convolution"), "pooling": N_("pooling")}  # features.layer_type

st.title(_("Feature maps"))
dataset = common.current_dataset()
model, entry, choice = common.current_model()

layers = features.feature_layers(model)
if not layers:
    st.info(_("**{model}** has no convolution layers, so there are no feature maps to show: "
              "an MLP sees the 784 pixels as one flat list, an LSTM reads the image row by "
              "row. Pick a CNN in the sidebar (the shipped default is one).").format(
        model=plain_text.markdown(entry["name"])))
    st.stop()

choose_column, _rest = st.columns([1, 2])
input_source = choose_column.radio(_("Input"), list(INPUT_LABELS), horizontal=True,
                                   format_func=lambda choice: _(INPUT_LABELS[choice]),
                                   key="input_source")
model_input = common.current_input()
if input_source == TEST or model_input is None:
    if model_input is None and input_source != TEST:
        choose_column.caption(_("Nothing drawn yet on the Draw page, so here is a test image."))
    index = choose_column.number_input(_("Test image number"), 0, len(dataset.x_test) - 1, 0,
                                       key="test_image_number")
    image, caption = common.test_image(dataset, int(index))
else:
    image, caption = model_input["image"], model_input["caption"]
    caption = _(caption)  # e.g. common.YOUR_DRAWING, kept in English in the session

probabilities = predict.probabilities(model, image)
winner = int(np.argmax(probabilities))
image_column, text_column = st.columns([1, 3])
image_column.plotly_chart(charts.digit_image(image, 180), key="input", config=charts.CONFIG)
text_column.metric(_("Prediction"), dataset.display_names[winner],
                   f"{probabilities[winner]:.1%}",
                   delta_color="off", delta_arrow="off")
if input_source == CURRENT and model_input is not None:  # the page explains the current input
    if text_column.button(_("Why this answer?"), icon=":material/lightbulb:", key="why"):
        st.switch_page("pages/explain.py")
text_column.markdown(_(
    "Input: {input}. Each small square below is one **feature map**: the output of one "
    "filter slid over the image. Bright means the filter found its pattern there. Pooling "
    "keeps the strongest response in every 2x2 block, halving the size. Hover to read "
    "values.").format(input=plain_text.markdown(caption)))

activations = features.activations(model, image)
for layer in layers:
    maps = activations[layer.name]
    st.subheader(_("{layer}: {count} maps of {height}x{width} ({kind})").format(
        layer=layer.name, count=maps.shape[2], height=maps.shape[0], width=maps.shape[1],
        kind=_(LAYER_KINDS.get(features.layer_type(layer), features.layer_type(layer)))))
    columns = int(np.ceil(np.sqrt(maps.shape[2])))
    st.plotly_chart(charts.image_grid(maps, columns, _("map")), key=f"maps-{layer.name}",
                    config=charts.CONFIG)

first_conv = layers[0].name
kernels = features.filters(model, first_conv)
st.subheader(_("The learned filters of {layer}: {count} kernels of {height}x{width}").format(
    layer=first_conv, count=kernels.shape[3], height=kernels.shape[0], width=kernels.shape[1]))
st.caption(_("Blue-green-yellow from most negative to most positive weight. A filter responds "
             "where the image looks like it: edges at one angle, blobs, stroke ends."))
weights = kernels.mean(axis=2)  # the first layer reads one gray channel, so this is exact
limit = float(np.abs(weights).max())
st.plotly_chart(charts.image_grid(weights, int(np.ceil(np.sqrt(weights.shape[2]))), _("filter"),
                                  -limit, limit, height=360), key="filters",
                config=charts.CONFIG)
