// The desk's one script, no build step. It moves focus to form errors after a refused save, and
// runs the editor's live preview: it posts the form to /desk/preview/ a moment after typing
// stops and shows the returned HTML (sanitised by the server). Without this script the editor's
// Preview button does the same with a page load. Autosave keeps a draft copy, presence shows who else has a story open.
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
        // 400: the server's message about what cannot be shown (sanitised, like the preview).
        if (!response.ok && response.status !== 400) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        if (mine !== latest) return;
        target.innerHTML = html;
        if (status) status.textContent = "";
        document.dispatchEvent(new CustomEvent("desk:preview-updated"));
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
  window.deskPreview = { refresh: send };
  if (!target.textContent.trim()) send();
})();

// Images in the editor. A newly chosen file shows in the live preview at once (read in the
// browser as a data: address, which the desk's CSP allows; nothing is sent before Save). Alt
// text becomes required as soon as a file is chosen (or one is kept from a refused save), so the
// browser says what is missing before sending. The photo library picker (beside the preview)
// searches /desk/photos/pick/ and inserts "[image N]" lines into the body, or makes a photo the
// lead image; without this script its search opens the library page.
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form) return;
  var file = form.querySelector("input[name='image-image_file']");
  var alt = form.querySelector("input[name='image-alt_text']");
  var caption = form.querySelector("input[name='image-caption']");
  var credit = form.querySelector("input[name='image-credit']");
  var library = form.querySelector("input[name='image-library_image']");
  var pending = form.querySelector("input[name='image-pending']");
  var body = form.querySelector("textarea[name='body']");
  var chosen = null; // data: address of the chosen file

  function needsAlt() {
    if (file && file.files && file.files.length > 0) return true;
    // A file kept from a refused save is used unless a library image was picked since.
    return Boolean(pending && pending.value && !(library && library.value));
  }

  function markRequired() {
    if (!alt) return;
    alt.required = needsAlt();
    if (alt.required) alt.setAttribute("aria-required", "true"); else alt.removeAttribute("aria-required");
  }

  function showChosen() {
    var target = document.getElementById("preview-body");
    if (!target || !chosen) return;
    var old = target.querySelector("[data-chosen-preview]");
    if (old) old.parentNode.removeChild(old);
    var lead = target.querySelector(".lead-figure");
    if (lead) lead.parentNode.removeChild(lead);
    var figure = document.createElement("figure");
    figure.className = "lead-figure";
    figure.setAttribute("data-chosen-preview", "");
    var img = document.createElement("img");
    img.src = chosen;
    img.alt = alt ? alt.value : "";
    figure.appendChild(img);
    var words = (caption && caption.value) || "";
    if (credit && credit.value) words += (words ? " " : "") + "(Photo: " + credit.value + ")";
    if (words) {
      var figcaption = document.createElement("figcaption");
      figcaption.textContent = words;
      figure.appendChild(figcaption);
    }
    var header = target.querySelector(".story__header");
    if (header && header.parentNode) header.parentNode.insertBefore(figure, header.nextSibling);
    else target.insertBefore(figure, target.firstChild);
  }

  if (file && window.FileReader) {
    file.addEventListener("change", function () {
      markRequired();
      chosen = null;
      var picked = file.files && file.files[0];
      if (!picked || !/^image\//.test(picked.type)) {
        if (window.deskPreview) window.deskPreview.refresh();
        return;
      }
      var reader = new FileReader();
      reader.onload = function () {
        chosen = String(reader.result);
        if (library) library.value = "";
        showChosen();
      };
      reader.readAsDataURL(picked);
    });
  }
  document.addEventListener("desk:preview-updated", showChosen);
  if (library) library.addEventListener("input", markRequired);
  if (library) library.addEventListener("change", markRequired);
  ["input", "change"].forEach(function (type) {
    [alt, caption, credit].forEach(function (input) {
      if (input) input.addEventListener(type, function () { if (chosen) showChosen(); });
    });
  });
  markRequired();

  // The picker.
  var picker = document.querySelector("[data-photo-picker]");
  if (!picker || !window.fetch) return;
  var search = picker.querySelector("[data-picker-search]");
  var results = picker.querySelector("[data-picker-results]");
  var url = picker.getAttribute("data-picker-url");

  function load(query) {
    fetch(url + "?q=" + encodeURIComponent(query || ""), { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) { results.innerHTML = html; })
      .catch(function () { results.textContent = "The photo library could not be loaded; try Search again."; });
  }

  function lineFor(item) {
    var id = item.getAttribute("data-picker-image");
    // A bar would end the caption early: the line's parts are separated by bars.
    var words = [item.getAttribute("data-caption") || "", item.getAttribute("data-credit") || ""]
      .map(function (text) { return text.replace(/\|/g, "/").trim(); });
    if (!words[0] && !words[1]) return "[image " + id + "]";
    return "[image " + id + " | " + words[0] + (words[1] ? " | " + words[1] : "") + "]";
  }

  // Where the writer left the cursor in the body; at the end if they never were in it.
  var bodyTouched = false;
  if (body) {
    ["focus", "input", "select", "keyup", "mouseup"].forEach(function (type) {
      body.addEventListener(type, function () { bodyTouched = true; });
    });
  }

  function insertInBody(text) {
    if (!body) return;
    var start = bodyTouched && body.selectionStart != null ? body.selectionStart : body.value.length;
    var end = bodyTouched && body.selectionEnd != null ? body.selectionEnd : start;
    var before = body.value.slice(0, start).replace(/\s+$/, "");
    var after = body.value.slice(end).replace(/^\s+/, "");
    var block = (before ? "\n\n" : "") + text + (after ? "\n\n" : "\n");
    body.value = before + block + after;
    var caret = (before + block).length;
    body.focus();
    body.setSelectionRange(caret, caret);
    body.dispatchEvent(new Event("input", { bubbles: true }));
  }

  results.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) return;
    var item = button.closest("[data-picker-image]");
    if (!item) return;
    if (button.hasAttribute("data-insert-image")) {
      insertInBody(lineFor(item));
    } else if (button.hasAttribute("data-lead-image") && library) {
      library.value = item.getAttribute("data-picker-image");
      if (file) file.value = "";
      chosen = null;
      markRequired();
      library.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });
  search.addEventListener("submit", function (event) {
    event.preventDefault();
    var input = search.querySelector("input[name='q']");
    load(input ? input.value : "");
  });
  load("");
})();

// Autosave, from the first keystroke: a moment after typing stops, post the headline, summary and
// body. For a story that exists they go to /desk/stories/<id>/autosave/, kept as an autosave
// revision (never a save, never a publish) and offered back if the tab closes before saving. A new
// story's first autosave creates it as a draft (/desk/stories/new/autosave/); the page then edits
// that story (its address is replaced, so a reload opens it). One request at a time, so a new
// story is created once. When the page is hidden with words not yet sent, they go with a keepalive
// request. Leaving with changes not saved by a Save button asks first (beforeunload).
(function () {
  "use strict";
  var form = document.getElementById("story-form");
  if (!form || !window.fetch || !window.FormData) return;
  var status = document.createElement("p");
  status.className = "autosave-status";
  status.setAttribute("data-autosave-status", "");
  status.setAttribute("role", "status");
  form.appendChild(status);
  var timer = null;
  var dirty = false; // typed since the last autosave
  var unsaved = false; // typed since the page opened or the last Save
  var busy = false;
  window.deskEditor = { unsaved: function () { return unsaved; } };

  function storyId() {
    return form.getAttribute("data-story-id");
  }

  function url() {
    var id = storyId();
    return id ? "/desk/stories/" + id + "/autosave/" : form.getAttribute("data-autosave-new-url");
  }

  function typed() {
    var all = new FormData(form);
    var data = new FormData();
    ["csrfmiddlewaretoken", "headline", "summary", "body", "kind", "language"].forEach(function (name) {
      if (all.has(name)) data.set(name, all.get(name));
    });
    return data;
  }

  function adopt(body) {
    // The first autosave made the story: from now on this page edits it.
    form.setAttribute("data-story-id", String(body.story));
    form.setAttribute("action", body.edit_url);
    var version = form.querySelector("input[name='version']");
    if (version) version.value = String(body.version);
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", body.edit_url);
    document.dispatchEvent(new CustomEvent("desk:story-created", { detail: body }));
  }

  function save() {
    if (!dirty) return;
    if (busy) { window.clearTimeout(timer); timer = window.setTimeout(save, 500); return; }
    dirty = false;
    busy = true;
    var creating = !storyId();
    status.textContent = "Saving a draft copy…";
    status.setAttribute("data-state", "saving");
    fetch(url(), { method: "POST", body: typed(), credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
          return body;
        });
      })
      .then(function (body) {
        if (creating && body.story) adopt(body);
        var when = new Date(body.saved_at);
        var hh = ("0" + when.getHours()).slice(-2);
        var mm = ("0" + when.getMinutes()).slice(-2);
        status.textContent = creating
          ? "Draft created " + hh + ":" + mm + ": your words are kept even if this tab closes"
          : "Saved " + hh + ":" + mm + " (a draft copy; press Save to keep it)";
        status.setAttribute("data-state", "saved");
      })
      .catch(function (error) {
        dirty = true;
        status.textContent = "Not saved yet: " + error.message;
        status.setAttribute("data-state", "error");
      })
      .then(function () {
        busy = false;
        if (waitingSubmit) {
          var submitter = waitingSubmit === true ? undefined : waitingSubmit;
          waitingSubmit = null;
          if (form.requestSubmit) form.requestSubmit(submitter); else form.submit();
        }
      });
  }

  form.addEventListener("input", function (event) {
    if (event.target && event.target.type === "file") return;
    dirty = true;
    unsaved = true;
    window.clearTimeout(timer);
    timer = window.setTimeout(save, storyId() ? 2000 : 1000);
  });
  var waitingSubmit = null;
  form.addEventListener("submit", function (event) {
    if (busy && !storyId()) {
      // The first autosave is creating this story: save into it once it exists, not a second one.
      event.preventDefault();
      waitingSubmit = event.submitter || true;
      return;
    }
    window.clearTimeout(timer);
    dirty = false;
    unsaved = false;
  });
  window.addEventListener("pagehide", function () {
    if (!dirty || busy) return;
    dirty = false;
    try {
      fetch(url(), { method: "POST", body: typed(), credentials: "same-origin", keepalive: true });
    } catch (e) { /* too large for a keepalive request: the last autosave stands */ }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!unsaved) return;
    event.preventDefault();
    event.returnValue = "";
  });
})();

// Presence: every few seconds tell the desk this story is open here (and whether this person has
// unsaved changes), and show who else has it open, and when a newer version was saved meanwhile.
(function () {
  "use strict";
  var box = document.getElementById("presence");
  var form = document.getElementById("story-form");
  if (!box || !window.fetch || !window.FormData) return;
  var presenceUrl = box.getAttribute("data-presence-url");
  var loadedVersion = parseInt(box.getAttribute("data-version") || "0", 10);
  var every = parseInt(box.getAttribute("data-every") || "5", 10) * 1000;
  var timer = null;

  function token() {
    var input = document.querySelector("input[name='csrfmiddlewaretoken']");
    return input ? input.value : "";
  }

  function payload(leaving) {
    var data = new FormData();
    data.set("csrfmiddlewaretoken", token());
    if (window.deskEditor && window.deskEditor.unsaved()) data.set("typing", "1");
    if (leaving) data.set("leaving", "1");
    return data;
  }

  function show(body) {
    var names = body.others.map(function (person) {
      return person.name + (person.typing ? " (typing)" : "");
    });
    var text = names.length ? "Also open now: " + names.join(", ") + "." : "";
    if (body.version > loadedVersion) {
      text += (text ? " " : "") + "Someone saved a newer version (" + body.version + ") since you opened it: " +
        "when you save, you will see both versions and choose what to keep.";
    }
    box.textContent = text;
    box.setAttribute("data-others", String(body.others.length));
  }

  function beat() {
    if (!presenceUrl) return;
    fetch(presenceUrl, { method: "POST", body: payload(false), credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (body) { if (body) show(body); })
      .catch(function () { /* the next heartbeat tries again */ });
  }

  function start() {
    beat();
    window.clearInterval(timer);
    timer = window.setInterval(beat, every);
  }

  document.addEventListener("desk:story-created", function (event) {
    presenceUrl = event.detail.presence_url;
    loadedVersion = event.detail.version;
    start();
  });
  window.addEventListener("pagehide", function () {
    if (presenceUrl && navigator.sendBeacon) navigator.sendBeacon(presenceUrl, payload(true));
  });
  if (form && form.getAttribute("data-story-id")) {
    // the version the form is based on (after a refused save it is the one typed from)
    var version = form.querySelector("input[name='version']");
    if (version && version.value) loadedVersion = parseInt(version.value, 10);
  }
  if (presenceUrl) start();
})();

// The conflict screen: editing a merged text chooses it.
(function () {
  "use strict";
  var form = document.querySelector("form[data-conflict-form]");
  if (!form) return;
  form.addEventListener("input", function (event) {
    var name = event.target && event.target.getAttribute("data-merge-for");
    if (!name) return;
    var radio = form.querySelector("input[name='choose_" + name + "'][value='merged']");
    if (radio) radio.checked = true;
  });
})();

// Buttons that undo something readers see (unpublish, restore) ask first.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var button = event.submitter;
    var question = (button && button.getAttribute("data-confirm")) || event.target.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();

// Polling the desk's lists and counters share: `ask()` (a promise) runs every `every` ms while
// the tab is visible and `more()` (default: always) says to go on, and at once when the tab
// becomes visible again. A failed ask keeps what is shown and tries again at the next turn.
function pollWhileVisible(every, ask, more) {
  var timer = null;
  more = more || function () { return true; };
  function run() {
    window.clearTimeout(timer);
    ask()
      .catch(function () { /* keep what is shown; try again later */ })
      .then(function () {
        if (more() && !document.hidden) timer = window.setTimeout(run, every);
      });
  }
  document.addEventListener("visibilitychange", function () {
    if (!document.hidden && more()) run();
  });
  timer = window.setTimeout(run, every);
}

// A same-origin GET that fails unless the answer is 2xx.
function fetchOk(url, accept) {
  return fetch(url, { credentials: "same-origin", headers: { Accept: accept } })
    .then(function (response) {
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response;
    });
}

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

  function show(count) {
    if (typeof count !== "number") return;
    badge.textContent = String(count);
    badge.classList.toggle("count-badge--zero", count === 0);
  }

  pollWhileVisible(every, function () {
    return fetchOk(url, "application/json")
      .then(function (response) { return response.json(); })
      .then(function (body) { show(body.count); });
  });
})();

// The wire list: ask every 15 s whether items arrived or changed; offer to show them.
(function () {
  "use strict";
  var notice = document.querySelector("[data-wire-stamp-url]");
  if (!notice || !window.fetch) return;
  var url = notice.getAttribute("data-wire-stamp-url");
  var newest = notice.getAttribute("data-wire-newest");
  var count = notice.getAttribute("data-wire-count");
  var every = Number(notice.getAttribute("data-wire-every")) || 15000;

  // Once the notice shows, nothing more is asked: the reader decides when to look.
  pollWhileVisible(every, function () {
    return fetchOk(url, "application/json")
      .then(function (response) { return response.json(); })
      .then(function (body) {
        if ((body.newest || "") !== newest || String(body.count) !== count) notice.hidden = false;
      });
  }, function () { return notice.hidden; });
})();

// The story list keeps itself current: every few seconds (while the tab is visible) it asks
// for its rows with the filters in the address, and puts them in place when they changed.
// The filter form is never touched, and rows are not replaced while focus is in them, so
// nobody loses what they typed or where they were.
(function () {
  "use strict";
  var box = document.querySelector("[data-story-rows-url]");
  if (!box || !window.fetch) return;
  var status = document.querySelector("[data-story-rows-status]");
  var every = (Number(box.getAttribute("data-refresh-every")) || 15) * 1000;
  function stampOf(html) {
    var match = /data-rows-stamp="([0-9a-f]*)"/.exec(html);
    return match ? match[1] : null;
  }

  function shownStamp() {
    var shown = box.querySelector("[data-rows-stamp]");
    return shown ? shown.getAttribute("data-rows-stamp") : null;
  }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  pollWhileVisible(every, function () {
    var url = box.getAttribute("data-story-rows-url") + window.location.search;
    return fetchOk(url, "text/html")
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var stamp = stampOf(html);
        if (stamp === null || stamp === shownStamp() || box.contains(document.activeElement)) return;
        box.innerHTML = html;
        if (!status) return;
        var now = new Date();
        status.textContent = "List updated at " + two(now.getHours()) + ":" + two(now.getMinutes()) + ".";
      });
  });
})();

// Keyboard shortcuts, listed in the help overlay that "?" opens (desk/base.html): n, /, and
// "g" followed by a letter to go somewhere. Keys typed into a field are never taken, nor keys
// pressed with Ctrl, Alt or Cmd; Esc closes the overlay (the <dialog> does it by itself).
(function () {
  "use strict";
  var dialog = document.querySelector("[data-shortcuts]");
  if (!dialog) return;
  var pendingG = 0;
  var places = { s: "data-go-stories", r: "data-go-review", l: "data-go-live", w: "data-go-wires" };

  function typing(target) {
    if (!target || target === document.body) return false;
    var tag = target.tagName;
    return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || target.isContentEditable;
  }

  function go(attribute) {
    var url = dialog.getAttribute(attribute);
    if (url) window.location.assign(url);
  }

  function search() {
    var field = document.querySelector(".filters input[name=q]");
    if (field) {
      field.focus();
      field.select();
    } else {
      window.location.assign(dialog.getAttribute("data-go-stories") + "#search");
    }
  }

  if (window.location.hash === "#search") {
    var field = document.querySelector(".filters input[name=q]");
    if (field) field.focus();
  }

  document.addEventListener("keydown", function (event) {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (typing(event.target)) return;
    if (dialog.open) return;
    var key = event.key;
    if (pendingG && Date.now() - pendingG < 1500 && places[key]) {
      pendingG = 0;
      event.preventDefault();
      go(places[key]);
      return;
    }
    pendingG = 0;
    if (key === "?") {
      event.preventDefault();
      dialog.showModal();
    } else if (key === "n") {
      event.preventDefault();
      go("data-go-new");
    } else if (key === "/") {
      event.preventDefault();
      search();
    } else if (key === "g") {
      pendingG = Date.now();
    }
  });
})();

// Byline order. A multi-select sends its chosen options in the order they stand in the list, and
// that order is the byline's (stories/actions/fields.py keeps it as `position`). Here the
// authors chosen are listed in the order they were chosen, with buttons to move one earlier or
// later, and the chosen options are kept at the top of the select in that order, so what is sent
// is what the editor set. Without JavaScript the server lists the byline first, in its order.
(function () {
  document.querySelectorAll('select[multiple][name="author_ids"]').forEach(function (select) {
    var order = Array.from(select.selectedOptions, function (option) { return option.value; });
    var list = document.createElement("ol");
    list.className = "byline-order";
    list.setAttribute("aria-label", "Byline order");
    select.insertAdjacentElement("afterend", list);

    function optionFor(value) {
      return Array.from(select.options).find(function (option) { return option.value === value; });
    }

    function button(label, text, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "button--small";
      b.textContent = text;
      b.setAttribute("aria-label", label);
      b.addEventListener("click", onClick);
      return b;
    }

    function move(index, by) {
      var other = index + by;
      if (other < 0 || other >= order.length) return;
      var value = order[index];
      order[index] = order[other];
      order[other] = value;
      apply();
      select.dispatchEvent(new Event("input", { bubbles: true }));  // autosave, preview, leave warning
      list.querySelectorAll("li")[other].querySelector(by < 0 ? "button" : "button:last-child").focus();
    }

    function apply() {
      order.forEach(function (value, i) {
        var option = optionFor(value);
        if (option && select.options[i] !== option) select.insertBefore(option, select.options[i]);
      });
      list.replaceChildren.apply(list, order.map(function (value, i) {
        var name = optionFor(value).textContent;
        var item = document.createElement("li");
        item.append(document.createTextNode(name + " "));
        if (i > 0) item.append(button("Move " + name + " earlier", "↑", function () { move(i, -1); }));
        if (i < order.length - 1) item.append(button("Move " + name + " later", "↓", function () { move(i, 1); }));
        return item;
      }));
      list.hidden = order.length < 2;
    }

    select.addEventListener("change", function () {
      var chosen = Array.from(select.selectedOptions, function (option) { return option.value; });
      order = order.filter(function (value) { return chosen.indexOf(value) >= 0; })
        .concat(chosen.filter(function (value) { return order.indexOf(value) < 0; }));
      apply();
    });
    apply();
  });
})();
