/* Anxin live updates: one WebSocket per page, a hint that something changed.
   The inbox is the truth: after every (re)connect the page asks it what it missed.
   No framework, no build step. */
(function () {
  "use strict";
  var body = document.body;
  var liveUrl = body.dataset.liveUrl;
  if (!liveUrl || !("WebSocket" in window)) return;
  var sinceUrl = body.dataset.sinceUrl;
  var caseId = body.dataset.caseId;
  var casePanelUrl = body.dataset.casePanelUrl;
  var onQueue = body.dataset.queue === "1";
  var badge = document.getElementById("unread-badge");
  var toasts = document.getElementById("toasts");
  var lastSeen = Number(sessionStorage.getItem("anxin-last-notification") || 0);
  var backoff = 1000;
  var socket = null;
  var polling = null;

  /* Without live updates (the server's channel layer is down) the inbox is asked every
     minute instead; nothing is shown to the reader. */
  function poll() {
    if (polling) return;
    body.dataset.live = "polling";
    polling = setInterval(catchUp, 60000);
  }

  function setUnread(count) {
    if (!badge) return;
    badge.dataset.count = String(count);
    badge.textContent = String(count);
    badge.hidden = count <= 0;
  }

  function remember(id) {
    if (id > lastSeen) {
      lastSeen = id;
      sessionStorage.setItem("anxin-last-notification", String(id));
    }
  }

  function toast(text, url) {
    if (!toasts) return;
    var item = document.createElement(url ? "a" : "div");
    item.className = "toast";
    item.textContent = text;
    if (url) item.href = url;
    toasts.appendChild(item);
    setTimeout(function () { item.remove(); }, 8000);
  }

  /* The queue's ticked rows survive a refresh, each keeping what its row showed when it was
     ticked: a row that changed since is then refused by the server, and says why. */
  function keepTicks(now, next) {
    now.querySelectorAll("input.pick:checked").forEach(function (box) {
      var id = box.value.split(":")[0];
      next.querySelectorAll("input.pick").forEach(function (fresh) {
        if (fresh.value.split(":")[0] === id) { fresh.checked = true; fresh.value = box.value; }
      });
    });
  }

  /* Replace the elements with these ids by the same elements of a fresh copy of `url`
     (this page by default). */
  var refreshing = {};
  function refresh(id, url, parts) {
    if (refreshing[id] || !document.getElementById(id)) return;
    refreshing[id] = true;
    fetch(url || window.location.href, { credentials: "same-origin", headers: { "X-Requested-With": "live" } })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, "text/html");
        (parts || [id, "live-status"]).forEach(function (part) {
          var now = document.getElementById(part);
          var next = fresh.getElementById(part);
          if (!now || !next) return;
          keepTicks(now, next);
          now.replaceWith(document.importNode(next, true));
        });
        document.dispatchEvent(new CustomEvent("anxin:refreshed", { detail: id }));
      })
      .finally(function () { refreshing[id] = false; });
  }

  /* Someone typing a reason in the actions panel keeps their text: the panel says the case
     changed and offers the current actions, rather than vanishing under their hands. */
  function editing(panel) {
    if (panel.contains(document.activeElement) && document.activeElement !== panel) return true;
    return Array.prototype.some.call(panel.querySelectorAll("textarea, input[type=text]"), function (field) {
      return field.value !== field.defaultValue;
    });
  }

  var CASE_PARTS = ["case-state", "case-assignee", "case-actions"];
  function refreshCase() {
    var panel = document.getElementById("case-actions");
    if (!casePanelUrl || !panel) return;
    if (!editing(panel)) { refresh("case-actions", casePanelUrl, CASE_PARTS); return; }
    refresh("case-state", casePanelUrl, ["case-state", "case-assignee"]);
    if (document.getElementById("case-actions-changed")) return;
    var notice = document.createElement("p");
    notice.id = "case-actions-changed";
    notice.className = "notice";
    notice.setAttribute("role", "status");
    notice.textContent = panel.dataset.changedText + " ";
    var show = document.createElement("button");
    show.type = "button";
    show.className = "link-button";
    show.textContent = panel.dataset.showText;
    show.addEventListener("click", function () { refresh("case-actions", casePanelUrl, CASE_PARTS); });
    notice.appendChild(show);
    var heading = panel.querySelector("h2");
    panel.insertBefore(notice, heading ? heading.nextSibling : panel.firstChild);
  }

  function catchUp() {
    if (!sinceUrl) return;
    fetch(sinceUrl + "?after=" + lastSeen, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) return;
        setUnread(data.unread);
        if (lastSeen) data.notifications.forEach(function (n) { if (!n.read) toast(n.text, n.url); });
        data.notifications.forEach(function (n) { remember(n.id); });
      });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + liveUrl);
    socket.onopen = function () {
      backoff = 1000;
      if (polling) { clearInterval(polling); polling = null; }
      body.dataset.live = "connected";
      if (caseId) socket.send(JSON.stringify({ subscribe: "case", case: Number(caseId) }));
      if (onQueue) socket.send(JSON.stringify({ subscribe: "queue" }));
      catchUp();
    };
    socket.onmessage = function (message) {
      var data = JSON.parse(message.data);
      if (data.type === "live") {
        if (data.state === "off") poll();
      } else if (data.type === "notification") {
        if (data.id <= lastSeen) return;
        remember(data.id);
        setUnread(Number(badge ? badge.dataset.count : 0) + 1);
        toast(data.text, data.url);
      } else if (data.type === "notifications") {
        /* Many at once (a sweep's warnings): one toast with the count, linking the inbox. */
        if (data.id <= lastSeen) return;
        remember(data.id);
        setUnread(Number(badge ? badge.dataset.count : 0) + data.count);
        toast(data.text, data.url);
      } else if (data.type === "unread") {
        /* Read in another tab or page: the badge follows (hidden at 0). */
        setUnread(data.unread);
      } else if (data.type === "case") {
        if (caseId && Number(caseId) === data.case) {
          refresh("live-timeline");
          refreshCase();
        }
        if (onQueue) refresh("live-queue");
      }
    };
    socket.onclose = function () {
      body.dataset.live = "reconnecting";
      var wait = backoff + Math.random() * 500;
      backoff = Math.min(backoff * 2, 30000);
      setTimeout(connect, wait);
    };
  }
  connect();
})();
