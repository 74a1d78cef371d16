"""Training jobs on a page: the class's waiting and running jobs, and one job opened live.

Shared by Train and Our handwriting, whose jobs the whole class sees alike.
"""

import time

import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from mnist_core.networks import store, zoo
from mnist_core.training import progress, runs
from ui import charts, common, plain_text


def class_jobs():
    """Every job of the class that waits or trains; any of them opens below."""
    waiting_and_training = runs.active()
    if not waiting_and_training:
        return
    st.subheader(_("Training in the class"))
    estimates = runs.forecasts()
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
        details = [forecast_text(estimates[job.id])] if job.id in estimates else []
        if snapshot.followers > 1:
            details.append(ngettext("{count} pupil follows it", "{count} pupils follow it",
                                    snapshot.followers).format(count=snapshot.followers))
        if details:
            line.caption(" · ".join(details))
        if button.button(_("Open"), key=f"open-{job.id}",
                         disabled=job is st.session_state.get("job")):
            st.session_state["job"] = job


def forecast_text(estimate):
    """A job's `forecast.Forecast` for a pupil, e.g. "number 2 in line: starts about 14:05
    (in 3 min), done about 14:07 (in 5 min)"."""

    def clock(seconds):
        return time.strftime("%H:%M", time.localtime(time.time() + seconds))

    def minutes(seconds):
        return max(1, round(seconds / 60))

    done = _("done about {end} (in {minutes} min)").format(
        end=clock(estimate.ends_in), minutes=minutes(estimate.ends_in))
    if estimate.place is None:
        return done
    return _("number {place} in line: starts about {start} (in {minutes} min), {done}").format(
        place=estimate.place, start=clock(estimate.starts_in),
        minutes=minutes(estimate.starts_in), done=done)


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
    follows, others = job.follows(person.id), job.others_following(person.id)
    if follows and others:
        st.info(ngettext("Training together with {count} other pupil: same settings, so the "
                         "same model. Its model is yours too. For a run of your own, change a "
                         "setting (epochs, batch size...) before you start.",
                         "Training together with {count} other pupils: same settings, so the "
                         "same model. Its model is yours too. For a run of your own, change a "
                         "setting (epochs, batch size...) before you start.",
                         others).format(count=others), icon=":material/group:")
    if not ended:
        st.progress(snapshot.progress, text=snapshot.status_text())
        # Only a waiting job needs the class's forecast (the list above has it for every job).
        estimate = runs.forecasts().get(job.id) if snapshot.state == "waiting" else None
        if estimate is not None:
            st.caption(forecast_text(estimate).capitalize())
        else:
            eta = snapshot.eta
            st.caption(_("Elapsed {elapsed:.0f} s").format(elapsed=snapshot.elapsed)
                       if eta is None else
                       _("Elapsed {elapsed:.0f} s, about {eta:.0f} s to go").format(
                           elapsed=snapshot.elapsed, eta=eta))
        leaves = follows and others and not person.is_teacher  # the run goes on for the others
        if (follows or person.is_teacher) and st.button(
                _("Leave this run") if leaves else _("Stop"), icon=":material/stop:", key="stop",
                disabled=snapshot.stopping,
                help=_("It goes on for the others who follow it.") if leaves else None):
            try:
                job.stop(person)
            except PermissionError as error:  # e.g. the teacher's browser restarted
                st.error(plain_text.markdown(str(error)))
            else:
                st.rerun(scope="fragment")
    if snapshot.history:
        st.plotly_chart(charts.training_curves({job.model_name: list(snapshot.history)}),
                        key="curves", config=charts.CONFIG)
    result, ours = snapshot.result, follows
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
