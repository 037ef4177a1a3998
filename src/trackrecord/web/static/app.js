// Drag and drop onto upload forms: a dropped file fills the form's file input and shows
// its name. Forms work the same without JavaScript.
(function () {
  "use strict";
  function enhance(form) {
    var zone = form.querySelector(".drop");
    var input = form.querySelector("input[type=file]");
    var text = form.querySelector(".drop-text");
    if (!zone || !input) return;
    function show() {
      if (input.files && input.files.length) {
        text.textContent = input.files[0].name + " (" + Math.ceil(input.files[0].size / 1024) + " KiB)";
        zone.classList.add("chosen");
      }
    }
    ["dragenter", "dragover"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      zone.addEventListener(name, function (e) { e.preventDefault(); zone.classList.remove("over"); });
    });
    zone.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        show();
      }
    });
    input.addEventListener("change", show);
    form.addEventListener("submit", function () {
      var button = form.querySelector("button");
      if (button) { button.disabled = true; button.textContent = "Scoring…"; }
    });
  }
  document.querySelectorAll("form[data-dropzone]").forEach(enhance);
})();
// Forms whose work takes a while (data-wait) say so on their button until the page answers.
(function () {
  "use strict";
  document.querySelectorAll("form[data-wait]").forEach(function (form) {
    form.addEventListener("submit", function () {
      var button = form.querySelector("button");
      if (button) { button.disabled = true; button.textContent = form.getAttribute("data-wait"); }
    });
  });
})();
// A jobs list with data-poll (a job queued or running) is fetched again every few seconds
// and replaced by the server's fresh rendering of it, until every job has ended. Only the
// list is replaced: a file chosen in the upload form above it stays chosen.
(function () {
  "use strict";
  var DELAY = 2000;
  function poll(list) {
    var url = list.getAttribute("data-poll");
    if (!url) return;
    setTimeout(function () {
      fetch(url, { credentials: "same-origin", headers: { Accept: "text/html" } })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.text(); })
        .then(function (html) {
          var box = document.createElement("template");
          box.innerHTML = html.trim();
          var fresh = box.content.querySelector("#jobs-list");
          if (!fresh) throw new Error("no list");
          list.replaceWith(fresh);
          ends(fresh);
          poll(fresh);
        })
        .catch(function () { setTimeout(function () { poll(list); }, DELAY * 4); });
    }, DELAY);
  }
  // A failed job's stderr tail opens at its end: the error is on its last lines.
  function ends(root) {
    root.querySelectorAll("pre.stderr").forEach(function (pre) { pre.scrollTop = pre.scrollHeight; });
  }
  ends(document);
  document.querySelectorAll("#jobs-list[data-poll]").forEach(poll);
})();
