"""When the class's runs should start and end, from this machine's measured training speed.

A run's work is its trainer's start-up (a fresh process loads TensorFlow), its epochs times
its training images times the seconds one image-epoch of its model takes here alone, and its
time outside the epochs (loading its data, testing on the test split, saving the model). The
speed is the median over this server's finished runs of the same model and data set (their
epoch times, each multiplied by the share of the machine it had), or a first guess measured
on a two-core laptop before any has finished; start-up and the time outside the epochs are
those of the latest runs. Runs take the trainers in the order they were started, each as
soon as one is free, and the runs training together share the machine (each worker uses every
core): k at once each take `slowdown(k)` times as long as alone.
"""

import dataclasses
import statistics

# Seconds one epoch of one training image took on a two-core laptop (Keras on the CPU, each
# model's tutorial batch size, the second epoch of 8,000 images): the guess until a run of the
# model has finished on this server.
FIRST_GUESS_SECONDS_PER_IMAGE = {
    "mlp": 0.000025,
    "cnn": 0.00017,
    "cnn_small": 0.00010,
    "lstm": 0.00026,
    "fashion_cnn": 0.00052,
    "cnn_tanh": 0.00014,
    "cnn_strong": 0.00050,
}
UNKNOWN_MODEL_SECONDS_PER_IMAGE = 0.0002
# Seconds a fresh trainer takes to load TensorFlow, until one has started here.
FIRST_GUESS_START_UP = 8.0
# Seconds a run trains outside its epochs (loading its data, testing, saving), until one has
# finished here: 1.3 s (MLP) and 3.1 s (seed CNN) on a two-core laptop, 48,000 images.
FIRST_GUESS_OUTSIDE_EPOCHS = 3.0
# Runs that train together share the cores: measured on a two-core laptop, one seed-CNN run
# alone took 116 s and six started together on two trainers ended in pairs at 202-210,
# 393-399 and 583-591 s, so two at once each take 1.74 = 2 ** 0.8 times as long.
SHARING_EXPONENT = 0.8


@dataclasses.dataclass(frozen=True)
class Forecast:
    """When one run should start and end.

    Attributes:
        place: its place in the line of waiting runs (1: next to start), or None once started.
        starts_in: seconds from now until it takes a trainer (0 once started).
        ends_in: seconds from now until its model is saved.
    """

    place: int | None
    starts_in: float
    ends_in: float


def seconds_per_image(runs):
    """The measured seconds of one image-epoch of each model on each data set.

    Args:
        runs: saved-run metadata dicts (see `store.saved_models`); those that recorded
            `images_per_epoch` and per-epoch `seconds` in their history count.

    Returns:
        {(model name, data set name): median seconds per image and epoch}.
    """
    samples = {}
    for run in runs:
        images = run.get("images_per_epoch")
        seconds = [epoch.get("seconds") for epoch in run.get("history", [])]
        if not images or not seconds or not all(isinstance(s, (int, float)) for s in seconds):
            continue
        samples.setdefault((run.get("model"), run.get("dataset")), []).extend(
            second / images for second in seconds)
    return {key: statistics.median(values) for key, values in samples.items()}


def run_seconds(model_name, dataset_name, epochs, images_per_epoch, speeds, start_up,
                outside_epochs):
    """The work of a run, from a trainer's start to its saved model, in seconds alone.

    Args:
        model_name, dataset_name: the run's zoo model and data set.
        epochs: epochs asked for; images_per_epoch: training images per epoch.
        speeds: as returned by `seconds_per_image`.
        start_up: expected seconds for a trainer to start.
        outside_epochs: expected seconds of its training outside the epochs.

    Returns:
        Seconds the run takes with the machine to itself, float.
    """
    per_image = speeds.get((model_name, dataset_name), FIRST_GUESS_SECONDS_PER_IMAGE.get(
        model_name, UNKNOWN_MODEL_SECONDS_PER_IMAGE))
    return start_up + epochs * images_per_epoch * per_image + outside_epochs


def slowdown(sharing):
    """How many times longer each of `sharing` runs training together takes than alone."""
    return max(1, sharing) ** SHARING_EXPONENT


def schedule(busy, waiting, trainers):
    """Forecast a line of runs on `trainers` trainers that share one machine.

    Runs take a trainer in line order as one frees up; the k runs training at a moment each
    progress at 1 / `slowdown(k)` of their speed alone.

    Args:
        busy: seconds of work (alone) left of each run holding a trainer now (at most
            `trainers` of them).
        waiting: seconds of work (alone) of each waiting run, oldest first.
        trainers: how many runs train at once (at least 1).

    Returns:
        (list of `Forecast` for `busy`, list of `Forecast` for `waiting`), in their orders.
    """
    left = {index: max(0.0, work) for index, work in enumerate(busy)}
    starts = {index: 0.0 for index in left}
    ends, line, now = {}, list(enumerate(waiting, start=len(busy))), 0.0
    while left or line:
        while line and len(left) < trainers:
            index, work = line.pop(0)
            left[index], starts[index] = work, now
        factor = slowdown(len(left))
        first = min(left, key=left.get)
        step = left[first] * factor  # until the run with the least work left ends
        now += step
        for index in list(left):
            left[index] -= step / factor
            if index == first or left[index] <= 1e-9:
                del left[index]
                ends[index] = now
    started = [Forecast(None, 0.0, ends[index]) for index in range(len(busy))]
    queued = [Forecast(place, starts[index], ends[index])
              for place, index in enumerate(range(len(busy), len(busy) + len(waiting)), 1)]
    return started, queued
