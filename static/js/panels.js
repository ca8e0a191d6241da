/* Panels a page fills in once it has loaded: secondary content with a URL of its own, so the
   page itself answers sooner. Without JavaScript the panel's link opens the same content as a
   page of its own. */
(function () {
  "use strict";
  document.querySelectorAll("[data-panel-url]").forEach(function (panel) {
    fetch(panel.dataset.panelUrl, { credentials: "same-origin", headers: { "X-Requested-With": "panel" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (html === null) return; /* keep the link */
        panel.innerHTML = html; /* our own escaped template, same origin */
        panel.dataset.loaded = "1";
      })
      .catch(function () { /* offline: keep the link */ });
  });
})();
