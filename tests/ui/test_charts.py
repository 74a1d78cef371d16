"""The map's figure, built without plotly's checks for speed: checked by plotly's validation."""

import json

import numpy as np
import plotly.graph_objects as go
import plotly.io

from mnist_core.networks import test_map as test_maps
from ui import charts

NAMES = [str(digit) for digit in range(10)]
# Two of the class's drawings: positions (2, 2), labels (2,).
OURS = (np.array([[0.5, -0.5], [1.0, 2.0]]), np.array([3, 7]))


def small_map(count=200, seed=0):
    """A TestMap of `count` random points, one in ten of them a mistake."""
    random = np.random.default_rng(seed)
    labels = random.integers(0, 10, count)
    predicted = labels.copy()
    predicted[::10] = (labels[::10] + 1) % 10
    return test_maps.TestMap(positions=random.normal(size=(count, 2)).astype("float32"),
                             features=np.zeros((count, 4), "float32"), labels=labels,
                             predicted=predicted,
                             probabilities=np.full((count, 10), 0.1, "float32"),
                             squared_norms=np.zeros(count, "float32"), typical_distance=1.0)


def test_map_figure_is_what_plotly_validation_makes_of_it():
    figure, _ = charts.test_map_figure(small_map(), NAMES, drawing=np.array([0.1, 0.2]),
                                       ours=OURS)
    built = figure.to_dict()
    validated = go.Figure(built).to_dict()  # raises on any property plotly does not know
    assert json.loads(plotly.io.to_json(built, validate=False)) == json.loads(
        plotly.io.to_json(validated, validate=False))


def test_map_points_name_what_each_trace_shows():
    the_map = small_map()
    figure, points = charts.test_map_figure(the_map, NAMES, drawing=np.array([0.1, 0.2]),
                                            ours=OURS)
    assert len(points) == len(figure.data) == 10 + 3
    for label in range(10):
        kind, indices = points[label]
        assert kind == "test" and (the_map.labels[indices] == label).all()
        np.testing.assert_allclose(figure.data[label].x, the_map.positions[indices, 0])
    kind, wrong = points[10]
    assert kind == "test" and wrong.tolist() == list(range(0, 200, 10))
    assert [kind for kind, _ in points[11:]] == ["ours", "drawing"]
    np.testing.assert_allclose(figure.data[12].y, [0.2])
