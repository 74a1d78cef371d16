"""The checks an upload passes before any of it is stored: sizes, zip bombs, paths, labels.

`datasets.save_upload` unpacks through them; each refusal is a `ValueError` naming the file at
fault, in the reader's language.
"""

import io
import pathlib
import re
import zipfile
import zlib

from PIL import Image

from mnist_core.datasets import image_folder, preprocess
from mnist_core.i18n import gettext as _

MAX_FILES = 20_000
MAX_BYTES = 200 * 2**20
# Read from each picture's header before any pixel is decoded: a digit needs far fewer pixels,
# and decoding 300 blank 1024x1024 PNGs alone costs ~7 s of the server shared by the class.
MAX_SIDE = 2000
MAX_TOTAL_PIXELS = 100_000_000  # e.g. 20,000 pictures of 70x70, or 400 of 500x500
# Pictures are compressed already and pack about 1-5x; only long runs of one byte pack 100x.
MAX_RATIO = 100


def image_files(files):
    """The (name, bytes) of an upload of loose pictures, once it holds no zip and is not too big."""
    if any(file_name.lower().endswith(".zip") for file_name, _ in files):
        raise ValueError(_("Upload one .zip on its own, or image files without a zip."))
    check_totals(len(files), sum(len(content) for _, content in files))
    return files


def zip_members(content):
    """Yield (name, bytes) of every file of a zip, refusing bombs before and while unpacking."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = [info for info in archive.infolist() if not info.is_dir()]
            check_totals(len(members), sum(info.file_size for info in members))
            for info in members:
                check_declared_size(info)
            for info in members:
                with archive.open(info) as stream:
                    member = stream.read(info.file_size + 1)  # never more than it declares
                if len(member) != info.file_size:
                    raise ValueError(_("{file} does not hold the size its zip entry declares: "
                                       "the zip is damaged or forged.").format(file=info.filename))
                yield info.filename, member
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as error:
        # RuntimeError is how zipfile says a member is encrypted.
        message = _("The zip cannot be unpacked: it is damaged or encrypted ({error}).").format(
            error=error)
        raise ValueError(message) from error


def check_totals(file_count, total_bytes):
    """Refuse an upload of too many files or too many bytes in all."""
    if file_count > MAX_FILES:
        raise ValueError(_("The upload holds {count:,} files, more than the {limit:,} allowed.")
                         .format(count=file_count, limit=MAX_FILES))
    if total_bytes > MAX_BYTES:
        raise ValueError(_("The upload unpacks to {size:,.0f} MB, more than the {limit} MB "
                           "allowed.").format(size=total_bytes / 2**20, limit=MAX_BYTES // 2**20))


def check_declared_size(info):
    """Refuse a zip entry that declares a bomb's packing ratio or a picture too big to read."""
    # Small files may pack tightly (a black BMP); a bomb must be large to do harm.
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > 2**20 and ratio > MAX_RATIO:
        raise ValueError(_("{file} unpacks {ratio:,.0f} times larger than it is packed: this "
                           "zip looks like a zip bomb.").format(file=info.filename, ratio=ratio))
    if info.file_size > preprocess.MAX_FILE_BYTES:
        raise ValueError(_("{file} unpacks to {size:,.0f} MB; a picture may hold {limit} MB at "
                           "most.").format(file=info.filename, size=info.file_size / 2**20,
                                           limit=preprocess.MAX_FILE_BYTES // 2**20))


def checked_path(file_name):
    """The file's path inside the upload; refused if it points outside it."""
    parts = re.split(r"[\\/]", file_name)
    if file_name.startswith(("/", "\\")) or re.match(r"[A-Za-z]:", file_name) or ".." in parts:
        raise ValueError(_("{file!r} points outside the upload: absolute paths and '..' are "
                           "refused.").format(file=file_name))
    return pathlib.PurePosixPath(*parts)


def picture_sizes(named_files):
    """Read every picture's size from its header, refusing the first too large, unread.

    Args:
        named_files: iterable of (file name, bytes), pictures only.

    Raises:
        ValueError: a picture is not one, or is larger than `MAX_SIDE` on a side, or all of
            them together hold more than `MAX_TOTAL_PIXELS`.
    """
    total = 0
    for file_name, content in named_files:
        try:
            with Image.open(io.BytesIO(content)) as picture:  # the header only
                width, height = picture.size
        except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
            raise ValueError(_("{file} is not a picture we can read, or it is damaged.").format(
                file=file_name)) from error
        if max(width, height) > MAX_SIDE:
            raise ValueError(_("{file} is {width}x{height} pixels; pictures of an upload may "
                               "be {limit}x{limit} at most: shrink them first.").format(
                file=file_name, width=width, height=height, limit=MAX_SIDE))
        total += width * height
        if total > MAX_TOTAL_PIXELS:
            raise ValueError(_("The pictures hold more than {limit:,} million pixels in all; "
                               "shrink them first (a digit needs 28x28).").format(
                limit=MAX_TOTAL_PIXELS // 1_000_000))


def checked_label(path, file_name):
    """The digit an image's path names; refused if it is no picture or names no digit."""
    if path.suffix.lower() not in image_folder.IMAGE_SUFFIXES:
        raise ValueError(_("{file} is not an image: upload only pictures ({suffixes}).").format(
            file=file_name, suffixes=", ".join(sorted(image_folder.IMAGE_SUFFIXES))))
    label = image_folder.label_of(path)
    if label is None:
        raise ValueError(_("Cannot tell which digit {file} shows: name it like 3.17.png or put "
                           "it in a folder 0/ to 9/.").format(file=file_name))
    return label
