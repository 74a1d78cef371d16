"""Compare models: the tutorials' MLP, CNN and LSTM trained one after another on the same data.

Session state "compare" holds the run, a `runs.TrainingQueue`: it trains in worker processes
and starts each model when the one before ends, so the comparison carries on while the class
looks at other pages.
"""

import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.networks import zoo
from mnist_core.training import runs
from ui import charts, code_view, common, plain_text, pupil, run_tables

TUTORIAL_MODELS = ["mlp", "cnn", "lstm"]  # the three networks the tutorials compare
DEFAULT_EPOCHS = 3  # of the tutorials' 10: a lesson-sized wait on a CPU, most of the accuracy
VALIDATION_SPLIT = 0.2

st.title(_("Compare models"))
st.markdown(_("The tutorials trained three kinds of network on the same digits and found the "
              "convolutional one best. Train them here one after another, each with its "
              "tutorial's batch size and optimizer, and watch the comparison build up live."))


run = st.session_state.get("compare")
running = run is not None and not run.finished

chosen = st.multiselect(_("Models, trained in this order"), zoo.available(),
                        default=TUTORIAL_MODELS, disabled=running, key="chosen",
                        format_func=lambda name: zoo.info(name).title)
epochs_column, data_column = st.columns([1, 2], vertical_alignment="bottom")
epochs = epochs_column.number_input(
    _("Epochs for every model"), 1, 100, DEFAULT_EPOCHS, disabled=running, key="epochs",
    help=_("The tutorials trained 10 epochs on 60,000 digits; fewer epochs keep a lesson short "
           "on a CPU."))
data_column.caption(_("Data: **{dataset}**, as chosen in the sidebar. {share:.0%} of the training "
                      "images are held out for validation; each model keeps its tutorial's batch "
                      "size and optimizer.").format(
    dataset=common.dataset_title(st.session_state.get("dataset", "mnist")),
    share=VALIDATION_SPLIT))

chosen_plan = [(name, int(epochs), zoo.info(name).batch_size) for name in chosen]
if chosen:
    with st.expander(_("The Keras code of these models, with these settings"),
                     icon=":material/code:"):
        for tab, (name, plan_epochs, batch_size) in zip(
                st.tabs([zoo.info(name).title for name in chosen]), chosen_plan):
            with tab:
                code_view.show(name, st.session_state.get("dataset", "mnist"), plan_epochs,
                               batch_size, VALIDATION_SPLIT, key=f"code-{name}")

if st.button(_("Train them one after another"), type="primary", icon=":material/play_arrow:",
             disabled=running or not chosen, key="start"):
    person = pupil.me()
    try:
        st.session_state["compare"] = runs.TrainingQueue(
            chosen_plan, common.current_dataset(), VALIDATION_SPLIT, owner=person.id,
            nickname=person.nickname)
    except ValueError as error:
        st.error(plain_text.markdown(str(error)))
        st.stop()
    st.rerun()  # draw the settings again, locked while the models train


def show_run():
    """Poll the run: start the next job when one finishes, show the table and the curves."""
    run = st.session_state.get("compare")
    if run is not None:
        dataset = run.dataset
        st.caption(_("Last run on {dataset}: {train:,} training and {test:,} test images.").format(
            dataset=plain_text.markdown(common.dataset_title(dataset.name)),
            train=len(dataset.x_train),
            test=len(dataset.x_test)))
    run_tables.comparison(run.plan if run else chosen_plan, run)
    if run is None:
        st.caption(_("The tutorials' accuracies are after 10 epochs on the full MNIST. On a CPU "
                     "an epoch of 60,000 digits takes seconds for the MLP and minutes for the "
                     "CNN and the LSTM."))
        return
    job_in_training = next((job for job in run.jobs if not job.finished), None)
    if job_in_training is not None:
        snapshot = job_in_training.snapshot()
        st.progress(snapshot.progress, text=_("{model}: {status}").format(
            model=zoo.info(job_in_training.model_name).title,
            status=snapshot.status_text()))
    if not run.finished:
        if st.button(_("Stop"), icon=":material/stop:", key="stop",
                     help=_("Stops the model in training now (its finished epochs are kept) and "
                            "cancels the ones still waiting.")):
            run.stop(pupil.me())
            st.rerun(scope="fragment")
        st.caption(_("The models keep training while you visit other pages."))
    curves = {zoo.info(job.model_name).title: list(job.snapshot().history)
              for job in run.jobs}
    if any(curves.values()):
        st.plotly_chart(charts.training_curves(curves), key="curves", config=charts.CONFIG)
    if running and run.finished:
        st.rerun(scope="app")  # stop polling; the full rerun re-enables the settings


st.fragment(show_run, run_every=1.0 if running else None)()
