"""A training job's worker process: started, read, and ended if it outstays its deadline.

It is started as `python -m mnist_core.training.worker` rather than through multiprocessing,
whose "spawn" start re-runs the parent's `__main__` (under Streamlit: the app script) in the child.

A fresh worker spends seconds loading TensorFlow before its first batch (measured here on
48,000 images: start-up 4.8-5.2 s, first epoch's point 14.8-16.6 s after Start; from a spare
that had loaded: 0.0-0.1 s and 11.1 s). `prepare` starts a spare worker that loads it ahead and
waits for its job on stdin; `run` hands the next job to it when there is one.
"""

import collections
import json
import pathlib
import subprocess
import sys
import threading
import time

from mnist_core.training import worker

# The worker's module (tests swap in one that misbehaves).
WORKER_MODULE = "mnist_core.training.worker"
# A worker sees a stop within a second, unless it is still loading TensorFlow or is frozen.
STOP_SECONDS = 5
SAVE_SECONDS = 120  # after it saw the stop: testing and saving a big model on a busy laptop
EXIT_SECONDS = 10  # after its last report
KILL_SECONDS = 3  # after SIGTERM, before SIGKILL (a frozen process ignores SIGTERM)
POLL_SECONDS = 0.2


def exit_deadline(stop_asked, stop_seen, last_report):
    """When the worker must have exited by, or None while it may train on.

    Args:
        stop_asked: monotonic time the page asked the job to stop, or None.
        stop_seen: monotonic time the worker reported that it saw the stop, or None.
        last_report: monotonic time the worker reported its outcome, or None.

    Returns:
        A monotonic time, or None.
    """
    if last_report is not None:
        return last_report + EXIT_SECONDS
    if stop_seen is not None:
        return stop_seen + SAVE_SECONDS
    return None if stop_asked is None else stop_asked + STOP_SECONDS


def run(folder, worker_arguments, on_event, deadline, prepare_next=False):
    """Run the worker until it exits, handing each event it reports to `on_event`.

    Args:
        folder: the job's folder (a `pathlib.Path`): the worker reads its data there and
            watches for a `stop` file there.
        worker_arguments: model name, epochs, batch size and validation split (then, to teach
            a trained model, its key and the collection name), as strings.
        on_event: called with each event the worker reports (see `worker.parse_event`).
        deadline: called every 0.2 s with the seconds the worker has run; returns the
            monotonic time by which it must have exited (see `exit_deadline`), or None.
        prepare_next: start a spare worker for the next job once this one has its worker.

    Returns:
        (exit code, True if it had to be terminated, its last three lines of stderr).
    """
    worker_process = _take_spare()
    if worker_process is None:
        worker_process = _start([str(folder), *worker_arguments])
    else:
        try:
            worker_process.stdin.write(json.dumps([str(folder), *worker_arguments]) + "\n")
            worker_process.stdin.close()
        except OSError:
            pass  # it died while it waited: its exit code and stderr say why
    if prepare_next:
        prepare()
    reader = threading.Thread(target=_read, args=(worker_process.stdout, on_event), daemon=True)
    reader.start()
    terminated = _wait_for_exit(worker_process, deadline)
    reader.join(timeout=EXIT_SECONDS)
    worker_process.stderr_reader.join(timeout=EXIT_SECONDS)
    return worker_process.returncode, terminated, " ".join(worker_process.last_lines)


_spare = {}  # "process": a worker that has loaded TensorFlow and waits on stdin for its job
_spare_lock = threading.Lock()


def prepare():
    """Start a spare worker, unless one already waits, so the next job starts without the wait.

    It holds a few hundred MB while it waits; `run` takes it for the next job.
    """
    with _spare_lock:
        waiting = _spare.get("process")
        if waiting is None or waiting.poll() is not None or waiting.module != WORKER_MODULE:
            _spare["process"] = _start([worker.SPARE])


def _take_spare():
    """The spare worker, if one waits and runs the current worker module; else None."""
    with _spare_lock:
        spare = _spare.pop("process", None)
    if spare is None or spare.poll() is not None:
        return None
    if spare.module != WORKER_MODULE:  # a test swapped the module since it was started
        spare.kill()
        return None
    return spare


def _start(arguments):
    """Start `python -m WORKER_MODULE arguments`; its stderr's last lines kept as `last_lines`."""
    worker_process = subprocess.Popen(
        [sys.executable, "-m", WORKER_MODULE, *arguments], stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, errors="replace",
        cwd=pathlib.Path(__file__).resolve().parents[2])
    worker_process.module = WORKER_MODULE
    worker_process.last_lines = collections.deque(maxlen=3)
    # Read all along: a worker whose stderr pipe fills up (TensorFlow's logs) would block.
    worker_process.stderr_reader = threading.Thread(
        target=_keep_last_lines, args=(worker_process.stderr, worker_process.last_lines),
        daemon=True)
    worker_process.stderr_reader.start()
    return worker_process


def _keep_last_lines(stderr, last_lines):
    """Keep the last non-empty lines of a worker's stderr in `last_lines` until it closes."""
    for line in stderr:
        if line.strip():
            last_lines.append(line.strip())


def _read(stdout, on_event):
    """Hand every event line of the worker's stdout to `on_event`, skipping other output."""
    for line in stdout:
        event = worker.parse_event(line)
        if event is not None:
            on_event(event)


def _wait_for_exit(process, deadline):
    """Wait for the worker to exit; SIGTERM it past its deadline, then SIGKILL it.

    Returns:
        True if it had to be terminated.
    """
    started, terminated_at = time.monotonic(), None
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
            return terminated_at is not None
        except subprocess.TimeoutExpired:
            now = time.monotonic()
        must_exit_by = deadline(now - started)
        if terminated_at is None and must_exit_by is not None and now > must_exit_by:
            process.terminate()
            terminated_at = now
        elif terminated_at is not None and now > terminated_at + KILL_SECONDS:
            process.kill()
