"""Touch screens and phones: a canvas with visible Clear and Undo, charts tapped once, the menu
closed once a page is chosen, what a tap opened scrolled into view, phone-sized spacing.

Small pieces of JavaScript run in the page (Streamlit components v2 without an iframe) where
neither Streamlit nor the canvas component offers an option.
"""

import streamlit as st

from mnist_core.i18n import gettext as _

# streamlit-drawable-canvas shows its toolbar (undo, redo, edit, bin) only on mouse hover. On
# a touch screen it stays invisible yet catches taps and strokes over the top-right band of
# the canvas. The canvas renders in a shadow root (isolate_styles=True) that no page CSS
# reaches and can hide the toolbar only by disabling drawing, so this adds one rule to that
# shadow root; "!important" because the canvas sets the toolbar's inline display on updates.
_HIDE_CANVAS_TOOLBAR_JS = """
export default function ({ data }) {
  const hide = () => {
    const holder = document.querySelector(`.st-key-${data.key}`);
    const host = holder && [...holder.querySelectorAll("*")].find((node) => node.shadowRoot);
    if (!host) return false;
    if (!host.shadowRoot.querySelector("style[data-lab-hide-toolbar]")) {
      const style = document.createElement("style");
      style.setAttribute("data-lab-hide-toolbar", "");
      style.textContent = ".dc-toolbar { display: none !important; }";
      host.shadowRoot.append(style);
    }
    return true;
  };
  if (hide()) return;
  const observer = new MutationObserver(() => hide() && observer.disconnect());
  observer.observe(document.body, { childList: true, subtree: true });
  return () => observer.disconnect();
}
"""

# st.plotly_chart's on_select forces dragmode "pan" (Streamlit keeps a dragmode only if it is
# truthy, and dragmode=False is not), and any drag mode makes plotly cancel touchstart: a
# swipe over the chart cannot scroll the page. Its point selection also needs two taps
# (plotly selects on click from the previous hover, and a finger does not hover). So the
# chart stays still and this reports plotly's own click event, which one tap or click fires.
# A tap fires it twice (plotly's touch handler, then the browser's emulated mouse click).
# Leaving the page purges the plot before this cleans up, and a purged plot has no
# removeListener any more: hence "?.()".
_CHART_CLICKS_JS = """
export default function ({ data, setTriggerValue }) {
  let plot = null;
  let last = { point: null, time: 0 };
  const report = (event) => {
    const point = event.points.find(
      (candidate) => data.trace === null || candidate.curveNumber === data.trace);
    if (!point) return;
    const clicked = `${point.curveNumber}:${point.pointNumber}`;
    const now = Date.now();
    if (clicked === last.point && now - last.time < 700) return;
    last = { point: clicked, time: now };
    setTriggerValue("point", data.trace === null ? [point.curveNumber, point.pointNumber]
      : point.pointNumber);
  };
  // Streamlit may call this again for the same chart without cleaning up first: the plot
  // keeps only the latest call's listener, so that one click is reported once.
  const attach = () => {
    const found = document.querySelector(`.st-key-${data.key} .js-plotly-plot`);
    if (!found || typeof found.on !== "function") return false;
    if (found.mnistLabClicks !== report) {
      if (found.mnistLabClicks) found.removeListener("plotly_click", found.mnistLabClicks);
      found.mnistLabClicks = report;
      found.on("plotly_click", report);
    }
    plot = found;
    return true;
  };
  const observer = new MutationObserver(() => attach() && observer.disconnect());
  if (!attach()) observer.observe(document.body, { childList: true, subtree: true });
  return () => {
    observer.disconnect();
    if (plot?.mnistLabClicks === report) {
      plot.removeListener?.("plotly_click", report);
      delete plot.mnistLabClicks;
    }
  };
}
"""

# Streamlit lays the sidebar over the page up to 768 px wide (phones, portrait tablets) and
# closes it when its own page menu is used, but not after an st.page_link, which lab.py's menu
# is made of: this closes it after a page link in the sidebar is tapped, at those widths.
_CLOSE_MENU_JS = """
export default function () {
  if (window.mnistLabClosesMenu) return;
  window.mnistLabClosesMenu = true;
  document.addEventListener("click", (event) => {
    if (!window.matchMedia("(max-width: 768px)").matches) return;
    if (!event.target.closest('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')) {
      return;
    }
    setTimeout(() => {
      document.querySelector('[data-testid="stSidebarCollapseButton"] button')?.click();
    }, 0);
  }, true);
}
"""

# Brings the element after it to the top of the screen once per new `data.target`: what a
# click opened below the fold (a confusion-matrix cell's images) is where the eye is.
_SCROLL_JS = """
export default function ({ data, parentElement }) {
  const holder = parentElement.closest('[data-testid="stElementContainer"]') ?? parentElement;
  if (holder.dataset.scrolledTo === data.target) return;
  holder.dataset.scrolledTo = data.target;
  requestAnimationFrame(() => holder.scrollIntoView({ behavior: "smooth", block: "start" }));
}
"""

# Phones: less empty space above the page title, so the drawing and its answer fit the first
# screen. Touch screens: the dataframe toolbar, always shown there, covers headers and titles;
# a help icon (16 px) gets a 40 px tap area, its padding cancelled by an equal negative margin
# so that no label moves.
_STYLES = """<style>
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
}
@media (hover: none) {
  [data-testid="stElementToolbar"] { display: none; }
  [data-testid="stTooltipIcon"] button { padding: 12px; margin: -12px; }
}
</style>"""


PAD_SIZE = 280  # pixels: the drawing pad's side unless a page asks for another


@st.cache_resource
def _components():
    """The page scripts, registered once per server, by name."""
    scripts = {"hide_canvas_toolbar": _HIDE_CANVAS_TOOLBAR_JS, "chart_clicks": _CHART_CLICKS_JS,
               "close_menu": _CLOSE_MENU_JS, "scroll": _SCROLL_JS}
    return {name: st.components.v2.component(f"mnist_lab_{name}", js=script,
                                             isolate_styles=False)
            for name, script in scripts.items()}


def styles():
    """Apply the phone and touch-screen CSS to the current page, and close its menu on a phone
    once a page is chosen (in the sidebar: no gap on the page)."""
    st.html(_STYLES)
    with st.sidebar:
        _components()["close_menu"](key="close-menu")


def scroll_here(target):
    """Scroll the page to this place (its next element), once for every new `target` text."""
    _components()["scroll"](data={"target": target}, key=f"scroll-here-{target}")


def drawing_pad(key, stroke_width, size=PAD_SIZE):
    """A white square canvas with Clear and Undo buttons under it; returns its result.

    Clearing and undoing reload the canvas from `initial_drawing` (no strokes, or all but
    the last); the canvas then sends its new picture, so the page reruns as after a stroke.
    """
    # Imported on use: the AppTests replace the package by a stand-in before each page run.
    from streamlit_drawable_canvas import st_canvas

    canvas = st_canvas(stroke_width=stroke_width, stroke_color="#000000",
                       background_color="#ffffff", height=size, width=size,
                       initial_drawing=st.session_state.get(f"{key}-drawing"),
                       return_image_data=True, key=key)
    strokes = (canvas.json_data or {}).get("objects", [])
    with st.container(horizontal=True, gap="small"):
        st.button(_("Clear"), icon=":material/delete:", key=f"{key}-clear", disabled=not strokes,
                  on_click=_load, args=(key, []))
        st.button(_("Undo"), icon=":material/undo:", key=f"{key}-undo", disabled=not strokes,
                  on_click=_load, args=(key, strokes[:-1]))
        _components()["hide_canvas_toolbar"](data={"key": key}, key=f"{key}-hide-toolbar")
    return canvas


def _load(key, strokes):
    """Make the canvas redraw itself with these strokes on the next run."""
    # The canvas reloads only when initial_drawing changes; the counter makes every request
    # new (clearing twice, or undoing back to an earlier set of strokes).
    requests = st.session_state.get(f"{key}-drawing", {}).get("labRequest", 0) + 1
    st.session_state[f"{key}-drawing"] = {"objects": strokes, "labRequest": requests}


def clicked_point(chart_key, trace=0):
    """The point number of `trace` that was just clicked or tapped on a chart, else None;
    with `trace=None`, (trace number, point number) of a point of any trace.

    The chart must be a still one (no on_select) drawn with `key=chart_key`.
    """
    clicks = _components()["chart_clicks"](data={"key": chart_key, "trace": trace},
                              key=f"{chart_key}-clicks", on_point_change=lambda: None)
    point = clicks.point
    return tuple(point) if trace is None and point is not None else point
