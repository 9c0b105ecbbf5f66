/* Small behaviours every page shares; event delegation only, so content htmx swaps in needs no setup. */
(function () {
  "use strict";

  /* Live character count for textareas with data-char-limit: the visible message follows every
     keystroke; the screen-reader status (a polite live region) speaks only when the count crosses a
     threshold, or after a paste, so typing is not interrupted. Nothing is ever cut. */
  var THRESHOLDS = [500, 100, 0];

  function band(left) {
    if (left < 0) return "over";
    for (var i = THRESHOLDS.length - 1; i >= 0; i--) if (left <= THRESHOLDS[i]) return "le" + THRESHOLDS[i];
    return "ok";
  }

  function text(el, left) {
    var n = Math.abs(left);
    var key = left < 0 ? (n === 1 ? "overOne" : "over") : (n === 1 ? "leftOne" : "left");
    return (el.dataset[key] || "").replace("{n}", n.toLocaleString("en-US"));
  }

  function updateCount(field, pasted) {
    var limit = parseInt(field.dataset.charLimit, 10);
    var used = Array.from(field.value).length; // code points, as the server counts
    var left = limit - used;
    var message = document.querySelector('[data-count-for="' + field.id + '"]');
    var status = document.querySelector('[data-count-status-for="' + field.id + '"]');
    if (!message) return;
    message.textContent = text(message, left);
    message.classList.toggle("usa-character-count__message--invalid", left < 0);
    field.classList.toggle("usa-input--error", left < 0);
    var now = band(left);
    if (status && (pasted || now !== field.dataset.countBand)) {
      status.textContent = now === "ok" && !pasted ? "" : text(message, left);
    }
    field.dataset.countBand = now;
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field instanceof HTMLTextAreaElement && field.dataset.charLimit) {
      updateCount(field, event.inputType === "insertFromPaste" || event.inputType === "insertFromDrop");
    }
  });


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
