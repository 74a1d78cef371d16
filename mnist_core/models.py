"""The tutorials' model zoo: exactly their layers, optimizers and training defaults."""

import dataclasses

from mnist_core import zoo_layers
from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _


@dataclasses.dataclass(frozen=True)
class ZooEntry:
    """One model of the zoo with the settings and result its tutorial reports.

    `tutorial_accuracy` is the test accuracy in [0, 1] the tutorial reports on `tutorial_data`
    after `epochs` epochs, or None for a model of the lab's own. `layers` is a function of the
    `keras.layers` module returning the layer stack: Keras is imported only when a model is
    built, so reading the catalogue never waits for TensorFlow.

    `english_title` and `english_description` are the English texts (msgids marked with `N_`);
    `title` and `description` give them in the reader's language, for pages to show.
    """

    name: str
    english_title: str
    english_description: str
    epochs: int
    batch_size: int
    tutorial_accuracy: float | None
    tutorial_data: str
    layers: object
    optimizer: object

    @property
    def title(self):
        """The model's title in the reader's language, e.g. "Multilayer perceptron"."""
        return _(self.english_title)

    @property
    def description(self):
        """What the model is and how it learns, in the reader's language."""
        return _(self.english_description)

    @property
    def tutorial_result(self):
        """The tutorial's result as page text in the reader's language, e.g. "91.22% on MNIST"."""
        if self.tutorial_accuracy is None:
            return _("not in the tutorials: see the README's model card")
        return _("{accuracy:.2%} on {data}").format(accuracy=self.tutorial_accuracy,
                                                    data=self.tutorial_data)


ZOO = {
    entry.name: entry
    for entry in (
        ZooEntry(
            "mlp", N_("Multilayer perceptron"),
            N_("The simplest network: every pixel of the flattened 784-pixel image feeds 50 "
               "linear hidden units, then 10 outputs turned into probabilities by softmax, trained "
               "with plain stochastic gradient descent. It sees pixels, not shapes, so a digit "
               "drawn a little off-centre confuses it."),
            10, 128, 0.9122, "MNIST", zoo_layers.mlp, "sgd"),
        ZooEntry(
            "cnn", N_("Convolutional network (the seed CNN)"),
            N_("Two convolution layers (16 then 36 filters of 5x5, named conv1 and conv2) learn "
               "strokes and shapes anywhere in the image; max pooling halves the size after each; "
               "dropout fights over-fitting before a 128-unit dense layer and the softmax. "
               "Trained with Adam."),
            10, 300, 0.9918, "MNIST", zoo_layers.cnn, "adam"),
        ZooEntry(
            "cnn_small", N_("Smaller convolutional network"),
            N_("The seed CNN with only 16 filters in conv2: less than half the parameters, "
               "almost the same accuracy - a lesson in how much capacity a task needs."),
            10, 300, 0.9902, "MNIST", lambda layers: zoo_layers.cnn(layers, conv2_filters=16),
            "adam"),
        ZooEntry(
            "lstm", N_("Recurrent network (LSTM)"),
            N_("Reads the image one row at a time, top to bottom, like a sentence of 28 words; "
               "128 LSTM units remember what they have seen, then 10 softmax outputs decide. "
               "Trained with Adam."),
            10, 128, 0.9838, "MNIST", zoo_layers.lstm, "adam"),
        ZooEntry(
            "fashion_cnn", N_("Fashion-MNIST convolutional network"),
            N_("A wider CNN for clothes: 32 then 72 filters of 5x5, a 256-unit dense layer and "
               "dropout. Fashion-MNIST is harder than digits: shirts, T-shirts and pullovers "
               "look alike at 28x28."),
            35, 300, 0.9257, "Fashion-MNIST", lambda layers: zoo_layers.cnn(layers, 32, 72, 256),
            "adam"),
        ZooEntry(
            "cnn_tanh", N_("Classic tanh CNN"),
            N_("An older Keras tutorial's network: three small 'valid' convolutions (4, 8, 16 "
               "filters) with tanh activations and two poolings, a 128-unit tanh layer and "
               "softmax. Tiny, yet accurate."),
            12, 128, 0.9838, "MNIST", zoo_layers.cnn_tanh, "adam"),
        ZooEntry(
            "cnn_strong", N_("Strong CNN (the shipped default's design)"),
            N_("Three stages of a 3x3 convolution with batch normalisation (32, 64 then 128 "
               "filters, named conv1 to conv3), each halving the image by max pooling, then "
               "dropout and a 256-unit dense layer. Trained on distorted copies of 4,500 digits, "
               "it is the model the lab ships: 98.9% on the MNIST test set."),
            30, 128, None, "MNIST", zoo_layers.strong_cnn, "adam"),
    )
}


def available():
    """Names of the models that `build` accepts, in teaching order."""
    return list(ZOO)


def info(name):
    """The `ZooEntry` (description, tutorial defaults and result) of a model name."""
    if name not in ZOO:
        raise ValueError(f"Unknown model {name!r}; choose one of {', '.join(ZOO)}.")
    return ZOO[name]


def build(name):
    """Build and compile a model of the zoo, ready to fit.

    Args:
        name: one of `available()`.

    Returns:
        A compiled `keras.Model` taking float images in [0, 1] and returning (N, 10) softmax
        probabilities; its name is the zoo name.
    """
    import keras  # imported late: pages that only read the zoo's catalogue must not wait for it

    entry = info(name)
    model = keras.Sequential(list(entry.layers(keras.layers)), name=name)
    model.compile(
        optimizer=entry.optimizer,
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    return model


def parameter_count(name):
    """Number of trainable and non-trainable parameters of a zoo model."""
    return build(name).count_params()
