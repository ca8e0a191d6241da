// While a document is being prepared, ask for its status every 2 s and swap the line in.
(function () {
  "use strict";
  function poll(item) {
    const url = item.dataset.poll;
    if (!url) return;
    setTimeout(async function () {
      try {
        const response = await fetch(url, { credentials: "same-origin" });
        if (!response.ok) return;
        const holder = document.createElement("ul");
        holder.innerHTML = (await response.text()).trim();
        const fresh = holder.firstElementChild;
        item.replaceWith(fresh);
        poll(fresh);
      } catch (error) {
        poll(item); // a dropped connection: try again later
      }
    }, 2000);
  }
  document.querySelectorAll("li.document[data-poll]").forEach(poll);
})();
