"""The class's runs on a Ray cluster of two machines (`ray.cluster_utils.Cluster`), one of
which leaves mid-run."""

import socket

import pytest

ray = pytest.importorskip("ray")  # a school's extra (requirements-school.txt); CI has it
from ray.cluster_utils import Cluster  # noqa: E402

from mnist_core.people.person import Person  # noqa: E402
from mnist_core.training import cluster, runs  # noqa: E402
from tests.polling import wait_until  # noqa: E402

ADA = Person("a" * 32, "Ada")


@pytest.fixture
def two_machines(monkeypatch):
    """A head node without CPUs (the lab's server and its registry) and a trainer machine."""
    monkeypatch.setenv("RAY_USAGE_STATS_ENABLED", "0")
    machines = Cluster(initialize_head=True,
                       head_node_args={"num_cpus": 0, "include_dashboard": False})
    trainer = machines.add_node(num_cpus=2)
    ray.init(address=machines.address, namespace=cluster.NAMESPACE,
             runtime_env=cluster.package_env(), log_to_driver=False)
    monkeypatch.setenv("MNIST_LAB_RAY_ADDRESS", machines.address)
    monkeypatch.setattr(cluster, "_registry", {})
    yield machines, trainer
    ray.shutdown()
    machines.shutdown()


def test_a_machine_that_leaves_fails_its_run_by_name_and_the_next_run_starts(
        two_machines, small_dataset):
    machines, trainer = two_machines
    job = runs.start("cnn", small_dataset, 200, 20, owner=ADA.id)
    wait_until(lambda: job.snapshot().state == "running", 180, job.snapshot)
    machines.remove_node(trainer, allow_graceful=False)  # as a machine switched off
    wait_until(lambda: job.finished, 120, job.snapshot)
    snapshot = job.snapshot()
    assert snapshot.state == "failed" and snapshot.result is None
    machine = f"{socket.gethostname()} ({ray.util.get_node_ip_address()})"
    assert f"The machine {machine} that trained this run left the Ray cluster" in (
        snapshot.status_text())
    machines.add_node(num_cpus=2)
    second = runs.start("mlp", small_dataset, 1, 50, owner=ADA.id)
    wait_until(lambda: second.finished, 180, second.snapshot)
    assert second.snapshot().state == "done"
