"""The lessons' maths: convolution, the playground's walk-through, backpropagation, one neuron.

May import: `i18n` (and Keras) only: a lesson never needs a data set or a trained model.
"""
