"""Feature maps: what each convolution and pooling layer makes of the current input."""

import numpy as np
import streamlit as st

from mnist_core import features, predict
from pages import charts, common

st.title("Feature maps")
dataset = common.current_dataset()
model, entry, choice = common.current_model()

layers = features.feature_layers(model)
if not layers:
    st.info(f"**{entry['name']}** has no convolution layers, so there are no feature maps to "
            "show: an MLP sees the 784 pixels as one flat list, an LSTM reads the image row "
            "by row. Pick a CNN in the sidebar (the shipped default is one).")
    st.stop()

choose_column, _ = st.columns([1, 2])
input_source = choose_column.radio("Input", ["Current input (from Draw)", "A test image"],
                             horizontal=True)
model_input = common.current_input()
if input_source == "A test image" or model_input is None:
    if model_input is None and input_source != "A test image":
        choose_column.caption("Nothing drawn yet on the Draw page, so here is a test image.")
    index = choose_column.number_input("Test image number", 0, len(dataset.x_test) - 1, 0)
    image, caption = common.test_image(dataset, int(index))
else:
    image, caption = model_input["image"], model_input["caption"]

probabilities = predict.probabilities(model, image)
winner = int(np.argmax(probabilities))
image_column, text_column = st.columns([1, 3])
image_column.plotly_chart(charts.digit_image(image, 180), key="input", config=charts.CONFIG)
text_column.metric("Prediction", dataset.class_names[winner], f"{probabilities[winner]:.1%}",
                   delta_color="off", delta_arrow="off")
text_column.markdown(
    f"Input: {caption}. Each small square below is one **feature map**: the output of one "
    "filter slid over the image. Bright means the filter found its pattern there. Pooling "
    "keeps the strongest response in every 2x2 block, halving the size. Hover to read values.")

activations = features.activations(model, image)
for layer in layers:
    maps = activations[layer.name]
    st.subheader(f"{layer.name}: {maps.shape[2]} maps of {maps.shape[0]}x{maps.shape[1]} "
                 f"({features.layer_type(layer)})")
    columns = int(np.ceil(np.sqrt(maps.shape[2])))
    st.plotly_chart(charts.image_grid(maps, columns, "map"), key=f"maps-{layer.name}",
                    config=charts.CONFIG)

first_conv = layers[0].name
kernels = features.filters(model, first_conv)
st.subheader(f"The learned filters of {first_conv}: {kernels.shape[3]} kernels of "
             f"{kernels.shape[0]}x{kernels.shape[1]}")
st.caption("Blue-green-yellow from most negative to most positive weight. A filter responds "
           "where the image looks like it: edges at one angle, blobs, stroke ends.")
weights = kernels.mean(axis=2)  # the first layer reads one gray channel, so this is exact
limit = float(np.abs(weights).max())
st.plotly_chart(charts.image_grid(weights, int(np.ceil(np.sqrt(weights.shape[2]))), "filter",
                                  -limit, limit, height=360), key="filters",
                config=charts.CONFIG)
