"""Turn drawings and image files into 28x28 digits the way MNIST itself was made."""

import io

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from mnist_core.i18n import gettext as _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
MAX_SIDE = 1024  # larger pictures are shrunk first: plenty for a 28x28 result, and fast
BOX_SIZE = 20
WORK_SIDE = 4 * BOX_SIZE
FIELD_SIZE = 28
CENTRE = 14.0  # where MNIST puts the centre of mass (measured: 13.99, 14.00 on real digits)
# MNIST's strokes are 2.2 to 3.7 of the 20 pixels (10th to 90th percentile, measured); drawn
# strokes are brought into this range as a share of the digit's longest side.
STROKE_SHARES = (2.5 / BOX_SIZE, 4.0 / BOX_SIZE)
# A digit kept for the class spans at least this share of the canvas: MNIST's digits fill a
# 20-pixel box of 28 (0.7); children's drawings on the lab's canvas span 0.5-0.9 (a "1" too),
# a dot or a flick of the pen 0.05-0.2.
MIN_DIGIT_SHARE = 1 / 4


def canvas_to_mnist(image, kept=False):
    """Normalise a drawing like MNIST: white ink on black, ink box 20x20, centred by mass.

    Args:
        image: (H, W, 4) RGBA, (H, W, 3) RGB or (H, W) gray array; integers are read as
            0-255, floats as 0-1. Ink may be any colour on a plain background, or opaque
            strokes on a transparent background.
        kept: the drawing is to be kept as a digit (Class, Stump): a dot or a tiny scribble,
            which normalising would blow up into a blob, is refused.

    Returns:
        (28, 28) float32 in [0, 1], or None when nothing is drawn.

    Raises:
        ValueError: `kept` and too little ink to be a digit.
    """
    ink = ink_map(image)
    if ink.max() < 0.1:
        return None
    if kept:
        _check_digit_sized(ink >= 0.5 * ink.max())
    return centre_like_mnist(ink)


def _check_digit_sized(inked):
    """Refuse a drawing whose ink is a dot or a scribble too small to be read as a digit."""
    rows, cols = np.flatnonzero(inked.any(axis=1)), np.flatnonzero(inked.any(axis=0))
    span = max(rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1) if len(rows) else 0
    if span < MIN_DIGIT_SHARE * max(inked.shape):
        raise ValueError(_("That is too small to be a digit: draw it bigger, across at least "
                           "a quarter of the canvas."))


def ink_map(image):
    """How much ink each pixel holds, whatever the colours and polarity.

    Args:
        image: as for `canvas_to_mnist`.

    Returns:
        (H, W) float32 in [0, 1], 1 meaning full ink.
    """
    pixels = _validated(image)
    if pixels.ndim == 3 and pixels.shape[2] == 4:
        alpha = pixels[:, :, 3]
        if alpha.min() < 1.0:
            # A transparent canvas keeps the strokes in the alpha channel, whatever the colour.
            return alpha
        pixels = pixels[:, :, :3]
    if pixels.ndim == 2:
        pixels = pixels[:, :, None]
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    background = np.median(border, axis=0)
    # Distance from the background colour finds black-on-white, white-on-black and coloured ink.
    # One channel at a time: NumPy reduces a trailing axis of 3 about ten times slower.
    return np.maximum.reduce([np.abs(pixels[:, :, channel] - background[channel])
                              for channel in range(pixels.shape[2])])


def centre_like_mnist(ink):
    """Crop the ink, scale it into a 20x20 box keeping its shape, centre it by mass in 28x28.

    Args:
        ink: (H, W) float32 ink map in [0, 1] with some ink in it.

    Returns:
        (28, 28) float32 in [0, 1] with a peak of 1.
    """
    ink = _cropped(np.where(ink >= 0.1 * ink.max(), ink / ink.max(), 0.0).astype(np.float32))
    if max(ink.shape) > WORK_SIDE:
        # The stroke is measured and adjusted on a smaller copy: same result, far faster.
        ink = np.asarray(_resized(Image.fromarray(ink, mode="F"), WORK_SIDE / max(ink.shape)))
        ink = ink / max(ink.max(), 1e-6)
    ink = _cropped(_normalised_stroke(ink))
    box = np.asarray(_resized(Image.fromarray(ink, mode="F"), BOX_SIZE / max(ink.shape)),
                     dtype=np.float32)
    box = np.clip(box / max(box.max(), 1e-6), 0.0, 1.0)
    total = box.sum()
    centre_row = (box.sum(axis=1) * np.arange(box.shape[0])).sum() / total
    centre_col = (box.sum(axis=0) * np.arange(box.shape[1])).sum() / total
    top = int(np.clip(round(CENTRE - centre_row), 0, FIELD_SIZE - box.shape[0]))
    left = int(np.clip(round(CENTRE - centre_col), 0, FIELD_SIZE - box.shape[1]))
    field = np.zeros((FIELD_SIZE, FIELD_SIZE), dtype=np.float32)
    field[top:top + box.shape[0], left:left + box.shape[1]] = box
    return field


def image_file_to_mnist(data):
    """Read an uploaded image file (PNG, JPEG, GIF, BMP, WebP...) and normalise it.

    Args:
        data: the file's bytes.

    Returns:
        (28, 28) float32 in [0, 1], white ink on black.
    """
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise ValueError(f"Expected the file's bytes, got {type(data).__name__}.")
    if len(data) == 0:
        raise ValueError(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(_("The file is larger than {limit} MB; please upload a smaller "
                           "picture.").format(limit=MAX_FILE_BYTES // 2**20))
    try:
        picture = Image.open(io.BytesIO(data))
        # The header gives the size: refuse decompression bombs before decoding any pixel.
        if picture.width * picture.height > MAX_PIXELS:
            raise ValueError(
                _("The picture is {width}x{height} pixels, more than the {limit} million "
                  "allowed; please upload a smaller one.").format(
                    width=picture.width, height=picture.height, limit=MAX_PIXELS // 1_000_000))
        picture.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEGs decode straight at a smaller size
        picture = ImageOps.exif_transpose(picture)
        picture.thumbnail((MAX_SIDE, MAX_SIDE))
        picture = picture.convert("RGBA")
    except ValueError:
        raise
    except Image.DecompressionBombError as error:
        raise ValueError(_("The picture is far too large to open safely.")) from error
    except (OSError, SyntaxError, Image.UnidentifiedImageError) as error:
        raise ValueError(_("This file is not a picture we can read, or it is damaged or cut "
                           "short; please upload a PNG or JPEG image.")) from error
    digit = canvas_to_mnist(np.asarray(picture))
    if digit is None:
        raise ValueError(_("The picture is blank: no digit found in it."))
    return digit


def _validated(image):
    pixels = np.asarray(image)
    if pixels.dtype == bool or not np.issubdtype(pixels.dtype, np.number):
        raise ValueError(f"Expected an array of pixel numbers, got dtype {pixels.dtype}.")
    if pixels.ndim not in (2, 3) or (pixels.ndim == 3 and pixels.shape[2] not in (3, 4)):
        raise ValueError(
            f"Expected a gray (H, W), RGB (H, W, 3) or RGBA (H, W, 4) image, got shape "
            f"{pixels.shape}.")
    if pixels.shape[0] < 1 or pixels.shape[1] < 1:
        raise ValueError(f"The image has no pixels (shape {pixels.shape}).")
    if np.issubdtype(pixels.dtype, np.integer):
        if pixels.min() < 0 or pixels.max() > 255:
            raise ValueError("Integer pixels must lie between 0 and 255.")
        return pixels.astype(np.float32) / 255.0
    if not np.isfinite(pixels).all():
        raise ValueError("The image contains NaN or infinite values.")
    if pixels.min() < 0.0 or pixels.max() > 1.0:
        raise ValueError("Float pixels must lie between 0 and 1.")
    return pixels.astype(np.float32)


def _resized(picture, scale):
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.BILINEAR)


def _cropped(ink):
    rows, cols = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _normalised_stroke(ink):
    # A thin pen stroke vanishes when shrunk to 20x20; a thick brush on a small digit fills
    # its loops. Grow or shrink the stroke by whole pixels on both sides, with room to grow.
    stroke = _stroke_width(ink)
    thinnest, thickest = (share * max(ink.shape) for share in STROKE_SHARES)
    if stroke < thinnest:
        size, kind = 2 * int((thinnest - stroke) / 2) + 1, ImageFilter.MaxFilter
    elif stroke > thickest:
        size, kind = 2 * int((stroke - thickest) / 2) + 1, ImageFilter.MinFilter
    else:
        return ink
    padded = Image.fromarray(np.pad(ink, size // 2), mode="F")
    return np.asarray(padded.filter(kind(size)), dtype=np.float32)


def _stroke_width(ink):
    # A stroke of length L and width w covers L*w pixels and has about 2*L edge pixels.
    solid = ink >= 0.5
    padded = np.pad(solid, 1)
    interior = (padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    edge = np.count_nonzero(solid & ~interior)
    return 2.0 * np.count_nonzero(solid) / max(edge, 1)
