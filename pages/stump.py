"""Stump the model: draw a digit a person reads at once but the model gets wrong."""

import numpy as np
import streamlit as st

from mnist_core.classroom import stumps
from mnist_core.datasets import catalog, preprocess
from mnist_core.i18n import gettext as _
from mnist_core.networks import predict
from ui import charts, classroom, common, plain_text, touch

st.title(_("Stump the model"))
st.markdown(_(
    "Draw a digit that anyone in the room would read at once, but that the model gets "
    "**wrong**. Say which digit you meant and check. Every stump is saved into the class "
    "collection under the digit you meant, so that when we teach the model our handwriting "
    "(page **Our handwriting**) it learns from exactly the hard cases. Silly drawings do not "
    "count: the digit you meant must be among the model's three likeliest answers, and the "
    "teacher removes the rest on the **Class** page."))
name, person = classroom.collection_and_person()
model, entry, choice = common.current_model()
if entry.get("dataset", "mnist") == "fashion_mnist":
    st.info(_("Pick a digit model in the sidebar: this challenge is about handwritten digits."))
    st.stop()
st.session_state.setdefault("stump_canvas", 0)


def check(image_data, meant):
    """Read the drawing with the model; save it as a stump if the model got it wrong."""
    try:
        drawing = (None if image_data is None else
                   preprocess.canvas_to_mnist(image_data, kept=True))
    except ValueError as error:  # a dot or a scribble
        st.session_state["stump_note"] = ("warning", plain_text.markdown(str(error)))
        return
    if drawing is None or meant is None:
        st.session_state["stump_note"] = (
            "warning", _("Draw a digit first.") if drawing is None else
            _("Say which digit you meant: tap it above the Check button."))
        return
    probabilities = predict.probabilities(model, drawing)
    read_as = int(np.argmax(probabilities))
    st.session_state["stump_last"] = (drawing, probabilities)
    st.session_state["stump_canvas"] += 1  # a fresh canvas for the next try
    if read_as == meant:
        st.session_state["stump_note"] = (
            "info", _("The model read your {meant} right ({share:.0%} sure). Try a stranger one "
                      "that a person still reads easily.").format(
                          meant=meant, share=probabilities[read_as]))
        return
    try:
        stumps.record(name, meant, probabilities, drawing, person)
    except ValueError as error:  # no plausible {meant}, or saved too fast or too often
        st.session_state["stump_note"] = ("warning", plain_text.markdown(str(error)))
        return
    except PermissionError as error:  # the teacher cleared or closed it meanwhile
        st.session_state["stump_note"] = ("error", plain_text.markdown(str(error)))
        return
    st.session_state["stump_note"] = (
        "success", _("You stumped it! It read your {meant} as a {read_as} ({share:.0%} sure). "
                     "Saved to '{collection}'.").format(
                         meant=meant, read_as=read_as, share=probabilities[read_as],
                         collection=plain_text.markdown(name)))


@st.fragment
def draw_and_check():
    """Canvas, the digit meant and Check: a stroke reruns only this part."""
    canvas = touch.drawing_pad(f"stump_canvas_{st.session_state['stump_canvas']}", 18)
    meant = st.segmented_control(_("I meant"), list(range(10)), key="stump_meant")
    st.button(_("Check"), type="primary", icon=":material/psychology_alt:", width="stretch",
              on_click=check, args=(canvas.image_data, meant))
    if "stump_note" in st.session_state:
        note_type, text = st.session_state.pop("stump_note")
        getattr(st, note_type)(text)
    if "stump_last" in st.session_state:
        # The canvas was cleared for the next try: the drawing checked stays with its answer.
        drawing, probabilities = st.session_state["stump_last"]
        drawing_column, bars_column = st.columns([1, 4], vertical_alignment="center")
        drawing_column.image(drawing.repeat(4, axis=0).repeat(4, axis=1),
                             caption=_("Your drawing"), width="stretch", clamp=True)
        bars_column.plotly_chart(charts.probability_bars(probabilities, catalog.MNIST_CLASS_NAMES,
                                                         height=180),
                                 key="stump_bars", config=charts.CONFIG)


@st.fragment(run_every=2)
def leaderboard():
    """Stumps per student, refreshed every 2 seconds for the whole class."""
    ranking = stumps.leaderboard(name)
    st.subheader(_("Leaderboard"))
    if not ranking:
        st.caption(_("No stumps yet: be the first!"))
        return
    st.dataframe({_("student"): [classroom.student(student) for student, _count in ranking],
                  _("stumps"): [count for _student, count in ranking]},
                 hide_index=True, height=min(35 * (len(ranking) + 1) + 3, 400))


draw_column, board_column = st.columns([3, 2], gap="large")
with draw_column:
    draw_and_check()
with board_column:
    leaderboard()
