"""Keras' Hello World neuron: Keras' SGD steps against the same steps by hand in NumPy."""

import numpy as np
import pytest

from mnist_core.lessons import neuron

HEIGHTS = [person[1] for person in neuron.TUTORIAL_PEOPLE]
WEIGHTS = [person[2] for person in neuron.TUTORIAL_PEOPLE]


@pytest.mark.parametrize("standardise", [False, True])
def test_keras_takes_the_same_gradient_steps_as_numpy(standardise):
    run = neuron.train(HEIGHTS, WEIGHTS, neuron.TUTORIAL_LABELS, epochs=10, learning_rate=1.0,
                       standardise=standardise)
    kernel, bias = neuron.initial_weights()
    kernels, biases, losses = neuron.train_by_hand(run.features, run.labels, 10, 1.0, kernel, bias)
    np.testing.assert_allclose(run.kernels, kernels, atol=1e-6)
    np.testing.assert_allclose(run.biases, biases, atol=1e-6)
    np.testing.assert_allclose(run.losses, losses, atol=1e-6)
    assert run.kernels.shape == (11, 3) and run.losses.shape == (10,)


def test_raw_centimetres_saturate_the_sigmoid_and_standardised_inputs_learn():
    raw = neuron.train(HEIGHTS, WEIGHTS, neuron.TUTORIAL_LABELS, epochs=300, learning_rate=5.0,
                       standardise=False)
    standard = neuron.train(HEIGHTS, WEIGHTS, neuron.TUTORIAL_LABELS, epochs=300,
                            learning_rate=5.0, standardise=True)
    assert np.abs(raw.z(HEIGHTS, WEIGHTS, epoch=0)).min() > 10  # z in the tens or hundreds
    assert raw.losses[-1] == pytest.approx(raw.losses[0], abs=1e-3)  # the gradient vanished
    assert standard.losses[-1] < standard.losses[0] / 2
    answers = standard.outputs(HEIGHTS, WEIGHTS) > 0.5
    assert answers.tolist() == [bool(label) for label in neuron.TUTORIAL_LABELS]


def test_the_column_of_ones_and_the_bias_move_together_as_one_theta0():
    run = neuron.train(HEIGHTS, WEIGHTS, neuron.TUTORIAL_LABELS, epochs=20, learning_rate=5.0,
                       standardise=True)
    np.testing.assert_allclose(run.kernels[:, 0] - run.kernels[0, 0], run.biases - run.biases[0],
                               atol=1e-6)
    assert run.theta()[0] == pytest.approx(run.kernels[-1, 0] + run.biases[-1])


def test_the_boundary_is_where_the_neuron_says_one_half():
    run = neuron.train(HEIGHTS, WEIGHTS, neuron.TUTORIAL_LABELS, epochs=50, learning_rate=5.0,
                       standardise=True)
    heights = np.array([150.0, 165.0, 180.0])
    np.testing.assert_allclose(run.outputs(heights, run.boundary(heights)), 0.5, atol=1e-9)


def test_standardised_features_have_mean_zero_and_unit_spread_and_equal_columns_are_kept():
    inputs, mean, scale = neuron.features(np.array(HEIGHTS, float), np.array(WEIGHTS, float), True)
    np.testing.assert_allclose(inputs[:, 0], 1)
    np.testing.assert_allclose(inputs[:, 1:].mean(axis=0), 0, atol=1e-6)
    np.testing.assert_allclose(inputs[:, 1:].std(axis=0), 1, atol=1e-6)
    same, _, scale = neuron.features(np.array([160.0, 160.0]), np.array([50.0, 60.0]), True)
    assert scale[0] == 1 and np.isfinite(same).all()


@pytest.mark.parametrize("heights, weights, labels, message", [
    ([160], [58], [2], "label must be 0 or 1"),
    ([1.6], [58], [1], "height of 1.6 cm"),
    ([160], [58000], [1], "weight of 58000 kg"),
    ([160, float("nan")], [58, 60], [1, 0], "Person 2 is missing"),
    ([], [], [], "between 1 and 20 people"),
])
def test_a_bad_table_is_explained(heights, weights, labels, message):
    with pytest.raises(ValueError, match=message):
        neuron.people(heights, weights, labels)


def test_the_slope_is_the_sigmoids_derivative_even_where_it_saturates():
    z = np.array([-3.0, 0.0, 0.5, 4.0])
    a = neuron.sigmoid(z)
    np.testing.assert_allclose(neuron.slope(z), a * (1 - a), rtol=1e-12)
    h = 1e-6
    np.testing.assert_allclose(neuron.slope(z), (neuron.sigmoid(z + h) - neuron.sigmoid(z - h))
                               / (2 * h), rtol=1e-6)
    assert 0 < neuron.slope(120.0) < 1e-50  # a rounds to 1; its slope is not 0
