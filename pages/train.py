"""Train: pick data and a model, start, watch the curves live, stop, compare every run."""

import pandas as pd
import streamlit as st

from mnist_core import jobs, models, store
from pages import charts, common

st.title("Train")


job = st.session_state.get("job")
running = job is not None and not job.finished
settings, description = st.columns([2, 3], gap="large")
current = st.session_state.get("dataset", "mnist")  # the sidebar's choice is the default
kinds = [*common.DATASET_TITLES, "folder"]
with settings:
    kind = st.selectbox("Data set", kinds, index=kinds.index(current if current in kinds
                                                              else "folder"),
                        format_func=lambda name: "Folder of labelled images" if name == "folder"
                        else common.dataset_title(name), disabled=running)
    dataset_name = kind
    if kind == "folder":
        dataset_name = st.text_input(
            "Folder", "" if current in kinds else current, placeholder="/path/to/digits",
            help="Images named like 3.17.png, or stored in sub-folders 0/ to 9/.").strip()
    model_name = st.selectbox("Model", models.available(), index=1, disabled=running,
                              format_func=lambda name: models.info(name).title)
    entry = models.info(model_name)
    epochs = st.number_input("Epochs", 1, 200, entry.epochs, disabled=running,
                             key=f"epochs-{model_name}")
    batch_size = st.number_input("Batch size", 8, 4096, entry.batch_size, disabled=running,
                                 key=f"batch-{model_name}")
    validation_split = st.slider("Validation split", 0.0, 0.5, 0.2, 0.05, disabled=running,
                                 help="Share of the training images held out (shuffled and "
                                      "stratified) to check the model on data it never learns.")
with description:
    st.subheader(entry.title)
    st.markdown(entry.description)
    st.caption(f"{common.parameter_count(model_name):,} parameters. Tutorial: {entry.tutorial_result}. "
               f"Tutorial settings: {entry.epochs} epochs, batch size {entry.batch_size}.")

if st.button("Start training", type="primary", icon=":material/play_arrow:", disabled=running):
    if not dataset_name:
        st.error("Type the folder that holds your labelled images first.")
        st.stop()
    try:
        dataset = common.load_dataset(dataset_name)
    except ValueError as error:
        st.error(f"Cannot load {common.dataset_title(dataset_name)}: {error}")
        st.stop()
    if kind == "folder":
        st.session_state["folders"] = list({*st.session_state.get("folders", []), dataset_name})
    st.session_state["job"] = jobs.TrainingJob(model_name, dataset, int(epochs),
                                               int(batch_size), validation_split)
    st.rerun()  # draw the settings again, locked while the model trains


def show_job():
    """Progress, live curves and the outcome of this session's training job."""
    job = st.session_state.get("job")
    if job is None:
        return
    snapshot = job.snapshot()
    finished, history = not running or job.finished, snapshot["history"]
    st.subheader(f"Training {models.info(job.model_name).title}")
    state = snapshot["state"]
    if state == "waiting":
        st.progress(0.0, text=f"Waiting for a free trainer: this computer trains "
                              f"{jobs.MAX_RUNNING} model{'s' * (jobs.MAX_RUNNING > 1)} at a "
                              "time, for the whole class...")
    elif state == "starting":
        st.progress(0.0, text="Starting the trainer (loading TensorFlow)...")
    elif state == "running":
        done, per_epoch = snapshot["batch"]
        stopping = " - stopping..." if snapshot["stopping"] else ""
        if snapshot["testing"]:
            st.progress(1.0, text="Testing the model on the test set and saving it...")
        else:
            st.progress(done / per_epoch, text=f"Epoch {len(history) + 1} of "
                        f"{snapshot['epochs']}: batch {done} of {per_epoch}{stopping}")
        eta = snapshot["eta"]
        st.caption(f"Elapsed {snapshot['elapsed']:.0f} s"
                   + (f", about {eta:.0f} s to go" if eta is not None else ""))
    if state in ("waiting", "starting", "running") and st.button(
            "Stop", icon=":material/stop:", disabled=snapshot["stopping"]):
        job.stop()
        st.rerun(scope="fragment")
    if history:
        st.plotly_chart(charts.training_curves({job.model_name: history}), key="curves")
    if state == "failed":
        st.error(f"Training failed: {snapshot['error']}")
    elif state in ("done", "stopped"):
        result = snapshot["result"]
        if result is None:
            st.warning("Stopped before the first epoch finished: nothing was saved.")
        else:
            st.success(f"{'Stopped' if state == 'stopped' else 'Done'} after "
                       f"{result['epochs']} epochs in {result['seconds']:.0f} s: "
                       f"**{result['test_accuracy']:.2%}** on {result['test_size']:,} test "
                       f"images. Saved as **{result['name']}** and selected in the sidebar.")
            if st.session_state.get("announced") != result["name"]:
                st.session_state["announced"] = result["name"]
                common.select_next(result["dataset"], f"store:{result['name']}")
                st.rerun(scope="app")
    if not finished and job.finished:
        st.rerun(scope="app")  # stop polling; the full rerun re-enables the settings


st.fragment(show_job, run_every=1.0 if running else None)()

st.subheader("Every trained run")
runs = [entry for entry in store.list() if "error" not in entry]
if not runs:
    st.caption("Runs appear here when they finish, so the tutorials' comparison of the MLP, "
               "CNN and LSTM builds up live.")
else:
    st.dataframe(pd.DataFrame([{
        "name": run["name"], "model": run.get("model"),
        "data": common.dataset_title(run.get("dataset", "?")),
        "parameters": run.get("parameters"), "epochs": run.get("epochs"),
        "seconds": round(run.get("seconds", 0)),
        "test accuracy": (100 * run["test_accuracy"] if run.get("test_accuracy") is not None
                          else None),
    } for run in runs]), hide_index=True, column_config={
        "parameters": st.column_config.NumberColumn(format="localized"),
        "test accuracy": st.column_config.NumberColumn(format="%.2f%%")})
