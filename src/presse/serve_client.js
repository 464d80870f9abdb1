// presse dev server client: injected into pages by `presse serve`, never by `presse build`.
// Reloads the page when the site is rebuilt; shows build errors over the page.
(function () {
  "use strict";
  var overlay = null;

  function showError(text) {
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "presse-error-overlay";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText =
        "position:fixed;inset:0;z-index:2147483647;background:rgba(20,20,20,.94);" +
        "color:#fff;font:15px/1.5 ui-monospace,Menlo,Consolas,monospace;padding:2rem;" +
        "overflow:auto;white-space:pre-wrap";
      document.body.appendChild(overlay);
    }
    overlay.textContent = "presse: la construction a échoué\n\n" + text +
      "\n\nLa dernière version valide du site reste servie.";
  }

  function hideError() {
    if (overlay) {
      overlay.remove();
      overlay = null;
    }
  }

  // The search page's notice that the index is behind the pages (the dev server shows
  // an edit at once and indexes it for search just after).
  function searchPending(pending) {
    var notice = document.querySelector(".search__pending");
    if (notice) {
      notice.hidden = !pending;
    }
  }

  var events = new EventSource("/__presse/events");
  events.addEventListener("reload", function () { window.location.reload(); });
  events.addEventListener("search-pending", function () { searchPending(true); });
  events.addEventListener("search-ready", function () { searchPending(false); });
  events.addEventListener("build-error", function (event) { showError(event.data); });
  events.addEventListener("ok", hideError);
})();
