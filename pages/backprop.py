"""Backpropagation: the tutorial's 2-2-2 network, one forward pass and one update, step by step."""

import plotly.graph_objects as go
import streamlit as st

from mnist_core import lessons

STEPS = ["1. Forward pass", "2. Error", "3. Gradients", "4. Update"]
INPUTS, TARGETS = (0.05, 0.10), (0.01, 0.99)
# Diagram coordinates: inputs on the left, outputs on the right, biases underneath.
NODES = {"i1": (0, 2), "i2": (0, 0), "h1": (3, 2), "h2": (3, 0), "o1": (6, 2), "o2": (6, 0),
         "b1": (1.5, -1.4), "b2": (4.5, -1.4)}
# (weight, from, to, where along the line its label sits): labels of the crossing lines stay
# near their start, where the two lines are still apart.
EDGES = [("w1", "i1", "h1", 0.5), ("w2", "i2", "h1", 0.3), ("w3", "i1", "h2", 0.3),
         ("w4", "i2", "h2", 0.5), ("w5", "h1", "o1", 0.5), ("w6", "h2", "o1", 0.3),
         ("w7", "h1", "o2", 0.3), ("w8", "h2", "o2", 0.5)]
WEIGHT_COLOR, GRADIENT_COLOR, CHAIN_COLOR = "#1f77b4", "#9467bd", "#d62728"
NODE_COLORS = {"i": "#2ca02c", "h": "#1f77b4", "o": "#1f77b4", "b": "#7f7f7f"}


def exact(value):
    """The tutorial's way of writing a number: up to nine decimals, no trailing zeros."""
    return f"{value:.9f}".rstrip("0").rstrip(".")


def short(value):
    """Four decimals: what fits on the diagram."""
    return f"{value:.4f}"


def node_text(result, step):
    """Each node's box: its value, or net input and output, then target and error."""
    text = {"i1": f"<b>i1</b> = {INPUTS[0]}", "i2": f"<b>i2</b> = {INPUTS[1]}",
            "b1": f"<b>b1</b> = {exact(result['weights']['b1'])}",
            "b2": f"<b>b2</b> = {exact(result['weights']['b2'])}"}
    for name in ("h1", "h2", "o1", "o2"):
        text[name] = (f"<b>{name}</b><br>net {short(result[name + '_net'])}"
                      f"<br>out {short(result[name + '_out'])}")
    if step >= 1:
        for number, name in enumerate(("o1", "o2")):
            text[name] += (f"<br>target {TARGETS[number]}"
                           f"<br>E<sub>{name}</sub> {short(result['E_' + name])}")
    return text


def edge_label(result, weight, step):
    """The number a line carries at this step: weight, gradient, or old and new weight."""
    old = exact(result["weights"][weight])
    if step == 2:
        return f"∂E/∂{weight} = {result['dE_d' + weight]:.6f}"  # hidden ones are tiny
    if step == 3:
        return f"{weight}: {old} → {short(result[weight + '_new'])}"
    return f"{weight} = {old}"


def network_figure(result, step):
    """The 2-2-2 network with its numbers at this step; w5's chain-rule path is red in step 3."""
    chain = step == 2
    figure = go.Figure()
    lines = [(weight, source, target) for weight, source, target, _ in EDGES]
    lines += [("b", bias, neuron) for bias, neuron in
              (("b1", "h1"), ("b1", "h2"), ("b2", "o1"), ("b2", "o2"))]
    for weight, source, target in lines:
        (x0, y0), (x1, y1) = NODES[source], NODES[target]
        red = chain and weight == "w5"
        figure.add_trace(go.Scatter(
            x=[x0, x1], y=[y0, y1], mode="lines", hoverinfo="skip", showlegend=False,
            line=dict(color=CHAIN_COLOR if red else "#a0a0a0", width=5 if red else 2,
                      dash="dot" if weight == "b" else "solid")))
    for weight, source, target, along in EDGES:
        (x0, y0), (x1, y1) = NODES[source], NODES[target]
        red = chain and weight == "w5"
        figure.add_annotation(
            x=x0 + along * (x1 - x0), y=y0 + along * (y1 - y0), showarrow=False,
            text=edge_label(result, weight, step), bgcolor="white", borderpad=1,
            font=dict(size=14, color=CHAIN_COLOR if red else
                      GRADIENT_COLOR if chain else WEIGHT_COLOR))
    for name, text in node_text(result, step).items():
        x, y = NODES[name]
        red = chain and name in ("h1", "o1")
        figure.add_annotation(x=x, y=y, text=text, showarrow=False, align="center",
                              font=dict(size=14), bgcolor="white", borderpad=6, borderwidth=3,
                              bordercolor=CHAIN_COLOR if red else NODE_COLORS[name[0]])
    if step >= 1:
        figure.add_annotation(x=6, y=-1.4, text=f"E<sub>total</sub> = {short(result['E_total'])}",
                              showarrow=False, font=dict(size=15, color=CHAIN_COLOR),
                              bgcolor="white", borderpad=6, borderwidth=3,
                              bordercolor=CHAIN_COLOR)
    figure.update_xaxes(visible=False, range=[-0.8, 6.8])
    figure.update_yaxes(visible=False, range=[-1.9, 2.7])
    figure.update_layout(height=480, margin=dict(l=0, r=0, t=0, b=0), dragmode=False,
                         plot_bgcolor="white")
    return figure


def show_forward(result, weights):
    st.markdown("Each neuron adds up its weighted inputs and its bias (**net**), then squashes "
                "that with the logistic function (**out**).")
    inputs = [("i_1", INPUTS[0]), ("i_2", INPUTS[1])]
    hidden = [("out_{h1}", exact(result["h1_out"])), ("out_{h2}", exact(result["h2_out"]))]
    for neuron, (a, b), ((x, x_value), (y, y_value)), bias in (
            ("h1", ("w1", "w2"), inputs, "b1"), ("h2", ("w3", "w4"), inputs, "b1"),
            ("o1", ("w5", "w6"), hidden, "b2"), ("o2", ("w7", "w8"), hidden, "b2")):
        net = exact(result[neuron + "_net"])
        st.latex(rf"net_{{{neuron}}} = w_{a[1]}\,{x} + w_{b[1]}\,{y} + b_{bias[1]} = "
                 rf"{exact(weights[a])} \times {x_value} + {exact(weights[b])} \times {y_value} + "
                 rf"{exact(weights[bias])} = {net}")
        st.latex(rf"out_{{{neuron}}} = \frac{{1}}{{1 + e^{{-{net}}}}} = "
                 rf"{exact(result[neuron + '_out'])}")


def show_error(result):
    st.markdown("How wrong is the network? Half the squared difference between each target and "
                "output, added up.")
    for number, output in enumerate(("o1", "o2")):
        st.latex(rf"E_{{{output}}} = \tfrac{{1}}{{2}}(target_{{{output}}} - out_{{{output}}})^2 "
                 rf"= \tfrac{{1}}{{2}}({TARGETS[number]} - {exact(result[output + '_out'])})^2 "
                 rf"= {exact(result['E_' + output])}")
    st.latex(rf"E_{{total}} = E_{{o1}} + E_{{o2}} = {exact(result['E_total'])}")


def show_gradients(result):
    st.markdown("How much does the error change when **w5** changes a little? w5 reaches the "
                "error only through net<sub>o1</sub> and out<sub>o1</sub> (the red path), so "
                "the chain rule multiplies three simple derivatives:", unsafe_allow_html=True)
    st.latex(r"\frac{\partial E_{total}}{\partial w_5} = "
             r"\frac{\partial E_{total}}{\partial out_{o1}} \cdot "
             r"\frac{\partial out_{o1}}{\partial net_{o1}} \cdot "
             r"\frac{\partial net_{o1}}{\partial w_5}")
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial out_{{o1}}}} = out_{{o1}} - "
             rf"target_{{o1}} = {exact(result['o1_out'])} - {TARGETS[0]} = "
             rf"{exact(result['dE_do1_out'])}")
    st.latex(rf"\frac{{\partial out_{{o1}}}}{{\partial net_{{o1}}}} = out_{{o1}}(1 - out_{{o1}}) "
             rf"= {exact(result['do1_out_do1_net'])}")
    st.latex(rf"\frac{{\partial net_{{o1}}}}{{\partial w_5}} = out_{{h1}} = "
             rf"{exact(result['do1_net_dw5'])}")
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial w_5}} = {exact(result['dE_do1_out'])} "
             rf"\times {exact(result['do1_out_do1_net'])} \times "
             rf"{exact(result['do1_net_dw5'])} = {exact(result['dE_dw5'])}")
    st.markdown("A hidden weight such as **w1** reaches the error through *both* outputs, so "
                "their two paths are added before the chain continues:")
    st.latex(rf"\frac{{\partial E_{{total}}}}{{\partial w_1}} = "
             rf"\Big(\delta_{{o1}} w_5 + \delta_{{o2}} w_7\Big) \cdot out_{{h1}}(1 - out_{{h1}}) "
             rf"\cdot i_1 = {exact(result['dE_dh1_out'])} \times "
             rf"{exact(result['h1_out'] * (1 - result['h1_out']))} \times {INPUTS[0]} = "
             rf"{exact(result['dE_dw1'])}")
    st.caption("δ is the output's error signal: ∂E/∂out · ∂out/∂net. All eight gradients are "
               "on the diagram.")


def show_update(result, weights, learning_rate):
    st.markdown(f"Every weight takes a small step against its gradient, with learning rate "
                f"η = {exact(learning_rate)}. All eight use the gradients of the *same* forward "
                f"pass; the biases stay as they are, as in the tutorial.")
    st.latex(rf"w_5^{{new}} = w_5 - \eta \cdot \frac{{\partial E_{{total}}}}{{\partial w_5}} = "
             rf"{exact(weights['w5'])} - {exact(learning_rate)} \times "
             rf"{exact(result['dE_dw5'])} = {exact(result['w5_new'])}")
    st.dataframe(
        [{"weight": name, "before": weights[name], "gradient ∂E/∂w": result[f"dE_d{name}"],
          "after": result[f"{name}_new"]} for name in (f"w{n}" for n in range(1, 9))],
        hide_index=True, width="content", column_config={
            column: st.column_config.NumberColumn(format="%.9f")
            for column in ("gradient ∂E/∂w", "after")})


def step_by(offset):
    """Move the step control (a callback, so it runs before the control is drawn again)."""
    current = STEPS.index(st.session_state.get("step") or STEPS[0])
    st.session_state["step"] = STEPS[(current + offset) % len(STEPS)]


def restore_tutorial():
    """Draw the number inputs afresh (new keys) at the tutorial's values."""
    st.session_state["settings-version"] = st.session_state.get("settings-version", 0) + 1
    st.session_state.pop("training", None)


st.title("Backpropagation")
st.markdown(f"The tutorials' small network: two inputs ({INPUTS[0]}, {INPUTS[1]}), two hidden "
            f"and two output neurons with the logistic activation, and the targets "
            f"{TARGETS[0]} and {TARGETS[1]}. Step through one round of learning: compute the "
            f"outputs, measure the error, find every weight's share of the blame, and update.")

version = st.session_state.get("settings-version", 0)
with st.expander("Learning rate and starting weights (the tutorial's by default)"):
    learning_rate = st.columns(5)[0].number_input("Learning rate η", 0.0, 100.0, 0.5, 0.1,
                                                  format="%.3f", key=f"learning-rate-{version}")
    columns = st.columns(5)
    weights = {name: columns[number % 5].number_input(name, value=value, step=0.05,
                                                      format="%.4f", key=f"{name}-{version}")
               for number, (name, value) in enumerate(lessons.TUTORIAL_WEIGHTS.items())}
    st.button("Back to the tutorial's numbers", on_click=restore_tutorial,
              icon=":material/restart_alt:")

result = lessons.backprop_example(learning_rate, weights, INPUTS, TARGETS)

control, previous, following = st.columns([5, 1, 1], vertical_alignment="bottom")
step_name = control.segmented_control("Step", STEPS, default=STEPS[0], key="step",
                                      required=True)
previous.button("Previous", icon=":material/arrow_back:", on_click=step_by, args=(-1,),
                width="stretch", key="previous-step")
following.button("Next", icon=":material/arrow_forward:", on_click=step_by, args=(1,),
                 width="stretch", type="primary", key="next-step")
step = STEPS.index(step_name)

st.plotly_chart(network_figure(result, step), key="network", config={"displayModeBar": False})
with st.container(key="explanation"):
    if step == 0:
        show_forward(result, weights)
    elif step == 1:
        show_error(result)
    elif step == 2:
        show_gradients(result)
    else:
        show_update(result, weights, learning_rate)

st.subheader("Keep going")
st.markdown("One update lowers the error only a little. Repeat the same four steps many times "
            "and the outputs close in on their targets. The tutorial reports an error of "
            "0.0000351085 after 10,000 updates.")
steps_column, button_column, scale_column = st.columns([2, 2, 3], vertical_alignment="bottom")
steps = steps_column.number_input("Updates", 1, 100_000, 1000, 1000, key="steps")
settings = (learning_rate, tuple(weights.values()), steps)
if button_column.button(f"Train {steps:,} steps", type="primary", icon=":material/replay:",
                        key="train"):
    st.session_state["training"] = {
        "settings": settings,
        "errors": [result["E_total"]] + lessons.train_steps(steps, learning_rate, weights,
                                                            INPUTS, TARGETS)}
log_scale = scale_column.toggle("Logarithmic error axis", True,
                                help="On a log axis the last steps, where the error is tiny, "
                                     "stay visible.")
training = st.session_state.get("training")
if training is None or training["settings"] != settings:
    st.caption("Press the button to run the updates with the settings above.")
    st.stop()
errors = training["errors"]
first, last = st.columns(2)
first.metric("Error before training", exact(errors[0]))
last.metric(f"Error after {len(errors) - 1:,} updates", f"{errors[-1]:.10f}",
            f"{errors[-1] / errors[0] - 1:.2%}", delta_color="inverse")
figure = go.Figure(go.Scatter(x=list(range(len(errors))), y=errors, mode="lines",
                              line=dict(color=CHAIN_COLOR, width=3),
                              hovertemplate="after %{x} updates: E = %{y:.9f}<extra></extra>"))
figure.update_xaxes(title="updates")
figure.update_yaxes(title="total error", type="log" if log_scale else "linear")
figure.update_layout(height=360, margin=dict(l=10, r=10, t=10, b=10))
st.plotly_chart(figure, key="error-curve", config={"displayModeBar": False})
