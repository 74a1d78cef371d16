"""Random distortions of training images: new variety from the same digits every epoch."""

import numpy as np
from scipy import ndimage

SIDE = 28
CENTRE = (SIDE - 1) / 2.0


def affine_elastic(images, rng, rotation=12.0, scale=0.12, shear=0.25, shift=2.0,
                   elastic_alpha=24.0, elastic_sigma=4.0, thicken=0.15):
    """Distort a batch of digits like different hands would draw them.

    Every image gets its own random rotation, anisotropic zoom, shear and shift, then an
    elastic distortion (Simard et al., 2003: a smoothed random displacement field), and
    some get thicker strokes (a 2x2 grey dilation), as thick-pen drawings do after scaling.

    Args:
        images: (N, 28, 28) float32 in [0, 1].
        rng: a `numpy.random.Generator`.
        rotation: largest rotation in degrees; scale: largest relative zoom per axis;
        shear: largest shear factor; shift: largest shift in pixels.
        elastic_alpha, elastic_sigma: displacement strength and smoothness in pixels;
            alpha 0 turns the elastic part off.
        thicken: share of images whose strokes are thickened.

    Returns:
        (N, 28, 28) float32 in [0, 1].
    """
    count = len(images)
    angle = np.deg2rad(rng.uniform(-rotation, rotation, count))
    zoom = rng.uniform(1 - scale, 1 + scale, (count, 2))
    skew = rng.uniform(-shear, shear, count)
    cos, sin = np.cos(angle), np.sin(angle)
    # Inverse maps output pixel -> source pixel; zoom > 1 samples a smaller area (bigger digit).
    matrix = np.empty((count, 2, 2))
    matrix[:, 0, 0] = cos / zoom[:, 0]
    matrix[:, 0, 1] = (-sin + skew * cos) / zoom[:, 0]
    matrix[:, 1, 0] = sin / zoom[:, 1]
    matrix[:, 1, 1] = (cos + skew * sin) / zoom[:, 1]
    rows, cols = np.mgrid[0:SIDE, 0:SIDE].astype(np.float64) - CENTRE
    offsets = rng.uniform(-shift, shift, (count, 2))
    source_rows = (matrix[:, 0, 0, None, None] * rows + matrix[:, 0, 1, None, None] * cols
                   + CENTRE - offsets[:, 0, None, None])
    source_cols = (matrix[:, 1, 0, None, None] * rows + matrix[:, 1, 1, None, None] * cols
                   + CENTRE - offsets[:, 1, None, None])
    if elastic_alpha > 0:
        fields = rng.uniform(-1, 1, (2, count, SIDE, SIDE))
        fields = ndimage.gaussian_filter(fields, (0, 0, elastic_sigma, elastic_sigma),
                                         mode="constant") * elastic_alpha
        source_rows += fields[0]
        source_cols += fields[1]
    index = np.broadcast_to(np.arange(count)[:, None, None], source_rows.shape)
    warped = ndimage.map_coordinates(images, [index, source_rows, source_cols], order=1,
                                     mode="constant", cval=0.0)
    thick = rng.random(count) < thicken
    if thick.any():
        warped[thick] = ndimage.grey_dilation(warped[thick], size=(1, 2, 2))
    return np.clip(warped, 0.0, 1.0).astype(np.float32)


def flip_shift(images, rng, shift=2):
    """Mirror half the images left-right and shift each by whole pixels (for clothes).

    Args:
        images: (N, 28, 28) float32; rng: a `numpy.random.Generator`; shift: largest shift.

    Returns:
        (N, 28, 28) float32.
    """
    flipped = np.where(rng.random(len(images))[:, None, None] < 0.5, images[:, :, ::-1], images)
    padded = np.pad(flipped, ((0, 0), (shift, shift), (shift, shift)))
    moves = rng.integers(0, 2 * shift + 1, (len(images), 2))
    return np.stack([padded[i, r:r + SIDE, c:c + SIDE] for i, (r, c) in enumerate(moves)])


def redrawn(images, rng):
    """Redraw each digit as a canvas drawing with random size, place, brush and colours.

    The drawing goes back through `preprocess.canvas_to_mnist`, so the model learns the
    even, round strokes of a browser brush, not only MNIST's pen strokes.

    Args:
        images: (N, 28, 28) uint8 digits; rng: a `numpy.random.Generator`.

    Returns:
        (N, 28, 28) float32 in [0, 1].
    """
    from mnist_core.datasets import drawings, preprocess

    looks = ("white_on_black", "black_on_white", "colour_on_white", "transparent", "gray")
    result = np.empty(images.shape, dtype=np.float32)
    for index, image in enumerate(images):
        height = rng.uniform(50, 272)
        # Brush widths from a fine pen to a fat brush on a small digit, evenly on a log scale.
        brush = max(2.5, height * np.exp(rng.uniform(np.log(0.015), np.log(0.35))))
        style = drawings.Style((height, height), (brush, brush), "anywhere",
                               looks[rng.integers(len(looks))])
        canvas = drawings.render(drawings.skeleton(image), style, rng)
        result[index] = preprocess.canvas_to_mnist(canvas)
    return result
