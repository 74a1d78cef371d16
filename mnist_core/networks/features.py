"""What a model's convolution and pooling layers see: activations and learned filters."""

import weakref

import keras
import numpy as np

from mnist_core.networks import predict

POOLING_LAYERS = (keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
FEATURE_LAYERS = (keras.layers.Conv2D, *POOLING_LAYERS)
# One small model per inspected model, built on first use: rebuilding it per drawing costs far
# more than the forward pass itself. Weak keys let models that are no longer used go away.
_FEATURE_MODELS = weakref.WeakKeyDictionary()


def feature_layers(model):
    """The model's Conv2D and pooling layers, in order (empty for an MLP or LSTM)."""
    return [layer for layer in model.layers if isinstance(layer, FEATURE_LAYERS)]


def layer_type(layer):
    """What a feature layer does, for page texts: "convolution" or "pooling".

    Args:
        layer: one of `feature_layers(model)`.

    Returns:
        "convolution" for a Conv2D layer, "pooling" for a max or average pooling layer.
    """
    if isinstance(layer, keras.layers.Conv2D):
        return "convolution"
    if isinstance(layer, POOLING_LAYERS):
        return "pooling"
    raise ValueError(f"Layer {layer.name!r} ({type(layer).__name__}) is neither a convolution "
                     "nor a pooling layer: only those of `feature_layers` have feature maps.")


def activations(model, image):
    """Activations of every convolution and pooling layer for one image.

    Args:
        model: a Keras model of the zoo.
        image: (28, 28) uint8 (0-255) or float (0-1).

    Returns:
        Dict {layer name: (H, W, C) float32}, in layer order; empty when the model has no
        convolution layers.
    """
    if np.ndim(image) != 2:
        raise ValueError(f"Expected one 28x28 image, got shape {np.shape(image)}.")
    layers = feature_layers(model)
    if not layers:
        return {}
    if model not in _FEATURE_MODELS:
        _FEATURE_MODELS[model] = keras.Model(
            inputs=model.inputs[0], outputs=[layer.output for layer in layers])
    outputs = _FEATURE_MODELS[model].predict_on_batch(predict.as_model_input(model, image))
    return {layer.name: np.asarray(output[0], dtype=np.float32)
            for layer, output in zip(layers, outputs)}


def filters(model, layer_name):
    """The learned kernels of one Conv2D layer.

    Args:
        model: a Keras model.
        layer_name: name of one of its Conv2D layers, e.g. "conv1".

    Returns:
        (kernel_height, kernel_width, input_channels, filters) float32 array.
    """
    layer = next((layer for layer in model.layers if layer.name == layer_name), None)
    if not isinstance(layer, keras.layers.Conv2D):
        names = [layer.name for layer in feature_layers(model)
                 if isinstance(layer, keras.layers.Conv2D)]
        raise ValueError(f"{layer_name!r} is not a convolution layer of this model; "
                         f"its convolution layers are {names or 'none'}.")
    return np.asarray(layer.kernel, dtype=np.float32)
