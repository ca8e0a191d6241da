// Django's admin warns "Note: Enter times in the Asia/Shanghai timezone" under every date
// and time input when the browser's time zone differs from the server's. A date alone has no
// time zone: keep the note for date-and-time fields only. Runs (deferred) after the admin's
// DateTimeShortcuts.js is defined and before it runs on "load".
(function () {
  "use strict";
  const shortcuts = window.DateTimeShortcuts;
  if (!shortcuts) {
    return;
  }
  const addWarning = shortcuts.addTimezoneWarning;
  shortcuts.addTimezoneWarning = function (input) {
    if (input.classList.contains("vDateField") && !input.closest("p.datetime")) {
      return;
    }
    return addWarning.call(this, input);
  };
})();
