"""Backpropagation: the tutorial's 2-2-2 network, one forward pass and one update, step by step."""

import streamlit as st

from mnist_core.i18n import N_, ngettext
from mnist_core.i18n import gettext as _
from mnist_core.lessons import backprop
from mnist_core.lessons.backprop import INPUTS, TARGETS, exact
from ui import backprop_steps, charts, lesson_charts

# The step control's options: English msgids, the same in every language, shown translated.
STEPS = [N_("1. Forward pass"), N_("2. Error"), N_("3. Gradients"), N_("4. Update")]


def step_by(offset):
    """Move the step control (a callback, so it runs before the control is drawn again)."""
    current = STEPS.index(st.session_state.get("step") or STEPS[0])
    st.session_state["step"] = STEPS[(current + offset) % len(STEPS)]


def restore_tutorial():
    """Draw the number inputs afresh (new keys) at the tutorial's values."""
    st.session_state["settings-version"] = st.session_state.get("settings-version", 0) + 1
    st.session_state.pop("training", None)


st.title(_("Backpropagation"))
st.markdown(_("The tutorials' small network: two inputs ({i1}, {i2}), two hidden and two output "
              "neurons with the logistic activation, and the targets {t1} and {t2}. Step through "
              "one round of learning: compute the outputs, measure the error, find every "
              "weight's share of the blame, and update.").format(
    i1=INPUTS[0], i2=INPUTS[1], t1=TARGETS[0], t2=TARGETS[1]))

version = st.session_state.get("settings-version", 0)
with st.expander(_("Learning rate and starting weights (the tutorial's by default)")):
    learning_rate = st.columns(5)[0].number_input(_("Learning rate η"), 0.0, 100.0, 0.5, 0.1,
                                                  format="%.3f", key=f"learning-rate-{version}")
    columns = st.columns(5)
    weights = {name: columns[number % 5].number_input(name, value=value, step=0.05,
                                                      format="%.4f", key=f"{name}-{version}")
               for number, (name, value) in enumerate(backprop.TUTORIAL_WEIGHTS.items())}
    st.button(_("Back to the tutorial's numbers"), on_click=restore_tutorial,
              icon=":material/restart_alt:")

result = backprop.backprop_example(learning_rate, weights)

control, previous, following = st.columns([5, 1, 1], vertical_alignment="bottom")
# Its first value through the Session State, like Previous and Next set it: a widget given both
# a default and a Session State value makes Streamlit log a warning on every click.
st.session_state.setdefault("step", STEPS[0])
step_name = control.segmented_control(_("Step"), STEPS, key="step",
                                      required=True, format_func=_)
previous.button(_("Previous"), icon=":material/arrow_back:", on_click=step_by, args=(-1,),
                width="stretch", key="previous-step")
following.button(_("Next"), icon=":material/arrow_forward:", on_click=step_by, args=(1,),
                 width="stretch", type="primary", key="next-step")
step = STEPS.index(step_name)

st.plotly_chart(lesson_charts.network_figure(result, step), key="network", config=charts.CONFIG)
with st.container(key="explanation"):
    backprop_steps.show(step, result, weights, learning_rate)

st.subheader(_("Keep going"))
st.markdown(_("One update lowers the error only a little. Repeat the same four steps many times "
              "and the outputs close in on their targets. The tutorial reports an error of "
              "0.0000351085 after 10,000 updates."))
steps_column, button_column, scale_column = st.columns([2, 2, 3], vertical_alignment="bottom")
steps = steps_column.number_input(_("Updates"), 1, 100_000, 1000, 1000, key="steps")
settings = (learning_rate, tuple(weights.values()), steps)
train_label = ngettext("Train {count:,} step", "Train {count:,} steps", steps).format(count=steps)
if button_column.button(train_label, type="primary", icon=":material/replay:",
                        key="train"):
    st.session_state["training"] = {
        "settings": settings,
        "errors": [result.total_error] + backprop.train_steps(steps, learning_rate, weights)}
log_scale = scale_column.toggle(_("Logarithmic error axis"), True,
                                help=_("On a log axis the last steps, where the error is tiny, "
                                       "stay visible."))
training = st.session_state.get("training")
if training is None or training["settings"] != settings:
    st.caption(_("Press the button to run the updates with the settings above."))
    st.stop()
errors = training["errors"]
first, last = st.columns(2)
first.metric(_("Error before training"), exact(errors[0]))
updates = len(errors) - 1
last.metric(ngettext("Error after {count:,} update", "Error after {count:,} updates",
                     updates).format(count=updates), f"{errors[-1]:.10f}",
            f"{errors[-1] / errors[0] - 1:.2%}", delta_color="inverse")
st.plotly_chart(lesson_charts.error_curve(errors, log_scale), key="error-curve", config=charts.CONFIG)
