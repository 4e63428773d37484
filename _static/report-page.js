/* Page furniture: wide tables say they scroll, and the theme's header buttons get accessible names
   that match what they show (WCAG 2.5.3). Progressive enhancement: pages work without it. */
(function () {
  "use strict";
  function each(selector, f) { Array.prototype.forEach.call(document.querySelectorAll(selector), f); }

  /* A table wider than its column scrolls inside its frame (edge shadows, report.css): say so above it,
     with the number of columns, and make the frame focusable so it scrolls from the keyboard. */
  function scrollCues() {
    each(".report-table-wrap", function (wrap) {
      var hint = wrap.previousElementSibling;
      if (!hint || !hint.classList.contains("report-scroll-hint")) {
        var table = wrap.querySelector("table");
        var columns = table && table.tHead ? table.tHead.rows[0].cells.length : 0;
        hint = document.createElement("p");
        hint.className = "report-scroll-hint";
        hint.textContent = "Scroll sideways to see all " + (columns ? columns + " columns" : "of the table") + " →";
        wrap.parentNode.insertBefore(hint, wrap);
      }
      var scrollable = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("is-scrollable", scrollable);
      hint.hidden = !scrollable;
      if (scrollable) { wrap.setAttribute("tabindex", "0"); } else { wrap.removeAttribute("tabindex"); }
    });
  }

  function headerNames() {
    // "Search" button that also shows "Ctrl+K": its name is what it shows.
    each(".search-button-field[aria-label]", function (b) { b.removeAttribute("aria-label"); });
    // The colour-mode button's icons carry their own names ("Light", "Dark", as titles or, once Font
    // Awesome has drawn them, as SVG <title>s): the button has one name, "Color mode".
    each(".theme-switch-button .theme-switch", function (icon) {
      icon.removeAttribute("title");
      icon.removeAttribute("aria-labelledby");
      icon.setAttribute("aria-hidden", "true");
      Array.prototype.forEach.call(icon.querySelectorAll("title"), function (t) { t.remove(); });
    });
  }

  function init() {
    headerNames();
    scrollCues();
    var timer = null;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(scrollCues, 150); });
    document.addEventListener("toggle", scrollCues, true);  // a table unfolded from <details>
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
  window.addEventListener("load", function () {
    headerNames();
    // Font Awesome replaces the icons by SVGs whenever it gets to them: name them again after it has.
    var button = document.querySelector(".theme-switch-button");
    if (button && typeof MutationObserver === "function") {
      new MutationObserver(function (changes, observer) {
        if (button.querySelector("svg title")) { headerNames(); }
      }).observe(button, {childList: true, subtree: true});
    }
  });
})();
