"""The numbers a student types into a lesson: grids and single values, checked before use.

Errors a student can cause (an emptied cell, a word in a grid) are in the caller's language;
those only a programmer can cause stay in English.
"""
import math

import numpy as np

from mnist_core.i18n import N_
from mnist_core.i18n import gettext as _

# What can be wrong with each grid, one whole sentence (msgid) per grid and problem.
_GRID_PROBLEMS = {
    "image": dict(
        numbers=N_("The image must contain only numbers."),
        shape=N_("The image must be a 2-D grid (rows x columns), but it has {dimensions} "
                 "dimension(s) with shape {shape}."),
        empty=N_("The image is empty; it needs at least one row and one column."),
        finite=N_("The image contains NaN or infinite values; every cell needs a real number.")),
    "kernel": dict(
        numbers=N_("The kernel must contain only numbers."),
        shape=N_("The kernel must be a 2-D grid (rows x columns), but it has {dimensions} "
                 "dimension(s) with shape {shape}."),
        empty=N_("The kernel is empty; it needs at least one row and one column."),
        finite=N_("The kernel contains NaN or infinite values; every cell needs a real number.")),
}


def _grid_problem(name, problem, **fields):
    """A ValueError saying, in the caller's language, what is wrong with grid `name`."""
    message = _GRID_PROBLEMS[name][problem]
    return ValueError(_(message).format(**fields))


def as_grid(values, name):
    """Return `values` as a finite 2-D float64 array or raise a ValueError naming it.

    Args: values: array-like. name: "image" or "kernel", a key of `_GRID_PROBLEMS`.
    """
    try:
        grid = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise _grid_problem(name, "numbers") from None
    if grid.ndim != 2:
        raise _grid_problem(name, "shape", dimensions=grid.ndim, shape=grid.shape)
    if grid.size == 0:
        raise _grid_problem(name, "empty")
    if not np.all(np.isfinite(grid)):
        raise _grid_problem(name, "finite")
    return grid


def as_number(value, name):
    """Return `value` as a finite float or raise a ValueError naming it."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"The {name} must be a single number, not {value!r}.") from None
    if not math.isfinite(number):
        raise ValueError(f"The {name} must be a real number, not {number}.")
    return number
