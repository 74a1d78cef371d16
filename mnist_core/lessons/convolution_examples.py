"""The convolution playground's examples and filters, each as its tutorial shows it.

Filter and example names are English msgids (marked with `N_`) and stay the widgets' option
values; the page translates them where it shows them, as it does each example's `note`.
"""
import numpy as np

from mnist_core.i18n import N_


def plus_sign(size):
    """A plus sign of ones, arms of length 2, in the middle of a size x size float64 grid."""
    grid = np.zeros((size, size))
    middle = size // 2
    grid[middle, middle - 2:middle + 3] = grid[middle - 2:middle + 3, middle] = 1
    return grid


FILTERS = {
    N_("Tutorial 3×3"): [[2, 0, 1], [0, 1, 2], [1, 0, 2]],
    N_("Horizontal edge"): [[1, 2, 1], [0, 0, 0], [-1, -2, -1]],
    N_("Vertical edge"): [[1, 0, -1], [2, 0, -2], [1, 0, -1]],
    N_("Diagonal"): [[1, 0, -1], [0, 0, 0], [-1, 0, 1]],
    N_("Sharpen"): [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    N_("Blur"): (np.array([[1, 2, 1], [2, 4, 2], [1, 2, 1]]) / 16).tolist(),
    N_("Keep as is (1×1)"): [[1]],
}
# Each example has a `grid` to edit or a 28x28 `picture` source; the other settings are where
# each widget starts, so an example opens exactly as its tutorial shows it. Its `note` is a
# msgid, translated where shown.
EXAMPLES = {
    N_("4×4 grid with the tutorial's filter"): dict(
        grid=[[1, 2, 3, 0], [0, 1, 2, 3], [3, 0, 1, 2], [2, 3, 0, 1]],
        filter="Tutorial 3×3", bias=0.0, relu=False, pool=False,
        note=N_("The tutorials' first example gives 15, 16, 6, 15. "
                "Move the bias to 3 and every cell grows by 3: 18, 19, 9, 18.")),
    N_("5×5 cross, horizontal edge"): dict(
        grid=plus_sign(5), filter="Horizontal edge", bias=0.0, relu=False, pool=False,
        note=N_("The filter answers +3 under the cross's horizontal bar and -3 above it: "
                "it detects horizontal edges, and their direction.")),
    N_("7×7 plus, horizontal edge, bias -1, ReLU"): dict(
        grid=plus_sign(7), filter="Horizontal edge", bias=-1.0, relu=True, pool=False,
        note=N_("The bias of -1 and ReLU keep only strong answers: the bottom edge of the bar.")),
    N_("7×7 plus, diagonal filter, bias -1, ReLU"): dict(
        grid=plus_sign(7), filter="Diagonal", bias=-1.0, relu=True, pool=False,
        note=N_("All zeros after ReLU: a plus sign has no diagonal feature.")),
    N_("Max pooling a 4×4 grid"): dict(
        grid=[[5, 2, 3, 1], [4, 1, 1, 6], [7, 8, 2, 9], [1, 1, 1, 1]],
        filter="Keep as is (1×1)", bias=0.0, relu=False, pool=True,
        note=N_("A 1×1 filter of 1 leaves the grid as it is, so only the pooling acts: "
                "the largest value of each 2×2 block, 5, 6, 8, 9.")),
    N_("Image from the test set (28×28)"): dict(
        picture="test set", filter="Horizontal edge", bias=0.0, relu=True, pool=True,
        note=N_("The first layer of a CNN does exactly this with the filters it learned.")),
    N_("The Draw page's digit (28×28)"): dict(
        picture="drawing", filter="Vertical edge", bias=0.0, relu=True, pool=True,
        note=N_("Your own strokes through an edge filter: try the others on them too.")),
}
