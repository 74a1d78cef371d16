"""Which model a page uses: a `ModelKey`, the text session state and caches hold for a model."""

import dataclasses


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
        from mnist_core import store  # late: the store imports this module

        return store.load_default(self.name) if self.source == "default" else store.load(self.name)

    def metadata(self):
        """The metadata dict of the model this key names (how it was trained, its accuracy)."""
        from mnist_core import store  # late: the store imports this module

        return (store.default_metadata(self.name) if self.source == "default"
                else store.metadata(self.name))
