"""Why this answer: evidence maps of the current input (from Draw, Feature maps or the matrix)."""

import numpy as np
import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.networks import explain, predict
from ui import caches, charts, common, plain_text

st.title(_("Why this answer?"))
dataset = common.current_dataset()
model, entry, choice = common.current_model()
model_input = common.current_input()
if model_input is None:
    st.info(_("Nothing to explain yet: draw a digit on the Draw page, or open a test image from "
              "the confusion matrix, then come back."))
    if st.button(_("Go to Draw"), icon=":material/draw:", key="to_draw"):
        st.switch_page("pages/draw.py")
    st.stop()

image, names = model_input["image"], dataset.display_names
caption = model_input["caption"]
caption = _(caption)  # e.g. common.YOUR_DRAWING, kept in English in the session
probabilities = predict.probabilities(model, image)
ranked = [int(index) for index in np.argsort(-probabilities)]
answer = ranked[0]
st.markdown(_("The model reads {input} as **{answer}** ({share:.0%} sure). The maps below show "
              "which parts of it made the model say so.").format(
    input=plain_text.markdown(caption), answer=plain_text.markdown(
        names[answer]), share=probabilities[answer]))
if st.button(_("Back to Draw, with the same drawing"), icon=":material/draw:", key="back"):
    st.switch_page("pages/draw.py")



def pick_class(column, label, default, key):
    """A choice of one of the data set's classes, shown by name; its index."""
    return column.selectbox(label, range(len(names)), index=default, key=key,
                            format_func=lambda index: names[index])


def show_map(column, evidence, key):
    """An evidence map over the input, in `column`."""
    column.plotly_chart(charts.evidence_overlay(image, evidence), key=key, config=charts.CONFIG)


st.subheader(_("1. Cover a part, watch the answer"))
occluded = explain.occlusion(model, image)
map_column, text_column = st.columns([1, 2])
explained = pick_class(text_column, _("Class to explain"), answer, "explained")
falls = occluded[explained]
row, column = np.unravel_index(int(np.argmax(falls)), falls.shape)
show_map(map_column, falls, "occlusion")
text_column.markdown(_(
    "Every 4x4 square of the picture was covered in turn. **Red**: covering here lowers "
    "**{name}** (the most, by {fall:.1%}, around row {row}, column {column}). **Blue**: "
    "covering here raises it. Pale: it makes no difference.").format(
    name=plain_text.markdown(names[explained]), fall=max(float(falls.max()), 0.0),
    row=row, column=column))

st.subheader(_("2. What would make it another answer?"))
map_column, text_column = st.columns([1, 2])
target = pick_class(text_column, _("What would make it a..."), ranked[1], "target")
if target == answer:
    text_column.info(_("The model already says {answer}: pick another class.").format(
        answer=names[answer]))
else:
    show_map(map_column, explain.smooth_gradient(model, image, target, versus=answer), "toward")
    text_column.markdown(_(
        "**Red**: more ink here would push the answer from **{answer}** toward **{target}**. "
        "**Blue**: ink here pushes away from **{target}**. Go back to Draw, add ink where it "
        "is red (or rub out where it is blue) and watch the bars.").format(
        answer=plain_text.markdown(names[answer]), target=plain_text.markdown(names[target])))
    text_column.caption(_("SmoothGrad: the gradient of the two scores' difference, averaged "
                          "over 40 noisy copies of the picture."))

st.subheader(_("3. For older students: gradients and a sanity check"))
if not st.toggle(_("Show the gradient maps"), key="gradient_maps"):
    st.stop()
attribution = explain.integrated_gradients(model, image, answer)
plain_column, integrated_column = st.columns(2)
show_map(plain_column, explain.gradient(model, image, answer), "gradient")
plain_column.caption(_("Gradient: how the score of {answer} changes with each pixel's ink.")
                     .format(answer=names[answer]))
show_map(integrated_column, attribution.pixels, "integrated")
integrated_column.caption(_(
    "Integrated Gradients from a black picture: the pixels' shares add up to {total:.3f}, the "
    "score of {answer} changes by {difference:+.3f} from black to this picture: {gap:.2%} "
    "apart (the method promises under 1%).").format(total=attribution.total, answer=names[answer],
                                              difference=attribution.difference,
                                              gap=attribution.gap))
st.markdown(_("**Sanity check** (Adebayo et al., 2018): the same maps from the same network "
              "with random weights. A method whose map barely changes is showing the outline of "
              "the digit, not the model's reasons."))
if st.button(_("Run the sanity check"), icon=":material/shuffle:", key="sanity"):
    random_model = caches.randomized_model(choice, entry.get("created"))
    for name, method in ((_("Gradient"), explain.gradient),
                         (_("Integrated Gradients"),
                          lambda network, picture, label: explain.integrated_gradients(
                              network, picture, label).pixels)):
        trained, random = method(model, image, answer), method(random_model, image, answer)
        # A flat map (e.g. all zero) has no correlation with anything: NaN, read as none.
        correlation = float(np.nan_to_num(np.corrcoef(trained.ravel(), random.ravel())[0, 1]))
        map_column, text_column = st.columns([1, 2])
        show_map(map_column, random, f"random-{name}")
        text_column.markdown(_(
            "**{method}** with random weights: its map correlates {correlation:.2f} with the "
            "trained model's. {verdict}").format(
            method=name, correlation=correlation,
            verdict=_("It changed: this map shows what the model learned.")
            if abs(correlation) < 0.5 else
            _("It barely changed: this map mostly shows the drawing itself.")))
