"""Streamlit's own words on its widgets, in the reader's language where Streamlit has no option.

Streamlit 1.67 writes the file uploader's texts ("Upload", "20MB per file", "Drag and drop
files here") in English only, and offers no parameter for them. A small page script (Streamlit
components v2, no iframe) puts the lab's translations in their place, in the page itself, so
that a reader and a screen reader see only those.
"""

import streamlit as st
from streamlit import config

from mnist_core.i18n import gettext as _

# Changes each English text node of an uploader to its translation, in place (React keeps the
# node and never writes it again while the texts stay the same), and again whenever Streamlit
# draws an uploader anew. Each node's own text is remembered (for the whole page, across the
# script's calls), so that switching languages translates Streamlit's text again, not the
# previous language's. Streamlit calls this function again with each run's texts but cleans up
# only on unmount: one page-wide observer, the latest call's, may watch, or two observers of two
# languages would undo each other's changes forever and freeze the tab.
_TRANSLATE_JS = """
export default function ({ data }) {
  const perFile = /^\\S+ per file/;
  const lab = (window.mnistLabUploaderTexts ??= { seen: new WeakMap(), observer: null });
  const translate = () => {
    for (const uploader of document.querySelectorAll('[data-testid="stFileUploader"]')) {
      const walker = document.createTreeWalker(uploader, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const known = lab.seen.get(node);
        // Unless Streamlit wrote something new there since, the node shows a translation.
        const original = known && node.nodeValue === known.shown ? known.original
          : node.nodeValue;
        const text = data.texts[original] ?? (perFile.test(original) ?
          original.replace(perFile, data.perFile) : undefined);
        if (text === undefined) continue;
        lab.seen.set(node, { original, shown: text });
        if (node.nodeValue !== text) node.nodeValue = text;
      }
    }
  };
  lab.observer?.disconnect();
  translate();
  const observer = lab.observer = new MutationObserver(translate);
  observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  return () => {
    observer.disconnect();
    if (lab.observer === observer) lab.observer = null;
  };
}
"""


@st.cache_resource
def _component():
    """The page script, registered once per server."""
    return st.components.v2.component("mnist_lab_widget_text", js=_TRANSLATE_JS,
                                      isolate_styles=False)


def translate():
    """Show Streamlit's widget texts in the session's language on this page (from the sidebar:
    the script takes no room on the page)."""
    texts = {"Upload": _("Upload"), "Drag and drop files here": _("Drag and drop files here"),
             "Drag and drop a file here": _("Drag and drop a file here")}
    per_file = _("At most {size} MB per file").format(
        size=config.get_option("server.maxUploadSize"))
    with st.sidebar:
        _component()(data={"texts": texts, "perFile": per_file}, key="widget-text")
