"""Downloads with deadlines: a stalled network never holds the lab for more than a few seconds.

Keras' loaders fetch with `urlretrieve`, which has no timeout and writes straight into Keras'
cache, so a network that accepts connections and never answers (a dead proxy, a blocked host)
would hold the lab forever and could leave half a file behind. Here the lab fetches Keras' own
files itself: every connect and read has a deadline, a first start waits at most `WAIT_SECONDS`
while the download goes on in a background thread, a file enters Keras' cache only once its
hash matches, and a failure is remembered for `RETRY_AFTER_SECONDS`.
"""

import dataclasses
import hashlib
import json
import os
import pathlib
import shutil
import tempfile
import threading
import time
import urllib.request

from mnist_core import store

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
RETRY_AFTER_SECONDS = 3600
_downloads = {}  # (name, cache folder) -> (Status, thread) of this process's downloads
_verified = set()  # (path, size, modification time) of files whose hash matched
_lock = threading.Lock()


@dataclasses.dataclass(frozen=True)
class Status:
    """Where the download of one data set stands.

    `state` is "offline by choice" (`MNIST_LAB_OFFLINE` is set), "not started", "downloading",
    "failed" or "ready"; `progress` is the fraction of bytes received (0-1); `error` says how
    the last attempt failed and `failed_at` when (seconds since the epoch).
    """

    state: str
    progress: float = 0.0
    error: str = ""
    failed_at: float = 0.0

    def summary(self):
        """One sentence for a reader: what happens to the download and why."""
        if self.state == "failed":
            retry_at = time.strftime("%H:%M", time.localtime(self.failed_at + RETRY_AFTER_SECONDS))
            return f"the download failed ({self.error}); the lab tries again after {retry_at}"
        if self.state == "downloading":
            return "the download is still running in the background"
        if self.state == "offline by choice":
            return "the lab is offline by choice (MNIST_LAB_OFFLINE is set)"
        return "the download has not started" if self.state == "not started" else "it is ready"


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
        running = _downloads.get((name, folder(name)), (Status("not started"), None))[0]
    if running.state == "downloading":
        return running
    if is_ready(name):
        return Status("ready", 1.0)
    failure = _remembered_failures().get(name)
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


def retry(name):
    """Forget a remembered failure and start the download again in the background."""
    _forget_failure(name)
    start(name)


def start(name):
    """Start downloading a data set's missing files in a background thread; returns it.

    A download of the same files already running is not started twice: its thread is returned.
    """
    key = (name, folder(name))
    with _lock:
        running, thread = _downloads.get(key, (Status("not started"), None))
        if running.state != "downloading":
            thread = threading.Thread(target=_download, args=key, daemon=True)
            _downloads[key] = (Status("downloading"), thread)
            thread.start()
    return thread


def _download(name, target_folder):
    files = REMOTE[name][1]
    total = sum(size for size, _ in files.values())
    done = 0
    try:
        for file_name, (size, expected_hash) in files.items():
            if not (target_folder / file_name).is_file():
                _fetch_file(ORIGIN + file_name, target_folder / file_name, expected_hash,
                            lambda received: _report(
                                name, target_folder, Status("downloading", (done + received) / total)))
            done += size
        _forget_failure(name)
        _report(name, target_folder, Status("ready", 1.0))
    except Exception as error:  # noqa: BLE001 - any failure means "use the offline data"
        text = str(getattr(error, "reason", error))  # urllib's URLError wraps the cause
        _remember_failure(name, text)
        _report(name, target_folder, Status("failed", 0.0, text, time.time()))


def _report(name, target_folder, new_status):
    """Publish a running download's new `Status` for `status` to read."""
    with _lock:
        _downloads[name, target_folder] = (new_status, _downloads[name, target_folder][1])


def _fetch_file(url, target, expected_hash, on_progress):
    """Download `url` to `target` (atomically, hash checked); every connect and read has a deadline."""
    # A new opener reads the proxy settings of now, not of the process's first `urlopen`.
    opener = urllib.request.build_opener()
    with tempfile.TemporaryDirectory(prefix="mnist-lab-download-") as staging:
        part = pathlib.Path(staging) / target.name
        with opener.open(url, timeout=TIMEOUT_SECONDS) as response, open(part, "wb") as stream:
            while chunk := response.read(1 << 16):
                stream.write(chunk)
                on_progress(stream.tell())
        if not hash_matches(part, expected_hash):
            raise ValueError(f"{url} arrived damaged (its hash is not {expected_hash})")
        target.parent.mkdir(parents=True, exist_ok=True)
        # Copied beside the target and renamed: Keras' cache never holds half a file.
        copy = target.with_name(f".{target.name}.{os.getpid()}.part")
        shutil.copyfile(part, copy)
        os.replace(copy, target)


def _failures_path():
    return store.home() / "download_failures.json"


def _remembered_failures():
    """Failures younger than `RETRY_AFTER_SECONDS`: name -> {"error", "failed_at"}."""
    try:
        failures = json.loads(_failures_path().read_text())
    except (OSError, ValueError):
        return {}
    return {name: failure for name, failure in failures.items()
            if time.time() - failure["failed_at"] < RETRY_AFTER_SECONDS}


def _remember_failure(name, error):
    _write_failures(dict(_remembered_failures(), **{name: {"error": error,
                                                          "failed_at": time.time()}}))


def _forget_failure(name):
    failures = _remembered_failures()
    if failures.pop(name, None):
        _write_failures(failures)


def _write_failures(failures):
    path = _failures_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_text(json.dumps(failures, indent=2) + "\n")
    os.replace(temporary, temporary.with_name(path.name))
