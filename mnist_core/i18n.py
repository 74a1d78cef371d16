"""The lab's languages: gettext catalogs, and the language of whoever is asking.

Every text a user sees is written in English in the code, wrapped as `_("...")` (a msgid), and
translated from the catalogs `locales/<language>/LC_MESSAGES/<part>.mo`: one `.po` file per part
of the lab (pages, lessons, core messages), so that translators and developers work on one part
at a time. The app tells this module how to find the current browser session's language
(`use_language_of`); without it, as in training workers and on the command line, it is English.
"""

import functools
import gettext as gettext_module
import pathlib

LOCALES_DIR = pathlib.Path(__file__).resolve().parent.parent / "locales"
LANGUAGES = {"en": "English", "zh_TW": "繁體中文", "zh_CN": "简体中文"}
DEFAULT = "en"
_TRADITIONAL_REGIONS = ("tw", "hk", "mo", "hant")



def _english():
    return DEFAULT


_language_of_caller = _english


def use_language_of(function):
    """Make `function()` (returning a key of `LANGUAGES`) say whose language to translate into."""
    global _language_of_caller
    _language_of_caller = function


def current():
    """The caller's language, a key of `LANGUAGES`."""
    language = _language_of_caller()
    return language if language in LANGUAGES else DEFAULT


def language_for(browser_locale):
    """The lab language for a browser locale or Accept-Language header, e.g. "zh-HK" -> "zh_TW".

    zh-TW, zh-HK, zh-MO and zh-Hant(-*) get Traditional Chinese, other zh-* (zh-Hans-HK too)
    Simplified, anything else English; for a header, the first language the lab offers wins.

    Args:
        browser_locale: e.g. "zh-TW", "zh-Hant-HK", "en-US" or "fr;q=0.9, zh-CN;q=0.8"; may be None.

    Returns:
        A key of `LANGUAGES`.
    """
    for part in (browser_locale or "").split(","):
        tags = part.split(";")[0].strip().lower().replace("_", "-").split("-")
        if tags[0] == "zh":
            traditional = "hans" not in tags and any(tag in _TRADITIONAL_REGIONS for tag in tags)
            return "zh_TW" if traditional else "zh_CN"
        if tags[0] == "en":
            return "en"
    return DEFAULT


@functools.cache
def translations(language):
    """All catalogs of a language chained into one `gettext` translation (English: none)."""
    chained = gettext_module.NullTranslations()
    folder = LOCALES_DIR / language / "LC_MESSAGES"
    for path in sorted(folder.glob("*.mo")) if language != DEFAULT else []:
        with open(path, "rb") as catalog:
            part = gettext_module.GNUTranslations(catalog)
        part.add_fallback(chained)
        chained = part
    return chained


def gettext(message):
    """`message` (an English msgid) in the caller's language."""
    return translations(current()).gettext(message)


def ngettext(singular, plural, count):
    """The singular or plural msgid for `count`, in the caller's language."""
    return translations(current()).ngettext(singular, plural, count)


def N_(message):  # noqa: N802 - the name gettext tools look for
    """Mark a text defined at import time for translation; translate it where shown with `_`."""
    return message
