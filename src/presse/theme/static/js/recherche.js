// Starts Pagefind's search interface on the /recherche/ page. Pagefind picks its
// French strings from <html lang="fr">; the page works without this script
// (a <noscript> message points to the archives).
window.addEventListener("DOMContentLoaded", function () {
  var element = document.getElementById("recherche");
  if (!element || typeof PagefindUI === "undefined") {
    return;
  }
  var params = new URLSearchParams(window.location.search);
  var ui = new PagefindUI({
    element: "#recherche",
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: element.dataset.placeholder || "" },
  });
  // Pagefind's field has only a title; give it an accessible name once it exists.
  var label = element.dataset.placeholder || "";
  var name = function () {
    var input = element.querySelector("input");
    if (input && label) {
      input.setAttribute("aria-label", label);
      return true;
    }
    return false;
  };
  if (!name()) {
    var observer = new MutationObserver(function () {
      if (name()) {
        observer.disconnect();
      }
    });
    observer.observe(element, { childList: true, subtree: true });
  }
  if (params.get("q")) {
    ui.triggerSearch(params.get("q"));
  }
});
