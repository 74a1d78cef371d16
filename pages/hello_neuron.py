"""Keras' Hello World: one sigmoid neuron learns from four people's height and weight."""

import numpy as np
import pandas as pd
import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.lessons import neuron
from mnist_core.lessons.neuron import TUTORIAL_LABELS, TUTORIAL_PEOPLE
from ui import caches, charts, lesson_charts, plain_text

LEARNING_RATES = [0.01, 0.1, 0.5, 1.0, 5.0, 10.0]


def restore_tutorial():
    """Draw the table afresh (a new key) with the tutorial's four people."""
    st.session_state["people-version"] = st.session_state.get("people-version", 0) + 1


def train_the_mlp():
    """Open Train with the MLP chosen (the selectbox reads its key on the next page)."""
    st.session_state["train_model"] = "mlp"


st.title(_("Hello World neuron"))
st.caption(_("Keras' Hello World: one neuron"))
st.markdown(_(
    "The backpropagation tutorial's first program is logistic regression written as a single "
    "neuron. Each person is three numbers, a constant 1, a height in cm and a weight in kg; the "
    "neuron computes **z = θ0 + θ1·height + θ2·weight**, answers **a = g(z) = 1 / (1 + e^-z)**, a "
    "number between 0 and 1, and learns the θs from the labels with the mean squared error and "
    "plain stochastic gradient descent (SGD)."))

old_code, new_code = st.columns(2)
old_code.caption(_("The tutorial, in the Keras of its day"))
old_code.code("model = Sequential()\n"
              "model.add(Dense(output_dim=1, input_dim=3, activation='sigmoid'))\n"
              "model.compile(loss='mse', optimizer='sgd', metrics=['accuracy'])",
              language="python", wrap_lines=True)

st.subheader(_("1. The people"))
st.caption(_("Edit a height or a weight, change a label, add a person in the last row or "
             "remove one (select its row)."))
version = st.session_state.get("people-version", 0)
table = st.data_editor(
    pd.DataFrame({"height": [person[1] for person in TUTORIAL_PEOPLE],
                  "weight": [person[2] for person in TUTORIAL_PEOPLE],
                  "label": list(TUTORIAL_LABELS)}),
    num_rows="dynamic", key=f"people-{version}", hide_index=True, width=420,
    column_config={
        "height": st.column_config.NumberColumn(
            _("height (cm)"), min_value=neuron.HEIGHT_RANGE[0], max_value=neuron.HEIGHT_RANGE[1],
            step=1, required=True),
        "weight": st.column_config.NumberColumn(
            _("weight (kg)"), min_value=neuron.WEIGHT_RANGE[0], max_value=neuron.WEIGHT_RANGE[1],
            step=1, required=True),
        "label": st.column_config.NumberColumn(_("label"), min_value=0, max_value=1, step=1,
                                               required=True)})
st.button(_("Back to the tutorial's four people"), on_click=restore_tutorial,
          icon=":material/restart_alt:")

st.subheader(_("2. Train"))
epochs_column, rate_column = st.columns(2)
epochs = epochs_column.slider(_("Epochs"), 10, 2000, 500, 10, key="neuron-epochs",
                              help=_("All the people are one batch: an epoch is one step."))
learning_rate = rate_column.select_slider(
    _("Learning rate"), LEARNING_RATES, value=5.0, key="neuron-learning-rate",
    help=_("Keras' optimizer='sgd' uses 0.01: with four people that needs tens of thousands "
           "of epochs."))
new_code.caption(_("The same neuron in Keras 3, with these settings"))
new_code.code("model = keras.Sequential([keras.Input(shape=(3,)), "
              "layers.Dense(1, activation=\"sigmoid\")])\n"
              f"model.compile(loss=\"mse\", optimizer=keras.optimizers.SGD(learning_rate="
              f"{learning_rate}), metrics=[\"accuracy\"])\n"
              f"model.fit(X, y, epochs={epochs}, batch_size=len(X))", language="python",
              wrap_lines=True)

people = list(table.dropna(how="all").itertuples(index=False, name=None))
heights, weights, labels = (np.array(column, dtype=float) for column in zip(*people)) \
    if people else (np.array([]),) * 3
try:
    raw, standard = (caches.neuron_run(people, epochs, learning_rate, standardise)
                     for standardise in (False, True))
except ValueError as error:
    st.error(plain_text.markdown(str(error)))
    st.stop()


def accuracy(run):
    """The share of the people the run's neuron answers right (a > 0.5 means 1)."""
    return float(np.mean((run.outputs(heights, weights) > 0.5) == (labels == 1)))


def people_table(run, epoch):
    """Every person's z, a and answer after `epoch` (0: before training)."""
    z = run.z(heights, weights, epoch)
    answers = neuron.sigmoid(z)
    return pd.DataFrame({_("height (cm)"): heights, _("weight (kg)"): weights,
                         _("label"): labels.astype(int), "z": z, "a = g(z)": answers,
                         _("slope a(1 - a)"): neuron.slope(z),
                         _("answer"): (answers > 0.5).astype(int)})


PEOPLE_COLUMNS = {"z": st.column_config.NumberColumn(format="%.2f"),
                  "a = g(z)": st.column_config.NumberColumn(format="%.4f"),
                  _("slope a(1 - a)"): st.column_config.NumberColumn(format="%.1e")}


st.plotly_chart(lesson_charts.neuron_losses({_("raw cm and kg"): raw.losses,
                                              _("standardised"): standard.losses}),
                key="losses", config=charts.CONFIG)
raw_tab, standard_tab = st.tabs([_("3. Raw centimetres and kilograms"),
                                 _("4. Standardised inputs")])
with raw_tab:
    start = raw.z(heights, weights, 0)
    slopes = neuron.slope(start)
    st.markdown(_(
        "Fed raw centimetres and kilograms, z starts between **{low:.1f}** and **{high:.1f}**: "
        "g(z) is pinned at 0 or 1, where the sigmoid is flat. Its slope a(1 - a), which every "
        "gradient is multiplied by, is at most **{slope:.1e}**, so each step barely moves the "
        "weights: after {epochs} epochs the loss went from {first:.4f} to {last:.4f} and the "
        "neuron gets {accuracy:.0%} of the people right.").format(
        low=start.min(), high=start.max(), slope=slopes.max(), epochs=epochs,
        first=raw.losses[0], last=raw.losses[-1], accuracy=accuracy(raw)))
    st.dataframe(people_table(raw, 0), hide_index=True, column_config=PEOPLE_COLUMNS,
                 key="raw-start")
    st.plotly_chart(lesson_charts.neuron_plane(raw, heights, weights, labels), key="raw-plane",
                    config=charts.CONFIG)
with standard_tab:
    st.markdown(_(
        "Standardised, each input becomes (value - mean) / standard deviation: heights "
        "{height_mean:.1f} ± {height_scale:.1f} cm and weights {weight_mean:.1f} ± "
        "{weight_scale:.1f} kg become numbers near 0, z starts small and the sigmoid's slope "
        "is large. The same neuron, the same epochs and learning rate: the loss goes from "
        "{first:.4f} to {last:.4f}, and {accuracy:.0%} of the people are right. The CNN "
        "tutorials divide pixels by 255 for the same reason.").format(
        height_mean=standard.mean[0], height_scale=standard.scale[0],
        weight_mean=standard.mean[1], weight_scale=standard.scale[1],
        first=standard.losses[0], last=standard.losses[-1], accuracy=accuracy(standard)))
    plane, weights_chart = st.columns(2)
    plane.plotly_chart(lesson_charts.neuron_plane(standard, heights, weights, labels),
                       key="standard-plane", config=charts.CONFIG)
    weights_chart.plotly_chart(lesson_charts.neuron_weights(standard), key="standard-weights",
                               config=charts.CONFIG)
    st.dataframe(people_table(standard, -1), hide_index=True, column_config=PEOPLE_COLUMNS,
                 key="standard-end")

st.subheader(_("5. θ0, twice"))
moved_kernel = standard.kernels[-1, 0] - standard.kernels[0, 0]
moved_bias = standard.biases[-1] - standard.biases[0]
st.markdown(_(
    "Keras' Dense layer has its own bias, so the tutorial's column of ones gives the neuron a "
    "second θ0. Both get the same gradient (the ones column multiplies its weight by 1), so "
    "they move together: the weight of the ones moved by **{kernel:+.4f}**, the bias by "
    "**{bias:+.4f}**. Only their sum, θ0 = {theta0:.4f}, matters. Drop the column of ones and "
    "Dense's bias does the job alone, as in every network of the lab.").format(
    kernel=moved_kernel, bias=moved_bias, theta0=standard.theta()[0]))

st.subheader(_("6. From one neuron to the MLP"))
st.markdown(_(
    "Ten such neurons side by side, each reading all 784 pixels of a digit, with softmax "
    "instead of the sigmoid so that their 10 answers add up to 1, are softmax regression: "
    "{small:,} weights and biases. That is the MLP's last layer (logits and softmax), there "
    "reading 50 hidden units; and since the MLP's hidden layer has no activation, the whole "
    "MLP ({mlp:,} parameters) computes no more than those ten neurons could.").format(
    small=784 * 10 + 10, mlp=caches.parameter_count("mlp")))
if st.button(_("Train the MLP"), icon=":material/model_training:", on_click=train_the_mlp):
    st.switch_page("pages/train.py")
