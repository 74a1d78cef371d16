"""The lessons' maths on small grids: convolution, the playground's walk-through, backpropagation.

May import: `i18n` only: a lesson never needs a data set or a trained model.
"""
