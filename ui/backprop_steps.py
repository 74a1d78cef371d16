"""The Backpropagation lesson's four steps explained, each with the tutorial's formulas.

The formulas are LaTeX with the tutorial's symbols (net, out, target, E): they are not
translated; the sentences around them are.
"""

import streamlit as st

from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _
from mnist_core.lessons import backprop
from mnist_core.lessons.backprop import INPUTS, TARGETS, exact

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


def show(step, result, weights, learning_rate):
    """The explanation of lesson step 0-3 (forward pass, error, gradients, update)."""
    if step == 0:
        show_forward(result, weights)
    elif step == 1:
        show_error(result)
    elif step == 2:
        show_gradients(result)
    else:
        show_update(result, weights, learning_rate)
