"""A training job's worker process: started, read, and ended if it outstays its deadline.

It is started as `python -m mnist_core.training.worker` rather than through multiprocessing,
whose "spawn" start re-runs the parent's `__main__` (under Streamlit: the app script) in the child.
"""

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


def run(folder, worker_arguments, on_event, deadline):
    """Run the worker until it exits, handing each event it reports to `on_event`.

    Args:
        folder: the job's folder (a `pathlib.Path`): the worker reads its data there, watches
            for a `stop` file there, and its stderr goes to `worker.log` there.
        worker_arguments: model name, epochs, batch size and validation split (then, to teach
            a trained model, its key and the collection name), as strings.
        on_event: called with each event the worker reports (see `worker.parse_event`).
        deadline: called every 0.2 s with the seconds the worker has run; returns the
            monotonic time by which it must have exited (see `exit_deadline`), or None.

    Returns:
        (exit code, True if it had to be terminated, its last three lines of stderr).
    """
    with open(folder / "worker.log", "w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(folder), *worker_arguments],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True,
            errors="replace", cwd=pathlib.Path(__file__).resolve().parents[2])
        reader = threading.Thread(target=_read, args=(process.stdout, on_event), daemon=True)
        reader.start()
        terminated = _wait_for_exit(process, deadline)
        reader.join(timeout=EXIT_SECONDS)
        log.seek(0)
        last_lines = " ".join(log.read().strip().splitlines()[-3:])
    return process.returncode, terminated, last_lines


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
