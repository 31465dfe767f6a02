// A reference to a table too long for a select (interfaces, sites …): the form keeps
// the id input the server reads, and this adds a search box beside it that asks the
// API (`?q=…&brief=1`) and fills the id in when a suggestion is chosen. Without
// JavaScript the id input still works on its own.
(function () {
  "use strict";
  const DELAY_MS = 250;
  const ID_AT_END = /\(#(\d+)\)$/;

  function label(record) {
    const owner = record.device && record.device.display ? record.device.display + " " : "";
    return owner + (record.name || record.display || record.code || "#" + record.id);
  }

  function attach(box) {
    const target = document.getElementById(box.dataset.target);
    const list = document.getElementById(box.getAttribute("list"));
    const help = document.getElementById(box.dataset.target + "-help");
    let timer = null;
    let asked = "";

    async function suggest() {
      const text = box.value.trim();
      if (text.length < 2 || ID_AT_END.test(text) || text === asked) return;
      asked = text;
      const url = box.dataset.url + "?brief=1&limit=20&q=" + encodeURIComponent(text);
      const response = await fetch(url, { headers: { Accept: "application/json" } });
      if (!response.ok || box.value.trim() !== text) return;
      const page = await response.json();
      list.replaceChildren(
        ...page.results.map((record) => {
          const option = document.createElement("option");
          option.value = label(record) + " (#" + record.id + ")";
          return option;
        }),
      );
    }

    box.addEventListener("input", () => {
      const chosen = box.value.match(ID_AT_END);
      if (chosen) {
        target.value = chosen[1];
        if (help) help.textContent = box.value.replace(ID_AT_END, "").trim();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(suggest, DELAY_MS);
    });
  }

  document.querySelectorAll("input.ref-search").forEach(attach);
})();
