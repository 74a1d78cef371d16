"""Measure a whole class pressing Start on the Train page at once.

N pupils start the seed CNN with the tutorial's settings (10 epochs, batch 300, validation
split 0.2) on Fashion-MNIST's 60,000 training images (48,000 trained on per epoch, the size
of the full MNIST a connected classroom trains on), through `runs.start` as the Train page
does, in this process (the server's), with the server's trainers; with --ray, on a Ray
cluster started on this machine (2 CPUs) instead, as `MNIST_LAB_RAY_ADDRESS` would.

Scenarios (a spare trainer waits at the start, as on a server that has just started):
    same       N identical requests: when each pupil sees a curve point, when each has a model.
    alone      one run, for reference (its trainer starts cold: the spare went to `same`).
    mix        N - N/3 on the defaults, N/3 with a changed setting (epochs 5, 8, 12, 15 or 20):
               when each sees their run moving or their place and estimated start, and each
               run's forecast end against its real end.

Run: python benchmarks/class_training.py [--students 30] [--scenarios same alone mix] [--ray]
(needs the Debian package dataset-fashion-mnist; takes ~2 minutes of both cores per run).
"""

import argparse
import os
import pathlib
import statistics
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent))  # run from anywhere
from mnist_core import data  # noqa: E402
from mnist_core.people.person import LAB  # noqa: E402
from mnist_core.training import process, runs  # noqa: E402

MODEL, EPOCHS, BATCH_SIZE = "cnn", 10, 300
CHANGED_EPOCHS = [5, 8, 12, 15, 20]
SPARE_LOADS_SECONDS = 15


def pupil_id(number):
    """A pupil id (32 hex digits) for pupil `number`."""
    return f"{number:032x}"


def press_start(requests, dataset):
    """Every pupil presses Start at once.

    Args:
        requests: {pupil number: epochs}.
        dataset: the data set every pupil trains on.

    Returns:
        (when Start was pressed (monotonic s), {pupil: (the job they follow, seconds until
        their page can show it moving or their place and estimated start)}, the forecasts).
    """
    pressed = time.monotonic()
    followed = {pupil: runs.start(MODEL, dataset, epochs, BATCH_SIZE, 0.2,
                                  owner=pupil_id(pupil), nickname=f"pupil {pupil}")
                for pupil, epochs in requests.items()}
    estimates = runs.forecasts()
    told = time.monotonic() - pressed
    return pressed, {pupil: (job, told if job.id in estimates else float("inf"))
                     for pupil, job in followed.items()}, estimates


def follow(pressed, started):
    """Poll every job until all have ended; returns {job id: (first curve point, end)} in s."""
    runs = {job.id: job for job, _told in started.values()}
    first_point, ended = {}, {}
    while len(ended) < len(runs):
        now = time.monotonic() - pressed
        for job_id, job in runs.items():
            if job_id not in first_point and job.snapshot().history:
                first_point[job_id] = now
            if job_id not in ended and job.finished:
                ended[job_id] = now
        time.sleep(0.2)
    return {job_id: (first_point.get(job_id), ended[job_id]) for job_id in runs}


def run_scenario(name, requests, dataset):
    """Start `requests` ({pupil: epochs}) at once, wait for every run, print the figures."""
    pressed, started, estimates = press_start(requests, dataset)
    forecast_end = {job.id: estimates[job.id].ends_in for job, _told in started.values()}
    times = follow(pressed, started)
    told = [seconds for _job, seconds in started.values()]
    first_points = [times[job.id][0] for job, _told in started.values()]
    ends = [times[job.id][1] for job, _told in started.values()]
    failed = [job.snapshot().status_text() for job, _told in started.values()
              if job.snapshot().state != "done"]
    trainers = next(iter(started.values()))[0].snapshot().trainers
    print(f"\n{name}: {len(requests)} pupils, {len(times)} distinct runs trained "
          f"on {trainers} trainers", flush=True)
    print(f"  told their run or place: max {max(told):.2f} s after Start")
    print(f"  first curve point: p50 {statistics.median(first_points):.1f} s, "
          f"max {max(first_points):.1f} s")
    print(f"  model ready: p50 {statistics.median(ends):.1f} s, max {max(ends):.1f} s")
    for job_id, (first, end) in times.items():
        job = next(job for job, _told in started.values() if job.id == job_id)
        error = (end - forecast_end[job_id]) / end
        print(f"  run {job.epochs:2d} epochs: followers {job.snapshot().followers:2d}, "
              f"first point {first:6.1f} s, ended {end:6.1f} s, forecast at Start "
              f"{forecast_end[job_id]:6.1f} s ({error:+.0%} off)")
    if failed:
        print(f"  NOT DONE: {failed}")
    return max(ends)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=30)
    parser.add_argument("--scenarios", nargs="+", default=["same", "alone", "mix"],
                        choices=["alone", "same", "mix"])
    parser.add_argument("--ray", action="store_true",
                        help="train on a Ray cluster of this machine's 2 CPUs")
    arguments = parser.parse_args()
    tempfile.tempdir = tempfile.mkdtemp(prefix="class-training-")
    os.environ.setdefault("MNIST_LAB_HOME", tempfile.tempdir)  # its models stay out of yours
    dataset = data.load("fashion_mnist")
    if arguments.ray:
        import ray

        os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
        from mnist_core.training import cluster

        ray.init(num_cpus=2, include_dashboard=False, _node_ip_address="127.0.0.1",
                 namespace=cluster.NAMESPACE, runtime_env=cluster.package_env(),
                 log_to_driver=False)
        os.environ["MNIST_LAB_RAY_ADDRESS"] = ray.get_runtime_context().gcs_address
    print(f"{dataset.name}: {len(dataset.x_train):,} training images, {MODEL}, {EPOCHS} "
          f"epochs, batch {BATCH_SIZE}, on {'Ray' if arguments.ray else 'this server'}",
          flush=True)
    students = arguments.students
    if not arguments.ray:
        # As `streamlit run app.py` does at its start (ui/caches.warm_up): a spare trainer that
        # has loaded TensorFlow waits for the first run (given the time a server has before a
        # class presses Start). A cluster's workers start with their run.
        process.prepare()
        time.sleep(SPARE_LOADS_SECONDS)
    ended = {}
    for scenario in arguments.scenarios:
        if scenario == "alone":
            ended[scenario] = run_scenario("one run alone", {0: EPOCHS}, dataset)
        elif scenario == "same":
            ended[scenario] = run_scenario("identical requests",
                                           {pupil: EPOCHS for pupil in range(students)}, dataset)
        else:
            changed = students // 3
            requests = {pupil: (CHANGED_EPOCHS[pupil % len(CHANGED_EPOCHS)] if pupil < changed
                                else EPOCHS) for pupil in range(students)}
            run_scenario(f"a mix ({students - changed} default, {changed} changed)", requests,
                         dataset)
    if "alone" in ended and "same" in ended:
        print(f"\nidentical requests: every model within {ended['same'] / ended['alone']:.2f}x "
              "of one run alone")
    for job in runs.active():
        job.stop(LAB)


if __name__ == "__main__":
    main()
