/* Render every Altair/Vega-Lite figure of the page from the spec stored beside it.
   Uses the vega-embed bundle shipped in _static/ (no network). */
(function () {
  "use strict";
  function embedAll() {
    var nodes = document.querySelectorAll(".report-chart[data-spec]");
    Array.prototype.forEach.call(nodes, function (el) {
      var specEl = document.getElementById(el.getAttribute("data-spec"));
      if (!specEl || typeof window.vegaEmbed !== "function") {
        el.setAttribute("data-render-error", "missing spec or vega-embed");
        return;
      }
      var spec = JSON.parse(specEl.textContent);
      // The container is role="img" with the figure's alt text, so assistive technology does not see
      // the marks inside it: skip Vega's per-mark ARIA labels (hundreds of DOM attributes per chart).
      spec.config = Object.assign({}, spec.config, { aria: false });
      window.vegaEmbed(el, spec, {
        renderer: "svg",
        actions: { export: true, source: false, compiled: false, editor: false },
        downloadFileName: el.id.replace(/^vg-/, "")
      }).then(function () {
        el.setAttribute("data-rendered", "true");
      }).catch(function (err) {
        el.setAttribute("data-render-error", String(err));
        el.textContent = "This chart could not be drawn; use the static image or the data link below.";
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", embedAll);
  } else {
    embedAll();
  }
})();
