"""The tutorials' model zoo: exactly their layers, optimizers and training defaults.

Each `<architecture>_layers` function takes the `keras.layers` module and returns the layer stack,
input first; `build` stacks it in a `keras.Sequential`. Layer names (conv1, pool1, dense,
softmax...) are what the feature-map and lesson pages show.
"""

import dataclasses

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



def mlp_layers(layers):
    """The tutorials' multilayer perceptron: 784 pixels, 50 linear hidden units, softmax."""
    return (
        layers.Input(shape=(784,)),
        layers.Dense(50, name="hidden"),
        layers.Dense(10, name="logits"),
        layers.Activation("softmax", name="softmax"),
    )


def cnn_layers(layers, conv1_filters=16, conv2_filters=36, dense_units=128):
    """The seed CNN: two 5x5 convolutions with max pooling, dropout, a dense layer, softmax."""
    return (
        layers.Input(shape=(28, 28, 1)),
        layers.Conv2D(conv1_filters, 5, padding="same", activation="relu", name="conv1"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(conv2_filters, 5, padding="same", activation="relu", name="conv2"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Dropout(0.25, name="dropout1"),
        layers.Flatten(name="flatten"),
        layers.Dense(dense_units, activation="relu", name="dense"),
        layers.Dropout(0.5, name="dropout2"),
        layers.Dense(10, activation="softmax", name="softmax"),
    )


def lstm_layers(layers):
    """The LSTM reading the image row by row: 28 steps of 28 pixels, 128 units, softmax."""
    return (
        layers.Input(shape=(28, 28)),
        layers.LSTM(128, name="lstm"),
        layers.Dense(10, name="logits"),
        layers.Activation("softmax", name="softmax"),
    )


def cnn_tanh_layers(layers):
    """The classic tanh CNN: three small 'valid' convolutions, two poolings, softmax."""
    return (
        layers.Input(shape=(28, 28, 1)),
        layers.Conv2D(4, 5, activation="tanh", name="conv1"),
        layers.Conv2D(8, 3, activation="tanh", name="conv2"),
        layers.MaxPooling2D(2, name="pool1"),
        layers.Conv2D(16, 3, activation="tanh", name="conv3"),
        layers.MaxPooling2D(2, name="pool2"),
        layers.Flatten(name="flatten"),
        layers.Dense(128, activation="tanh", name="dense"),
        layers.Dense(10, activation="softmax", name="softmax"),
    )


def strong_cnn_layers(layers):
    """The shipped default models' design: three batch-normalised 3x3 stages, dropout."""
    # Batch normalisation and a third 3x3 stage learn far more from 5,000 digits than the
    # tutorials' nets; one convolution per stage keeps an epoch of 60,000 images near a minute
    # on two CPU cores. This is the architecture of the shipped default models.
    stack = [layers.Input(shape=(28, 28, 1))]
    for stage, filters in ((1, 32), (2, 64), (3, 128)):
        stack += [
            layers.Conv2D(filters, 3, padding="same", use_bias=False, name=f"conv{stage}"),
            layers.BatchNormalization(name=f"norm{stage}"),
            layers.Activation("relu", name=f"relu{stage}"),
            layers.MaxPooling2D(2, name=f"pool{stage}"),
        ]
    stack += [
        layers.Flatten(name="flatten"),
        layers.Dropout(0.25, name="dropout1"),
        layers.Dense(256, activation="relu", name="dense"),
        layers.Dropout(0.5, name="dropout2"),
        layers.Dense(10, activation="softmax", name="softmax"),
    ]
    return tuple(stack)


ZOO = {
    entry.name: entry
    for entry in (
        ZooEntry(
            "mlp", N_("Multilayer perceptron"),
            N_("The simplest network: every pixel of the flattened 784-pixel image feeds 50 "
               "linear hidden units, then 10 outputs turned into probabilities by softmax, trained "
               "with plain stochastic gradient descent. It sees pixels, not shapes, so a digit "
               "drawn a little off-centre confuses it."),
            10, 128, 0.9122, "MNIST", mlp_layers, "sgd"),
        ZooEntry(
            "cnn", N_("Convolutional network (the seed CNN)"),
            N_("Two convolution layers (16 then 36 filters of 5x5, named conv1 and conv2) learn "
               "strokes and shapes anywhere in the image; max pooling halves the size after each; "
               "dropout fights over-fitting before a 128-unit dense layer and the softmax. "
               "Trained with Adam."),
            10, 300, 0.9918, "MNIST", cnn_layers, "adam"),
        ZooEntry(
            "cnn_small", N_("Smaller convolutional network"),
            N_("The seed CNN with only 16 filters in conv2: less than half the parameters, "
               "almost the same accuracy - a lesson in how much capacity a task needs."),
            10, 300, 0.9902, "MNIST", lambda layers: cnn_layers(layers, conv2_filters=16),
            "adam"),
        ZooEntry(
            "lstm", N_("Recurrent network (LSTM)"),
            N_("Reads the image one row at a time, top to bottom, like a sentence of 28 words; "
               "128 LSTM units remember what they have seen, then 10 softmax outputs decide. "
               "Trained with Adam."),
            10, 128, 0.9838, "MNIST", lstm_layers, "adam"),
        ZooEntry(
            "fashion_cnn", N_("Fashion-MNIST convolutional network"),
            N_("A wider CNN for clothes: 32 then 72 filters of 5x5, a 256-unit dense layer and "
               "dropout. Fashion-MNIST is harder than digits: shirts, T-shirts and pullovers "
               "look alike at 28x28."),
            35, 300, 0.9257, "Fashion-MNIST", lambda layers: cnn_layers(layers, 32, 72, 256),
            "adam"),
        ZooEntry(
            "cnn_tanh", N_("Classic tanh CNN"),
            N_("An older Keras tutorial's network: three small 'valid' convolutions (4, 8, 16 "
               "filters) with tanh activations and two poolings, a 128-unit tanh layer and "
               "softmax. Tiny, yet accurate."),
            12, 128, 0.9838, "MNIST", cnn_tanh_layers, "adam"),
        ZooEntry(
            "cnn_strong", N_("Strong CNN (the shipped default's design)"),
            N_("Three stages of a 3x3 convolution with batch normalisation (32, 64 then 128 "
               "filters, named conv1 to conv3), each halving the image by max pooling, then "
               "dropout and a 256-unit dense layer. Trained on distorted copies of 4,500 digits, "
               "it is the model the lab ships: 98.9% on the MNIST test set."),
            30, 128, None, "MNIST", strong_cnn_layers, "adam"),
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
