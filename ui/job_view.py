"""Training jobs on a page: the class's waiting and running jobs, and one job opened live.

Shared by Train and Our handwriting, whose jobs the whole class sees alike.
"""

import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.networks import store, zoo
from mnist_core.training import jobs, progress
from ui import charts, common, plain_text


def class_jobs():
    """Every job of the class that waits or trains; any of them opens below."""
    waiting_and_training = jobs.active()
    if not waiting_and_training:
        return
    st.subheader(_("Training in the class"))
    for job in waiting_and_training:
        snapshot = job.snapshot()
        fields = dict(model=zoo.info(job.model_name).title,
                      data_set=plain_text.markdown(common.dataset_title(snapshot.dataset_name)),
                      nickname=plain_text.markdown(snapshot.nickname),
                      status=snapshot.status_text())
        line, button = st.columns([6, 1], vertical_alignment="center")
        line.markdown((_("**{model}** on {data_set}, started by {nickname}: {status}")
                       if snapshot.nickname else
                       _("**{model}** on {data_set}: {status}")).format(**fields))
        if button.button(_("Open"), key=f"open-{job.id}",
                         disabled=job is st.session_state.get("job")):
            st.session_state["job"] = job


def opened_job(job, person):
    """Progress, live curves, Stop (its owner's and the teacher's) and the outcome of one job.

    Args:
        job: a `jobs.TrainingJob`.
        person: this browser's `Person`: a job it started selects its model when done.
    """
    snapshot = job.snapshot()
    title = zoo.info(job.model_name).title
    st.subheader(_("Training {model}, started by {nickname}").format(
        model=title, nickname=plain_text.markdown(snapshot.nickname)) if snapshot.nickname else
        _("Training {model}").format(model=title))
    ended = snapshot.state in progress.FINAL_STATES
    if not ended:
        st.progress(snapshot.progress, text=snapshot.status_text())
        eta = snapshot.eta
        st.caption(_("Elapsed {elapsed:.0f} s").format(elapsed=snapshot.elapsed)
                   if eta is None else
                   _("Elapsed {elapsed:.0f} s, about {eta:.0f} s to go").format(
                       elapsed=snapshot.elapsed, eta=eta))
        if person.owns(job.owner) and st.button(_("Stop"), icon=":material/stop:", key="stop",
                                                disabled=snapshot.stopping):
            try:
                job.stop(person)
            except PermissionError as error:  # e.g. the teacher's browser restarted
                st.error(plain_text.markdown(str(error)))
            else:
                st.rerun(scope="fragment")
    if snapshot.history:
        st.plotly_chart(charts.training_curves({job.model_name: list(snapshot.history)}),
                        key="curves", config=charts.CONFIG)
    result, ours = snapshot.result, job.owner == person.id
    if ended and job.stopped_by_teacher:
        st.info(_("The teacher stopped this run."))
    if snapshot.state == "failed":
        st.error(snapshot.status_text())
    elif ended and result is None:
        st.warning(_("{status}.").format(status=snapshot.status_text()))
    elif ended:
        st.success((_("{status}: **{accuracy:.2%}** on {count:,} test images. Saved as "
                      "**{name}** and selected in the sidebar.") if ours else
                    _("{status}: **{accuracy:.2%}** on {count:,} test images. Saved as "
                      "**{name}**.")).format(
            status=snapshot.status_text(), accuracy=result["test_accuracy"],
            count=result["test_size"], name=plain_text.markdown(result["name"])))
    if ended and snapshot.times_text():
        st.caption(snapshot.times_text())
    if ended and result is not None and ours:
        _select_new_model(result)


def _select_new_model(result):
    """Select a pupil's new model in the sidebar, once; if it reads worse than the model it
    replaced, say so and offer that one back (Draw would otherwise quietly answer worse)."""
    if st.session_state.get("announced") != result["name"]:
        st.session_state["announced"] = result["name"]
        previous = st.session_state.get("model_choice")
        entry = common.model_options(result["dataset"]).get(previous)
        st.session_state["replaced"] = (result["name"], previous, entry)
        common.select_next(result["dataset"], str(store.ModelKey("store", result["name"])))
        st.rerun(scope="app")
    replaced_by, previous, entry = st.session_state.get("replaced") or (None, None, None)
    if replaced_by != result["name"] or entry is None:
        return
    if entry.get("test_accuracy", 0) <= result["test_accuracy"]:
        return
    st.warning(_("Your new model reads {new:.2%} of the test images right, the model it "
                 "replaced in the sidebar ({old}) {accuracy:.2%}: Draw and the other pages "
                 "now answer with the new one.").format(
        new=result["test_accuracy"], old=plain_text.markdown(common.model_label(entry)),
        accuracy=entry["test_accuracy"]))
    if st.button(_("Go back to the better model"), icon=":material/undo:", key="keep-better"):
        st.session_state["replaced"] = None
        common.select_next(result["dataset"], previous)
        st.rerun(scope="app")
