"""Training jobs on a page: the class's waiting and running jobs, and one job opened live.

Shared by Train and Our handwriting, whose jobs the whole class sees alike.
"""

import streamlit as st

from mnist_core import jobs, models, store
from pages import charts, common


def class_jobs():
    """Every job of the class that waits or trains; any of them opens below."""
    waiting_and_training = jobs.active()
    if not waiting_and_training:
        return
    st.subheader("Training in the class")
    for job in waiting_and_training:
        snapshot = job.snapshot()
        by = f", started by {snapshot.nickname}" if snapshot.nickname else ""
        line, button = st.columns([6, 1], vertical_alignment="center")
        line.markdown(f"**{models.info(job.model_name).title}** on "
                      f"{common.dataset_title(snapshot.dataset_name)}{by}: "
                      f"{snapshot.status_text()}")
        if button.button("Open", key=f"open-{job.id}",
                         disabled=job is st.session_state.get("job")):
            st.session_state["job"] = job


def opened_job(job, owner):
    """Progress, live curves, Stop and the outcome of one job, whoever started it.

    Args:
        job: a `jobs.TrainingJob`.
        owner: this browser session's id: a job it started selects its model when done.
    """
    snapshot = job.snapshot()
    by = f", started by {snapshot.nickname}" if snapshot.nickname else ""
    st.subheader(f"Training {models.info(job.model_name).title}{by}")
    ended = snapshot.state in jobs.FINAL_STATES
    if not ended:
        st.progress(snapshot.progress, text=snapshot.status_text())
        eta = snapshot.eta
        st.caption(f"Elapsed {snapshot.elapsed:.0f} s"
                   + (f", about {eta:.0f} s to go" if eta is not None else ""))
        if st.button("Stop", icon=":material/stop:", key="stop", disabled=snapshot.stopping):
            job.stop()
            st.rerun(scope="fragment")
    if snapshot.history:
        st.plotly_chart(charts.training_curves({job.model_name: list(snapshot.history)}),
                        key="curves", config=charts.CONFIG)
    result, ours = snapshot.result, job.owner == owner
    if snapshot.state == "failed":
        st.error(snapshot.status_text())
    elif ended and result is None:
        st.warning(f"{snapshot.status_text()}.")
    elif ended:
        st.success(f"{snapshot.status_text()} in {result['seconds']:.0f} s: "
                   f"**{result['test_accuracy']:.2%}** on {result['test_size']:,} test images. "
                   f"Saved as **{result['name']}**{' and selected in the sidebar' * ours}.")
        if ours and st.session_state.get("announced") != result["name"]:
            st.session_state["announced"] = result["name"]
            common.select_next(result["dataset"], str(store.ModelKey("store", result["name"])))
            st.rerun(scope="app")
