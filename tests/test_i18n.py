"""Translations: every text of the code translated in both Chinese catalogs, in its own script."""

import re
import string
import sys

import pytest
from opencc import OpenCC

from mnist_core import i18n

sys.path.insert(0, str(i18n.LOCALES_DIR))
import catalogs  # noqa: E402 - the catalog tool lives beside the catalogs

CHINESE = ("zh_TW", "zh_CN")
HAN = re.compile(r"[\u3400-\u9fff]")
# Characters both scripts write alike, which OpenCC's tables still convert in some words.
SHARED = set("台里只干后面系于范制冲准发复历当尽群")
TO_TRADITIONAL, TO_SIMPLIFIED = OpenCC("s2t"), OpenCC("t2s")


def messages():
    """(part, msgid) of every text the code marks for translation: a singular or plural msgid."""
    for part in catalogs.PARTS:
        for message in catalogs.template(part):
            if message.id:
                yield from ((part, msgid) for msgid in (
                    message.id if isinstance(message.id, tuple) else (message.id,)))


def placeholders(text):
    """The `{name}` fields of a format string, as a sorted list."""
    return sorted(field for _, field, _, _ in string.Formatter().parse(text) if field is not None)


def translation_of(language, part, msgid):
    """A catalog's translation of a msgid ("" if missing); a plural's first form."""
    catalog = catalogs.read(language, part)
    message = catalog.get(msgid) or next(
        (entry for entry in catalog if isinstance(entry.id, tuple) and msgid in entry.id), None)
    if message is None:
        return ""
    return message.string[0] if isinstance(message.string, tuple) else message.string


@pytest.mark.parametrize("language", CHINESE)
def test_every_text_has_a_chinese_translation_with_the_same_fields(language):
    problems = []
    for part, msgid in messages():
        translated = translation_of(language, part, msgid)
        if not translated:
            problems.append(f"{part}: missing {msgid!r}")
        elif re.search(r"[A-Za-z]{3}", re.sub(r"\{[^}]*\}", "", msgid)) and not HAN.search(
                translated):
            problems.append(f"{part}: still English {msgid!r} -> {translated!r}")
        elif placeholders(translated) != placeholders(msgid):
            problems.append(f"{part}: fields differ {msgid!r} -> {translated!r}")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def foreign_characters(text, language):
    """Characters of `text` that belong to the other Chinese script only."""
    convert = TO_TRADITIONAL if language == "zh_TW" else TO_SIMPLIFIED
    return {character for character in HAN.findall(text)
            if character not in SHARED and convert.convert(character) != character}


@pytest.mark.parametrize("language", CHINESE)
def test_each_catalog_keeps_to_its_own_script(language):
    problems = []
    for part in catalogs.PARTS:
        for message in catalogs.read(language, part):
            for text in (message.string if isinstance(message.string, tuple)
                         else (message.string,)):
                if foreign_characters(text or "", language):
                    problems.append(f"{part}: {''.join(foreign_characters(text, language))} "
                                    f"in {text!r}")
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_catalogs_compile_and_the_committed_mo_files_are_up_to_date():
    for language in catalogs.languages():
        for part in catalogs.PARTS:
            po = catalogs.po_path(language, part)
            assert po.is_file(), f"{po} is missing: run python locales/catalogs.py update"
            assert po.with_suffix(".mo").read_bytes() == catalogs.compiled(language, part), (
                f"{po.with_suffix('.mo')} is stale: run python locales/catalogs.py compile")


@pytest.mark.parametrize(("browser", "language"), [
    ("zh-TW", "zh_TW"), ("zh-HK", "zh_TW"), ("zh-MO", "zh_TW"), ("zh-Hant", "zh_TW"),
    ("zh-Hant-CN", "zh_TW"), ("zh-CN", "zh_CN"), ("zh-SG", "zh_CN"), ("zh", "zh_CN"),
    ("zh-Hans-HK", "zh_CN"), ("en-US", "en"), ("fr-FR", "en"), (None, "en"),
    ("fr-FR,fr;q=0.9,zh-TW;q=0.8", "zh_TW"), ("de,en-GB;q=0.7,zh;q=0.5", "en"),
])
def test_browser_languages(browser, language):
    assert i18n.language_for(browser) == language


def test_translations_follow_the_callers_language(monkeypatch):
    monkeypatch.setattr(i18n, "_language_of_caller", lambda: "zh_TW")
    assert i18n.gettext("Confusion matrix") == "混淆矩陣"
    monkeypatch.setattr(i18n, "_language_of_caller", lambda: "zh_CN")
    assert i18n.gettext("Confusion matrix") == "混淆矩阵"
    monkeypatch.setattr(i18n, "_language_of_caller", lambda: "en")
    assert i18n.gettext("Confusion matrix") == "Confusion matrix"


@pytest.mark.parametrize("language", CHINESE)
def test_a_text_shared_by_two_parts_reads_the_same_in_both(language):
    """The parts are chained: a msgid in two catalogs shows one part's text on every page."""
    translations = {}
    for part in catalogs.PARTS:
        for message in catalogs.read(language, part):
            if isinstance(message.id, str) and message.id:
                translations.setdefault(message.id, {})[part] = message.string
    differing = {msgid: by_part for msgid, by_part in translations.items()
                 if len(set(by_part.values())) > 1}
    assert not differing, differing


def test_every_file_that_shows_text_is_in_a_catalog():
    shown = {str(path.relative_to(catalogs.ROOT)) for folder in ("pages", "ui", "server")
             for path in (catalogs.ROOT / folder).glob("*.py")
             if re.search(r"\b(gettext|ngettext|N_)\b", path.read_text())}
    listed = {name for names in catalogs.PARTS.values() for name in names}
    assert shown <= listed, f"not in any part of locales/catalogs.py: {sorted(shown - listed)}"
