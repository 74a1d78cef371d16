"""Our handwriting: how the model reads the class collection, and teaching it to read it better."""

import numpy as np
import streamlit as st

from mnist_core import collection, evaluate, jobs, predict, teach
from pages import classroom, common, job_view

TEACHING_EPOCHS, BATCH_SIZE = 2, 128

st.title("Our handwriting")
st.markdown(
    "A model is only as good as the data it learned from, and **our handwriting is not "
    "MNIST's**. Here the current model reads every drawing of the class collection (page "
    "**Class**), and then we teach it our handwriting.")
name, nickname = classroom.collection_and_nickname()
model, entry, choice = common.current_model()
images, labels, file_names = collection.drawings(name)
if entry.get("dataset", "mnist") == "fashion_mnist" or not len(labels):
    st.info("Save some drawings on the **Class** page first, and pick a digit model in the "
            "sidebar.")
    st.stop()

st.header(f"How does {entry['name']} read our handwriting?")
ours = predict.probabilities(model, images).argmax(axis=1)
mnist_labels = common.load_dataset("mnist").y_test
mnist = common.test_probabilities(model, choice, entry.get("created"), "mnist").argmax(axis=1)
ours_column, mnist_column = st.columns(2)
ours_column.metric("On our drawings", f"{evaluate.accuracy(labels, ours):.1%}",
                   f"{len(labels):,} drawings", delta_color="off", delta_arrow="off")
mnist_column.metric("On the MNIST test set", f"{evaluate.accuracy(mnist_labels, mnist):.1%}",
                    f"{len(mnist_labels):,} digits", delta_color="off", delta_arrow="off")
per_digit = {source: evaluate.precision_recall(evaluate.confusion_matrix(truth, read))[1]
             for source, truth, read in [("our drawings", labels, ours),
                                         ("MNIST test set", mnist_labels, mnist)]}
st.dataframe({"digit": list(range(10)),
              **{source: [f"{share:.0%}" for share in shares]
                 for source, shares in per_digit.items()}},
             hide_index=True)
wrong = np.flatnonzero(ours != labels)
st.subheader(f"Our drawings it gets wrong: {len(wrong)}")
st.caption("Open one to see it on the Draw page, and inside the model on Feature maps.")
for start in range(0, min(len(wrong), 24), 8):
    for column, index in zip(st.columns(8), wrong[start:start + 8]):
        column.image(images[index].repeat(3, axis=0).repeat(3, axis=1),
                     caption=f"meant {labels[index]}, read {ours[index]}")
        if column.button("Open", key=f"open {file_names[index]}", width="stretch"):
            common.set_input(images[index] / np.float32(255), f"{file_names[index]} of {name}")
            st.switch_page("pages/draw.py")

st.header("Teach it our handwriting")
st.markdown(
    f"Fine-tune {entry['name']} on MNIST's training digits plus our drawings, repeated so that "
    "they make a quarter of every epoch. A fifth of our drawings is held out: the model never "
    "learns from them, so they show whether it really learned our handwriting, and the MNIST "
    "test set shows whether it forgot MNIST's.")
owner = common.session_owner()
if st.button("Teach the model our handwriting", type="primary", icon=":material/school:",
             disabled=jobs.owned_by(owner) is not None):
    try:
        teach.split_collection(labels)  # names the digits that need more drawings
        st.session_state["teaching"] = jobs.TrainingJob(
            entry["model"], common.load_dataset("mnist"), TEACHING_EPOCHS, BATCH_SIZE,
            owner=owner, nickname=nickname, teach=(choice, name, images, labels))
    except ValueError as error:
        st.error(str(error))
        st.stop()
job = st.session_state.get("teaching")
if job is None:
    st.stop()


def show_teaching(polling):
    """The teaching job live, then our held-out drawings and MNIST before and after."""
    job_view.opened_job(job, owner)
    result = job.snapshot().result
    if result is not None and "taught" in result:
        before, after = result["taught"]["before"], result["taught"]["after"]
        test_sets = {teach.HELD_OUT: "On our held-out drawings",
                     teach.MNIST_TEST: "On the MNIST test set"}
        for column, (test_set, label) in zip(st.columns(2), test_sets.items()):
            column.metric(label, f"{after[test_set]:.1%}",
                          f"{after[test_set] - before[test_set]:+.1%} (before: "
                          f"{before[test_set]:.1%})")
    if polling and job.finished:
        st.rerun(scope="app")  # stop polling


st.fragment(show_teaching, run_every=None if job.finished else 1.0)(not job.finished)
