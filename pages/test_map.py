"""Map of the test set: every test image where the model's features put it, with the current
drawing and the class's handwriting placed among them."""

import numpy as np
import streamlit as st

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _
from mnist_core.networks import explain
from mnist_core.networks import test_map as test_maps
from ui import caches, charts, common, plain_text, touch

NEAREST_SHOWN = 10  # test images shown as "digits yours looks like"
WRONG_SHOWN = 12  # class drawings in the wrong cluster shown at most
CANVAS = 220  # pixels: the canvas beside the map

st.title(_("Map of the test set"))
dataset = common.current_dataset()
model, entry, choice = common.current_model()
version = entry.get("created")
names = dataset.display_names
the_map, state = caches.test_map(choice, version, dataset.name,
                                 retry=st.session_state.get("retry_map", False))
if the_map is None:
    if state.startswith("failed"):
        st.error(_("The map could not be drawn: {error}").format(
            error=plain_text.markdown(state.partition(": ")[2])))
        st.button(_("Try again"), icon=":material/refresh:", key="retry_map")
        st.stop()
    if state == "waiting":
        st.info(_("Other maps are being laid out first (one at a time, so that the class's "
                  "pages stay quick); this one starts after them."))
    else:
        st.info(_("Laying out the {count:,} test images as this model sees them: about a "
                  "minute, once for the whole class. The map appears here as soon as it is "
                  "ready.").format(count=len(dataset.y_test)))

    @st.fragment(run_every=2.0)
    def wait_for_the_map():
        """Reload the page once the map is saved, or its computation failed or started."""
        if caches.test_map(choice, version, dataset.name)[1] != state:
            st.rerun()

    wait_for_the_map()
    st.stop()

mistakes = int((the_map.labels != the_map.predicted).sum())
st.markdown(_(
    "Each dot is one of the {count:,} test images, placed so that images the model finds alike "
    "sit together (t-SNE of the {features} numbers its last layer reads). Colour: the true "
    "class. Rings: the {mistakes} it gets wrong, in the colour of its answer. Click or tap a "
    "dot to see it; click a class in the legend to hide or show it.").format(
    count=len(the_map.labels), features=the_map.features.shape[1], mistakes=mistakes))


def open_buttons(image, caption, key):
    """Explain and Open-in-Draw buttons for an image (28x28, in [0, 1])."""
    explain_column, draw_column = st.columns(2)
    if explain_column.button(_("Explain"), icon=":material/lightbulb:", key=f"explain-{key}",
                             width="stretch"):
        common.set_input(image, caption)
        st.switch_page("pages/explain.py")
    if draw_column.button(_("Open in Draw"), icon=":material/draw:", key=f"draw-{key}",
                          width="stretch"):
        common.set_input(image, caption)
        st.switch_page("pages/draw.py")


def show_images(images, captions):
    """A row of small images (uint8) with their captions."""
    for column, image, caption in zip(st.columns(max(len(images), 1)), images, captions):
        column.image(np.kron(image, np.ones((3, 3), np.uint8)), caption=caption)


def show_chosen(chosen, ours):
    """The test image or class drawing last clicked on the map, with its buttons."""
    if chosen is not None and chosen[0] == "test" and chosen[1] < len(the_map.labels):
        index = chosen[1]
        image, caption = common.test_image(dataset, index)
        st.subheader(_("Test image #{index}: true {true}, read as {answer}").format(
            index=index, true=names[the_map.labels[index]],
            answer=names[the_map.predicted[index]]))
        image_column, bars_column = st.columns([1, 3])
        image_column.plotly_chart(charts.digit_image(image, 160), key="chosen_image",
                                  config=charts.CONFIG)
        with image_column:
            open_buttons(image, caption, "chosen")
        bars_column.plotly_chart(charts.probability_bars(the_map.probabilities[index], names,
                                                         height=200),
                                 key="chosen_bars", config=charts.CONFIG)
    if chosen is not None and chosen[0] == "ours" and ours is not None \
            and chosen[1] < len(ours[2]):
        image, caption = ours[1][chosen[1]] / np.float32(255), ours[4][chosen[1]]
        st.subheader(_("Our drawing of a {digit}").format(digit=names[ours[2][chosen[1]]]))
        image_column, _rest = st.columns([1, 3])
        image_column.plotly_chart(charts.digit_image(image, 160), key="our_image",
                                  config=charts.CONFIG)
        with image_column:
            open_buttons(image, caption, "ours")


def show_neighbours(model_input, nearest, unusual):
    """The test images the current input lands among, and a warning if even they are far."""
    st.subheader(_("Digits yours looks like"))
    if unusual[0]:
        st.warning(_("An unusual drawing: even the test images most like it are far from it, "
                     "so the model has seen little like it. Its answer is a guess."))
    nearest_indices = nearest[0][:NEAREST_SHOWN]
    shown = model_input["caption"]  # e.g. common.YOUR_DRAWING, translated only here
    st.caption(_("The star on the map is your drawing ({input}), placed among the {count} test "
                 "images the model finds most like it; here are the closest.").format(
        input=plain_text.markdown(_(shown)), count=test_maps.NEIGHBOURS))
    show_images(dataset.x_test[nearest_indices],
                [f"#{index}: {names[the_map.labels[index]]}" for index in nearest_indices])


def show_wrong_cluster(ours):
    """The class's drawings that land among another digit's test images, each opening in Draw."""
    images, labels, neighbours, file_names = ours[1:]
    majority = np.array([np.bincount(the_map.labels[row], minlength=10).argmax()
                         for row in neighbours])
    wrong = np.flatnonzero(majority != labels)[:WRONG_SHOWN]
    st.subheader(_("Our drawings in another digit's cluster"))
    if not len(wrong):
        st.caption(_("Every drawing of the collection lands among test images of its own "
                     "digit."))
    for position, index in enumerate(wrong):
        caption = _("drawn as {digit}, lands among {cluster}").format(
            digit=names[labels[index]], cluster=names[majority[index]])
        if position % 6 == 0:
            columns = st.columns(6)
        with columns[position % 6]:
            st.image(np.kron(images[index], np.ones((3, 3), np.uint8)), caption=caption)
            if st.button(_("Open in Draw"), key=f"ours-{file_names[index]}", width="stretch"):
                common.set_input(images[index] / np.float32(255), file_names[index])
                st.switch_page("pages/draw.py")


ours = None
collection_name = st.session_state.get("collection", collection.DEFAULT_NAME)
if dataset.name == "mnist" and collection.is_open(collection_name) and st.toggle(
        _("Show our class's drawings (collection {name})").format(name=collection_name),
        value=True, key="show_class"):
    ours = caches.class_on_map(model, choice, version, collection_name, the_map)


@st.fragment
def map_and_drawing():
    """The map with a small canvas beside it: a stroke or a click reruns only this part, so the
    star follows the drawing as it grows."""
    # As on Draw: the canvas keeps its width (its right part would be out of reach) and goes
    # under the map where the screen is too narrow for both.
    with st.container(horizontal=True, gap="medium"):
        map_column = st.container(width="stretch")
        canvas_column = st.container(width=CANVAS)
    with canvas_column:
        st.caption(_("Draw here: the star shows where your drawing lands."))
        # The Draw page's stroke width, scaled to this smaller canvas.
        stroke_width = round(st.session_state.get("stroke_width", 18) * CANVAS / touch.PAD_SIZE)
        canvas = touch.drawing_pad("map_canvas", stroke_width, size=CANVAS)
    common.read_canvas(canvas, "map_canvas")
    model_input = common.current_input()
    drawing = nearest = unusual = None
    if model_input is not None:
        placed, nearest, unusual = test_maps.place(
            the_map, explain.features(model, model_input["image"][None]))
        drawing = placed[0]
    figure, points = charts.test_map_figure(the_map, names, drawing=drawing,
                                            ours=None if ours is None else (ours[0], ours[2]))
    with map_column:
        st.plotly_chart(figure, key="map", config=charts.CONFIG)
        clicked = touch.clicked_point("map", trace=None)
    if clicked is not None:
        kind, indices = points[clicked[0]]
        st.session_state["map_point"] = (kind, int(indices[clicked[1]]))
    show_chosen(st.session_state.get("map_point"), ours)
    if model_input is not None:
        show_neighbours(model_input, nearest, unusual)


map_and_drawing()
if ours is not None and len(ours[2]):
    show_wrong_cluster(ours)
