"""Backpropagation by hand: Matt Mazur's 2-2-2 network, one forward pass and one update.

Pure Python so the lesson page loads without TensorFlow; tests check every number against
the tutorial ("A Step by Step Backpropagation Example") and against finite differences.
"""
import math
from dataclasses import dataclass

import numpy as np

INPUTS, TARGETS = (0.05, 0.10), (0.01, 0.99)
# The tutorial's starting network.
TUTORIAL_WEIGHTS = {"w1": 0.15, "w2": 0.20, "w3": 0.25, "w4": 0.30, "b1": 0.35,
                    "w5": 0.40, "w6": 0.45, "w7": 0.50, "w8": 0.55, "b2": 0.60}
HIDDEN, OUTPUT = ("h1", "h2"), ("o1", "o2")
# What feeds each neuron: the weights of its first and second input, then its bias. A
# hidden neuron's inputs are i1, i2; an output neuron's are out_h1, out_h2.
INCOMING = {"h1": ("w1", "w2", "b1"), "h2": ("w3", "w4", "b1"),
            "o1": ("w5", "w6", "b2"), "o2": ("w7", "w8", "b2")}


@dataclass(frozen=True)
class BackpropStep:
    """Every number of one forward pass and one gradient-descent update.

    Neuron-keyed dicts use "h1", "h2", "o1", "o2"; weight-keyed ones "w1".."w8" (and "b1",
    "b2" in `weights` and `new_weights`). All values are Python floats.
    """
    weights: dict[str, float]       # the weights and biases the forward pass used
    net: dict[str, float]           # per neuron: weighted inputs plus bias
    out: dict[str, float]           # per neuron: logistic(net)
    error: dict[str, float]         # per output: 1/2 (target - out)^2
    total_error: float              # error["o1"] + error["o2"]
    slope: dict[str, float]         # per neuron: d out / d net = out (1 - out)
    error_by_out: dict[str, float]  # per neuron: d E_total / d out
    delta: dict[str, float]         # per neuron: d E_total / d net = error_by_out * slope
    gradients: dict[str, float]     # per weight: d E_total / d w
    new_weights: dict[str, float]   # w - learning_rate * gradient; biases kept, as in the tutorial


def _logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


def _net(neurons, sources, weight):
    """Each neuron's two weighted `sources` plus its bias, as a dict by neuron name."""
    net = {}
    for neuron in neurons:
        first, second, bias = INCOMING[neuron]
        net[neuron] = weight[first] * sources[0] + weight[second] * sources[1] + weight[bias]
    return net


def backprop_example(learning_rate=0.5, weights=None, inputs=INPUTS, targets=TARGETS):
    """Run one forward pass and one gradient-descent step of the 2-2-2 tutorial network.

    Args:
        learning_rate: step size eta in w_new = w - eta * dE/dw.
        weights: optional dict overriding any of w1..w8, b1, b2 (see TUTORIAL_WEIGHTS).
        inputs: (i1, i2).
        targets: (target_o1, target_o2).
    Returns:
        BackpropStep with the tutorial's figures, e.g. out["h1"] = 0.593269992,
        total_error = 0.298371109 and gradients["w5"] = 0.082167041 by default.
    """
    unknown = set(weights or {}) - set(TUTORIAL_WEIGHTS)
    if unknown:
        raise ValueError(f"Unknown weight name(s) {sorted(unknown)}; use w1..w8, b1, b2.")
    weight = {**TUTORIAL_WEIGHTS, **(weights or {})}
    hidden_sources = tuple(inputs)
    net = _net(HIDDEN, hidden_sources, weight)
    out = {neuron: _logistic(value) for neuron, value in net.items()}
    output_sources = tuple(out[neuron] for neuron in HIDDEN)
    net.update(_net(OUTPUT, output_sources, weight))
    out.update({neuron: _logistic(net[neuron]) for neuron in OUTPUT})
    error = {neuron: 0.5 * (target - out[neuron]) ** 2 for neuron, target in zip(OUTPUT, targets)}
    slope = {neuron: value * (1 - value) for neuron, value in out.items()}
    error_by_out = {neuron: out[neuron] - target for neuron, target in zip(OUTPUT, targets)}
    delta = {neuron: error_by_out[neuron] * slope[neuron] for neuron in OUTPUT}
    for position, neuron in enumerate(HIDDEN):
        # Every output passes its error back along the ORIGINAL weight from this neuron, so
        # all gradients come from the same forward pass.
        error_by_out[neuron] = sum(delta[output] * weight[INCOMING[output][position]]
                                   for output in OUTPUT)
        delta[neuron] = error_by_out[neuron] * slope[neuron]
    gradients = {}
    for layer, sources in ((HIDDEN, hidden_sources), (OUTPUT, output_sources)):
        for neuron in layer:
            for name, source in zip(INCOMING[neuron][:2], sources):
                gradients[name] = delta[neuron] * source
    new_weights = {**weight, **{name: weight[name] - learning_rate * gradient
                                for name, gradient in gradients.items()}}
    return BackpropStep(weight, net, out, error, sum(error.values()), slope, error_by_out,
                        delta, gradients, new_weights)


def train_steps(steps=1000, learning_rate=0.5, weights=None, inputs=INPUTS, targets=TARGETS):
    """Repeat the tutorial's update `steps` times and record the falling error.

    Args:
        steps: number of weight updates, a whole number >= 0.
        learning_rate, weights, inputs, targets: as for `backprop_example`.
    Returns:
        list of `steps` floats; item k is E_total after k + 1 updates (about 0.291028
        after 1 and 0.0000351 after 10,000, matching the tutorial's rounded figures).
    """
    if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
        raise ValueError(f"The number of steps must be a whole number >= 0, not {steps!r}.")
    step = backprop_example(learning_rate, weights, inputs, targets)
    errors = []
    for _ in range(steps):
        step = backprop_example(learning_rate, step.new_weights, inputs, targets)
        errors.append(step.total_error)
    return errors


def exact(value):
    """The tutorial's way of writing a number: up to nine decimals, no trailing zeros."""
    return f"{value:.9f}".rstrip("0").rstrip(".")
