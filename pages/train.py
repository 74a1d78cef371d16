"""Train: pick data and a model, start, watch the curves live, stop, compare every run."""

import streamlit as st

from mnist_core.datasets import stored
from mnist_core.i18n import gettext as _
from mnist_core.networks import store, zoo
from mnist_core.training import runs
from ui import caches, code_view, common, job_view, plain_text, pupil, run_tables

st.title(_("Train"))


person = pupil.me()  # one browser, one pupil, following one job at a time
owner = person.id
running = runs.owned_by(owner) is not None  # the settings stay locked while it trains
polling = bool(runs.active())  # while anyone in the class trains, the list below is live
settings, description = st.columns([2, 3], gap="large")
sidebar_dataset = st.session_state.get("dataset", "mnist")  # the default choice here
UPLOAD = ""  # the choice to upload a new data set: no data set has an empty name
choices = [*common.dataset_names(), UPLOAD]
with settings:
    dataset_name = st.selectbox(
        _("Data set"), choices,
        index=choices.index(sidebar_dataset) if sidebar_dataset in choices else 0,
        format_func=lambda name: common.dataset_title(name) if name else
        _("Upload labelled images..."), disabled=running)
    if dataset_name and st.session_state.get("uploaded") == dataset_name:
        st.success(_("Uploaded for the whole class as **{name}**: it is in every data set "
                     "list now.").format(name=plain_text.markdown(dataset_name)))
    if dataset_name == UPLOAD:
        uploads = st.file_uploader(
            _("A .zip, or image files named like 3.17.png"), type=stored.UPLOAD_SUFFIXES,
            accept_multiple_files=True, key=f"upload-{st.session_state.get('uploads', 0)}",
            help=_("In a zip, images named like 3.17.png or kept in folders 0/ to 9/ (the "
                   "tutorials' layout). At least 2 images of every digit."))
        upload_name = st.text_input(_("Name of the data set"), max_chars=90,
                                    placeholder=_("Optional: the zip's name if empty"))
        if st.button(_("Upload"), icon=":material/upload:", disabled=not uploads):
            try:
                uploaded = stored.save_upload(
                    upload_name, [(upload.name, upload.getvalue()) for upload in uploads],
                    by=person)
            except ValueError as error:
                st.session_state["refused"] = _(
                    "Upload refused, nothing was stored. {error}").format(
                        error=plain_text.markdown(str(error)))
            else:
                st.session_state["uploaded"] = uploaded
                common.select_next(uploaded, None)
            # An uploader adds to the files it holds: a fresh one, so a corrected zip is alone.
            st.session_state["uploads"] = st.session_state.get("uploads", 0) + 1
            st.rerun()
        if "refused" in st.session_state:
            st.error(st.session_state.pop("refused"))
    model_name = st.selectbox(_("Model"), zoo.available(), index=1, disabled=running,
                              key="train_model", format_func=lambda name: zoo.info(name).title)
    zoo_entry = zoo.info(model_name)
    epochs = st.number_input(_("Epochs"), 1, 200, zoo_entry.epochs, disabled=running,
                             key=f"epochs-{model_name}")
    batch_size = st.number_input(_("Batch size"), 8, 4096, zoo_entry.batch_size, disabled=running,
                                 key=f"batch-{model_name}")
    validation_split = st.slider(_("Validation split"), 0.0, 0.5, 0.2, 0.05, disabled=running,
                                 key="validation_split",
                                 help=_("Share of the training images held out (shuffled and "
                                        "stratified) to check the model on data it never "
                                        "learns."))
with description:
    st.subheader(zoo_entry.title)
    st.markdown(zoo_entry.description)
    st.caption(_("{count:,} parameters. Tutorial: {result}. Tutorial settings: {epochs} epochs, "
                 "batch size {batch_size}.").format(
        count=caches.parameter_count(model_name), result=zoo_entry.tutorial_result,
        epochs=zoo_entry.epochs, batch_size=zoo_entry.batch_size))
with st.expander(_("The Keras code of this model, with these settings"), icon=":material/code:"):
    code_view.show(model_name, dataset_name, int(epochs), int(batch_size), validation_split,
                   key="train-code")

nickname = pupil.nickname_input(width=300, disabled=running).nickname
if st.button(_("Start training"), type="primary", icon=":material/play_arrow:", disabled=running,
             key="start"):
    if dataset_name == UPLOAD:
        st.error(_("Upload your labelled images first: choose them, then press **Upload**."))
        st.stop()
    dataset = common.dataset_or_stop(dataset_name)
    try:
        st.session_state["job"] = runs.start(model_name, dataset, int(epochs), int(batch_size),
                                             validation_split, owner=owner, nickname=nickname)
    except ValueError as error:
        st.error(plain_text.markdown(str(error)))
        st.stop()
    st.rerun()  # draw the settings again, locked while the model trains


def show_jobs():
    """The class's jobs and the opened one, refreshed every second while any trains."""
    job_view.class_jobs()
    job = st.session_state.get("job")
    if job is not None:
        job_view.opened_job(job, person)
    if (runs.owned_by(owner) is not None, bool(runs.active())) != (running, polling):
        st.rerun(scope="app")  # start or stop polling; unlock the settings once ours ended


st.fragment(show_jobs, run_every=1.0 if polling else None)()

st.subheader(_("Every trained run"))
finished_runs = [run for run in store.saved_models() if "error" not in run]
if not finished_runs:
    st.caption(_("Runs appear here when they finish, so the tutorials' comparison of the MLP, "
                 "CNN and LSTM builds up live."))
else:
    run_tables.saved_runs(finished_runs)
