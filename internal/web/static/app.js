// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";

  // Tell the server the viewer's time zone, so times show in local time
  // from the next page on.
  try {
    var tz = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (tz) {
      var current = document.cookie.split("; ").filter(function (c) { return c.indexOf("redress_tz=") === 0; })[0];
      var value = encodeURIComponent(tz);
      if (!current || current.slice("redress_tz=".length) !== value) {
        document.cookie = "redress_tz=" + value + "; path=/; max-age=31536000; samesite=lax" +
          (location.protocol === "https:" ? "; secure" : "");
      }
    }
  } catch (e) { /* no Intl: the server's default zone is used */ }

  document.addEventListener("DOMContentLoaded", function () {
    // After a failed submit, take keyboard and screen-reader users to the
    // list of problems.
    var summary = document.getElementById("error-summary");
    if (summary) {
      summary.focus();
    }
    // Keep a double click from sending a form twice.
    document.querySelectorAll("form[data-once]").forEach(function (form) {
      form.addEventListener("submit", function (ev) {
        if (form.dataset.sent) {
          ev.preventDefault();
          return;
        }
        form.dataset.sent = "1";
        window.setTimeout(function () { delete form.dataset.sent; }, 8000);
      });
    });
  });
})();
