/* Live progress of discovery runs: every element with data-run-api whose run is
   queued or running polls the run's JSON every 1.5 s and updates its status
   badge, progress bar and message; a run page reloads once its run has ended
   (to show the per-target results). Served by the app: no CDN. */
(function () {
  "use strict";

  var UNFINISHED = ["queued", "running"];
  var INTERVAL_MS = 1500;

  function update(el, run) {
    var badge = el.querySelector("[data-run-status]");
    if (badge) {
      var labels = JSON.parse(badge.dataset.labels), colours = JSON.parse(badge.dataset.colours);
      badge.textContent = labels[run.status] || run.status;
      badge.className = "badge text-bg-" + (colours[run.status] || "secondary");
    }
    var bar = el.querySelector("[data-run-progress]");
    if (bar) {
      var total = run.progress_total || 0;
      var pct = total ? Math.round(100 * run.progress_done / total) : 0;
      bar.setAttribute("aria-valuenow", pct);
      var inner = bar.querySelector(".progress-bar");
      inner.style.width = pct + "%";
      inner.textContent = total ? run.progress_done + "/" + total : "";
    }
    var message = el.querySelector("[data-run-message]");
    if (message) message.textContent = run.progress_message || "";
  }

  function follow(el) {
    function poll() {
      fetch(el.dataset.runApi, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (run) {
          if (!run) return;
          update(el, run);
          if (UNFINISHED.indexOf(run.status) !== -1) {
            window.setTimeout(poll, INTERVAL_MS);
          } else if (el.hasAttribute("data-reload-when-done")) {
            window.location.reload();
          }
        })
        .catch(function () { window.setTimeout(poll, INTERVAL_MS * 4); });
    }
    window.setTimeout(poll, INTERVAL_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-run-api]").forEach(function (el) {
      if (UNFINISHED.indexOf(el.dataset.runState) !== -1) follow(el);
    });
  });
})();
