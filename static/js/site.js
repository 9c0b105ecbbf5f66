// Small behaviours on top of htmx; every page works without them.
(function () {
  "use strict";

  // After htmx swaps content in, focus never falls back to the top of the page. When the focused
  // element was swapped out (a form's button, a pagination link), focus goes to, in order: the first
  // field with an error, an element the server marked (data-focus-after-swap, e.g. a new comment), or
  // the swapped content itself. htmx itself already focuses an element marked autofocus.
  document.addEventListener("htmx:afterSettle", function (event) {
    var active = document.activeElement;
    if (active && active !== document.body && document.contains(active)) return;
    var target = event.detail.target;
    if (target && !document.contains(target) && target.id) target = document.getElementById(target.id);
    if (!target) return;
    var next =
      target.querySelector("[aria-invalid='true']") ||
      target.querySelector("[data-focus-after-swap]") ||
      target;
    if (!next.matches("a[href], button, input, select, textarea, [tabindex]")) next.setAttribute("tabindex", "-1");
    next.focus();
  });

  // A link to a part of the page that is folded away in <details> opens it.
  function openDetailsFor(hash) {
    if (!hash || hash.length < 2) return;
    var target = document.getElementById(decodeURIComponent(hash.slice(1)));
    if (!target) return;
    var details = target.closest("details");
    if (!details) {
      var sibling = target.nextElementSibling;
      var section = target.closest("section");
      details = sibling && sibling.tagName === "DETAILS" ? sibling : section && section.querySelector("details");
    }
    if (details) details.open = true;
  }
  window.addEventListener("hashchange", function () { openDetailsFor(window.location.hash); });
  document.addEventListener("DOMContentLoaded", function () { openDetailsFor(window.location.hash); });
})();
