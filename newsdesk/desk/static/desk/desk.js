// The desk's one script, no build step. It moves focus to form errors after a refused save, and
// runs the editor's live preview: it posts the form to /desk/preview/ a moment after typing
// stops and shows the returned HTML (sanitised by the server). Without this script the editor's
// Preview button does the same with a page load. Nothing here saves anything.
(function () {
  "use strict";
  // After a refused save, move focus to the list of problems so it is read out first.
  var problems = document.querySelector(".alert--error[tabindex='-1']");
  if (problems) problems.focus();
})();

(function () {
  "use strict";
  var form = document.querySelector("form[data-preview-url]");
  var target = document.getElementById("preview-body");
  var status = document.getElementById("preview-status");
  if (!form || !target || !window.fetch || !window.FormData) return;

  var timer = null;
  var latest = 0;

  function send() {
    var data = new FormData(form);
    data.delete("image-image_file");
    var story = form.getAttribute("data-story-id");
    if (story) data.set("story", story);
    var mine = ++latest;
    fetch(form.getAttribute("data-preview-url"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch" }
    })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== latest) return;
        target.innerHTML = html;
        if (status) status.textContent = "";
      })
      .catch(function () {
        if (mine === latest && status) {
          status.textContent = "The preview could not be updated. Your text is safe; press Preview to try again.";
        }
      });
  }

  function later(event) {
    if (event.target && event.target.type === "file") return;
    window.clearTimeout(timer);
    timer = window.setTimeout(send, 400);
  }

  form.addEventListener("input", later);
  form.addEventListener("change", later);
  if (!target.textContent.trim()) send();
})();
