"""Our handwriting: how the model reads the class collection, and teaching it to read it better."""

import numpy as np
import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from mnist_core.networks import evaluate
from mnist_core.training import runs, teach
from ui import caches, classroom, common, job_view, plain_text

TEACHING_EPOCHS, BATCH_SIZE = 2, 128

st.title(_("Our handwriting"))
st.markdown(_(
    "A model is only as good as the data it learned from, and **our handwriting is not "
    "MNIST's**. Here the current model reads every drawing of the class collection (page "
    "**Class**), and then we teach it our handwriting."))
name, person = classroom.collection_and_person()
model, entry, choice = common.current_model()
readings = (None if entry.get("dataset", "mnist") == "fashion_mnist" else
            caches.collection_readings(model, choice, entry.get("created"), name))
if readings is None or not len(readings[1]):
    st.info(_("Save some drawings on the **Class** page first, and pick a digit model in the "
              "sidebar."))
    st.stop()

st.header(_("How does {model} read our handwriting?").format(
    model=plain_text.markdown(entry["name"])))
images, labels, file_names, ours = readings
mnist_labels = caches.load_dataset("mnist").y_test
mnist = caches.test_probabilities(model, choice, entry.get("created"), "mnist").argmax(axis=1)
ours_column, mnist_column = st.columns(2)
ours_column.metric(_("On our drawings"), f"{evaluate.accuracy(labels, ours):.1%}",
                   ngettext("{count:,} drawing", "{count:,} drawings", len(labels)).format(
                       count=len(labels)), delta_color="off", delta_arrow="off")
mnist_column.metric(_("On the MNIST test set"), f"{evaluate.accuracy(mnist_labels, mnist):.1%}",
                    ngettext("{count:,} digit", "{count:,} digits", len(mnist_labels)).format(
                        count=len(mnist_labels)), delta_color="off", delta_arrow="off")
# Read right, per digit; a digit nobody drew yet says so rather than a 0% that reads as failure.
per_digit = {source: [f"{share:.0%}" if count else _("no drawings yet") for share, count in zip(
                 evaluate.precision_recall(evaluate.confusion_matrix(truth, read))[1],
                 np.bincount(truth, minlength=10))]
             for source, truth, read in [(_("our drawings"), labels, ours),
                                         (_("MNIST test set"), mnist_labels, mnist)]}
st.dataframe({_("digit"): list(range(10)), **per_digit}, hide_index=True)
wrong = np.flatnonzero(ours != labels)
st.subheader(_("Our drawings it gets wrong: {count}").format(count=len(wrong)))
st.caption(_("Open one to see it on the Draw page, and inside the model on Feature maps."))
for start in range(0, min(len(wrong), 24), 8):
    for column, index in zip(st.columns(8), wrong[start:start + 8]):
        column.image(images[index].repeat(3, axis=0).repeat(3, axis=1),
                     caption=_("meant {meant}, read {read}").format(meant=labels[index],
                                                                    read=ours[index]))
        if column.button(_("Open"), key=f"open {file_names[index]}", width="stretch"):
            common.set_input(images[index] / np.float32(255),
                             _("{file_name} of {collection}").format(file_name=file_names[index],
                                                                    collection=name))
            st.switch_page("pages/draw.py")

st.header(_("Teach it our handwriting"))
st.markdown(_(
    "Fine-tune {model} on MNIST's training digits plus our drawings, repeated so that "
    "they make a quarter of every epoch. A fifth of our drawings is held out: the model never "
    "learns from them, so they show whether it really learned our handwriting, and the MNIST "
    "test set shows whether it forgot MNIST's.").format(model=plain_text.markdown(entry["name"])))
owner = person.id  # one job waiting or training per pupil
if st.button(_("Teach the model our handwriting"), type="primary", icon=":material/school:",
             disabled=runs.owned_by(owner) is not None):
    try:
        teach.split_collection(labels)  # names the digits that need more drawings
        st.session_state["teaching"] = runs.start(
            entry["model"], caches.load_dataset("mnist"), TEACHING_EPOCHS, BATCH_SIZE,
            owner=owner, nickname=person.nickname, teach=(choice, name, images, labels))
    except ValueError as error:
        st.error(plain_text.markdown(str(error)))
        st.stop()
job = st.session_state.get("teaching")
if job is None:
    st.stop()


def show_teaching(polling):
    """The teaching job live, then our held-out drawings and MNIST before and after."""
    job_view.opened_job(job, person)
    result = job.snapshot().result
    if result is not None and "taught" in result:
        before, after = result["taught"]["before"], result["taught"]["after"]
        test_sets = {teach.HELD_OUT: _("On our held-out drawings"),
                     teach.MNIST_TEST: _("On the MNIST test set")}
        for column, (test_set, label) in zip(st.columns(2), test_sets.items()):
            column.metric(label, f"{after[test_set]:.1%}",
                          _("{change:+.1%} (before: {before:.1%})").format(
                              change=after[test_set] - before[test_set],
                              before=before[test_set]))
    if polling and job.finished:
        st.rerun(scope="app")  # stop polling


st.fragment(show_teaching, run_every=None if job.finished else 1.0)(not job.finished)
