"""The model store: trained models as `.keras` files with JSON metadata, saved atomically.

Models live in `$MNIST_LAB_HOME/models` (default `~/.mnist_lab/models`); the default models the
lab ships live inside the package, in `mnist_core/networks/default_models`. A `ModelKey` names
either kind.
"""

import dataclasses
import datetime
import itertools
import json
import os
import pathlib
import tempfile

from mnist_core.i18n import gettext as _
from mnist_core.lab_home import NAME_PATTERN, atomic_write, clean_name, home
from mnist_core.people import class_log

DEFAULT_MODELS_DIR = pathlib.Path(__file__).parent / "default_models"


@dataclasses.dataclass(frozen=True)
class ModelKey:
    """Which model to use: a shipped default, by data set, or a saved model, by name.

    Its text form, "default:<data set>" or "store:<model name>", is what session state and the
    pages' caches hold; `parse` reads it back.
    """

    source: str  # "default" (shipped with the lab) or "store" (saved by training)
    name: str

    def __post_init__(self):
        if self.source not in ("default", "store"):
            raise ValueError(f"Unknown model source {self.source!r}: use \"default\" for a "
                             "shipped model or \"store\" for a saved one.")

    @classmethod
    def parse(cls, text):
        """The key written as `str(key)`, e.g. "store:seed-cnn" (`ValueError` if malformed)."""
        source, separator, name = str(text).partition(":")
        if not separator:
            raise ValueError(f"{text!r} is not a model key: expected \"default:<data set>\" "
                             "or \"store:<model name>\".")
        return cls(source, name)

    def __str__(self):
        return f"{self.source}:{self.name}"

    def load(self):
        """The `keras.Model` this key names; `ValueError` if it is missing or damaged."""
        return load_default(self.name) if self.source == "default" else load(self.name)

    def metadata(self):
        """The metadata dict of the model this key names (how it was trained, its accuracy)."""
        return (default_metadata(self.name) if self.source == "default"
                else metadata(self.name))


def _models_dir():
    return home() / "models"


def _check_name(name):
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise ValueError(_("{name!r} is not a valid model name: use up to 100 letters, digits, "
                           "dots, dashes or underscores, starting with a letter or digit.")
                         .format(name=name))
    return name


def save(model, name, metadata):
    """Save a model with its metadata, replacing any model of the same name.

    Args:
        model: a Keras model.
        name: store name (letters, digits, `.`, `-`, `_`).
        metadata: JSON-serialisable dict (model kind, dataset, epochs, history,
            test_accuracy, ...).

    Returns:
        The metadata as saved, with `name` and `created` (ISO time) added.
    """
    _check_name(name)
    folder = _models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    atomic_write(folder / f"{name}.keras", model.save)
    return _save_metadata(name, metadata)


def save_new(model, base, metadata):
    """Save a model under a name no other model has: `base`, else `base-2`, `base-3`...

    The name is taken atomically, so two runs finishing at the same moment (in two worker
    processes) both keep their model.

    Args:
        model: a Keras model.
        base: any text; made a valid name (see `lab_home.clean_name`).
        metadata: as for `save`.

    Returns:
        The metadata as saved, with the name taken, `name` and `created` added.
    """
    base = clean_name(base, "model")
    folder = _models_dir()
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".saving-", suffix=".keras")
    os.close(handle)
    try:
        model.save(temporary)
        for number in itertools.count(1):
            name = base if number == 1 else f"{base}-{number}"
            if (folder / f"{name}.json").exists():
                continue  # metadata left without its model: the name stays taken
            try:
                # A hard link is atomic and refused when the name exists, unlike a rename.
                os.link(temporary, folder / f"{name}.keras")
                break
            except FileExistsError:
                continue
    finally:
        os.remove(temporary)
    return _save_metadata(name, metadata)


def _save_metadata(name, metadata):
    """Write a saved model's metadata last: `saved_models()` lists a model once both exist."""
    saved = dict(metadata, name=name,
                 created=datetime.datetime.now().isoformat(timespec="seconds"))
    text = json.dumps(saved, indent=2)
    atomic_write(_models_dir() / f"{name}.json", lambda path: pathlib.Path(path).write_text(text))
    return saved


def _read_model(path, missing, damaged, **fields):
    """The Keras model at `path`; `missing` and `damaged` are the messages of each failure.

    Both are translated texts with the fields {path} and `fields`; `damaged` also has {error}.
    """
    if not path.is_file():
        raise ValueError(missing.format(path=path, **fields))
    import keras  # imported late: listing models (every page's sidebar) must not wait for it

    try:
        return keras.models.load_model(path, compile=False)
    except Exception as error:  # noqa: BLE001 - Keras raises many kinds for a damaged file
        message = damaged.format(path=path, error=type(error).__name__, **fields)
        raise ValueError(message) from error


def load(name):
    """Load a saved model by name.

    Returns:
        The `keras.Model`; `ValueError` with a clear message if it is missing or damaged.
    """
    _check_name(name)
    return _read_model(
        _models_dir() / f"{name}.keras",
        _("The saved model {name!r} is missing: {path} does not exist."),
        _("The saved model {name!r} cannot be read ({path} is damaged or not a Keras model: "
          "{error}). Train it again or delete it."), name=name)


def metadata(name):
    """The metadata dict of a saved model (`ValueError` if missing or unreadable)."""
    path = _models_dir() / f"{_check_name(name)}.json"
    try:
        return json.loads(path.read_text())
    except FileNotFoundError as error:
        raise ValueError(_("There is no saved model named {name!r}.").format(name=name)) from error
    except (OSError, ValueError) as error:
        raise ValueError(_("The description of model {name!r} ({path}) is damaged.").format(
            name=name, path=path)) from error


def saved_models():
    """Every saved model's metadata, newest first.

    A model whose files are damaged is still listed, with an `error` message, so it never
    hides the good ones and the teacher can see what is wrong.
    """
    folder = _models_dir()
    entries = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
        if path.name.startswith("."):
            continue
        try:
            entry = metadata(path.stem)
        except ValueError as error:
            entry = {"name": path.stem, "error": str(error)}
        if "error" not in entry and not (folder / f"{path.stem}.keras").is_file():
            entry["error"] = f"The model file {path.stem}.keras is missing."
        entries.append(entry)
    return sorted(entries, key=lambda entry: str(entry.get("created", "")), reverse=True)


def changed_at():
    """When a model was last saved or deleted (ns; 0 before the first): a cache key for the list.

    Pages cache `saved_models()` under it, so they read the folder again only after a change.
    """
    folder = _models_dir()
    return folder.stat().st_mtime_ns if folder.is_dir() else 0


def delete(name, by):
    """Remove a saved model and its metadata, for who trained it or the teacher; logged.

    Nothing happens if it is absent.

    Raises:
        PermissionError: `by` (a `Person`) is another pupil.
    """
    try:
        owner = metadata(name).get("owner")
    except ValueError:
        owner = None  # damaged: the teacher's to clear away
    by.require_owner(owner, _("Only the pupil who trained this model, or the teacher, may "
                              "delete it."))
    class_log.record(by, "deleted a model", name)
    for suffix in (".json", ".keras"):
        (_models_dir() / f"{_check_name(name)}{suffix}").unlink(missing_ok=True)


def load_default(dataset="mnist"):
    """The model shipped with the lab for a data set ("mnist" or "fashion_mnist")."""
    return _read_model(
        DEFAULT_MODELS_DIR / f"{dataset}.keras",
        _("The shipped default model for {dataset!r} is missing: {path} does not exist."),
        _("The shipped default model for {dataset!r} cannot be read ({path} is damaged or not "
          "a Keras model: {error}). Train it again or delete it."), dataset=dataset)


def default_metadata(dataset="mnist"):
    """Metadata (how it was trained, test accuracy) of the shipped default model."""
    path = DEFAULT_MODELS_DIR / f"{dataset}.json"
    if not path.is_file():
        raise ValueError(_("No default model is shipped for {dataset!r}.").format(dataset=dataset))
    return json.loads(path.read_text())
