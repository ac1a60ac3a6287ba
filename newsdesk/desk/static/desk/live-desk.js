// A live coverage's desk view (desk/live_desk.html). Without this script every button is a
// form that comes back to the page (and delete asks on a page of its own). With it:
// - Ctrl+Enter (Cmd+Enter on a Mac) in the quick post box posts; the entry appears at the top of
//   the list, the box empties and keeps the focus, ready for the next one; a refused post keeps
//   the text and says why;
// - the buttons of an entry (key event, pin, delete, correct) redraw its row in place;
// - delete and "End coverage" ask for confirmation first;
// - what others post, mark or delete shows in the list within a second: the page listens to the
//   live page's stream and, on any event, reads its own list again.
(function () {
  "use strict";
  var form = document.querySelector("form[data-quick-post]");
  var rows = document.querySelector("[data-live-rows]");
  if (!window.fetch || !window.FormData) return;

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
    var headline = form.querySelector("input[name=headline]");
    var status = form.querySelector("[data-quick-status]");
    var problem = form.querySelector("[data-quick-error]");
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        form.requestSubmit(form.querySelector("button[type=submit]"));  // the first: Post now, or Save draft
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
        var empty = rows.querySelector("[data-live-rows-empty]");
        if (empty) empty.remove();
        rows.insertBefore(row(answer.body.row), rows.firstChild);
        text.value = "";
        if (headline) headline.value = "";
        status.textContent = answer.body.message;
        text.focus();
      }).catch(function () {
        status.textContent = "";
        problem.textContent = "Could not reach the server: your text is still here. Try again.";
        problem.hidden = false;
      });
    });
  }

  var streamUrl = rows && rows.getAttribute("data-coverage-stream");
  if (streamUrl && window.EventSource) {
    var pending = null;
    var refreshRows = function () {
      pending = null;
      fetch(window.location.pathname, { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : null; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-rows]");
          // Leave the list alone while someone is typing a correction in it.
          if (!fresh || rows.contains(document.activeElement)) return;
          // A page read before this editor's own newest post committed lacks it: keep such rows
          // on top, so an entry never vanishes (and a click never lands on the one below it).
          var ids = function (list) {
            return Array.prototype.map.call(list.querySelectorAll("[data-entry-id]"), function (el) {
              return Number(el.getAttribute("data-entry-id"));
            });
          };
          var newestFresh = Math.max.apply(null, [0].concat(ids(fresh)));
          var kept = Array.prototype.filter.call(rows.querySelectorAll("[data-entry-id]"), function (el) {
            return Number(el.getAttribute("data-entry-id")) > newestFresh;
          });
          rows.innerHTML = fresh.innerHTML;
          kept.reverse().forEach(function (el) { rows.insertBefore(el, rows.firstChild); });
        });
    };
    var source = new EventSource(streamUrl);
    ["published", "updated", "corrected", "unpublished", "key_event", "entry_pinned"].forEach(
      function (kind) {
        source.addEventListener(kind, function () {
          if (!pending) pending = setTimeout(refreshRows, 300);
        });
      }
    );
  }

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
