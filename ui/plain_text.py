"""Text a pupil typed, shown as typed: never as Markdown, HTML, emoji code or a picture.

Streamlit renders Markdown in most of its texts (headers, captions, alerts, labels, image
captions), so a nickname like `![x](http://...)` would make every classmate's browser fetch a
picture. Every pupil's text (nicknames, data-set, collection, model and file names) goes
through `markdown()` before it enters such a text, and `plotly()` before it enters a chart's
title or hover text (plotly reads a few HTML tags there, links among them).
"""

import html
import re
import string

# Every ASCII punctuation character may be escaped with a backslash in CommonMark, and then
# stands for itself: no emphasis, link, image, HTML tag, colour directive or formula.
_PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")
# Streamlit turns ":name:" into an emoji or icon after the Markdown is parsed, backslashes or
# not; an invisible word joiner after each colon keeps the name from matching.
_WORD_JOINER = "\u2060"


def markdown(text):
    """The Markdown that shows `text` exactly as typed (one line; any script)."""
    return _PUNCTUATION.sub(r"\\\1", str(text)).replace(":", ":" + _WORD_JOINER)


def plotly(text):
    """The plotly text that shows `text` exactly as typed, tags and all."""
    return html.escape(str(text), quote=False)
