"""What a training job's worker has reported so far, kept safe to read while the job goes on."""

import threading
import time

from mnist_core.i18n import N_
from mnist_core.training import process
from mnist_core.training.snapshot import Snapshot

# Failures the lab explains itself: English in `error`, the reader's language on the page.
CRASHED = N_("The training process ended unexpectedly (exit code {code}): {last_lines}")
UNANSWERED = N_("The trainer did not answer within {seconds} s of the stop and was ended: its "
                "finished epochs could not be saved.")

FINAL_STATES = ("done", "stopped", "failed")


class Progress:
    """A job's state, finished epochs and batch under way, built from its worker's events.

    Attributes:
        epochs: epochs asked for.
        state: as `Snapshot.state`; read without the lock by `jobs._first_waiting`.
        time_limit_reached: the job was stopped because it trained for too long.
    """

    def __init__(self, epochs):
        """A job that waits for a trainer and has asked for `epochs` epochs."""
        self.epochs, self.state, self.time_limit_reached = epochs, "waiting", False
        self._lock, self._created = threading.Lock(), time.monotonic()
        self._history, self._batch = [], (0, 1)
        self._result = self._error = self._error_message = self._training_started = None
        self._starting = None  # when a trainer took the job and began loading TensorFlow
        self._stop_asked = self._stop_seen = self._final_at = None

    def record(self, event):
        """Take in one event (see `worker.EVENT_FIELDS`); none after a final state.

        Args:
            event: a dict whose "type" names the event, with that type's fields.
        """
        with self._lock:
            event_type, now = event["type"], time.monotonic()
            if self.state in FINAL_STATES:
                return
            if event_type == "running":
                self.state, self._training_started = "running", now
            elif event_type == "starting":
                self.state, self._starting = "starting", now
            elif event_type == "batch":
                self._batch = (event["done"], event["total"])
            elif event_type == "epoch":
                self._history.append(event["metrics"])
                self._batch = (0, self._batch[1])
            elif event_type == "stopping":
                self._stop_seen = now
            else:
                self.state, self._error = event_type, event.get("error")
                self._error_message = event.get("message")
                self._result = event.get("result")
                self._final_at = now if event_type in FINAL_STATES else None

    def record_exit(self, exit_code, terminated, last_lines):
        """End the job whose worker exited, if the worker did not report an outcome.

        Args:
            exit_code: the worker's exit code; terminated: True if it had to be ended.
            last_lines: the last lines of its stderr, to explain a crash.
        """
        if not terminated:
            self._record_failure(CRASHED, code=exit_code, last_lines=last_lines)
        elif not self._history:
            self.record({"type": "stopped", "result": None})
        else:
            self._record_failure(UNANSWERED, seconds=process.STOP_SECONDS)

    def _record_failure(self, message, **fields):
        """Fail with `message` (marked with `N_`): English in `error`, translated when shown."""
        self.record({"type": "failed", "error": message.format(**fields),
                     "message": (message, fields)})

    def ask_stop(self):
        """Note that a stop was asked (the first time counts)."""
        with self._lock:
            self._stop_asked = self._stop_asked or time.monotonic()

    @property
    def stop_asked(self):
        """True once a stop was asked."""
        return self._stop_asked is not None

    def exit_deadline(self):
        """When the worker must have exited by, or None (see `process.exit_deadline`)."""
        with self._lock:
            return process.exit_deadline(self._stop_asked, self._stop_seen, self._final_at)

    def snapshot(self, **labels):
        """A `Snapshot` of this progress.

        Args:
            labels: the `Snapshot` fields a progress does not know: model_name, dataset_name,
                nickname and trainers.
        """
        with self._lock:
            state, history, batch = self.state, tuple(self._history), self._batch
            stopping = self._stop_asked is not None and state in ("starting", "running")
            training_started, result, error = self._training_started, self._result, self._error
            error_message = self._error_message
            starting, final_at = self._starting, self._final_at
        # Testing follows the last epoch, or a stop once at least one epoch is kept.
        testing = state == "running" and (
            len(history) == self.epochs or (stopping and len(history) > 0))
        now = time.monotonic()
        share_done = (len(history) + batch[0] / batch[1]) / self.epochs
        eta = None
        if training_started is not None and 0 < share_done < 1:
            eta = (now - training_started) * (1 - share_done) / share_done

        def phase(start, end):
            """Seconds from `start` to `end`, else to the job's end or now; None if not begun."""
            return None if start is None else (end or final_at or now) - start

        # Waiting for a trainer, starting it (a fresh process loads TensorFlow: often longer
        # than a small model's training), then training and testing.
        waited = phase(self._created, starting or training_started)
        start_up, trained = phase(starting, training_started), phase(training_started, None)
        return Snapshot(state=state, epochs=self.epochs, history=history, batch=batch,
                        stopping=stopping, testing=testing,
                        time_limit_reached=self.time_limit_reached,
                        elapsed=(final_at or now) - self._created, eta=eta, waited=waited,
                        start_up=start_up, trained=trained, result=result, error=error,
                        error_message=error_message, **labels)
