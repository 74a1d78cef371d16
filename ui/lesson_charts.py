"""Plotly figures of the lessons: the playground's grids, the backprop network, the neuron."""

import numpy as np
import plotly.graph_objects as go

from mnist_core.i18n import gettext as _
from mnist_core.lessons import backprop, playground
from ui.charts import STILL

LARGEST_LABELLED = 12


def grid_figure(stage):
    """A playground.Stage as a heatmap: values printed in small grids, its boxes outlined.

    The stage's title and hover texts come translated from `playground`.
    """
    values = np.asarray(stage.values)
    labelled = max(values.shape) <= LARGEST_LABELLED
    ticks = dict(dtick=1 if labelled else 7, showgrid=False, zeroline=False,
                 constrain="domain", fixedrange=True)
    return go.Figure(go.Heatmap(
        z=values, zmid=0, colorscale="RdBu", showscale=False, xgap=int(labelled),
        ygap=int(labelled), hovertemplate="%{hovertext}<extra></extra>",
        hovertext=[[text.replace("\n", "<br>") for text in row] for row in stage.hover],
        text=[[playground.number(value) for value in row] for row in values] if labelled else None,
        texttemplate="%{text}" if labelled else None, textfont=dict(size=15)), layout=dict(
        STILL, height=320, margin=dict(l=10, r=10, t=60, b=10),
        title=dict(text=stage.title, y=0.98, x=0, font=dict(size=15)),
        hoverlabel=dict(align="left", font_size=14),
        xaxis=dict(ticks, side="top"), yaxis=dict(ticks, autorange="reversed", scaleanchor="x"),
        # Cell (row, col) is centred on (col, row), so its edges are half a cell away.
        shapes=[dict(type="rect", x0=left - 0.5, y0=top - 0.5, x1=right - 0.5, y1=bottom - 0.5,
                     line=dict(color="#ff7f0e", width=4))
                for top, left, bottom, right in stage.boxes]))


# The backpropagation diagram: inputs on the left, outputs on the right, biases underneath.
NODES = {"i1": (0, 2), "i2": (0, 0), "h1": (3, 2), "h2": (3, 0), "o1": (6, 2), "o2": (6, 0),
         "b1": (1.5, -1.4), "b2": (4.5, -1.4)}
# (weight, from, to, where along the line its label sits): labels of the crossing lines stay
# near their start, where the two lines are still apart.
EDGES = [("w1", "i1", "h1", 0.5), ("w2", "i2", "h1", 0.3), ("w3", "i1", "h2", 0.3),
         ("w4", "i2", "h2", 0.5), ("w5", "h1", "o1", 0.5), ("w6", "h2", "o1", 0.3),
         ("w7", "h1", "o2", 0.3), ("w8", "h2", "o2", 0.5)]
WEIGHT_COLOR, GRADIENT_COLOR, CHAIN_COLOR = "#1f77b4", "#9467bd", "#d62728"
NODE_COLORS = {"i": "#2ca02c", "h": "#1f77b4", "o": "#1f77b4", "b": "#7f7f7f"}
# The lesson's steps after the forward pass (step 0).
ERROR_STEP, GRADIENTS_STEP, UPDATE_STEP = 1, 2, 3


def _node_text(result, step):
    """Each node's box: its value, or net input and output, then target and error.

    net, out, target and E are the tutorial's symbols, as in the page's formulas: not translated.
    """
    text = {"i1": f"<b>i1</b> = {backprop.INPUTS[0]}", "i2": f"<b>i2</b> = {backprop.INPUTS[1]}",
            "b1": f"<b>b1</b> = {backprop.exact(result.weights['b1'])}",
            "b2": f"<b>b2</b> = {backprop.exact(result.weights['b2'])}"}
    for name in backprop.HIDDEN + backprop.OUTPUT:
        text[name] = f"<b>{name}</b><br>net {result.net[name]:.4f}<br>out {result.out[name]:.4f}"
    if step >= ERROR_STEP:
        for name, target in zip(backprop.OUTPUT, backprop.TARGETS):
            text[name] += f"<br>target {target}<br>E<sub>{name}</sub> {result.error[name]:.4f}"
    return text


def _edge_label(result, weight, step):
    """The number a line carries at this step: weight, gradient, or old and new weight."""
    old = backprop.exact(result.weights[weight])
    if step == GRADIENTS_STEP:
        return f"∂E/∂{weight} = {result.gradients[weight]:.6f}"  # hidden ones are tiny
    if step == UPDATE_STEP:
        return f"{weight}: {old} → {result.new_weights[weight]:.4f}"
    return f"{weight} = {old}"


def _box(x, y, text, color, font):
    """A label in a white box with a thick `color` border, centred on (x, y)."""
    return dict(x=x, y=y, text=text, font=font, showarrow=False, bgcolor="white", borderpad=6,
                borderwidth=3, bordercolor=color)


def network_figure(result, step):
    """The 2-2-2 network's numbers at lesson step 0-3; w5's chain-rule path is red at step 2.

    Args:
        result: backprop.BackpropStep.
        step: 0 forward pass, 1 error, 2 gradients, 3 update.
    """
    chain = step == GRADIENTS_STEP
    lines = [(weight, source, target) for weight, source, target, _along in EDGES]
    lines += [("b", bias, neuron) for neuron, (*_weights, bias) in backprop.INCOMING.items()]
    traces = [go.Scatter(
        x=[NODES[source][0], NODES[target][0]], y=[NODES[source][1], NODES[target][1]],
        mode="lines", hoverinfo="skip", showlegend=False,
        line=dict(color=CHAIN_COLOR if chain and weight == "w5" else "#a0a0a0",
                  width=5 if chain and weight == "w5" else 2,
                  dash="dot" if weight == "b" else "solid")) for weight, source, target in lines]
    notes = []
    for weight, source, target, along in EDGES:
        (x0, y0), (x1, y1) = NODES[source], NODES[target]
        color = CHAIN_COLOR if chain and weight == "w5" else (
            GRADIENT_COLOR if chain else WEIGHT_COLOR)
        notes.append(dict(x=x0 + along * (x1 - x0), y=y0 + along * (y1 - y0),
                          text=_edge_label(result, weight, step), showarrow=False,
                          bgcolor="white", borderpad=1, font=dict(size=14, color=color)))
    for name, text in _node_text(result, step).items():
        color = CHAIN_COLOR if chain and name in ("h1", "o1") else NODE_COLORS[name[0]]
        notes.append(_box(*NODES[name], text, color, font=dict(size=14)))
    if step >= ERROR_STEP:
        notes.append(_box(6, -1.4, f"E<sub>total</sub> = {result.total_error:.4f}", CHAIN_COLOR,
                          font=dict(size=15, color=CHAIN_COLOR)))
    return go.Figure(traces, layout=dict(
        STILL, height=480, margin=dict(l=0, r=0, t=0, b=0), plot_bgcolor="white",
        annotations=notes, xaxis=dict(visible=False, range=[-0.8, 6.8], fixedrange=True),
        yaxis=dict(visible=False, range=[-1.9, 2.7], fixedrange=True)))


def error_curve(errors, log_scale=True):
    """The backpropagation lesson's total error after each update; errors[0] is before any."""
    return go.Figure(go.Scatter(
        x=list(range(len(errors))), y=errors, mode="lines", line=dict(color=CHAIN_COLOR, width=3),
        hovertemplate=_("after %{x} updates: E = %{y:.9f}") + "<extra></extra>"), layout=dict(
        STILL, height=360, margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(title=_("updates"), fixedrange=True),
        # Full numbers on the log axis: plotly's own labels between powers of ten are bare
        # digits ("2", "5") that a pupil cannot read as 0.002 and 0.005.
        yaxis=dict(title=_("total error"), type="log" if log_scale else "linear",
                   tickformat=".1~g" if log_scale else None, fixedrange=True)))


NEURON_COLORS = {"kernel0": "#9467bd", "bias": "#8c564b", "theta1": "#1f77b4", "theta2": "#ff7f0e"}
LABEL_COLORS = ("#1f77b4", "#d62728")  # label 0, label 1


def neuron_losses(losses_by_run):
    """The mean squared error per epoch of each named run of the neuron ({name: (epochs,)})."""
    return go.Figure([go.Scatter(x=np.arange(1, len(losses) + 1), y=losses, mode="lines",
                                 name=name, line=dict(width=3))
                      for name, losses in losses_by_run.items()], layout=dict(
        STILL, height=320, margin=dict(l=10, r=10, t=30, b=10),
        title=dict(text=_("Loss (mean squared error)"), x=0, font=dict(size=15)),
        legend=dict(orientation="h", y=-0.25), xaxis=dict(title=_("epoch"), fixedrange=True),
        yaxis=dict(rangemode="tozero", fixedrange=True)))


def neuron_weights(run):
    """The neuron's weights and bias after each epoch of a `neuron.NeuronRun`."""
    epochs = np.arange(len(run.biases))
    lines = {"kernel0": (_("weight of the column of ones"), run.kernels[:, 0]),
             "bias": (_("Dense's bias"), run.biases),
             "theta1": (_("θ1 (height)"), run.kernels[:, 1]),
             "theta2": (_("θ2 (weight)"), run.kernels[:, 2])}
    return go.Figure([go.Scatter(x=epochs, y=values, mode="lines", name=name,
                                 line=dict(width=3, color=NEURON_COLORS[key],
                                           dash="dot" if key == "bias" else "solid"))
                      for key, (name, values) in lines.items()], layout=dict(
        STILL, height=320, margin=dict(l=10, r=10, t=30, b=10),
        title=dict(text=_("Weights and bias as they learn"), x=0, font=dict(size=15)),
        legend=dict(orientation="h", y=-0.25), xaxis=dict(title=_("epoch"), fixedrange=True),
        yaxis=dict(fixedrange=True)))


def neuron_plane(run, heights, weights, labels):
    """The height-weight plane: the neuron's answer everywhere, its 0.5 line, the people."""
    height_range = _padded(heights, 10)
    weight_range = _padded(weights, 8)
    grid_heights = np.linspace(*height_range, 80)
    grid_weights = np.linspace(*weight_range, 80)
    answers = run.outputs(grid_heights[None, :], grid_weights[:, None])
    traces = [go.Heatmap(x=grid_heights, y=grid_weights, z=answers, zmin=0, zmax=1,
                         colorscale=[[0, "#deebf7"], [1, "#fcbba1"]], showscale=False,
                         hovertemplate=_("%{x:.0f} cm, %{y:.0f} kg: a = %{z:.3f}") +
                         "<extra></extra>")]
    boundary = run.boundary(grid_heights)
    if boundary is not None:
        traces.append(go.Scatter(x=grid_heights, y=boundary, mode="lines", hoverinfo="skip",
                                 name=_("a = 0.5"), line=dict(color="black", width=3)))
    for label in (0, 1):
        chosen = np.asarray(labels) == label
        traces.append(go.Scatter(
            x=np.asarray(heights)[chosen], y=np.asarray(weights)[chosen], mode="markers",
            name=_("label {label}").format(label=label),
            marker=dict(size=16, color=LABEL_COLORS[label], line=dict(color="white", width=2)),
            hovertemplate=_("%{x:.0f} cm, %{y:.0f} kg") + "<extra></extra>"))
    return go.Figure(traces, layout=dict(
        STILL, height=380, margin=dict(l=10, r=10, t=30, b=10),
        title=dict(text=_("Where the neuron says 1 (red) and 0 (blue)"), x=0,
                   font=dict(size=15)),
        legend=dict(orientation="h", y=-0.2),
        xaxis=dict(title=_("height (cm)"), range=height_range, fixedrange=True),
        yaxis=dict(title=_("weight (kg)"), range=weight_range, fixedrange=True)))


def _padded(values, margin):
    """The range of `values` widened by `margin` on each side, as [low, high]."""
    return [float(np.min(values)) - margin, float(np.max(values)) + margin]
