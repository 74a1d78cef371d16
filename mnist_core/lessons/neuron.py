"""Keras' "Hello World": logistic regression as one sigmoid neuron, trained on four people.

The backpropagation tutorial's first program: each person is (1, height in cm, weight in kg)
with a label 0 or 1; one `Dense(1, activation="sigmoid")` neuron computes
a = g(z) = 1 / (1 + e^-z), z = theta0 + theta1 * height + theta2 * weight, and learns with the
mean squared error and plain SGD. Keras is imported only when a run trains.
"""

import dataclasses

import numpy as np

from mnist_core.i18n import gettext as _

# The tutorial's data: a constant 1, height (cm), weight (kg); and each person's label.
TUTORIAL_PEOPLE = ((1, 160, 58), (1, 172, 65), (1, 152, 52), (1, 148, 60))
TUTORIAL_LABELS = (1, 0, 0, 1)
# Bounds that catch a typo (a height in metres, a weight in grams) before it trains.
HEIGHT_RANGE, WEIGHT_RANGE = (50.0, 250.0), (10.0, 300.0)
MAX_PEOPLE = 20
SEED = 0


@dataclasses.dataclass(frozen=True)
class NeuronRun:
    """One training run of the neuron, epoch by epoch.

    `features` are the (N, 3) float32 inputs the neuron read: the column of ones, then height
    and weight, either raw or standardised as `(value - mean) / scale` (`mean` and `scale` are
    (2,) float arrays; 0 and 1 for raw inputs). `kernels` (epochs + 1, 3) and `biases`
    (epochs + 1,) hold the weights before the first epoch and after each; `losses` (epochs,)
    the mean squared error each epoch's step started from.
    """

    features: np.ndarray
    labels: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    kernels: np.ndarray
    biases: np.ndarray
    losses: np.ndarray

    def theta(self, epoch=-1):
        """(theta0, theta1, theta2) after `epoch` (-1: the last); theta0 = kernel[0] + bias."""
        kernel = self.kernels[epoch]
        return np.array([kernel[0] + self.biases[epoch], kernel[1], kernel[2]])

    def z(self, heights, weights, epoch=-1):
        """The neuron's weighted sum for heights (cm) and weights (kg), arrays of one shape."""
        theta = self.theta(epoch)
        return (theta[0] + theta[1] * (np.asarray(heights) - self.mean[0]) / self.scale[0]
                + theta[2] * (np.asarray(weights) - self.mean[1]) / self.scale[1])

    def outputs(self, heights, weights, epoch=-1):
        """The neuron's answer a = g(z) in [0, 1] for heights (cm) and weights (kg)."""
        return sigmoid(self.z(heights, weights, epoch))

    def boundary(self, heights, epoch=-1):
        """The weight (kg) at which the neuron says 0.5 for each height (cm); None if flat."""
        theta = self.theta(epoch)
        if abs(theta[2]) < 1e-12:
            return None
        heights = np.asarray(heights, dtype=float)
        standard_weight = -(theta[0] + theta[1] * (heights - self.mean[0]) / self.scale[0])
        return self.mean[1] + self.scale[1] * standard_weight / theta[2]


def sigmoid(z):
    """The logistic function 1 / (1 + e^-z), elementwise."""
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def slope(z):
    """The sigmoid's slope g'(z) = a (1 - a), elementwise, exact even where a rounds to 0 or 1."""
    shrink = np.exp(-np.abs(np.asarray(z, dtype=float)))
    return shrink / (1.0 + shrink) ** 2


def people(heights, weights, labels):
    """Check a table of people and return it as arrays.

    Args:
        heights, weights: sequences of numbers in cm and kg, one per person.
        labels: a sequence of 0 or 1, one per person.

    Returns:
        (heights (N,) float64, weights (N,) float64, labels (N,) float32).

    Raises:
        ValueError: a value is missing or out of range, or there are no (or too many) people.
    """
    heights, weights = np.asarray(heights, dtype=float), np.asarray(weights, dtype=float)
    labels = np.asarray(labels, dtype=float)
    if not len(heights) == len(weights) == len(labels):
        raise ValueError(_("Every person needs a height, a weight and a label."))
    if not 1 <= len(labels) <= MAX_PEOPLE:
        raise ValueError(_("Give between 1 and {most} people, not {count}.").format(
            most=MAX_PEOPLE, count=len(labels)))
    for row, (height, weight, label) in enumerate(zip(heights, weights, labels), start=1):
        if np.isnan([height, weight, label]).any():
            raise ValueError(_("Person {row} is missing a height, a weight or a label.").format(
                row=row))
        if not HEIGHT_RANGE[0] <= height <= HEIGHT_RANGE[1]:
            raise ValueError(_("Person {row}: a height of {height:g} cm is not between {low:g} "
                               "and {high:g} cm.").format(row=row, height=height,
                                                          low=HEIGHT_RANGE[0],
                                                          high=HEIGHT_RANGE[1]))
        if not WEIGHT_RANGE[0] <= weight <= WEIGHT_RANGE[1]:
            raise ValueError(_("Person {row}: a weight of {weight:g} kg is not between {low:g} "
                               "and {high:g} kg.").format(row=row, weight=weight,
                                                          low=WEIGHT_RANGE[0],
                                                          high=WEIGHT_RANGE[1]))
        if label not in (0, 1):
            raise ValueError(_("Person {row}: the label must be 0 or 1, not {label:g}.").format(
                row=row, label=label))
    return heights, weights, labels.astype(np.float32)


def features(heights, weights, standardise):
    """The neuron's inputs: a column of ones, then height and weight.

    Args:
        heights, weights: (N,) float arrays in cm and kg.
        standardise: if True, each of height and weight becomes (value - mean) / standard
            deviation (a column whose values are all equal is only centred).

    Returns:
        (features (N, 3) float32, mean (2,) float64, scale (2,) float64).
    """
    columns = np.stack([heights, weights], axis=1)
    if standardise:
        mean, scale = columns.mean(axis=0), columns.std(axis=0)
        scale = np.where(scale > 0, scale, 1.0)
    else:
        mean, scale = np.zeros(2), np.ones(2)
    standard = (columns - mean) / scale
    return np.column_stack([np.ones(len(columns)), standard]).astype(np.float32), mean, scale


def initial_weights(seed=SEED):
    """The neuron's starting (kernel (3,) float32, bias float): Keras' Glorot-uniform draw."""
    import keras

    kernel = keras.initializers.GlorotUniform(seed=seed)(shape=(3, 1))
    return np.asarray(kernel, dtype=np.float32).ravel(), 0.0


def train(heights, weights, labels, epochs, learning_rate, standardise):
    """Train the tutorial's neuron in Keras: Dense(1, sigmoid), MSE, plain SGD, all at once.

    Every epoch is one gradient step on all the people (they are one batch), as `fit` with
    `batch_size=len(people)` would take, without `fit`'s ~50 ms of set-up per epoch.

    Args:
        heights, weights, labels: the people, checked by `people`.
        epochs: number of epochs, 1 to 5,000.
        learning_rate: SGD's learning rate, above 0.
        standardise: whether the neuron reads standardised inputs (see `features`).

    Returns:
        A `NeuronRun`.
    """
    import keras
    from keras import layers

    heights, weights, labels = people(heights, weights, labels)
    if not (isinstance(epochs, int) and 1 <= epochs <= 5000):
        raise ValueError(f"Epochs must be a whole number from 1 to 5000, not {epochs!r}.")
    if not learning_rate > 0:
        raise ValueError(f"The learning rate must be above 0, not {learning_rate!r}.")
    inputs, mean, scale = features(heights, weights, standardise)
    model = keras.Sequential([keras.Input(shape=(3,)),
                              layers.Dense(1, activation="sigmoid", name="neuron")])
    model.compile(loss="mse", optimizer=keras.optimizers.SGD(learning_rate=learning_rate))
    neuron = model.get_layer("neuron")
    kernel, bias = initial_weights()
    neuron.set_weights([kernel.reshape(3, 1), np.array([bias], np.float32)])
    kernels, biases, losses = [kernel], [bias], []
    for _epoch in range(epochs):
        losses.append(float(model.train_on_batch(inputs, labels)))
        kernel, bias = neuron.get_weights()
        kernels.append(kernel.ravel())
        biases.append(float(bias[0]))
    return NeuronRun(inputs, labels, mean, scale, np.array(kernels), np.array(biases),
                     np.array(losses))


def train_by_hand(inputs, labels, epochs, learning_rate, kernel, bias):
    """The same gradient steps in NumPy: the reference `train` is tested against.

    Args:
        inputs: (N, 3) float features; labels: (N,) 0 or 1.
        epochs, learning_rate: as for `train`.
        kernel: (3,) starting weights; bias: the starting bias.

    Returns:
        (kernels (epochs + 1, 3), biases (epochs + 1,), losses (epochs,)), float64.
    """
    inputs, labels = np.asarray(inputs, dtype=float), np.asarray(labels, dtype=float)
    kernel, kernels, biases, losses = np.array(kernel, dtype=float), [], [], []
    kernels.append(kernel.copy())
    biases.append(float(bias))
    for _epoch in range(epochs):
        output = sigmoid(inputs @ kernel + bias)
        losses.append(np.mean((output - labels) ** 2))
        # d loss / d z for the mean of (a - y)^2, through a = g(z) with g' = a (1 - a).
        slope = 2 * (output - labels) * output * (1 - output) / len(labels)
        kernel = kernel - learning_rate * inputs.T @ slope
        bias = bias - learning_rate * slope.sum()
        kernels.append(kernel.copy())
        biases.append(float(bias))
    return np.array(kernels), np.array(biases), np.array(losses)
