// The quick post (desk/_quick_post.html) on the desk's front page and in a live coverage's desk
// view (desk/live_desk.html), and the list of a live page's latest entries beside it. Without
// this script every button is a form that comes back to the page (and delete asks on a page of
// its own). With it:
// - Ctrl+Enter (Cmd+Enter on a Mac) in the quick post box posts; a live entry appears at the top
//   of the list, the box empties (image choice too) and keeps the focus, ready for the next one;
//   a refused post keeps the text and says why;
// - on the front page, choosing a live page in "Post into" shows that page's latest entries;
// - the buttons of an entry (key event, pin, delete, correct) redraw its row in place;
// - delete and "End coverage" ask for confirmation first;
// - what others post, mark or delete shows in the list within a second: the page listens to the
//   live page's stream and, on any event, reads the list again from the live desk view.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;
  var form = document.querySelector("form[data-quick-post]");
  var panel = document.querySelector("[data-quick-entries]");  // front page only
  var source = null;

  function send(target, data) {
    // getAttribute: a control named "action" hides the form's own `action` property.
    return fetch(target.getAttribute("action"), {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    }).then(function (response) {
      return response.json().then(function (body) { return { ok: response.ok, body: body }; });
    });
  }

  function row(html) {
    var template = document.createElement("template");
    template.innerHTML = html.trim();
    return template.content.firstElementChild;
  }

  function rowsList() { return document.querySelector("[data-live-rows]"); }

  function ids(list) {
    return Array.prototype.map.call(list.querySelectorAll("[data-entry-id]"), function (el) {
      return Number(el.getAttribute("data-entry-id"));
    });
  }

  // The front page's list shows the newest few (data-limit); the live desk view all it has.
  function trim(rows) {
    var limit = Number(rows.getAttribute("data-limit")) || 0;
    while (limit && rows.children.length > limit) rows.lastElementChild.remove();
  }

  function refreshRows() {
    var rows = rowsList();
    if (!rows) return;
    fetch(rows.getAttribute("data-desk-url"), { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html || rowsList() !== rows) return;
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-rows]");
        // Leave the list alone while someone is typing a correction in it.
        if (!fresh || rows.contains(document.activeElement)) return;
        // A page read before this editor's own newest post committed lacks it: keep such rows
        // on top, so an entry never vanishes (and a click never lands on the one below it).
        var newestFresh = Math.max.apply(null, [0].concat(ids(fresh)));
        var kept = Array.prototype.filter.call(rows.querySelectorAll("[data-entry-id]"), function (el) {
          return Number(el.getAttribute("data-entry-id")) > newestFresh;
        });
        rows.innerHTML = fresh.innerHTML;
        kept.reverse().forEach(function (el) { rows.insertBefore(el, rows.firstChild); });
        trim(rows);
      });
  }

  function watch() {
    if (source) source.close();
    source = null;
    var rows = rowsList();
    var streamUrl = rows && rows.getAttribute("data-coverage-stream");
    if (!streamUrl || !window.EventSource) return;
    var pending = null;
    source = new EventSource(streamUrl);
    ["published", "updated", "corrected", "unpublished", "key_event", "entry_pinned"].forEach(
      function (kind) {
        source.addEventListener(kind, function () {
          if (!pending) pending = setTimeout(function () { pending = null; refreshRows(); }, 300);
        });
      }
    );
  }

  // Front page: show the latest entries of the live page chosen in "Post into".
  function showCoverage(coverageId) {
    if (!panel) return;
    var rows = rowsList();
    if (!coverageId) { panel.hidden = true; return; }
    if (rows && rows.getAttribute("data-coverage-id") === String(coverageId)) {
      panel.hidden = false;
      return;
    }
    var url = "/desk/live/" + coverageId + "/";
    return fetch(url, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : null; })
      .then(function (html) {
        if (!html) return;
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-live-rows]");
        if (!fresh) return;
        var heading = document.createElement("h2");
        heading.id = "quick-entries-title";
        heading.textContent = "Latest entries: ";
        var link = document.createElement("a");
        link.href = url;
        link.textContent = page.querySelector("h1").textContent;
        heading.appendChild(link);
        var list = document.importNode(fresh, true);
        list.setAttribute("data-limit", "10");
        trim(list);
        panel.replaceChildren(heading, list);
        panel.hidden = false;
        watch();
      });
  }

  function chosenCoverage() {
    var target = form && form.querySelector("select[name=target]");
    if (!target) return null;
    var match = /^live:(\d+)$/.exec(target.value);
    return match ? match[1] : null;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-confirm]");
    if (!button) return;
    if (!window.confirm(button.getAttribute("data-confirm"))) {
      event.preventDefault();
      return;
    }
    var confirmed = document.createElement("input");
    confirmed.type = "hidden";
    confirmed.name = "confirmed";
    confirmed.value = "1";
    button.form.appendChild(confirmed);
  });

  if (form) {
    var text = form.querySelector("textarea[name=text]");
    var status = form.querySelector("[data-quick-status]");
    var problem = form.querySelector("[data-quick-error]");
    var target = form.querySelector("select[name=target]");
    if (target) {
      target.addEventListener("change", function () { showCoverage(chosenCoverage()); });
    }
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[type=submit]"));  // the first: Post now, or Send to editors
      }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter && event.submitter.name) {
        data.set(event.submitter.name, event.submitter.value);
      }
      status.textContent = "Posting…";
      send(form, data).then(function (answer) {
        if (!answer.ok) {
          status.textContent = "";
          problem.textContent = answer.body.error ? answer.body.error.message : "Not posted.";
          problem.hidden = false;
          text.focus();
          return;
        }
        problem.hidden = true;
        var done = function () {
          var rows = rowsList();
          var sameList = rows && answer.body.row &&
            (!answer.body.coverage_id || rows.getAttribute("data-coverage-id") === String(answer.body.coverage_id));
          if (sameList && !rows.querySelector('[data-entry-id="' + answer.body.id + '"]')) {
            var empty = rows.querySelector("[data-live-rows-empty]");
            if (empty) empty.remove();
            rows.insertBefore(row(answer.body.row), rows.firstChild);
          }
        };
        var loading = answer.body.coverage_id ? showCoverage(answer.body.coverage_id) : null;
        if (loading) loading.then(done); else done();
        ["headline", "text", "alt_text"].forEach(function (name) {
          var field = form.querySelector("[name=" + name + "]");
          if (field) field.value = "";
        });
        var file = form.querySelector("input[name=image_file]");
        if (file) file.value = "";
        var noImage = form.querySelector("[data-quick-no-image]");
        if (noImage) noImage.checked = true;
        status.textContent = answer.body.message;
        if (answer.body.url && !answer.body.row) {
          var link = document.createElement("a");
          link.href = answer.body.url;
          link.textContent = "Read it on the site";
          status.append(" ", link, ".");
        }
        text.focus();
      }).catch(function () {
        status.textContent = "";
        problem.textContent = "Could not reach the server: your text is still here. Try again.";
        problem.hidden = false;
      });
    });
  }

  watch();

  document.addEventListener("submit", function (event) {
    var target = event.target.closest("form[data-live-action]");
    if (!target) return;
    event.preventDefault();
    var data = new FormData(target);
    if (event.submitter && event.submitter.name) data.set(event.submitter.name, event.submitter.value);
    send(target, data).then(function (answer) {
      var old = target.closest("[data-entry-id]");
      if (!answer.ok) {
        window.alert(answer.body.error ? answer.body.error.message : "That did not work.");
        return;
      }
      // Pinning one entry unpins another: redraw the whole list from the page.
      if (data.get("action") === "pin" || data.get("action") === "unpin") {
        window.location.reload();
        return;
      }
      old.replaceWith(row(answer.body.row));
    });
  });
})();
