"""Real digits redrawn as a child's drawing arrives from the 280x280 browser canvas."""

import dataclasses

import numpy as np
from PIL import Image
from scipy import ndimage

CANVAS = 280
UPSCALE = 4  # skeletons are traced on a 112x112 copy: sub-pixel strokes, still fast
COLOURS = np.array([[220, 30, 30], [30, 90, 220], [20, 150, 60], [250, 170, 0],
                    [140, 40, 180], [0, 0, 0], [255, 255, 255]], dtype=np.float32)


@dataclasses.dataclass(frozen=True)
class Style:
    """How a digit is drawn: ranges are sampled uniformly for every digit.

    height: digit height in canvas pixels; brush: stroke width in canvas pixels;
    place: "centre", "corner" or "anywhere"; look: "white_on_black", "black_on_white",
    "colour_on_white", "transparent" (ink only in alpha) or "gray" (2-D, black on white).
    """

    height: tuple = (180, 220)
    brush: tuple = (16, 22)
    place: str = "centre"
    look: str = "white_on_black"


CONDITIONS = {
    "app default (white on black)": Style(),
    "small": Style(height=(50, 80), brush=(6, 10), place="anywhere"),
    "small, app brush (thick)": Style(height=(60, 90), brush=(16, 22), place="anywhere"),
    "large": Style(height=(250, 272), brush=(20, 30)),
    "off-centre": Style(height=(100, 160), brush=(12, 20), place="corner"),
    "thin stroke": Style(brush=(3, 4)),
    "thick stroke": Style(brush=(34, 44)),
    "black on white": Style(look="black_on_white"),
    "colour on white (RGB)": Style(look="colour_on_white"),
    "transparent RGBA": Style(look="transparent"),
    "gray 2-D": Style(look="gray"),
}


def skeleton(digit):
    """Centre lines of a digit's strokes, as a pen would trace them.

    Args:
        digit: (28, 28) uint8 MNIST digit, white on black.

    Returns:
        (K, 2) float32 (row, column) points in 28x28 units, at most 1/UPSCALE apart.
    """
    big = Image.fromarray(digit).resize((28 * UPSCALE,) * 2, Image.Resampling.BILINEAR)
    bones = _thin(np.asarray(big) > 90)
    points = [np.argwhere(bones).astype(np.float32)]
    # Extra points along every link of the skeleton keep diagonal strokes unbroken.
    for step in ((0, 1), (1, 0), (1, 1), (1, -1)):
        pairs = np.argwhere(bones & np.roll(bones, (-step[0], -step[1]), axis=(0, 1)))
        points += [pairs + np.float32(share) * np.array(step) for share in (0.25, 0.5, 0.75)]
    return np.concatenate(points) / UPSCALE


def render(bones, style, rng):
    """Draw a skeleton with a round brush on a canvas, as the browser would hand it over.

    Args:
        bones: (K, 2) points from `skeleton`.
        style: a `Style`; rng: a `numpy.random.Generator`.

    Returns:
        (280, 280, 4) or (280, 280, 3) or (280, 280) uint8 image, by `style.look`.
    """
    brush = rng.uniform(*style.brush)
    low, high = bones.min(axis=0), bones.max(axis=0)
    scale = (rng.uniform(*style.height) - brush) / max(high[0] - low[0], 1.0)
    points = (bones - low) * scale
    extent = points.max(axis=0) + brush
    room = np.maximum(CANVAS - extent, 0)
    if style.place == "centre":
        corner = room / 2
    elif style.place == "corner":
        corner = np.where(rng.random(2) < 0.5, 4.0, room - 4.0).clip(0)
    else:
        corner = rng.uniform(0, room)
    centres = np.zeros((CANVAS, CANVAS), dtype=bool)
    rows, cols = np.round(points + corner + brush / 2).astype(int).clip(0, CANVAS - 1).T
    centres[rows, cols] = True
    # Coverage of a round brush, anti-aliased over one pixel like a canvas stroke.
    ink = np.clip(brush / 2 + 0.5 - ndimage.distance_transform_edt(~centres), 0, 1)
    return _paint(ink.astype(np.float32), style.look, rng)


def _paint(ink, look, rng):
    colour = COLOURS[rng.integers(len(COLOURS) - 2)]  # a real colour, not black or white
    if look == "white_on_black":
        rgb = np.repeat(ink[..., None] * 255, 3, axis=2)
        return _uint8(np.dstack([rgb, np.full_like(ink, 255)]))
    if look == "black_on_white":
        rgb = np.repeat((1 - ink[..., None]) * 255, 3, axis=2)
        return _uint8(np.dstack([rgb, np.full_like(ink, 255)]))
    if look == "colour_on_white":
        return _uint8(255 * (1 - ink[..., None]) + colour * ink[..., None])
    if look == "transparent":
        # A transparent canvas: untouched pixels are (0, 0, 0, 0), strokes keep their colour
        # (black and white included) and their coverage is the alpha.
        colour = COLOURS[rng.integers(len(COLOURS))]
        rgb = np.where(ink[..., None] > 0, colour, 0)
        return _uint8(np.dstack([rgb, ink * 255]))
    return _uint8(255 * (1 - ink))


def _uint8(values):
    return np.round(values).astype(np.uint8)


def _thin(mask):
    # Zhang-Suen thinning, both sub-steps vectorised over the whole image.
    image = np.pad(mask, 1).astype(np.uint8)
    changed = True
    while changed:
        changed = False
        for step in (0, 1):
            centre = image[1:-1, 1:-1]
            p2, p3, p4, p5 = image[:-2, 1:-1], image[:-2, 2:], image[1:-1, 2:], image[2:, 2:]
            p6, p7, p8, p9 = image[2:, 1:-1], image[2:, :-2], image[1:-1, :-2], image[:-2, :-2]
            ring = [p2, p3, p4, p5, p6, p7, p8, p9, p2]
            neighbours = sum(ring[:8])
            transitions = sum((a == 0) & (b == 1) for a, b in zip(ring, ring[1:]))
            if step == 0:
                side = (p2 * p4 * p6 == 0) & (p4 * p6 * p8 == 0)
            else:
                side = (p2 * p4 * p8 == 0) & (p2 * p6 * p8 == 0)
            remove = ((centre == 1) & (neighbours >= 2) & (neighbours <= 6)
                      & (transitions == 1) & side)
            if remove.any():
                centre[remove] = 0
                changed = True
    return image[1:-1, 1:-1].astype(bool)
