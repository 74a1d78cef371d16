"""Draw: a digit on the canvas (or an uploaded picture, or a test digit) and its probabilities."""

import hashlib

import numpy as np
import streamlit as st
from streamlit_drawable_canvas import st_canvas

from mnist_core import predict, preprocess
from pages import charts, common

st.title("Draw")
dataset = common.current_dataset()
model, entry, choice = common.current_model()
noun = common.item_noun(dataset.name)
sample = "digit" if noun == "digit" else "image"


@st.fragment
def draw_and_read():
    """Canvas and prediction: a stroke reruns only this part, not the page and its sidebar."""
    canvas_column, result_column = st.columns([5, 6], gap="large")
    with canvas_column:
        stroke_width = st.slider("Stroke width", 4, 40, 18,
                                 help="Thicker lines look more like MNIST.")
        canvas = st_canvas(stroke_width=stroke_width, stroke_color="#000000",
                           background_color="#ffffff", height=280, width=280,
                           return_image_data=True, key="canvas")
        st.caption(f"Draw one {noun}, big and in the middle. Undo and clear (the bin) are in the "
                   "toolbar above the canvas.")
        if st.button(f"Random test {sample}", icon=":material/casino:"):
            index = int(np.random.default_rng().integers(len(dataset.x_test)))
            common.set_input(*common.test_image(dataset, index))
        upload = st.file_uploader(f"...or upload a picture of a {noun}", type=None,
                                  help="PNG, JPEG, GIF, BMP or WebP; dark ink on light paper or "
                                       "light ink on dark both work.")

    # A new stroke or a new upload becomes the input; otherwise the last input stays (a test
    # digit picked here or on the Confusion-matrix page must survive the rerun).
    canvas_bytes = canvas.image_bytes
    if canvas_bytes and (hashlib.sha1(canvas_bytes).digest()
                         != st.session_state.get("canvas_seen")):
        st.session_state["canvas_seen"] = hashlib.sha1(canvas_bytes).digest()
        drawing = preprocess.canvas_to_mnist(canvas.image_data)
        if drawing is not None:
            common.set_input(drawing, "your drawing")
        elif (common.current_input() or {}).get("caption") == "your drawing":
            st.session_state.pop("input")  # the drawing was undone or cleared
    if upload is not None and upload.file_id != st.session_state.get("upload_seen"):
        st.session_state["upload_seen"] = upload.file_id
        try:
            common.set_input(preprocess.image_file_to_mnist(upload.getvalue()), upload.name)
        except ValueError as error:
            canvas_column.error(f"{upload.name}: {error}")

    with result_column:
        model_input = common.current_input()
        if model_input is None:
            st.info(f"Draw a {noun} on the canvas, upload a picture or pick a random test "
                    f"{sample}.")
            return
        probabilities = predict.probabilities(model, model_input["image"])
        winner = int(np.argmax(probabilities))
        seen_column, metric_column = st.columns([1, 1])
        seen_column.plotly_chart(charts.digit_image(model_input["image"], 200), key="seen",
                                 config={"displayModeBar": False})
        seen_column.caption(f"What the model sees: {model_input['caption']}, 28x28 pixels")
        metric_column.metric("Prediction", dataset.class_names[winner],
                             f"{probabilities[winner]:.1%} confident", delta_color="off",
                             delta_arrow="off")
        if probabilities[winner] < 0.6:
            metric_column.caption("Not sure: try drawing bigger, thicker or more centred."
                                  if model_input["caption"] == "your drawing" else
                                  "Not sure: the model finds this one hard.")
        st.plotly_chart(charts.probability_bars(probabilities, dataset.class_names),
                        key="bars", config={"displayModeBar": False})


draw_and_read()
