"""Draw: a digit on the canvas (or an uploaded picture, or a test digit) and its probabilities."""

import numpy as np
import streamlit as st

from mnist_core.datasets import preprocess
from mnist_core.i18n import gettext as _
from mnist_core.networks import predict
from ui import charts, common, plain_text, touch

st.title(_("Draw"))
dataset = common.current_dataset()
clothes = dataset.name == "fashion_mnist"  # the page's texts say "piece of clothing", not "digit"


def pick_test_image():
    """Make a random test image the input (a button callback, so it shows in the same run)."""
    index = int(np.random.default_rng().integers(len(dataset.x_test)))
    common.set_input(*common.test_image(dataset, index))


def read_upload(upload, error_place):
    """A newly uploaded picture becomes the input; a bad one is named in an error."""
    if upload is None or upload.file_id == st.session_state.get("upload_seen"):
        return
    st.session_state["upload_seen"] = upload.file_id
    try:
        common.set_input(preprocess.image_file_to_mnist(upload.getvalue()), upload.name)
    except ValueError as error:
        error_place.error(plain_text.markdown(_("{file}: {error}").format(file=upload.name,
                                                                           error=error)))


def show_prediction(model, model_input):
    """The predicted class, big, and compact probability bars: right under the canvas on a phone."""
    probabilities = predict.probabilities(model, model_input["image"])
    winner = int(np.argmax(probabilities))
    names = dataset.display_names
    st.metric(_("Prediction"), names[winner],
              _("{share:.1%} confident").format(share=probabilities[winner]), delta_color="off",
              delta_arrow="off")
    if probabilities[winner] < 0.6:
        st.caption(_("Not sure: try drawing bigger, thicker or more centred.")
                   if model_input["caption"] == common.YOUR_DRAWING else
                   _("Not sure: the model finds this one hard."))
    st.plotly_chart(charts.probability_bars(probabilities, names, height=200),
                    key="bars", config=charts.CONFIG)
    if st.button(_("Why this answer?"), icon=":material/lightbulb:", key="why"):
        st.switch_page("pages/explain.py")


@st.fragment
def draw_and_read():
    """Canvas and prediction: a stroke reruns only this part, not the page and its sidebar."""
    # Canvas and answer come first and the settings after, so that on a phone the answer
    # sits right under the drawing. The settings' values are read from the session before
    # their widgets are drawn below.
    with st.container(horizontal=True, gap="medium"):
        # A fixed width: the canvas never shrinks (its right part would be out of reach);
        # the answer moves under it when the screen, or the sidebar, leaves too little room.
        canvas_column = st.container(width=300)
        result_column = st.container(width="stretch")
    with canvas_column:
        canvas = touch.drawing_pad("canvas", st.session_state.get("stroke_width", 18))
    common.read_canvas(canvas, "canvas")
    read_upload(st.session_state.get("upload"), canvas_column)
    model_input = common.current_input()
    with result_column:
        # Loaded after the canvas is drawn: on a first visit the student draws while the
        # model loads, and a stroke made meanwhile is read once it is ready.
        model = common.current_model()[0]
        if model_input is None:
            st.info(_("Draw a piece of clothing on the canvas, upload a picture or pick a "
                      "random test image.") if clothes else
                    _("Draw a digit on the canvas, upload a picture or pick a random test "
                      "digit."))
        else:
            show_prediction(model, model_input)

    settings_column, preview_column = st.columns(2, gap="medium")
    with settings_column:
        st.caption(_("Draw one piece of clothing, big and in the middle.") if clothes else
                   _("Draw one digit, big and in the middle."))
        st.slider(_("Stroke width"), 4, 40, 18, key="stroke_width",
                  help=_("Thicker lines look more like MNIST."))
        st.button(_("Random test image") if clothes else _("Random test digit"),
                  icon=":material/casino:", on_click=pick_test_image, key="random_test")
        st.file_uploader(_("...or upload a picture of a piece of clothing") if clothes else
                         _("...or upload a picture of a digit"), type=None, key="upload",
                         help=_("PNG, JPEG, GIF, BMP or WebP; dark ink on light paper or "
                                "light ink on dark both work."))
    if model_input is not None:
        preview_column.plotly_chart(charts.digit_image(model_input["image"], 200), key="seen",
                                    config=charts.CONFIG)
        shown = model_input["caption"]  # e.g. common.YOUR_DRAWING, translated only here
        preview_column.caption(_("What the model sees: {input}, 28x28 pixels").format(
            input=plain_text.markdown(_(shown))))


draw_and_read()
