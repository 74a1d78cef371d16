"""A training job's progress at one moment: what the Train and Compare pages show of it."""

import dataclasses


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """A copy of a `jobs.TrainingJob`'s progress, safe to read while the job goes on.

    Attributes:
        model_name: the zoo model trained; dataset_name: its data set's name or folder.
        nickname: what the student who started it calls themselves ("" if not given).
        state: "waiting" for a free trainer, "starting", "running", "done", "stopped" or
            "failed".
        epochs: epochs asked for; history: one metrics dict per finished epoch.
        batch: (batches done, batches per epoch) in the epoch under way.
        stopping: a stop was asked and training has not ended yet.
        testing: training is over and the worker is testing and saving the model.
        time_limit_reached: the job was stopped because it trained for too long.
        elapsed: seconds since the job was started; eta: seconds to go (None until known).
        result: the saved model's store metadata, or None; error: why it failed, or None.
        trainers: how many jobs the class trains at once (the rest wait).
    """

    model_name: str
    dataset_name: str
    nickname: str
    state: str
    epochs: int
    history: tuple
    batch: tuple = (0, 1)
    stopping: bool = False
    testing: bool = False
    time_limit_reached: bool = False
    elapsed: float = 0.0
    eta: float | None = None
    result: dict | None = None
    error: str | None = None
    trainers: int = 1

    @property
    def progress(self):
        """Share of the epoch under way that is done, in [0, 1], for a progress bar."""
        done, per_epoch = self.batch
        return 1.0 if self.testing else min(1.0, done / per_epoch)

    def status_text(self):
        """What the job is doing now, or how it ended, in one sentence without a full stop.

        Returns:
            E.g. "Epoch 2 of 10, batch 31 of 200" or "Done after 10 epochs".
        """
        if self.state == "waiting":
            return (f"Waiting for a free trainer: this computer trains {self.trainers} model"
                    f"{'s' * (self.trainers > 1)} at a time for the whole class")
        if self.state == "starting":
            return "Starting the trainer (loading TensorFlow)"
        if self.state == "running":
            return self._activity()
        if self.state == "failed":
            return f"Failed: {self.error}"
        return self._outcome()

    def _activity(self):
        if self.testing:
            return "Testing the model on the test set and saving it"
        done, per_epoch = self.batch
        text = f"Epoch {len(self.history) + 1} of {self.epochs}"
        text += f", batch {done} of {per_epoch}" if done else ""
        if self.stopping:
            text += " - stopping" + (": it reached the time limit per job"
                                     if self.time_limit_reached else "")
        return text

    def _outcome(self):
        if self.result is None:
            return "Stopped before the first epoch finished: nothing was saved"
        finished = len(self.history)
        return (f"{self.state.capitalize()} after {finished} epoch{'s' * (finished != 1)}"
                + (" (the time limit per job)" if self.time_limit_reached else ""))
