"""Plotly figures of the pages: probabilities, training curves, image grids, matrices."""

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext

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
        # A short chart (Stump's) has no room above a 100% bar for its label inside the axes:
        # the label may stand in the top margin instead of being cut.
        text=[f"{value:.0%}" for value in probabilities], textposition="outside",
        cliponaxis=False, hovertemplate="%{x}: %{y:.2%}<extra></extra>"), layout=dict(
        STILL, height=height, margin=dict(l=10, r=10, t=24, b=10),
        yaxis=dict(range=[0, 1.12], tickformat=".0%", title=_("probability"), fixedrange=True),
        xaxis=dict(type="category", fixedrange=True)))


def training_curves(runs):
    """Loss and accuracy per epoch, train (solid) and validation (dashed), for several runs.

    Args:
        runs: dict {run label: list of per-epoch metric dicts}.
    """
    figure = make_subplots(rows=1, cols=2, subplot_titles=(_("Loss"), _("Accuracy")))
    palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
    for number, (label, history) in enumerate(runs.items()):
        epochs = list(range(1, len(history) + 1))
        color = palette[number % len(palette)]
        for column, metric in ((1, "loss"), (2, "accuracy")):
            for prefix, dash, kind in (("", "solid", _("{run} train")),
                                       ("val_", "dash", _("{run} validation"))):
                values = [epoch.get(prefix + metric) for epoch in history]
                if any(value is not None for value in values):
                    figure.add_trace(go.Scatter(
                        x=epochs, y=values, mode="lines+markers", name=kind.format(run=label),
                        line=dict(color=color, dash=dash), showlegend=column == 1),
                        row=1, col=column)
    longest = max((len(history) for history in runs.values()), default=0)
    figure.update_xaxes(title_text=_("epoch"), dtick=1 if longest <= 20 else None)
    figure.update_xaxes(fixedrange=True)
    figure.update_yaxes(fixedrange=True)
    figure.update_layout(STILL, height=340, margin=dict(l=10, r=10, t=30, b=10),
                         legend=dict(orientation="h", y=-0.25))
    return figure


def image_grid(maps, columns, title_prefix=None, zmin=None, zmax=None, height=None):
    """Many small 2-D maps as one heatmap mosaic; hover names the map, row, column and value.

    One trace instead of a subplot per map keeps a 36-map grid quick to draw.

    Args:
        maps: (H, W, C) array, C maps of H x W.
        columns: maps per row.
        title_prefix: what hover calls one map, in the session's language (default "map").
    """
    title_prefix = _("map") if title_prefix is None else title_prefix
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
        hovertemplate=_("{name} %{{customdata[0]}}, row %{{customdata[1]}}, column "
                        "%{{customdata[2]}}: %{{z:.3f}}").format(name=title_prefix)
        + "<extra></extra>"),
        layout=dict(PICTURE, height=height or 60 + 420 * rows / max(columns, 1) * 1.1,
                    margin=dict(l=0, r=0, t=0, b=0)))


def digit_image(image, height=220, title=None):
    """A 28x28 image as a gray heatmap, every pixel's value on hover."""
    return go.Figure(
        go.Heatmap(z=image, colorscale="gray", zmin=0, zmax=1, showscale=False,
                   hovertemplate=_("row %{y}, column %{x}: %{z:.2f}") + "<extra></extra>"),
        layout=dict(PICTURE, height=height, width=height, title=title,
                    margin=dict(l=0, r=0, t=30 if title else 0, b=0)))


# Evidence maps: blue against, clear near zero (the drawing shows through), red for.
EVIDENCE_COLORS = [[0.0, "rgba(33, 102, 172, 0.9)"], [0.5, "rgba(255, 255, 255, 0)"],
                   [1.0, "rgba(178, 24, 43, 0.9)"]]
INK = [[0.0, "white"], [1.0, "#555555"]]  # the drawing under a map: dark ink on white


def evidence_overlay(image, evidence, height=260, title=None):
    """A drawing with an evidence map over it: red where it speaks for, blue against.

    Args:
        image: (28, 28) in [0, 1], ink high. evidence: (28, 28), any scale, 0 neutral.
        height: the square figure's side in pixels; title: optional.
    """
    limit = float(np.abs(evidence).max()) or 1.0
    return go.Figure(
        [go.Heatmap(z=image, colorscale=INK, zmin=0, zmax=1, showscale=False, hoverinfo="skip"),
         go.Heatmap(z=evidence, colorscale=EVIDENCE_COLORS, zmin=-limit, zmax=limit,
                    showscale=False,
                    hovertemplate=_("row %{y}, column %{x}: %{z:.3f}") + "<extra></extra>")],
        layout=dict(PICTURE, height=height, width=height, title=title,
                    margin=dict(l=0, r=0, t=30 if title else 0, b=0)))


# Ten classes told apart at a glance (Tableau 10, as plotly's "T10").
CLASS_COLORS = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2",
                "#ff9da6", "#9d755d", "#bab0ac"]


def test_map_figure(test_map, class_names, drawing=None, ours=None, height=620):
    """The test set's map: a dot per image in its true class's colour, a ring around each
    mistake in the colour of the model's answer, the class's drawings and yours on top.

    Args:
        test_map: a `test_map.TestMap`. class_names: the 10 names.
        drawing: optional (2,) position of the current drawing (a star).
        ours: optional (positions (M, 2), labels (M,)) of the class's drawings (diamonds).
        height: in pixels.

    Returns:
        (figure, points): points[trace] says what each point of that trace is, as
        ("test", test image indices), ("ours", drawing indices) or ("drawing", [0]).
    """
    positions, labels, predicted = test_map.positions, test_map.labels, test_map.predicted
    traces, points = [], []

    def add(kind, indices, **trace):
        traces.append(dict(type="scattergl", mode="markers", **trace))
        points.append((kind, np.asarray(indices)))

    for label, name in enumerate(class_names):
        members = np.flatnonzero(labels == label)
        add("test", members, x=positions[members, 0], y=positions[members, 1], name=str(name),
            marker=dict(size=4, color=CLASS_COLORS[label]), customdata=members,
            hovertemplate=_("test image #%{customdata}") + "<extra></extra>")
    wrong = np.flatnonzero(labels != predicted)
    add("test", wrong, x=positions[wrong, 0], y=positions[wrong, 1],
        name=_("mistakes (ring: the answer)"), customdata=wrong,
        marker=dict(size=11, symbol="circle-open", line=dict(width=2),
                    color=[CLASS_COLORS[answer] for answer in predicted[wrong]]),
        text=[_("true {true}, read as {answer}").format(
            true=class_names[labels[index]], answer=class_names[predicted[index]])
            for index in wrong],
        hovertemplate=_("test image #%{customdata}") + ": %{text}<extra></extra>")
    if ours is not None and len(ours[1]):
        add("ours", np.arange(len(ours[1])), x=ours[0][:, 0], y=ours[0][:, 1],
            name=_("our class's drawings"),
            marker=dict(size=10, symbol="diamond", line=dict(width=1, color="black"),
                        color=[CLASS_COLORS[label] for label in ours[1]]),
            text=[str(class_names[label]) for label in ours[1]],
            hovertemplate=_("our drawing of a %{text}") + "<extra></extra>")
    if drawing is not None:
        add("drawing", [0], x=[drawing[0]], y=[drawing[1]], name=_("your drawing"),
            marker=dict(size=22, symbol="star", color="black", line=dict(width=2, color="white")),
            hovertemplate=_("your drawing") + "<extra></extra>")
    hidden = dict(showticklabels=False, showgrid=False, zeroline=False, fixedrange=True)
    # Plain dicts, unchecked: plotly checking the 10,000 points in Python took ~25 ms on every
    # stroke of every pupil drawing on the map (a stroke there: 55 ms of server CPU before, 40
    # after). Its test has plotly check it instead.
    return go.Figure(traces, layout=dict(
        STILL, height=height, xaxis=hidden, yaxis=hidden, margin=dict(l=0, r=0, t=0, b=0),
        legend=dict(orientation="h", yanchor="top", y=-0.02, xanchor="left", x=0),
        hovermode="closest", plot_bgcolor="white"), _validate=False), points


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
            hovertemplate=_("true %{y}, predicted %{x}: %{text}<br>click to see these images")
            + "<extra></extra>",
            text=[ngettext("{count} image", "{count} images", int(counts[t, p])).format(
                count=counts[t, p]) for t, p in zip(true_index, predicted_index)],
            showlegend=False),
    ], layout=dict(
        STILL, height=520, margin=dict(l=10, r=10, t=40, b=10), clickmode="event",
        xaxis=dict(title=_("predicted"), type="category", side="top", range=[-0.5, size - 0.5],
                   fixedrange=True),
        yaxis=dict(title=_("true"), type="category", range=[size - 0.5, -0.5], fixedrange=True)))


# Above this many rows or columns a playground grid's values no longer fit in its cells.
