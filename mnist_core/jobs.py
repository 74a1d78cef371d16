"""Training jobs that outlive a page: a worker process reporting into a shared job object.

Why a separate process: Streamlit calls `keras.backend.clear_session()` after every script run,
which resets Keras' global state under any thread that is training, and a training thread
would share the interpreter with the web server. A worker process has its own Keras and uses the
CPU cores without slowing the pages. It is started as `python -m mnist_core.jobs` rather than
through multiprocessing, whose "spawn" start re-runs the parent's `__main__` (under Streamlit:
the app script) in the child. The worker reports JSON lines on stdout and stops when its stop
file appears; the page only keeps this object (in session state) and reads `snapshot()`.
"""

import json
import os
import pathlib
import subprocess
import sys
import tempfile
import threading
import time

import numpy as np

FINAL_STATES = ("done", "stopped", "failed")
# A whole class shares one server: every browser session can start training, and each worker
# already uses every CPU core (and about a gigabyte), so more at once only slows them all.
# Jobs beyond this many wait for a free trainer ($MNIST_LAB_MAX_TRAINING sets how many).
_setting = os.environ.get("MNIST_LAB_MAX_TRAINING", "").strip()
MAX_RUNNING = max(1, int(_setting)) if _setting.isdigit() else 2
_trainers = threading.Semaphore(MAX_RUNNING)


class TrainingJob:
    """Train a zoo model on a data set in a worker process; poll it with `snapshot()`."""

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split=0.2,
                 on_finish=None):
        """Start training at once, or as soon as a trainer is free (see `MAX_RUNNING`).

        Args:
            model_name: one of `models.available()`.
            dataset: a `data.Dataset` (handed to the worker, so it is not loaded twice).
            epochs, batch_size, validation_split: as for `train.fit`.
            on_finish: called with no arguments, from a background thread, once the job is
                done, stopped or failed.
        """
        self.model_name, self.epochs, self._on_finish = model_name, epochs, on_finish
        self._folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-lab-job-"))
        np.savez(self._folder / "data.npz", x_train=dataset.x_train, y_train=dataset.y_train,
                 x_test=dataset.x_test, y_test=dataset.y_test,
                 class_names=np.array(dataset.class_names), source=np.array(dataset.source),
                 name=np.array(dataset.name))
        self._stop_file = self._folder / "stop"
        self._lock = threading.Lock()
        self._state = {"state": "waiting", "history": [], "batch": (0, 1), "result": None,
                       "error": None}
        self._started = time.monotonic()
        self._training_started = None
        arguments = [model_name, str(epochs), str(batch_size), str(validation_split)]
        threading.Thread(target=self._run, args=(arguments,), daemon=True).start()

    def _run(self, arguments):
        # Wait for a free trainer; a job stopped while it waits never starts a worker.
        trainers = _trainers
        while not trainers.acquire(timeout=0.2):
            if self._stop_file.exists():
                break
        else:
            try:
                if not self._stop_file.exists():
                    self._train(arguments)
            finally:
                trainers.release()
        if not self.finished:
            self._record({"kind": "stopped"})  # before any training: nothing to save
        if self._on_finish is not None:
            self._on_finish()

    def _train(self, arguments):
        self._record({"kind": "starting"})
        with open(self._folder / "worker.log", "w+") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", "mnist_core.jobs", str(self._folder), *arguments],
                stdout=subprocess.PIPE, stderr=log, text=True,
                cwd=pathlib.Path(__file__).resolve().parent.parent)
            for line in process.stdout:
                try:
                    event = json.loads(line)
                except ValueError:
                    continue  # a library printed something: not ours
                self._record(event)
            if process.wait() != 0 or not self.finished:
                log.seek(0)
                last_lines = log.read().strip().splitlines()[-3:]
                self._record({"kind": "failed", "error": "The training process ended "
                              f"unexpectedly (exit code {process.returncode}): "
                              + " ".join(last_lines)})

    def _record(self, event):
        with self._lock:
            kind = event["kind"]
            if self._state["state"] in FINAL_STATES:
                return
            if kind == "running":
                self._state["state"], self._training_started = "running", time.monotonic()
            elif kind == "batch":
                self._state["batch"] = (event["done"], event["total"])
            elif kind == "epoch":
                self._state["history"].append(event["metrics"])
                self._state["batch"] = (0, self._state["batch"][1])
            else:
                self._state["state"] = kind
                self._state["error"], self._state["result"] = event.get("error"), event.get(
                    "result")

    def stop(self):
        """Ask the worker to stop; it finishes within one batch and keeps finished epochs."""
        self._stop_file.touch()

    @property
    def finished(self):
        """True once the job is done, stopped or failed."""
        with self._lock:
            return self._state["state"] in FINAL_STATES

    def snapshot(self):
        """A copy of the job's progress for display.

        Returns:
            Dict with state ("waiting" for a free trainer, "starting", "running", "done",
            "stopped", "failed"), history (one metrics dict per finished epoch), epochs,
            batch (done, per epoch), stopping, testing (training is over and the worker is
            testing and saving the model), elapsed and eta seconds (eta None until known),
            result (store metadata), error.
        """
        with self._lock:
            snapshot = dict(self._state, history=list(self._state["history"]))
            training_started = self._training_started
        snapshot["epochs"] = self.epochs
        snapshot["stopping"] = self._stop_file.exists() and snapshot["state"] == "running"
        # Testing follows the last epoch, or a stop once at least one epoch is kept.
        finished_epochs = len(snapshot["history"])
        snapshot["testing"] = snapshot["state"] == "running" and (
            finished_epochs == self.epochs or (snapshot["stopping"] and finished_epochs > 0))
        snapshot["elapsed"] = time.monotonic() - self._started
        done, per_epoch = snapshot["batch"]
        progress = (len(snapshot["history"]) + done / per_epoch) / self.epochs
        snapshot["eta"] = None
        if training_started is not None and 0 < progress < 1:
            spent = time.monotonic() - training_started
            snapshot["eta"] = spent * (1 - progress) / progress
        return snapshot


class TrainingQueue:
    """Several zoo models trained one after another on the same data, in the background.

    The next job starts as soon as the one before it finishes, whether or not a page is
    looking, so a comparison carries on while the class visits other pages.
    """

    def __init__(self, plan, dataset, validation_split=0.2):
        """Start the first job at once.

        Args:
            plan: list of (model name, epochs, batch size), in training order.
            dataset, validation_split: as for `TrainingJob`.
        """
        self.plan, self.jobs, self.cancelled = list(plan), [], False
        self.dataset, self._validation_split = dataset, validation_split
        self._lock = threading.Lock()
        self._start_next()

    def _start_next(self):
        with self._lock:
            if self.cancelled or len(self.jobs) == len(self.plan):
                return
            model_name, epochs, batch_size = self.plan[len(self.jobs)]
            self.jobs.append(TrainingJob(model_name, self.dataset, epochs, batch_size,
                                         self._validation_split, on_finish=self._start_next))

    def stop(self):
        """Stop the job in training (it keeps its finished epochs) and cancel the rest."""
        with self._lock:
            self.cancelled = True
            for job in self.jobs:
                job.stop()

    @property
    def finished(self):
        """True once every job has ended or the queue was stopped and its job ended."""
        with self._lock:
            jobs_left = not self.cancelled and len(self.jobs) < len(self.plan)
            return not jobs_left and all(job.finished for job in self.jobs)


def _emit(kind, **fields):
    print(json.dumps(dict(fields, kind=kind)), flush=True)


def _work(folder, model_name, epochs, batch_size, validation_split):
    """The worker process: train, evaluate, save, reporting each step as a JSON line."""
    from mnist_core import data, train  # heavy: imported only in the worker

    folder = pathlib.Path(folder)
    with np.load(folder / "data.npz", allow_pickle=False) as arrays:
        dataset = data.Dataset(arrays["x_train"], arrays["y_train"], arrays["x_test"],
                               arrays["y_test"], tuple(arrays["class_names"].tolist()),
                               str(arrays["source"]), str(arrays["name"]))
    (folder / "data.npz").unlink()  # up to 50 MB per job: not worth keeping
    stop_file = folder / "stop"
    _emit("running")
    try:
        result = train.train_and_save(
            model_name, dataset, int(epochs), int(batch_size), float(validation_split),
            on_epoch=lambda epoch, metrics: _emit("epoch", metrics=metrics),
            should_stop=stop_file.exists,
            on_batch=lambda done, total: _emit("batch", done=done, total=total))
    except Exception as error:  # noqa: BLE001 - reported to the page instead of lost
        _emit("failed", error=f"{type(error).__name__}: {error}")
        return
    _emit("stopped" if stop_file.exists() else "done", result=result)


if __name__ == "__main__":
    _work(*sys.argv[1:])
