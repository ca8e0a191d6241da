// Keeps each intake step as the worker types (the server stores the fields that pass their
// checks): a worker cut off half-way through a step finds their answers when they come back.
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch || !window.FormData) return;
  var timer = null;
  function save() {
    clearTimeout(timer);
    var data = new FormData(form);
    data.set("autosave", "1");
    fetch(window.location.href, { method: "POST", body: data, credentials: "same-origin", keepalive: true })
      .catch(function () { /* offline: the next change or the Next button tries again */ });
  }
  form.addEventListener("change", save);
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(save, 1000); });
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") save(); });
})();
