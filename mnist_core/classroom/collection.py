"""A class collection: the students' own drawings, saved live into a stored data set.

A collection is a stored data set (`stored.list_names()` lists it, `data.load` reads it) kept
as `$MNIST_LAB_HOME/datasets/<collection>/<label>/<nickname>-<n>.png`, the tutorials' layout.
The file name keeps the letters and digits of the nickname in any script (小明-1.png); the
nickname exactly as typed is kept in the picture's PNG text, beside its pupil id.
Thirty students may save at the same moment: every picture is written to a temporary file
beside its final name and then linked to a name nobody holds yet, so no drawing is lost,
overwritten or seen half-written.

Pupils save only into collections the teacher opened ("our-class" is always open; an uploaded
data set never is). Each picture keeps its pupil id in its PNG text, so that only that pupil
or the teacher may remove it; removals, openings and clearings go to the class log.
"""

import collections
import dataclasses
import datetime
import io
import itertools
import os
import re
import tempfile
import unicodedata
import zipfile

import numpy as np
from PIL import Image, PngImagePlugin

from mnist_core import lab_home
from mnist_core.classroom import quota
from mnist_core.datasets import stored
from mnist_core.i18n import gettext as _
from mnist_core.people import class_log, roster

DEFAULT_NAME = "our-class"
ANONYMOUS = "anonymous"
OPEN_MARKER = ".collection"  # in a collection's folder: the teacher opened it for the class
# \w: letters, digits and "_" of any script; never a dot, a slash or a space.
FILE_PATTERN = re.compile(r"(?P<nickname>\w+)-(?P<number>[0-9]+)\.png")


@dataclasses.dataclass(frozen=True)
class Drawing:
    """One saved drawing: its digit, file name, who drew it, when, and its (28, 28) uint8 pixels.

    `pupil` is the id of the browser that saved it (None for drawings older than ids).
    """

    label: int
    file_name: str
    nickname: str
    saved_at: float
    image: np.ndarray
    pupil: str | None = None


def file_nickname(text):
    """A nickname as a file name holds it: its letters and digits (any script), `_` between.

    NFC-normalised first, so two nicknames that look the same give the same file names; at
    most 30 characters; "anonymous" if nothing is left (e.g. a nickname of emoji only).
    """
    text = unicodedata.normalize("NFC", text or "")
    return re.sub(r"\W+", "_", text).strip("_")[:roster.NICKNAME_LENGTH] or ANONYMOUS


def shown_nickname(text):
    """A nickname as the class sees it: as typed (see `roster.clean_nickname`), or "anonymous"."""
    return roster.clean_nickname(text) or ANONYMOUS


def save_drawing(name, label, image, by):
    """Save one drawing under a file name no other drawing holds.

    Args:
        name: an open collection (`open_names()`), e.g. "our-class".
        label: the digit the student meant, 0 to 9.
        image: (28, 28) float array in [0, 1], white ink on black (`preprocess.canvas_to_mnist`).
        by: the `Person` saving it; their nickname names the file (`file_nickname`) and is
            kept as typed in the picture's text.

    Returns:
        The saved file's name, e.g. "ada-3.png".

    Raises:
        PermissionError: `name` is not a collection the teacher opened (e.g. an upload).
        ValueError: the pupil saves too fast or saved this lesson's drawings (`quota`).
    """
    if not is_open(name):
        raise PermissionError(_("'{name}' is not a class collection: drawings go into the "
                                "collections the teacher opened.").format(name=name))
    if label not in range(10):
        raise ValueError(f"A drawing's label must be a digit from 0 to 9, got {label!r}.")
    pixels = np.asarray(image, np.float32)
    if pixels.shape != (28, 28):
        raise ValueError(f"A drawing must be 28x28 pixels, got shape {pixels.shape}.")
    quota.take(by)
    label_folder = folder(name) / str(label)
    label_folder.mkdir(parents=True, exist_ok=True)
    nickname = file_nickname(by.nickname)
    text = PngImagePlugin.PngInfo()
    text.add_text("pupil", by.id)
    text.add_text("nickname", shown_nickname(by.nickname))  # iTXt, UTF-8, when not Latin-1
    # Not ".png": a half-written picture must never be read as part of the data set.
    handle, temporary = tempfile.mkstemp(dir=label_folder, prefix=".saving-", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            Image.fromarray(np.round(np.clip(pixels, 0, 1) * 255).astype(np.uint8)).save(
                stream, format="PNG", pnginfo=text)
        return _link_to_free_name(temporary, label_folder, nickname)
    finally:
        os.remove(temporary)


def _link_to_free_name(temporary, label_folder, nickname):
    # A hard link is atomic and refused when the name exists, unlike a rename: two students
    # saving at once can never take the same name or overwrite each other.
    start = len(list(label_folder.glob(f"{nickname}-*.png"))) + 1
    for number in itertools.count(start):
        file_name = f"{nickname}-{number}.png"
        try:
            os.link(temporary, label_folder / file_name)
            return file_name
        except FileExistsError:
            continue


def counts(name):
    """How many drawings the collection holds per digit and per nickname.

    Returns:
        (per digit: list of 10 ints, per nickname: dict nickname -> int, largest first), the
        nicknames as the file names hold them (`file_nickname`): read without opening a file.
    """
    per_digit, per_nickname = [0] * 10, collections.Counter()
    for label, path in _drawing_paths(name):
        per_digit[label] += 1
        per_nickname[FILE_PATTERN.fullmatch(path.name)["nickname"]] += 1
    return per_digit, dict(per_nickname.most_common())


def newest(name, count=12, start=0, pupil=None):
    """Saved drawings, newest first, as `Drawing`s: `count` of them from the `start`-th.

    Args:
        name: the collection.
        count, start: which page of drawings (the teacher pages through all of them).
        pupil: a pupil id: only that pupil's drawings (each drawing's file is opened to tell).
    """
    dated = []
    for label, path in _drawing_paths(name):
        try:
            dated.append((path.stat().st_mtime, label, path))
        except FileNotFoundError:
            continue  # removed meanwhile
    drawings = []
    for saved_at, label, path in sorted(dated, reverse=True):
        if len(drawings) == start + count:
            break
        try:
            with Image.open(path) as picture:  # reads the header and text, no pixels yet
                drawer, nickname = picture.text.get("pupil"), _nickname(picture, path)
                if pupil is not None and drawer != pupil:
                    continue
                image = np.asarray(picture.convert("L")) if len(drawings) >= start else None
        except FileNotFoundError:
            continue
        drawings.append(Drawing(label, path.name, nickname, saved_at, image, drawer))
    return drawings[start:]


def pupils(name):
    """Who drew the collection: pupil id -> (nickname on one of their drawings, drawings)."""
    drawn = {}
    for _label, path in _drawing_paths(name):
        try:
            with Image.open(path) as picture:  # reads the header and text, no pixels
                drawer, nickname = picture.text.get("pupil"), _nickname(picture, path)
        except FileNotFoundError:
            continue
        drawn[drawer] = (nickname, drawn.get(drawer, ("", 0))[1] + 1)
    return drawn


def _nickname(picture, path):
    """The nickname a drawing was saved with: from its text, else (older drawings) its name."""
    return picture.text.get("nickname") or FILE_PATTERN.fullmatch(path.name)["nickname"]


def drawings(name):
    """Every drawing of the collection, to test a model on all of them (none held out).

    Returns:
        (images (N, 28, 28) uint8, labels (N,) uint8, names (N,) like "7/ada-2.png").
    """
    images, labels, names = [], [], []
    for label, path in _drawing_paths(name):
        try:
            images.append(np.asarray(Image.open(path).convert("L")))
        except FileNotFoundError:
            continue  # removed meanwhile
        labels.append(label)
        names.append(f"{label}/{path.name}")
    return (np.array(images, np.uint8).reshape(-1, 28, 28), np.array(labels, np.uint8),
            names)


def remove(name, label, file_name, by):
    """Delete one drawing, for the pupil who drew it or the teacher; logged in the class log.

    Args:
        name, label, file_name: the drawing, e.g. ("our-class", 7, "ada-2.png").
        by: the `Person` removing it.

    Raises:
        ValueError: the drawing does not exist (e.g. someone else removed it first).
        PermissionError: `by` is another pupil.
    """
    if label not in range(10) or not FILE_PATTERN.fullmatch(file_name):
        raise ValueError(_("{label}/{file} is not a drawing of the collection.").format(
            label=label, file=file_name))
    path = folder(name) / str(label) / file_name
    gone = ValueError(_("{label}/{file} is gone already: someone removed it.").format(
        label=label, file=file_name))
    try:
        with Image.open(path) as picture:
            pupil = picture.text.get("pupil")
    except FileNotFoundError as error:
        raise gone from error
    by.require_owner(pupil, _("Only the pupil who drew it, or the teacher, may remove this "
                              "drawing."))
    try:
        os.remove(path)
    except FileNotFoundError as error:
        raise gone from error
    class_log.record(by, "removed a drawing", f"{name}/{label}/{file_name}")


def remove_all_of(name, pupil, by):
    """Delete every drawing one pupil saved into the collection (the teacher only); logged.

    Returns:
        How many drawings were removed.

    Raises:
        PermissionError: `by` is not the teacher.
    """
    by.require_teacher(_("Only the teacher removes all of a pupil's drawings."))
    removed = 0
    for drawing in newest(name, count=10**9, pupil=pupil):
        try:
            remove(name, drawing.label, drawing.file_name, by)
            removed += 1
        except ValueError:
            continue  # removed by someone else meanwhile
    return removed


def open_names():
    """The collections pupils may save into: "our-class", then those the teacher opened."""
    opened = sorted(marker.parent.name for marker in stored.root().glob(f"*/{OPEN_MARKER}"))
    return [DEFAULT_NAME, *(name for name in opened if name != DEFAULT_NAME)]


def is_open(name):
    """Whether pupils may save drawings into the collection `name`."""
    return name == DEFAULT_NAME or (folder(name) / OPEN_MARKER).is_file()


def open_new(name, by):
    """Open a new, empty collection for the class to save into; only the teacher may.

    Raises:
        PermissionError: `by` is not the teacher.
        ValueError: a bad name, or a data set or collection of that name exists already.
    """
    by.require_teacher(_("Only the teacher may open a collection."))
    if check_name(name) in stored.list_names() or name == DEFAULT_NAME:
        raise ValueError(_("{name!r} exists already: choose another name.").format(name=name))
    folder(name).mkdir(parents=True)
    (folder(name) / OPEN_MARKER).touch()
    class_log.record(by, "opened a collection", name)


def clear(name, by):
    """Empty a collection, keeping its drawings in `$MNIST_LAB_HOME/archive/`; teacher only.

    Returns:
        The archive's folder, a `pathlib.Path`.
    """
    by.require_teacher(_("Only the teacher may clear a collection."))
    when = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    archive = lab_home.home() / "archive" / f"{check_name(name)}-{when}"
    archive.parent.mkdir(parents=True, exist_ok=True)
    reopen = is_open(name)
    if folder(name).is_dir():
        os.rename(folder(name), archive)
    if reopen:
        folder(name).mkdir(parents=True)
        (folder(name) / OPEN_MARKER).touch()
    class_log.record(by, "cleared a collection", f"{name} (archived as {archive.name})")
    return archive


def export_zip(name):
    """The collection as `.zip` bytes in the tutorials' layout `<label>/<file>.png`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for label, path in _drawing_paths(name):
            try:
                archive.writestr(f"{label}/{path.name}", path.read_bytes())
            except FileNotFoundError:
                continue  # removed while the zip was being made
    return buffer.getvalue()


def check_name(name):
    """Return `name` if it may name a collection, else raise `ValueError` saying why."""
    if not lab_home.NAME_PATTERN.fullmatch(name) or name in stored.BUILT_IN_NAMES:
        raise ValueError(_("{name!r} cannot name a collection: use letters, digits, dots, "
                           "dashes or underscores, and not the name of a built-in data set.")
                         .format(name=name))
    return name


def folder(name):
    """The collection's folder, a `pathlib.Path` that may not exist yet (`ValueError`: bad name)."""
    return stored.root() / check_name(name)


def _drawing_paths(name):
    """(label, path) of every drawing, by label then file name."""
    for label in range(10):
        for path in sorted(folder(name).glob(f"{label}/*.png")):  # none if the folder is missing
            if FILE_PATTERN.fullmatch(path.name):
                yield label, path
