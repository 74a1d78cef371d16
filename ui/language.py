"""The session's language: from a shared link (?lang=zh-TW), else the browser; a sidebar picker."""

import streamlit as st

from mnist_core import i18n


def _session_language():
    return st.session_state.get("language", i18n.DEFAULT)


def choose():
    """Settle this session's language on its first run and let `i18n` translate into it."""
    i18n.use_language_of(_session_language)
    if "language" not in st.session_state:
        asked = st.query_params.get("lang") or st.context.locale
        st.session_state["language"] = i18n.language_for(
            asked or st.context.headers.get("Accept-Language"))


def picker():
    """The language picker, labelled in all three languages so anyone finds it."""
    st.selectbox("Language · 語言 · 语言", list(i18n.LANGUAGES), format_func=i18n.LANGUAGES.get,
                 key="language")
