"""Why a model reads a drawing as it does: evidence maps over the 28x28 input, for any zoo model.

Occlusion needs no gradients: it blanks each patch of the input and measures how much each
class's probability falls, for every patch in one batched forward pass. The gradient maps
(plain, SmoothGrad, Integrated Gradients) differentiate the logits (the scores before
softmax, computed from the last Dense layer's weights) with respect to the input pixels.
`randomized` gives the same network with fresh random weights, for the sanity check of
Adebayo et al. (2018): a map that barely changes then shows the digit, not the model's reasons.
"""

import dataclasses
import weakref

import keras
import numpy as np
import tensorflow as tf

from mnist_core.networks import predict

PATCH, STRIDE = 4, 2  # occlusion: 4x4 patches every 2 pixels, 13x13 = 169 of them
SMOOTH_SAMPLES, SMOOTH_NOISE = 40, 0.15  # SmoothGrad: noisy copies; noise, share of 0..1
IG_STEPS = 50  # Integrated Gradients: steps from the black baseline to the input
# One feature model and one compiled gradient function per explained model, built on first
# use (weak keys: models no longer used go away).
_HEADS = weakref.WeakKeyDictionary()


@dataclasses.dataclass(frozen=True)
class Attribution:
    """Integrated Gradients' attributions and its completeness check.

    Attributes:
        pixels: (28, 28) float32: each pixel's share of logit(input) - logit(baseline).
        total: the sum of `pixels`.
        difference: logit(input) - logit(baseline) of the class explained.
    """

    pixels: np.ndarray
    total: float
    difference: float

    @property
    def gap(self):
        """How far `total` is from `difference`, as a share of `difference`'s size."""
        return abs(self.total - self.difference) / max(abs(self.difference), 1e-6)


def _head(model):
    """(feature model, the last Dense layer, compiled gradient function) of a model."""
    if model not in _HEADS:
        dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
        if not dense or dense[-1].units != 10:
            raise ValueError(f"{model.name!r} has no last Dense layer of 10 classes to "
                             "explain: explanations need a model of the lab's zoo.")
        last = dense[-1]
        feature_model = keras.Model(inputs=model.inputs[0], outputs=last.input)

        @tf.function(reduce_retracing=True)
        def gradients(inputs, weights):
            """Gradients of sum(logits * weights) per image, and the logits."""
            with tf.GradientTape() as tape:
                tape.watch(inputs)
                logits = tf.matmul(feature_model(inputs, training=False), last.kernel) + last.bias
                objective = tf.reduce_sum(logits * weights, axis=-1)
            return tape.gradient(objective, inputs), logits

        _HEADS[model] = (feature_model, last, gradients)
    return _HEADS[model]


def features(model, images):
    """The penultimate layer's features (the last Dense layer's input) of images.

    Args:
        model: a zoo model.
        images: (N, 28, 28) uint8 (0-255) or float (0-1).

    Returns:
        (N, F) float32; F is e.g. 128 for the tutorial's CNN.
    """
    feature_model, _last, _gradients = _head(model)
    inputs = predict.as_model_input(model, images)
    return np.concatenate([np.asarray(feature_model.predict_on_batch(
        inputs[start:start + predict.BATCH_SIZE]), np.float32)
        for start in range(0, len(inputs), predict.BATCH_SIZE)])


def logits(model, images):
    """The 10 scores before softmax: (N, 10) float32 for (N, 28, 28) images."""
    _features, last, _gradients = _head(model)
    return features(model, images) @ np.asarray(last.kernel) + np.asarray(last.bias)


def occlusion(model, image, patch=PATCH, stride=STRIDE):
    """How much each class's probability falls where the input is covered.

    Each `patch` x `patch` square, every `stride` pixels, is blanked (set to the background,
    0) in its own copy of the image; all copies go through the model in one batch. A pixel's
    value is the mean fall over the patches that cover it.

    Args:
        model: a zoo model.
        image: (28, 28) float in [0, 1] (or uint8).
        patch, stride: the square's side and step, in pixels.

    Returns:
        (10, 28, 28) float32: probability of the class with the image whole minus with the
        pixel covered (positive: that ink was evidence for the class).
    """
    _head(model)  # refuses a model that is not a 10-class classifier
    image = predict.as_model_input(model, image).reshape(28, 28)
    starts = range(0, 28 - patch + 1, stride)
    corners = [(row, column) for row in starts for column in starts]
    covered = np.repeat(image[None], len(corners) + 1, axis=0)
    for number, (row, column) in enumerate(corners, start=1):
        covered[number, row:row + patch, column:column + patch] = 0.0
    probabilities = predict.probabilities(model, covered)
    falls = probabilities[0] - probabilities[1:]  # (patches, 10)
    total, count = np.zeros((10, 28, 28), np.float32), np.zeros((28, 28), np.float32)
    for fall, (row, column) in zip(falls, corners):
        total[:, row:row + patch, column:column + patch] += fall[:, None, None]
        count[row:row + patch, column:column + patch] += 1
    return total / np.maximum(count, 1)


def _class_weights(target, versus):
    """The (10,) weights that pick logit(target) - logit(versus) (versus may be None)."""
    weights = np.zeros(10, np.float32)
    weights[target] += 1.0
    if versus is not None:
        weights[versus] -= 1.0
    return weights


def _gradients(model, images, weights):
    """Gradients (N, 28, 28) of sum(logits * weights) for images in [0, 1], and the logits."""
    _features, _last, gradients = _head(model)
    inputs = tf.convert_to_tensor(predict.as_model_input(model, images))
    grads, scores = gradients(inputs, tf.convert_to_tensor(weights))
    return np.asarray(grads, np.float32).reshape(-1, 28, 28), np.asarray(scores, np.float32)


def gradient(model, image, target, versus=None):
    """How the score of `target` (minus that of `versus`) changes with each pixel's ink.

    Args:
        model: a zoo model.
        image: (28, 28) float in [0, 1].
        target: the class to explain; versus: a class to explain it against, or None.

    Returns:
        (28, 28) float32: d(logit[target] - logit[versus]) / d(pixel), pixels in 0..1.
    """
    grads, _scores = _gradients(model, np.asarray(image, np.float32)[None],
                                _class_weights(target, versus))
    return grads[0]


def smooth_gradient(model, image, target, versus=None, samples=SMOOTH_SAMPLES,
                    noise=SMOOTH_NOISE, seed=0):
    """SmoothGrad: `gradient` averaged over noisy copies of the image, in one batch.

    "What would make it a 7?" is `smooth_gradient(model, image, 7, answer)`: positive where
    more ink would push the answer toward 7, negative where ink pushes away from it.

    Args:
        model, image, target, versus: as for `gradient`.
        samples: noisy copies; noise: the noise's standard deviation, in 0..1 pixel units.
        seed: the noise's seed (the same drawing gives the same map).

    Returns:
        (28, 28) float32.
    """
    image = np.asarray(image, np.float32)
    noisy = image[None] + np.random.default_rng(seed).normal(
        0.0, noise, (samples, 28, 28)).astype(np.float32)
    grads, _scores = _gradients(model, noisy, _class_weights(target, versus))
    return grads.mean(axis=0)


def integrated_gradients(model, image, target, steps=IG_STEPS):
    """Integrated Gradients from a black image to `image`, with its completeness check.

    The gradient is averaged along the straight path from the baseline (all 0) to the input
    (trapezoid rule over `steps` intervals) and multiplied by the input: the pixels' shares
    then add up to logit(input) - logit(baseline), within the rule's error.

    Args:
        model, image, target: as for `gradient`.
        steps: intervals of the path.

    Returns:
        An `Attribution`.
    """
    image = np.asarray(image, np.float32)
    alphas = np.linspace(0.0, 1.0, steps + 1, dtype=np.float32)
    grads, scores = _gradients(model, alphas[:, None, None] * image[None],
                               _class_weights(target, None))
    trapezoid = (grads[:-1] + grads[1:]).mean(axis=0) / 2
    pixels = (image * trapezoid).astype(np.float32)
    return Attribution(pixels=pixels, total=float(pixels.sum()),
                       difference=float(scores[-1, target] - scores[0, target]))


def randomized(model, seed=0):
    """The same network with its weights re-initialised at random (for the sanity check).

    Args:
        model: a zoo model (left unchanged).
        seed: the new weights' seed.

    Returns:
        A new Keras model of the same layers.
    """
    copy = keras.models.clone_model(model)
    copy.build(model.input_shape)
    generator = np.random.default_rng(seed)
    # Glorot-uniform kernels, as the zoo's layers start (seeded here rather than through
    # Keras' global seed, which every session of the server shares); biases stay at 0.
    for weight in copy.weights:
        if len(weight.shape) >= 2:
            receptive = int(np.prod(weight.shape[:-2]))
            fan_in, fan_out = weight.shape[-2] * receptive, weight.shape[-1] * receptive
            limit = np.sqrt(6.0 / (fan_in + fan_out))
            weight.assign(generator.uniform(-limit, limit, weight.shape).astype(np.float32))
    return copy
