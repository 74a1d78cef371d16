"""Backpropagation: the tutorial's 2-2-2 network, one forward pass and one update, step by step."""

import streamlit as st

from mnist_core import backprop
from mnist_core.backprop import INPUTS, TARGETS, exact
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from pages import charts, lesson_charts

# The step control's options: English msgids, the same in every language, shown translated.
STEPS = [N_("1. Forward pass"), N_("2. Error"), N_("3. Gradients"), N_("4. Update")]
# The update table's columns (data keys) and their headings.
UPDATE_COLUMNS = {"weight": N_("weight"), "before": N_("before"),
                  "gradient ∂E/∂w": N_("gradient ∂E/∂w"), "after": N_("after")}


def show_forward(result, weights):
    """Step 1: every neuron's net input and logistic output."""
    st.markdown(_("Each neuron adds up its weighted inputs and its bias (**net**), then "
                  "squashes that with the logistic function (**out**)."))
    inputs = [("i_1", INPUTS[0]), ("i_2", INPUTS[1])]
    hidden = [(f"out_{{{name}}}", exact(result.out[name])) for name in backprop.HIDDEN]
    for neuron, (a, b, bias) in backprop.INCOMING.items():
        (x, x_value), (y, y_value) = inputs if neuron in backprop.HIDDEN else hidden
        net = exact(result.net[neuron])
        st.latex(rf"net_{{{neuron}}} = w_{a[1]}\,{x} + w_{b[1]}\,{y} + b_{bias[1]} = "
                 rf"{exact(weights[a])} \times {x_value} + {exact(weights[b])} \times {y_value} + "
                 rf"{exact(weights[bias])} = {net}")
        st.latex(rf"out_{{{neuron}}} = \frac{{1}}{{1 + e^{{-{net}}}}} = "
                 rf"{exact(result.out[neuron])}")


def show_error(result):
    """Step 2: each output's squared error and their total."""
    st.markdown(_("How wrong is the network? Half the squared difference between each target "
                  "and output, added up."))
    for output, target in zip(backprop.OUTPUT, TARGETS):
        st.latex(rf"E_{{{output}}} = \tfrac{{1}}{{2}}(target_{{{output}}} - out_{{{output}}})^2 "
                 rf"= \tfrac{{1}}{{2}}({target} - {exact(result.out[output])})^2 "
                 rf"= {exact(result.error[output])}")
    st.latex(rf"E_{{total}} = E_{{o1}} + E_{{o2}} = {exact(result.total_error)}")


def show_gradients(result):
    """Step 3: the chain rule for w5, then for the hidden weight w1."""
    st.markdown(_("How much does the error change when **w5** changes a little? w5 reaches the "
                  "error only through net<sub>o1</sub> and out<sub>o1</sub> (the red path), so "
                  "the chain rule multiplies three simple derivatives:"), unsafe_allow_html=True)
    st.latex(r"\frac{\partial E_{total}}{\partial w_5} = "
             r"\frac{\partial E_{total}}{\partial out_{o1}} \cdot "
             r"\frac{\partial out_{o1}}{\partial net_{o1}} \cdot "
             r"\frac{\partial net_{o1}}{\partial w_5}")
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial out_{{o1}}}} = out_{{o1}} - "
             rf"target_{{o1}} = {exact(result.out['o1'])} - {TARGETS[0]} = "
             rf"{exact(result.error_by_out['o1'])}")
    st.latex(rf"\frac{{\partial out_{{o1}}}}{{\partial net_{{o1}}}} = out_{{o1}}(1 - out_{{o1}}) "
             rf"= {exact(result.slope['o1'])}")
    st.latex(rf"\frac{{\partial net_{{o1}}}}{{\partial w_5}} = out_{{h1}} = "
             rf"{exact(result.out['h1'])}")
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial w_5}} = {exact(result.error_by_out['o1'])} "
             rf"\times {exact(result.slope['o1'])} \times "
             rf"{exact(result.out['h1'])} = {exact(result.gradients['w5'])}")
    st.markdown(_("A hidden weight such as **w1** reaches the error through *both* outputs, so "
                  "their two paths are added before the chain continues:"))
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial w_1}} = "
             rf"\Big(\delta_{{o1}} w_5 + \delta_{{o2}} w_7\Big) \cdot out_{{h1}}(1 - out_{{h1}}) "
             rf"\cdot i_1 = {exact(result.error_by_out['h1'])} \times "
             rf"{exact(result.slope['h1'])} \times {INPUTS[0]} = "
             rf"{exact(result.gradients['w1'])}")
    st.caption(_("δ is the output's error signal: ∂E/∂out · ∂out/∂net. All eight gradients "
                 "are on the diagram."))


def show_update(result, weights, learning_rate):
    """Step 4: the gradient-descent step of w5, then a table of all eight."""
    st.markdown(_("Every weight takes a small step against its gradient, with learning rate "
                  "η = {rate}. All eight use the gradients of the *same* forward pass; the "
                  "biases stay as they are, as in the tutorial.").format(rate=exact(learning_rate)))
    st.latex(rf"w_5^{{new}} = w_5 - \eta \cdot \frac{{\partial E_{{total}}}}{{\partial w_5}} = "
             rf"{exact(weights['w5'])} - {exact(learning_rate)} \times "
             rf"{exact(result.gradients['w5'])} = {exact(result.new_weights['w5'])}")
    st.dataframe(
        [{"weight": name, "before": weights[name], "gradient ∂E/∂w": gradient,
          "after": result.new_weights[name]} for name, gradient in result.gradients.items()],
        hide_index=True, width="content", column_config={
            column: st.column_config.NumberColumn(_(label), format="%.9f")
            if column in ("gradient ∂E/∂w", "after") else st.column_config.Column(_(label))
            for column, label in UPDATE_COLUMNS.items()})


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
step_name = control.segmented_control(_("Step"), STEPS, default=STEPS[0], key="step",
                                      required=True, format_func=_)
previous.button(_("Previous"), icon=":material/arrow_back:", on_click=step_by, args=(-1,),
                width="stretch", key="previous-step")
following.button(_("Next"), icon=":material/arrow_forward:", on_click=step_by, args=(1,),
                 width="stretch", type="primary", key="next-step")
step = STEPS.index(step_name)

st.plotly_chart(lesson_charts.network_figure(result, step), key="network", config=charts.CONFIG)
with st.container(key="explanation"):
    if step == 0:
        show_forward(result, weights)
    elif step == 1:
        show_error(result)
    elif step == 2:
        show_gradients(result)
    else:
        show_update(result, weights, learning_rate)

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
