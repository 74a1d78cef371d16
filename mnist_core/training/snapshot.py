"""A training job's progress at one moment: what the Train and Compare pages show of it."""

import dataclasses

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext


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
        waited, start_up, trained: seconds spent waiting for a trainer, starting it (loading
            TensorFlow) and training and testing, so far; None for a phase not begun.
        result: the saved model's store metadata, or None; error: why it failed, or None.
        error_message: a failure the lab itself explains, as (msgid marked with `N_`, its
            fields), so that `status_text` says it in the reader's language; None otherwise
            (e.g. a worker's failure, in English: the worker has no reader).
        trainers: how many jobs the class trains at once (the rest wait).
        followers: how many pupils follow the job (started or joined it, and stay).
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
    waited: float | None = None
    start_up: float | None = None
    trained: float | None = None
    result: dict | None = None
    error: str | None = None
    trainers: int = 1
    error_message: tuple | None = None
    followers: int = 1

    @property
    def progress(self):
        """Share of the epoch under way that is done, in [0, 1], for a progress bar."""
        done, per_epoch = self.batch
        return 1.0 if self.testing else min(1.0, done / per_epoch)

    def status_text(self):
        """What the job is doing now, or how it ended, in one sentence without a full stop.

        Returns:
            E.g. "Epoch 2 of 10, batch 31 of 200" or "Done after 10 epochs", in the reader's
            language.
        """
        if self.state == "waiting":
            return ngettext("Waiting for a free trainer: this computer trains {count} model at a "
                            "time for the whole class",
                            "Waiting for a free trainer: this computer trains {count} models at "
                            "a time for the whole class", self.trainers).format(count=self.trainers)
        if self.state == "starting":
            return _("Starting the trainer (loading TensorFlow)")
        if self.state == "running":
            return self._activity()
        if self.state == "failed":
            return _("Failed: {error}").format(error=self.error_text())
        return self._outcome()

    def times_text(self):
        """How long each phase took, e.g. "1 s training, after 19 s starting the trainer
        (loading TensorFlow) and 0 s waiting for it: 20 s in all"; None before it started."""
        if self.start_up is None:
            return None
        trained = self.trained or 0.0
        return _("{trained:.0f} s training and testing, after {start_up:.0f} s starting the "
                 "trainer (loading TensorFlow) and {waited:.0f} s waiting for it: {total:.0f} s "
                 "in all").format(trained=trained, start_up=self.start_up, waited=self.waited,
                                  total=self.waited + self.start_up + trained)

    def error_text(self):
        """Why the job failed, in the reader's language when the lab explains it, or None."""
        if self.error_message is None:
            return self.error
        message, fields = self.error_message
        return _(message).format(**fields)

    def _activity(self):
        if self.testing:
            return _("Testing the model on the test set and saving it")
        done, per_epoch = self.batch
        fields = dict(epoch=len(self.history) + 1, epochs=self.epochs, done=done,
                      total=per_epoch)
        if not self.stopping:
            text = (_("Epoch {epoch} of {epochs}, batch {done} of {total}") if done
                    else _("Epoch {epoch} of {epochs}"))
        elif self.time_limit_reached:
            text = (_("Epoch {epoch} of {epochs}, batch {done} of {total} - stopping: it "
                      "reached the time limit per job") if done
                    else _("Epoch {epoch} of {epochs} - stopping: it reached the time limit "
                           "per job"))
        else:
            text = (_("Epoch {epoch} of {epochs}, batch {done} of {total} - stopping") if done
                    else _("Epoch {epoch} of {epochs} - stopping"))
        return text.format(**fields)

    def _outcome(self):
        if self.result is None:
            return _("Stopped before the first epoch finished: nothing was saved")
        finished = len(self.history)
        if self.state == "done":
            return ngettext("Done after {count} epoch", "Done after {count} epochs",
                            finished).format(count=finished)
        if self.time_limit_reached:
            return ngettext("Stopped after {count} epoch (the time limit per job)",
                            "Stopped after {count} epochs (the time limit per job)",
                            finished).format(count=finished)
        return ngettext("Stopped after {count} epoch", "Stopped after {count} epochs",
                        finished).format(count=finished)
