"""Pupils' text shown as typed: checked against a CommonMark parser and an HTML parser."""

import html.parser

import markdown_it
import pytest

from ui import plain_text

HOSTILE = ["![i](http://127.0.0.1:9/t.png)", "**bold** __b__ *i* _i_ ~~s~~ `code`",
           "[link](http://127.0.0.1:9/) <http://127.0.0.1:9/>", ":red[red] :smile: :material/stop:",
           "<img src=http://127.0.0.1:9/x.png> <b>b</b> &amp; &lt;", "$x^2$ $$y$$ \\(z\\)",
           "# heading", "1. list", "- item", "> quote", "| a | b |", "小明 Zoë 😀 a\\b"]


class _Text(html.parser.HTMLParser):
    """Collects the text of an HTML fragment and the tags it opens."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text, self.tags = "", []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("typed", HOSTILE)
def test_markdown_shows_the_text_as_typed_with_no_markup(typed):
    rendered = _Text()
    parser = markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough")
    rendered.feed(parser.render(plain_text.markdown(typed)))
    assert rendered.tags == ["p"]
    assert rendered.text.strip().replace("\u2060", "") == typed
    assert ":" not in rendered.text.replace(":\u2060", "")  # no ":name:" left for emoji


@pytest.mark.parametrize("typed", HOSTILE)
def test_plotly_text_opens_no_tag(typed):
    rendered = _Text()
    rendered.feed(plain_text.plotly(typed))
    assert rendered.tags == [] and rendered.text == typed
