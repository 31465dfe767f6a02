/* The new-request form: workload rows added and removed, and the browser's own
   validation messages shown before anything is sent (the server checks again). */
(function () {
  "use strict";

  function setup() {
    var form = document.getElementById("request-form");
    if (!form) return;
    var body = form.querySelector("#workloads tbody");
    var template = document.getElementById("workload-row-template");
    var next = body.querySelectorAll("tr.workload-row").length;

    document.getElementById("add-workload").addEventListener("click", function () {
      /* A fresh index per row, never reused: the server orders rows by it. */
      var html = template.innerHTML.replace(/__index__/g, String(next++));
      body.insertAdjacentHTML("beforeend", html);
      var first = body.lastElementChild.querySelector("input");
      if (first) first.focus();
    });

    body.addEventListener("click", function (event) {
      var button = event.target.closest("[data-remove-row]");
      if (!button) return;
      var row = button.closest("tr");
      if (body.querySelectorAll("tr.workload-row").length > 1) {
        row.remove();
      } else {
        /* Keep one row to type into; a blank row is ignored by the server. */
        row.querySelectorAll("input").forEach(function (input) { input.value = ""; });
      }
    });

    /* A filled workload row needs its name, vCPU and RAM. */
    function checkRows() {
      body.querySelectorAll("tr.workload-row").forEach(function (row) {
        var inputs = Array.prototype.slice.call(row.querySelectorAll("input"));
        var used = inputs.some(function (i) {
          return i.value.trim() !== "" && !/-count$/.test(i.name);
        });
        inputs.forEach(function (i) {
          i.required = used && /-(name|vcpu|ram_gb)$/.test(i.name);
        });
      });
    }

    form.addEventListener("input", function (event) {
      if (event.target.classList.contains("is-invalid")) {
        event.target.classList.remove("is-invalid");
      }
    });

    form.addEventListener("submit", function (event) {
      checkRows();
      if (!form.checkValidity()) {
        event.preventDefault();
        form.classList.add("was-validated");
        var bad = form.querySelector(":invalid");
        if (bad) bad.focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", setup);
})();
