"""Training jobs that outlive a page: a worker process reporting into a shared job object.

Why a process and not a thread: Streamlit calls `keras.backend.clear_session()` after every
script run, which resets Keras' global state under a thread that is training; and a training
thread would share the interpreter with the web server. A spawned process has its own Keras,
uses the CPU cores without slowing the pages, and can be stopped from any rerun through an
event. The page only keeps this object (in session state) and reads `snapshot()`.
"""

import multiprocessing
import queue
import threading
import time

FINAL_STATES = ("done", "stopped", "failed")


def _work(model_name, dataset, epochs, batch_size, validation_split, events, stop_event):
    try:
        from mnist_core import train  # imported here: the child process starts empty

        events.put(("running", None))
        result = train.train_and_save(
            model_name, dataset, epochs, batch_size, validation_split,
            on_epoch=lambda epoch, metrics: events.put(("epoch", metrics)),
            should_stop=stop_event.is_set,
            on_batch=lambda done, total: events.put(("batch", (done, total))))
        events.put(("stopped" if stop_event.is_set() else "done", result))
    except Exception as error:  # noqa: BLE001 - reported to the page instead of lost
        events.put(("failed", f"{type(error).__name__}: {error}"))


class TrainingJob:
    """Train a zoo model on a data set in a worker process; poll it with `snapshot()`."""

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split=0.2):
        """Start training at once.

        Args:
            model_name: one of `models.available()`.
            dataset: a `data.Dataset` (sent to the worker, so it is not loaded twice).
            epochs, batch_size, validation_split: as for `train.fit`.
        """
        context = multiprocessing.get_context("spawn")  # forking a process that runs TF is unsafe
        self.model_name, self.epochs = model_name, epochs
        self._events, self._stop_event = context.Queue(), context.Event()
        self._lock = threading.Lock()
        self._state = {"state": "starting", "history": [], "batch": (0, 1), "result": None,
                       "error": None}
        self._started = time.monotonic()
        self._training_started = None
        self._process = context.Process(
            target=_work, daemon=True,
            args=(model_name, dataset, epochs, batch_size, validation_split, self._events,
                  self._stop_event))
        self._process.start()
        threading.Thread(target=self._listen, daemon=True).start()

    def _listen(self):
        while True:
            try:
                kind, payload = self._events.get(timeout=1.0)
            except queue.Empty:
                if self._process.is_alive():
                    continue
                kind, payload = "failed", (f"The training process ended unexpectedly (exit "
                                           f"code {self._process.exitcode}).")
            with self._lock:
                if kind == "running":
                    self._state["state"], self._training_started = "running", time.monotonic()
                elif kind == "batch":
                    self._state["batch"] = payload
                elif kind == "epoch":
                    self._state["history"].append(payload)
                    self._state["batch"] = (0, self._state["batch"][1])
                else:
                    self._state["state"] = kind
                    self._state["error" if kind == "failed" else "result"] = payload
            if kind in FINAL_STATES:
                self._process.join(timeout=5)
                return

    def stop(self):
        """Ask the worker to stop; it finishes within one batch and keeps finished epochs."""
        self._stop_event.set()

    @property
    def finished(self):
        """True once the job is done, stopped or failed."""
        with self._lock:
            return self._state["state"] in FINAL_STATES

    def snapshot(self):
        """A copy of the job's progress for display.

        Returns:
            Dict with state ("starting", "running", "done", "stopped", "failed"), history
            (one metrics dict per finished epoch), epochs, batch (done, per epoch), elapsed
            and eta seconds (eta None until known), result (store metadata) and error.
        """
        with self._lock:
            snapshot = dict(self._state, history=list(self._state["history"]))
            training_started = self._training_started
        snapshot["epochs"] = self.epochs
        snapshot["stopping"] = self._stop_event.is_set() and snapshot["state"] == "running"
        snapshot["elapsed"] = time.monotonic() - self._started
        done, per_epoch = snapshot["batch"]
        progress = (len(snapshot["history"]) + done / per_epoch) / self.epochs
        snapshot["eta"] = None
        if training_started is not None and 0 < progress < 1:
            spent = time.monotonic() - training_started
            snapshot["eta"] = spent * (1 - progress) / progress
        return snapshot
