// The desk's one script, no build step. It moves focus to form errors after a refused save, and
// runs the editor's live preview: it posts the form to /desk/preview/ a moment after typing
// stops and shows the returned HTML (sanitised by the server). Without this script the editor's
// Preview button does the same with a page load. Autosave (the last block) keeps a draft copy.
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

// Autosave: after two seconds without typing in a story that already exists, post the headline,
// summary and body to /desk/stories/<id>/autosave/. The server keeps them as an autosave revision
// (never a save, never a publish) and offers them back if the tab is closed before saving. The
// status line says "Saved HH:MM" once the server has the words, so people can trust it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-story-id]");
  if (!form || !window.fetch || !window.FormData) return;
  var url = "/desk/stories/" + form.getAttribute("data-story-id") + "/autosave/";
  var status = document.createElement("p");
  status.className = "autosave-status";
  status.setAttribute("data-autosave-status", "");
  status.setAttribute("role", "status");
  form.appendChild(status);
  var timer = null;
  var dirty = false;

  function save() {
    if (!dirty) return;
    dirty = false;
    var typed = new FormData(form);
    var data = new FormData();
    ["csrfmiddlewaretoken", "headline", "summary", "body"].forEach(function (name) {
      if (typed.has(name)) data.set(name, typed.get(name));
    });
    status.textContent = "Saving a draft copy…";
    status.setAttribute("data-state", "saving");
    fetch(url, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
          return body;
        });
      })
      .then(function (body) {
        var when = new Date(body.saved_at);
        var hh = ("0" + when.getHours()).slice(-2);
        var mm = ("0" + when.getMinutes()).slice(-2);
        status.textContent = "Saved " + hh + ":" + mm + " (a draft copy; press Save to keep it)";
        status.setAttribute("data-state", "saved");
      })
      .catch(function (error) {
        dirty = true;
        status.textContent = "Not saved yet: " + error.message;
        status.setAttribute("data-state", "error");
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") return;
    dirty = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 2000);
  });
  form.addEventListener("submit", function () {
    window.clearTimeout(timer);
    dirty = false;
  });
})();

// The review queue's counter in the desk's navigation (editors only): asks
// /desk/review/count/ every 15 seconds while the tab is visible, and at once when it becomes
// visible again, so a submitted story shows up without a reload. Without this script the count
// is as fresh as the page.
(function () {
  "use strict";
  var badge = document.querySelector("[data-review-count-url]");
  if (!badge || !window.fetch) return;
  var url = badge.getAttribute("data-review-count-url");
  var every = Number(badge.getAttribute("data-review-count-every")) || 15000;
  var timer = null;

  function show(count) {
    if (typeof count !== "number") return;
    badge.textContent = String(count);
    badge.classList.toggle("count-badge--zero", count === 0);
  }

  function ask() {
    window.clearTimeout(timer);
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (body) { show(body.count); })
      .catch(function () { /* keep the last count; try again later */ })
      .then(function () {
        if (!document.hidden) timer = window.setTimeout(ask, every);
      });
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) ask();
  });
  timer = window.setTimeout(ask, every);
})();
