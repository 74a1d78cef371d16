"""Keep the translation catalogs in step with the code (needs Babel: requirements-dev.txt).

Run from the project folder:
    python locales/catalogs.py update             # new texts into every language's .po files
    python locales/catalogs.py compile            # .po -> .mo, which the lab reads (commit both)
    python locales/catalogs.py update --language ja   # start a new language (see the README)
    python locales/catalogs.py update --part lab      # only one part's catalogs

Texts are msgids marked in the code with `_("...")`, `ngettext(...)` or `N_("...")` (marked
where defined, translated where shown). Each part of the lab has its own catalog, so that
translators and developers can work on one part at a time.
"""

import argparse
import io
import pathlib
import sys

from babel.messages import extract, mofile, pofile
from babel.messages.catalog import Catalog

ROOT = pathlib.Path(__file__).resolve().parent.parent
LOCALES = ROOT / "locales"
PARTS = {
    "app": ["lab.py", "server/entrance.py", "server/upload_budget.py", "ui/pupil.py", "ui/common.py", "ui/caches.py",
            "pages/home.py", "ui/language.py",
            "ui/touch.py", "ui/charts.py", "ui/tensorflow_setup.py", "ui/widget_text.py"],
    "lab": ["pages/train.py", "pages/draw.py", "pages/feature_maps.py",
            "pages/confusion_matrix.py", "pages/explain.py", "pages/test_map.py",
            "pages/compare.py", "ui/job_view.py",
            "ui/run_tables.py", "ui/code_view.py"],
    "class": ["pages/class_page.py", "pages/our_handwriting.py", "pages/stump.py",
              "pages/teacher.py", "ui/classroom.py"],
    "lessons": ["pages/hello_neuron.py", "pages/convolution.py", "pages/backprop.py",
                "ui/backprop_steps.py", "ui/lesson_charts.py",
                *sorted(str(path.relative_to(ROOT))
                        for path in (ROOT / "mnist_core" / "lessons").glob("*.py"))],
}
LESSON_FILES = set(PARTS["lessons"])
PARTS["core"] = sorted(str(path.relative_to(ROOT)) for path in (ROOT / "mnist_core").rglob("*.py")
                       if str(path.relative_to(ROOT)) not in LESSON_FILES)


def languages():
    """The languages that have catalogs, e.g. ["zh_CN", "zh_TW"]."""
    return sorted(folder.name for folder in LOCALES.iterdir() if (folder / "LC_MESSAGES").is_dir())


def template(part):
    """A `Catalog` of every msgid the part's source files mark, with where each is used."""
    catalog = Catalog(project="MNIST Lab")
    for name in PARTS[part]:
        path = ROOT / name
        if not path.is_file():
            continue
        for line, message, comments, context in extract.extract_from_file("python", path):
            catalog.add(message, locations=[(name, line)], auto_comments=comments,
                        context=context)
    return catalog


def po_path(language, part):
    """Where a part's catalog for a language lives."""
    return LOCALES / language / "LC_MESSAGES" / f"{part}.po"


def read(language, part):
    """A language's catalog of a part (an empty one if it has none yet)."""
    path = po_path(language, part)
    if not path.is_file():
        return Catalog(locale=language, project="MNIST Lab")
    with open(path, "rb") as stream:
        return pofile.read_po(stream, locale=language)


def update(language_list, part_list):
    """Add new msgids to each language's catalogs and drop those the code no longer has."""
    for part in part_list:
        fresh = template(part)
        for language in language_list:
            catalog = read(language, part)
            catalog.update(fresh, no_fuzzy_matching=True, update_creation_date=False)
            catalog.fuzzy = False  # the header: every translation in it is reviewed by hand
            catalog.obsolete.clear()
            po_path(language, part).parent.mkdir(parents=True, exist_ok=True)
            with open(po_path(language, part), "wb") as stream:
                pofile.write_po(stream, catalog, width=100, sort_output=False)


def compiled(language, part):
    """The `.mo` bytes of a language's catalog of a part."""
    buffer = io.BytesIO()
    mofile.write_mo(buffer, read(language, part))
    return buffer.getvalue()


def compile_all(part_list):
    """Write each part's `.po` files' `.mo` beside them."""
    for language in languages():
        for part in part_list:
            if po_path(language, part).is_file():
                po_path(language, part).with_suffix(".mo").write_bytes(compiled(language, part))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "compile"))
    parser.add_argument("--language", help="start or update only this language, e.g. ja")
    parser.add_argument("--part", choices=PARTS, help="only this part's catalogs")
    args = parser.parse_args(argv)
    part_list = [args.part] if args.part else list(PARTS)
    if args.command == "update":
        update([args.language] if args.language else languages(), part_list)
    else:
        compile_all(part_list)


if __name__ == "__main__":
    sys.exit(main())
