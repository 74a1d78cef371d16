"""Downloads with deadlines: a stalled network never holds the lab for more than a few seconds.

Keras' loaders fetch with `urlretrieve`, which has no timeout and writes straight into Keras'
cache, so a network that accepts connections and never answers (a dead proxy, a blocked host)
would hold the lab forever and could leave half a file behind. Here the lab fetches Keras' own
files itself: every connect and read has a deadline, a first start waits at most `WAIT_SECONDS`
while the download goes on in a background thread, a file enters Keras' cache only once its
hash matches, and a failure is remembered for an hour (see `download_status`).
"""

import hashlib
import os
import pathlib
import shutil
import tempfile
import threading
import time
import urllib.request

from mnist_core.datasets import download_status
from mnist_core.datasets.download_status import Status
from mnist_core.i18n import gettext as _
from mnist_core.people import class_log

ORIGIN = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/"
# Keras' cache folder, then file name -> (size in bytes, hash) as Keras and Zalando publish them.
REMOTE = {
    "mnist": ("", {"mnist.npz": (
        11490434, "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1")}),
    "fashion_mnist": ("fashion-mnist", {
        "train-images-idx3-ubyte.gz": (26421880, "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
        "train-labels-idx1-ubyte.gz": (29515, "25c81989df183df01b3e8a0aad5dffbe"),
        "t10k-images-idx3-ubyte.gz": (4422102, "bef4ecab320f06d8554ea6380940ec79"),
        "t10k-labels-idx1-ubyte.gz": (5148, "bb300cfdad3c16e7a12a480ee83cd310"),
    }),
}
WAIT_SECONDS = 5.0
TIMEOUT_SECONDS = 8.0
_downloads = {}  # (name, cache folder) -> (Status, thread) of this process's downloads
_verified = set()  # (path, size, modification time, hash) of files whose hash matched
_lock = threading.Lock()


def offline_by_choice():
    """True when `$MNIST_LAB_OFFLINE` is set (not to 0): then the lab never uses the network."""
    return os.environ.get("MNIST_LAB_OFFLINE", "0") not in ("", "0")


def folder(name):
    """Keras' cache folder of a data set (under `$KERAS_HOME`, default `~/.keras`)."""
    keras_home = os.environ.get("KERAS_HOME") or pathlib.Path.home() / ".keras"
    return pathlib.Path(keras_home) / "datasets" / REMOTE[name][0]


def hash_matches(path, expected):
    """True if a file's MD5 (32 hex digits) or SHA-256 (64) is `expected`."""
    stat = os.stat(path)
    key = (str(path), stat.st_size, stat.st_mtime_ns, expected)
    if key in _verified:  # the home page asks every few seconds; hashing takes 50 ms
        return True
    digest = hashlib.md5() if len(expected) == 32 else hashlib.sha256()
    with open(path, "rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    if digest.hexdigest() != expected:
        return False
    _verified.add(key)
    return True


def is_ready(name):
    """True when every file of a data set is in Keras' cache with its published hash."""
    return all((folder(name) / file_name).is_file()
               and hash_matches(folder(name) / file_name, expected_hash)
               for file_name, (_, expected_hash) in REMOTE[name][1].items())


def status(name):
    """The `Status` of a data set's download."""
    if offline_by_choice():
        return Status("offline by choice")
    with _lock:
        latest = _downloads.get((name, folder(name)), (Status("not started"), None))[0]
    if latest.state == "downloading":
        return latest
    if is_ready(name):
        return Status("ready", 1.0)
    failure = download_status.remembered_failures().get(name)
    if failure:
        return Status("failed", 0.0, failure["error"], failure["failed_at"])
    return Status("not started")


def fetch(name, wait=WAIT_SECONDS):
    """Keras' cache folder holding a data set's verified files, downloading them if needed.

    Waits at most `wait` seconds; a slower download goes on in the background. Never touches
    the network when offline by choice or within an hour of a failure (see `retry`).

    Returns:
        The folder (a `pathlib.Path`), or None while the files are not all there.
    """
    if offline_by_choice():
        return None
    if not is_ready(name) and status(name).state == "not started":
        start(name).join(wait)
    return folder(name) if is_ready(name) else None


def retry(name, by):
    """Forget a remembered failure and start the download again in the background.

    Raises:
        PermissionError: `by` (a `Person`) is not the teacher: a whole class pressing it
            would start the same download thirty times over the school's network.
    """
    by.require_teacher(_("Only the teacher may start the download again."))
    class_log.record(by, "retried the download", name)
    download_status.forget_failure(name)
    start(name)


def start(name):
    """Start downloading a data set's missing files in a background thread; returns it.

    A download of the same files already running is not started twice: its thread is returned.
    """
    key = (name, folder(name))
    with _lock:
        latest, thread = _downloads.get(key, (Status("not started"), None))
        if latest.state != "downloading":
            thread = threading.Thread(target=_download, args=key, daemon=True)
            _downloads[key] = (Status("downloading"), thread)
            thread.start()
    return thread


def _download(name, target_folder):
    """Fetch every missing file of a data set, publishing its `Status` as it goes."""
    files = REMOTE[name][1]
    total_bytes = sum(size for size, _ in files.values())
    bytes_before = 0  # of the files before the one being fetched
    try:
        for file_name, (size, expected_hash) in files.items():
            if not (target_folder / file_name).is_file():
                _fetch_file(ORIGIN + file_name, target_folder / file_name, expected_hash,
                            lambda received: _publish(name, target_folder, Status(
                                "downloading", (bytes_before + received) / total_bytes)))
            bytes_before += size
        download_status.forget_failure(name)
        _publish(name, target_folder, Status("ready", 1.0))
    except Exception as error:  # noqa: BLE001 - any failure means "use the offline data"
        reason = str(getattr(error, "reason", error))  # urllib's URLError wraps the cause
        download_status.remember_failure(name, reason)
        _publish(name, target_folder, Status("failed", 0.0, reason, time.time()))


def _publish(name, target_folder, new_status):
    """Publish a running download's new `Status` for `status` to read."""
    with _lock:
        _downloads[name, target_folder] = (new_status, _downloads[name, target_folder][1])


def _fetch_file(url, target, expected_hash, on_progress):
    """Download `url` to `target`, hash checked; every connect and read has a deadline.

    Args:
        url, target: where from, and the file (a `pathlib.Path`) to write.
        expected_hash: its published MD5 or SHA-256 (see `hash_matches`).
        on_progress: called with the number of bytes received so far.

    Raises:
        OSError: the network failed or timed out; ValueError: the file arrived damaged.
    """
    # A new opener reads the proxy settings of now, not of the process's first `urlopen`.
    opener = urllib.request.build_opener()
    with tempfile.TemporaryDirectory(prefix="mnist-lab-download-") as staging:
        received = pathlib.Path(staging) / target.name
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response, \
                open(received, "wb") as stream:
            while chunk := response.read(1 << 16):
                stream.write(chunk)
                on_progress(stream.tell())
        if not hash_matches(received, expected_hash):
            raise ValueError(f"{url} arrived damaged (its hash is not {expected_hash})")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied beside the target and renamed: Keras' cache never holds half a file.
        copy = target.with_name(f".{target.name}.{os.getpid()}.part")
        shutil.copyfile(received, copy)
        os.replace(copy, target)
