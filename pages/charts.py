"""Plotly figures of the pages: probabilities, training curves, image grids, matrices, lessons."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mnist_core import backprop, playground

WINNER, OTHERS = "#d62728", "#9ecae1"
# Layouts are passed whole to go.Figure: plotly's update_* calls cost ~3 ms each, and these
# figures are rebuilt on every stroke of every student. A finger swiping over a chart must
# scroll the page, so nothing zooms or pans.
STILL = dict(dragmode=False)
# Pictures, not plots: no ticks or grid, square pixels, row 0 at the top.
PICTURE = dict(STILL, yaxis=dict(autorange="reversed", showticklabels=False, scaleanchor="x",
                                 showgrid=False, zeroline=False, fixedrange=True),
               xaxis=dict(showticklabels=False, showgrid=False, zeroline=False, fixedrange=True))
# Every st.plotly_chart: no mode bar (on touch it is always shown, over titles and labels) and
# no zoom by mouse wheel or pinch.
CONFIG = {"displayModeBar": False, "scrollZoom": False}


def probability_bars(probabilities, class_names, height=300):
    """Bar chart of the 10 softmax probabilities, the most probable class highlighted."""
    winner = int(np.argmax(probabilities))
    return go.Figure(go.Bar(
        x=list(class_names), y=probabilities,
        marker_color=[WINNER if index == winner else OTHERS for index in range(len(class_names))],
        text=[f"{value:.0%}" for value in probabilities], textposition="outside",
        hovertemplate="%{x}: %{y:.2%}<extra></extra>"), layout=dict(
        STILL, height=height, margin=dict(l=10, r=10, t=10, b=10),
        yaxis=dict(range=[0, 1.12], tickformat=".0%", title="probability", fixedrange=True),
        xaxis=dict(type="category", fixedrange=True)))


def training_curves(runs):
    """Loss and accuracy per epoch, train (solid) and validation (dashed), for several runs.

    Args:
        runs: dict {run label: list of per-epoch metric dicts}.
    """
    figure = make_subplots(rows=1, cols=2, subplot_titles=("Loss", "Accuracy"))
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    for number, (label, history) in enumerate(runs.items()):
        epochs = list(range(1, len(history) + 1))
        color = palette[number % len(palette)]
        for column, metric in ((1, "loss"), (2, "accuracy")):
            for prefix, dash, kind in (("", "solid", "train"), ("val_", "dash", "validation")):
                values = [epoch.get(prefix + metric) for epoch in history]
                if any(value is not None for value in values):
                    figure.add_trace(go.Scatter(
                        x=epochs, y=values, mode="lines+markers", name=f"{label} {kind}",
                        line=dict(color=color, dash=dash), showlegend=column == 1),
                        row=1, col=column)
    longest = max((len(history) for history in runs.values()), default=0)
    figure.update_xaxes(title_text="epoch", dtick=1 if longest <= 20 else None)
    figure.update_layout(height=340, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=-0.25))
    return figure


def image_grid(maps, columns, title_prefix="map", zmin=None, zmax=None, height=None):
    """Many small 2-D maps as one heatmap mosaic; hover names the map, row, column and value.

    One trace instead of a subplot per map keeps a 36-map grid quick to draw.

    Args:
        maps: (H, W, C) array, C maps of H x W.
        columns: maps per row.
    """
    height_, width, count = maps.shape
    rows = -(-count // columns)
    gap = 1
    mosaic = np.full((rows * (height_ + gap), columns * (width + gap)), np.nan)
    which = np.full(mosaic.shape, -1)
    for index in range(count):
        top, left = (index // columns) * (height_ + gap), (index % columns) * (width + gap)
        mosaic[top:top + height_, left:left + width] = maps[:, :, index]
        which[top:top + height_, left:left + width] = index
    inner_rows = np.arange(mosaic.shape[0]) % (height_ + gap)
    inner_cols = np.arange(mosaic.shape[1]) % (width + gap)
    custom = np.dstack([which, np.broadcast_to(inner_rows[:, None], mosaic.shape),
                        np.broadcast_to(inner_cols[None, :], mosaic.shape)])
    return go.Figure(go.Heatmap(
        z=mosaic, customdata=custom, colorscale="Viridis", zmin=zmin, zmax=zmax,
        hovertemplate=(f"{title_prefix} %{{customdata[0]}}, row %{{customdata[1]}}, "
                       "column %{customdata[2]}: %{z:.3f}<extra></extra>")),
        layout=dict(PICTURE, height=height or 60 + 420 * rows / max(columns, 1) * 1.1,
                    margin=dict(l=0, r=0, t=0, b=0)))


def digit_image(image, height=220, title=None):
    """A 28x28 image as a gray heatmap, every pixel's value on hover."""
    return go.Figure(
        go.Heatmap(z=image, colorscale="gray", zmin=0, zmax=1, showscale=False,
                   hovertemplate="row %{y}, column %{x}: %{z:.2f}<extra></extra>"),
        layout=dict(PICTURE, height=height, width=height, title=title,
                    margin=dict(l=0, r=0, t=30 if title else 0, b=0)))


CELL_MARKERS = 1  # the trace of confusion_heatmap that receives clicks


def confusion_heatmap(matrix, class_names, normalised):
    """The confusion matrix as a heatmap whose cells can be clicked.

    An almost invisible square marker (trace CELL_MARKERS) sits on every cell, to name the
    cell on hover and receive the click; marker k is cell divmod(k, classes).
    """
    counts = np.asarray(matrix)
    shown = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalised else counts
    labels = list(class_names)
    size = len(labels)
    text = [[f"{value:.0%}" if normalised else str(value) for value in row] for row in shown]
    true_index, predicted_index = np.divmod(np.arange(size * size), size)
    # Fixed ranges: the big markers would otherwise pad the axes off the heatmap's cells.
    return go.Figure([
        go.Heatmap(z=shown, x=labels, y=labels, text=text, texttemplate="%{text}",
                   colorscale="Blues", zmin=0, showscale=False, hoverinfo="skip"),
        go.Scatter(
            x=[labels[index] for index in predicted_index],
            y=[labels[index] for index in true_index],
            mode="markers", marker=dict(symbol="square", size=44, opacity=0.01, color="black"),
            hovertemplate="true %{y}, predicted %{x}: %{text}<br>click to see these images"
                          "<extra></extra>",
            text=[f"{counts[t, p]} images" for t, p in zip(true_index, predicted_index)],
            showlegend=False),
    ], layout=dict(
        STILL, height=520, margin=dict(l=10, r=10, t=40, b=10), clickmode="event",
        xaxis=dict(title="predicted", type="category", side="top", range=[-0.5, size - 0.5],
                   fixedrange=True),
        yaxis=dict(title="true", type="category", range=[size - 0.5, -0.5], fixedrange=True)))


# Above this many rows or columns a playground grid's values no longer fit in its cells.
LARGEST_LABELLED = 12


def grid_figure(stage):
    """A playground.Stage as a heatmap: values printed in small grids, its boxes outlined."""
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
    """Each node's box: its value, or net input and output, then target and error."""
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
    lines = [(weight, source, target) for weight, source, target, _ in EDGES]
    lines += [("b", bias, neuron) for neuron, (*_, bias) in backprop.INCOMING.items()]
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
        hovertemplate="after %{x} updates: E = %{y:.9f}<extra></extra>"), layout=dict(
        STILL, height=360, margin=dict(l=10, r=10, t=10, b=10),
        xaxis=dict(title="updates", fixedrange=True),
        yaxis=dict(title="total error", type="log" if log_scale else "linear", fixedrange=True)))
