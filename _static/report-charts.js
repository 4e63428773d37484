/* Charts: every figure is drawn from the Vega-Lite spec kept beside it (helpers.book.charts.figure_html).

   * The vega-embed bundle (0.9 MB, shipped in _static/, never a CDN) is loaded only by pages that
     have charts, and a chart is drawn when it comes near the viewport: the first screen first, then
     the others one by one while the browser is idle.
   * A chart takes its container's width and is drawn 1:1, so its text keeps its size on a phone;
     facets and concatenations that do not fit get fewer columns or narrower panels.
   * Values are reachable without a mouse: tap a mark, or focus the chart and use the arrow keys
     (the value is also announced to screen readers).
   * "Image (PNG)" downloads the chart with its number, title, unit, notes and source line.
   * Printing shows the static image. */
(function () {
  "use strict";
  var script = document.currentScript;
  var BUNDLE = script && script.src ? script.src.replace(/report-charts\.js(\?.*)?$/, "vega-bundle.js")
    : "../_static/vega-bundle.js";
  var NEAR = "400px 0px";  // start drawing this far before a chart scrolls into view
  var MIN_PANEL = 220;
  var WIDTH_HINT = 620;  // helpers.book.charts.WIDTH: the export's default width  // narrowest panel of a facet or concatenation before it gets fewer columns
  var bundle = null;

  function loadBundle() {
    if (!bundle) {
      bundle = new Promise(function (resolve, reject) {
        if (typeof window.vegaEmbed === "function") { resolve(window.vegaEmbed); return; }
        var s = document.createElement("script");
        s.src = BUNDLE;
        s.onload = function () {
          if (typeof window.vegaEmbed === "function") { resolve(window.vegaEmbed); } else { reject(new Error("vega-embed missing")); }
        };
        s.onerror = function () { reject(new Error("could not load " + BUNDLE)); };
        document.head.appendChild(s);
      });
    }
    return bundle;
  }

  // ------------------------------------------------------------------ the spec drawn on the page
  function clone(x) { return JSON.parse(JSON.stringify(x)); }

  function exportSpec(el) {
    var node = document.getElementById(el.getAttribute("data-spec"));
    return node ? JSON.parse(node.textContent) : null;
  }

  /* The export spec holds the chart in vconcat[chart] under the caption; the page draws the chart alone
     (the HTML caption above it says the rest). */
  function chartSpec(full) {
    var meta = full.usermeta && full.usermeta.reportFigure;
    if (!meta || !full.vconcat) { return clone(full); }
    var spec = clone(full.vconcat[meta.chart]);
    ["$schema", "config", "datasets", "background", "padding", "description"].forEach(function (k) {
      if (k in full && !(k in spec)) { spec[k] = clone(full[k]); }
    });
    return spec;
  }

  /* Call f on every object under `key` in a spec (legends, axes), data left out. */
  function eachUnder(node, key, f) {
    if (Array.isArray(node)) { node.forEach(function (x) { eachUnder(x, key, f); }); return; }
    if (!node || typeof node !== "object") { return; }
    Object.keys(node).forEach(function (k) {
      if (k === key && node[k] && typeof node[k] === "object") { f(node[k]); }
      if (k !== "datasets" && k !== "data" && k !== "values") { eachUnder(node[k], key, f); }
    });
  }

  function eachLegend(node, f) { eachUnder(node, "legend", f); }

  function isSingleView(s) {
    return !("facet" in s || "hconcat" in s || "vconcat" in s || "concat" in s || "repeat" in s);
  }

  function defaultWidth(spec) {
    var view = spec.config && spec.config.view;
    return (view && view.continuousWidth) || 300;
  }

  function panelWidth(s, fallback) {
    return typeof s.width === "number" ? s.width : fallback;
  }

  /* Fit a spec to `available` pixels. Single views follow the container (vega-embed resizes them);
     compound views get panels that fit, less `excess` pixels (what a first drawing still overflowed by). */
  function fit(spec, available, excess) {
    spec.config = spec.config || {};
    spec.config.aria = false;  // the container is role="img" with the figure's alt text
    // as many legend columns as fit without cutting labels short (one on a phone), in the config's
    // legend and in any legend a chart sets for itself; legends go under the chart
    var columns = Math.max(1, Math.floor(available / 230));
    var labelLimit = Math.floor(available / columns) - 70;  // room for the symbol and the padding
    spec.config.legend = Object.assign({}, spec.config.legend);
    eachLegend(spec, function (legend) {
      if (available < 700 && (legend.orient === "left" || legend.orient === "right")) { legend.orient = "bottom"; }
      legend.columns = Math.min(legend.columns || columns, columns);
      legend.labelLimit = labelLimit;
    });
    // long category names on the y axis take at most 40 % of the width (in full in the tooltip and the data)
    var longest = Math.max(80, Math.floor(available * 0.4));
    eachUnder(spec, "y", function (y) {
      if (y.axis && typeof y.axis === "object" && (y.axis.labelLimit || 180) > longest) { y.axis.labelLimit = longest; }
    });
    if (isSingleView(spec)) {
      if (!(spec.width && typeof spec.width === "object")) {  // {step: n} widths stay as drawn
        spec.width = "container";
        spec.autosize = {type: "fit-x", contains: "padding"};
      }
      return spec;
    }
    var w0 = defaultWidth(spec);
    if (spec.hconcat && available < 700) {  // side by side does not fit a phone or a narrow column
      spec.vconcat = spec.hconcat;
      delete spec.hconcat;
    }
    if (spec.facet && (spec.facet.column || spec.facet.row) && !spec.facet.field) {
      if (spec.facet.column && !spec.facet.row) {  // a row of panels: let it wrap
        spec.facet = spec.facet.column;
        spec.columns = Math.max(1, Math.floor(available / (MIN_PANEL + 60)));
      }
    }
    var inner = spec.spec || null;
    if ("columns" in spec) {  // small multiples keep their small panels: two columns of them fit a phone
      var narrowest = Math.min(MIN_PANEL, inner && typeof inner.width === "number" ? inner.width : MIN_PANEL);
      spec.columns = Math.max(1, Math.min(spec.columns, Math.floor((available - 50) / (narrowest + 15))));
    }
    if (inner && typeof inner.width !== "object") {
      var cols = spec.columns || 1;
      var target = Math.floor((available - 70) / cols - 20);
      inner.width = Math.max(100, Math.min(panelWidth(inner, w0), target) - Math.ceil(excess / cols));
    }
    ["hconcat", "vconcat", "concat"].forEach(function (key) {
      if (!spec[key]) { return; }
      var cols = key === "hconcat" ? spec[key].length : (key === "concat" ? (spec.columns || spec[key].length) : 1);
      var target = Math.floor((available - 70) / cols - 20 * (cols - 1));
      spec[key].forEach(function (child) {
        if (typeof child.width === "object" || !isSingleView(child)) { return; }
        child.width = Math.max(100, Math.min(panelWidth(child, w0), target) - Math.ceil(excess / cols));
      });
    });
    return spec;
  }

  // ------------------------------------------------------------------ values by tap and keyboard
  function tooltipItems(view) {
    var out = [];
    function walkMark(mark) {
      (mark.items || []).forEach(function (item) {
        if (item.tooltip != null && item.tooltip !== "") { out.push(item); }
        if (mark.marktype === "group") { (item.items || []).forEach(walkMark); }
      });
    }
    walkMark(view.scenegraph().root);
    return out;
  }

  /* Where an item is on the screen: the centre of its own element, or for a point of a line or area
     (drawn as one path) its position through the path's transformation. */
  function itemPoint(item) {
    var node = item._svg || (item.mark.items[0] && item.mark.items[0]._svg);
    if (!node) { return null; }
    var type = item.mark.marktype;
    if (type === "line" || type === "area" || type === "trail") {
      var m = node.getScreenCTM();
      if (!m) { return null; }
      var x = item.x || 0, y = item.y || 0;
      return {node: node, x: m.a * x + m.c * y + m.e, y: m.b * x + m.d * y + m.f};
    }
    var r = node.getBoundingClientRect();
    return {node: node, x: r.left + r.width / 2, y: r.top + r.height / 2};
  }

  function describe(value) {
    if (value == null) { return ""; }
    if (typeof value !== "object") { return String(value); }
    return Object.keys(value).map(function (k) { return k + ": " + value[k]; }).join(", ");
  }

  function pointerAt(target, clientX, clientY) {
    var init = {bubbles: true, cancelable: true, clientX: clientX, clientY: clientY, pointerType: "mouse"};
    var ev = typeof PointerEvent === "function" ? new PointerEvent("pointermove", init) : new MouseEvent("pointermove", init);
    ev.reportSynthetic = true;
    target.dispatchEvent(ev);
  }

  /* Installed once per chart; `current(el)` is the view drawn now (charts are redrawn on resize). */
  function valuesByKeyboardAndTap(el, live, current) {
    var items = null, itemsOf = null, index = -1, shown = null;
    function list() {
      var view = current(el);
      if (itemsOf !== view) {
        items = tooltipItems(view).map(function (item) { return {item: item, p: itemPoint(item)}; })
          .filter(function (e) { return e.p; });
        items.sort(function (a, b) { return a.p.x - b.p.x || a.p.y - b.p.y; });
        itemsOf = view;
        index = -1;
      }
      return items;
    }
    function hide() {
      if (shown) { shown.dispatchEvent(new MouseEvent("mouseout", {bubbles: true})); shown = null; }
    }
    function show(i) {
      var all = list();
      if (!all.length) { return; }
      index = (i + all.length) % all.length;
      var item = all[index].item, p = itemPoint(item);  // where it is now (the page may have scrolled)
      if (!p) { return; }
      hide();
      pointerAt(p.node, p.x, p.y);
      shown = p.node;
      live.textContent = (index + 1) + " of " + all.length + ": " + describe(item.tooltip);
    }
    el.addEventListener("keydown", function (e) {
      if (!current(el)) { return; }
      var step = {ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1}[e.key];
      if (step) {
        e.preventDefault();
        show(index < 0 && step < 0 ? -1 : index + step);
      } else if (e.key === "Home") {
        e.preventDefault(); show(0);
      } else if (e.key === "End") {
        e.preventDefault(); show(-1);
      } else if (e.key === "Escape") {
        hide();
      }
    });
    el.addEventListener("blur", hide);
    // A tap fires no pointermove, so Vega would not show the value: show it for the tapped mark.
    el.addEventListener("click", function (e) {
      if (e.target && e.target.__data__ && e.target.closest("svg")) {
        pointerAt(e.target, e.clientX, e.clientY);
        shown = e.target;
      }
    });
  }

  // ------------------------------------------------------------------ PNG with caption and source
  /* The figure as an image drawn from its export spec (number, title, unit, chart, notes, source line):
     a data URL for "png", the SVG text for "svg". */
  function exportImage(el, type) {
    return loadBundle().then(function (embed) {
      // drawn off screen (the bundle exposes vegaEmbed only, not vega's View)
      var holder = document.createElement("div");
      holder.setAttribute("aria-hidden", "true");
      holder.style.cssText = "position:absolute;left:-10000px;top:0;width:" + 2 * WIDTH_HINT + "px";
      document.body.appendChild(holder);
      return embed(holder, exportSpec(el), {renderer: "svg", actions: false, tooltip: false}).then(function (result) {
        var done = type === "svg" ? result.view.toSVG() : result.view.toImageURL("png", 2);
        return done.then(function (out) { result.finalize(); holder.remove(); return out; });
      }, function (err) { holder.remove(); throw err; });
    });
  }

  function addPngButton(el) {
    var links = el.parentNode.querySelector(".report-links");
    if (!links || links.querySelector(".report-png")) { return; }
    var button = document.createElement("button");
    button.type = "button";
    button.className = "report-png";
    button.textContent = "Image (PNG)";
    button.addEventListener("click", function () {
      exportImage(el, "png").then(function (url) {
        var a = document.createElement("a");
        a.href = url;
        a.download = el.id.replace(/^vg-/, "") + ".png";
        document.body.appendChild(a);
        a.click();
        a.remove();
      }).catch(function (err) { button.textContent = "Image (PNG) unavailable"; button.title = String(err); });
    });
    links.appendChild(document.createTextNode(" · "));
    links.appendChild(button);
  }

  // ------------------------------------------------------------------ drawing
  var results = new WeakMap();  // chart element -> vega-embed result
  var drawing = new WeakMap();  // chart element -> promise of its drawing

  function draw(el) {
    if (!drawing.has(el)) { drawing.set(el, drawNow(el)); }
    return drawing.get(el);
  }

  function drawNow(el) {
    el.setAttribute("data-state", "drawing");
    var full = exportSpec(el);
    if (!full) { failed(el, new Error("missing spec")); return Promise.resolve(); }
    return loadBundle().then(function (embed) {
      return embedToFit(embed, el, full);
    }).then(function (result) {
      var wrapper = el.firstElementChild;
      if (wrapper) { wrapper.setAttribute("aria-hidden", "true"); }  // the marks are described by the alt text
      var live = el.parentNode.querySelector(".report-chart-live");
      if (!live) {
        live = document.createElement("p");
        live.className = "report-chart-live visually-hidden";
        live.setAttribute("aria-live", "polite");
        el.parentNode.insertBefore(live, el.nextSibling);
      }
      if (!results.has(el)) {
        el.tabIndex = 0;
        el.setAttribute("aria-roledescription", "chart");
        if (tooltipItems(result.view).length) {
          el.setAttribute("aria-label", el.getAttribute("aria-label") + " (arrow keys read the values)");
        }
        addPngButton(el);
        valuesByKeyboardAndTap(el, live, function (node) { var r = results.get(node); return r && r.view; });
      }
      results.set(el, result);
      el.setAttribute("data-width", String(el.clientWidth));
      el.setAttribute("data-state", "drawn");
      el.setAttribute("data-rendered", "true");
    }).catch(function (err) { failed(el, err); });
  }

  /* Draw, measure, correct (three drawings at most): a compound chart wider than its figure gets narrower
     panels; anything drawn past the chart's edges (a label at the end of a bar or line, the last year of
     an axis) gets that much more padding. What still does not fit scrolls inside the figure. */
  function embedToFit(embed, el, full) {
    var excess = 0, padding = null, tries = 0;
    var compound = !isSingleView(chartSpec(full));
    function attempt() {
      tries += 1;
      return embedOnce(embed, el, full, excess, padding).then(function (result) {
        var svg = el.querySelector("svg");
        if (!svg || tries >= 3) { return result; }
        var frame = svg.getBoundingClientRect(), box = drawnBox(svg);
        var right = Math.ceil(box.right - frame.right), left = Math.ceil(frame.left - box.left);
        var bottom = Math.ceil(box.bottom - frame.bottom);
        var natural = parseFloat(svg.getAttribute("width")), available = el.clientWidth;
        var again = false;
        if (right > 0 || left > 0 || bottom > 0) {
          var p = padding || {top: 5, bottom: 5, left: 5, right: 5};
          padding = {top: p.top, bottom: p.bottom + Math.max(0, bottom),
                     left: p.left + Math.max(0, left), right: p.right + Math.max(0, right)};
          again = true;
        }
        if (compound && natural > available + 1) { excess += natural - available + 2; again = true; }
        if (!again) { return result; }
        result.finalize();
        return attempt();
      });
    }
    return attempt();
  }

  function embedOnce(embed, el, full, excess, padding) {
    var available = el.clientWidth || 320;
    var spec = fit(chartSpec(full), available, excess);
    if (padding) { spec.padding = padding; }
    el.textContent = "";
    return embed(el, spec, {
      renderer: "svg", actions: false,
      tooltip: {id: "tooltip-" + el.id},  // one tooltip element per chart: finalizing a chart removes its own only
      patch: function (vg) {  // on narrow screens several legends go one under the other, not side by side
        if (available < 700) {
          vg.config = vg.config || {};
          vg.config.legend = Object.assign({}, vg.config.legend, {layout: {bottom: {anchor: "start", direction: "vertical"}}});
        }
        return vg;
      }
    });
  }

  /* The extent of what a chart draws: its text and marks (not the empty frames of its groups). */
  function drawnBox(svg) {
    var box = {left: Infinity, right: -Infinity, top: Infinity, bottom: -Infinity};
    Array.prototype.forEach.call(svg.querySelectorAll("text, .role-mark path, .role-mark line, .role-mark rect"), function (e) {
      var r = e.getBoundingClientRect();
      if (!r.width && !r.height) { return; }
      box.left = Math.min(box.left, r.left); box.right = Math.max(box.right, r.right);
      box.top = Math.min(box.top, r.top); box.bottom = Math.max(box.bottom, r.bottom);
    });
    return box;
  }

  function failed(el, err) {
    el.setAttribute("data-state", "failed");
    el.setAttribute("data-render-error", String(err));
    el.textContent = "";
    var p = document.createElement("p");
    p.textContent = "This chart could not be drawn here; the static image and its data are linked below.";
    var img = document.createElement("img");
    img.className = "report-chart-static";
    img.alt = "";
    img.src = el.getAttribute("data-static");
    el.appendChild(p);
    el.appendChild(img);
  }

  /* Compound charts are laid out for one width: draw them again when their column changes a lot
     (phone turned, window resized). Single views follow the container by themselves. */
  function redrawOnResize(el) {
    if (typeof ResizeObserver !== "function") { return; }
    var timer = null;
    new ResizeObserver(function () {
      var drawnAt = parseFloat(el.getAttribute("data-width") || "0");
      if (el.getAttribute("data-state") !== "drawn" || Math.abs(el.clientWidth - drawnAt) < 40) { return; }
      var full = exportSpec(el);
      if (isSingleView(chartSpec(full))) { return; }
      clearTimeout(timer);
      timer = setTimeout(function () {
        var old = results.get(el);
        if (old) { old.finalize(); }
        drawing.delete(el);
        draw(el);
      }, 200);
    }).observe(el);
  }

  // ------------------------------------------------------------------ print: the static image
  function printImages() {
    Array.prototype.forEach.call(document.querySelectorAll(".report-chart[data-static]"), function (el) {
      if (el.parentNode.querySelector(".report-chart-print")) { return; }
      var img = document.createElement("img");
      img.className = "report-chart-print";
      img.alt = el.getAttribute("aria-label") || "";
      img.src = el.getAttribute("data-static");
      el.parentNode.insertBefore(img, el.nextSibling);
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".report-chart[data-spec]"));
    if (!charts.length) { return; }
    window.addEventListener("beforeprint", printImages);
    charts.forEach(redrawOnResize);
    if (typeof IntersectionObserver !== "function") { charts.forEach(draw); return; }
    var queue = charts.slice();
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { observer.unobserve(entry.target); draw(entry.target); }
      });
    }, {rootMargin: NEAR});
    charts.forEach(function (el) { observer.observe(el); });
    // Then the rest, one at a time when the browser has nothing else to do, so that a reader who
    // scrolls fast or jumps to a figure finds it drawn.
    var idle = window.requestIdleCallback || function (f) { return setTimeout(f, 200); };
    function next() {
      while (queue.length && queue[0].getAttribute("data-state")) { queue.shift(); }
      if (!queue.length) { return; }
      idle(function () {
        var el = queue.shift();
        observer.unobserve(el);
        draw(el).then(next);
      }, {timeout: 2000});
    }
    loadBundle().then(function () { setTimeout(next, 300); }, function () {});
  }

  window.reportCharts = {draw: draw, exportImage: exportImage, drawAll: function () {
    return Promise.all(Array.prototype.map.call(document.querySelectorAll(".report-chart[data-spec]"), draw));
  }};
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
