"""The zoo's layer stacks, one function of the `keras.layers` module per architecture.

Each returns the layers in order, input first; `models.build` stacks them in a `keras.Sequential`.
Layer names (conv1, pool1, dense, softmax...) are what the feature-map and lesson pages show.
"""


def mlp(layers):
    """The tutorials' multilayer perceptron: 784 pixels, 50 linear hidden units, softmax."""
    return (
        layers.Input(shape=(784,)),
        layers.Dense(50, name="hidden"),
        layers.Dense(10, name="logits"),
        layers.Activation("softmax", name="softmax"),
    )


def cnn(layers, conv1_filters=16, conv2_filters=36, dense_units=128):
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


def lstm(layers):
    """The LSTM reading the image row by row: 28 steps of 28 pixels, 128 units, softmax."""
    return (
        layers.Input(shape=(28, 28)),
        layers.LSTM(128, name="lstm"),
        layers.Dense(10, name="logits"),
        layers.Activation("softmax", name="softmax"),
    )


def cnn_tanh(layers):
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


def strong_cnn(layers):
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
