"""The store of data sets: labelled images uploaded from a browser, kept for the whole class.

Each stored set is a folder `$MNIST_LAB_HOME/datasets/<name>/<label>/<n>.<suffix>`, the
tutorials' layout, which `data.load(name)` reads. An upload is checked completely while it is
unpacked into a hidden temporary folder beside the stored sets, and renamed into place only
once every file passed: a refused or half-written upload never appears.
"""

import dataclasses
import errno
import itertools
import os
import pathlib
import shutil
import tempfile
import threading

import numpy as np

from mnist_core import lab_home
from mnist_core.datasets import image_folder, preprocess, upload_checks
from mnist_core.i18n import gettext as _
from mnist_core.people import class_log
from mnist_core.people.person import LAB

MIN_PER_DIGIT = 2
BUILT_IN_NAMES = ("mnist", "fashion_mnist")
# What a browser may pick to upload.
UPLOAD_SUFFIXES = (".zip", *sorted(image_folder.IMAGE_SUFFIXES))
# One upload is checked at a time for the whole server: checking is the server's CPU, which
# the class's strokes share.
_checking = threading.Lock()


def root():
    """The folder that holds every stored data set: `$MNIST_LAB_HOME/datasets`."""
    return lab_home.home() / "datasets"


def list_names():
    """Names of every stored data set, sorted (hidden temporary folders are not sets)."""
    folder = root()
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir()
                  if path.is_dir() and lab_home.NAME_PATTERN.fullmatch(path.name))


def folder(name):
    """The folder of a stored data set (`ValueError` if no set has that name)."""
    if name not in list_names():
        raise ValueError(_("There is no stored data set named {name!r}.").format(name=name))
    return root() / name


def changed_at(name):
    """A number that changes when images are added to or removed from a stored set (0 if none).

    Caches of loaded sets key on it: a class collection grows while the class draws.
    """
    folders = [root() / name, *(root() / name / str(label)
                                         for label in range(10))]
    return max((path.stat().st_mtime_ns for path in folders if path.is_dir()), default=0)


def load(name):
    """A stored data set as a `Dataset` called `name`, split like any folder of images."""
    dataset = image_folder.load(folder(name))
    count = len(dataset.y_train) + len(dataset.y_test)
    return dataclasses.replace(dataset, name=name,
                               source=f"{count:,} labelled images uploaded as {name!r}")


def save_upload(name, files, by=LAB):
    """Check an upload completely, then store it as a new data set for everyone; logged.

    Args:
        name: the wished name, any text (empty: the zip's name): it is made valid, and `-2`,
            `-3`... is added while another set (or a built-in data set) has it.
        files: list of (file name, bytes): one `.zip` of images named `<label>.<n>.png` or
            kept in folders `0/` to `9/`, or several image files named `<label>.<n>.png`.
        by: the `Person` uploading it, for the class log (default: the lab itself).

    Returns:
        The name the set is stored under.

    Raises:
        ValueError: what is wrong, naming the file at fault (or another upload is being
            checked); nothing is stored then.
    """
    if not _checking.acquire(blocking=False):
        raise ValueError(_("Another upload is being checked right now: press Upload again in "
                           "a few seconds."))
    try:
        stored_name = _check_and_store(name, files)
    finally:
        _checking.release()
    class_log.record(by, "uploaded a data set", stored_name)
    return stored_name


def _check_and_store(name, files):
    """Check an upload (headers first, then every picture) and move it into place; its name."""
    stored_sets = root()
    stored_sets.mkdir(parents=True, exist_ok=True)
    one_zip = len(files) == 1 and files[0][0].lower().endswith(".zip")

    def pictures():
        return _labelled_pictures(upload_checks.zip_members(files[0][1]) if one_zip
                                  else upload_checks.image_files(files))

    # Every size from the headers before any picture is decoded: the first problem ends it.
    upload_checks.picture_sizes((file_name, content) for file_name, content, _ in pictures())
    temporary = pathlib.Path(tempfile.mkdtemp(prefix=".upload-", dir=stored_sets))
    try:
        _unpack(pictures(), temporary)
        wished = name or (pathlib.PurePath(files[0][0]).stem if one_zip else "")
        return _rename_to_free_name(temporary, lab_home.clean_name(wished, "upload"))
    finally:
        shutil.rmtree(temporary, ignore_errors=True)  # already gone once renamed


def _labelled_pictures(named_files):
    """Yield (file name, bytes, label) of an upload's pictures; refuse bad paths and names."""
    for file_name, content in named_files:
        path = upload_checks.checked_path(file_name)
        if path.parts[0] == "__MACOSX" or any(part.startswith(".") for part in path.parts):
            continue  # what a Mac or a file manager adds to a zip, never a picture
        yield file_name, content, upload_checks.checked_label(path, file_name)


def _unpack(pictures, temporary):
    """Check every picture and write it as `temporary/<label>/<n><suffix>`, in upload order."""
    counts = np.zeros(10, int)
    for file_name, content, label in pictures:
        try:
            preprocess.image_file_to_mnist(content)  # what `data.load` will do: it must work
        except ValueError as error:
            raise ValueError(_("{file} cannot be used: {error}").format(
                file=file_name, error=error)) from error
        suffix = pathlib.PurePath(file_name).suffix.lower()
        (temporary / str(label)).mkdir(exist_ok=True)
        (temporary / str(label) / f"{counts[label]}{suffix}").write_bytes(content)
        counts[label] += 1
    if counts.min() < MIN_PER_DIGIT:
        too_few = ", ".join(str(digit) for digit in np.flatnonzero(counts < MIN_PER_DIGIT))
        raise ValueError(_("Every digit needs at least {minimum} images; too few of {digits} "
                           "(found {counts}).").format(minimum=MIN_PER_DIGIT, digits=too_few,
                                                      counts=dict(enumerate(counts.tolist()))))


def _rename_to_free_name(temporary, base):
    """Move a checked set into place as `base`, or `base-2`, `base-3`... when that is taken."""
    for number in itertools.count(1):
        name = base if number == 1 else f"{base}-{number}"
        if name in BUILT_IN_NAMES:
            continue
        try:
            # Atomic, and refused when another upload got there first: nothing is clobbered.
            os.rename(temporary, root() / name)
            return name
        except OSError as error:
            if error.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                raise
