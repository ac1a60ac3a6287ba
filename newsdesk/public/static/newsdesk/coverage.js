/* A live coverage page (public/live.html). Without this file the page works as a plain page:
   Show More and the order switch are links, key events are links to entries' addresses.
   With it:
   - the page listens to /live/stream?coverage=<slug> (only this page's events), from the last
     event the page was drawn after; the browser resumes with Last-Event-ID after a drop;
   - new entries appear on top (newest first), or at the end when reading oldest first and
     everything is loaded; edits, corrections and key event marks re-draw an entry in place,
     deleted entries disappear, a pinned entry moves above the list;
   - the key events timeline follows the marks; a key event link to an entry already on the
     page jumps to it, one further down opens the entry's own address;
   - the summary ("What we know") and the ended mark follow the editors;
   - Show More loads the next entries in place. */
(function () {
  "use strict";

  var page = document.querySelector("[data-coverage]");
  if (!page) return;
  var list = page.querySelector("[data-live-list]");
  var pinnedBox = page.querySelector("[data-live-pinned]");
  var timeline = page.querySelector("[data-key-events]");
  var timelineList = page.querySelector("[data-key-events-list]");
  var oldestFirst = page.dataset.order === "oldest";
  var onTop = page.dataset.firstPage === "true";
  var pinnedId = null;
  var pinnedNow = pinnedBox && pinnedBox.querySelector("article");
  if (pinnedNow) pinnedId = pinnedNow.dataset.entryId;

  function localise(root) {
    if (window.Newsdesk && window.Newsdesk.localiseTimes) window.Newsdesk.localiseTimes(root);
  }

  function parse(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("article");
  }

  function shown(id) {
    return page.querySelectorAll('article[data-entry-id="' + id + '"]');
  }

  function position(article) {
    return { when: new Date(article.dataset.published).getTime(), id: Number(article.dataset.entryId) };
  }

  function before(a, b) {  /* does a come before b in the page's order? */
    var newer = a.when !== b.when ? a.when > b.when : a.id > b.id;
    return oldestFirst ? !newer : newer;
  }

  function placeInList(item) {
    var empty = list.querySelector("[data-live-empty]");
    if (empty) empty.remove();
    var mine = position(item);
    var articles = list.querySelectorAll(":scope > article");
    for (var i = 0; i < articles.length; i++) {
      if (before(mine, position(articles[i]))) {
        if (i === 0 && !onTop) return false; /* newer than this page shows: not ours */
        list.insertBefore(item, articles[i]);
        return true;
      }
    }
    if (page.querySelector("[data-live-more]")) return false; /* comes with Show More */
    if (!onTop && !articles.length) return false;
    list.appendChild(item);
    return true;
  }

  /* An entry put in above what the reader is reading must not push the text away. */
  function keepPlace(item) {
    var box = item.getBoundingClientRect();
    if (box.bottom <= 0) window.scrollBy(0, box.height);
  }

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  page.appendChild(status);
  function announce(text) { status.textContent = text; }
  /* A sentence in the page's language (newsdesk.js reads them from #reader-words). */
  function say(name, values) {
    var nd = window.Newsdesk;
    if (nd && nd.words[name]) return nd.format(nd.words[name], values);
    return name === "new_entry" ? "New entry: " + values.title : "Ended: coverage ended at " + values.time;
  }

  function redraw(story, html) {
    var existing = shown(story.id);
    existing.forEach(function (old) {
      var item = parse(html);
      old.replaceWith(item);
      localise(item);
    });
    return existing.length > 0;
  }

  function removeEntry(id) {
    shown(id).forEach(function (old) { old.remove(); });
    if (String(pinnedId) === String(id)) { pinnedId = null; pinnedBox.hidden = true; }
    var key = timelineList && timelineList.querySelector('[data-key-id="' + id + '"]');
    if (key) key.remove();
    if (timeline && !timelineList.children.length) timeline.hidden = true;
  }

  function timeText(iso) {
    var when = new Date(iso);
    var hours = String(when.getHours()).padStart(2, "0");
    return hours + ":" + String(when.getMinutes()).padStart(2, "0");
  }

  function markKey(story) {
    if (!timelineList) return;
    var existing = timelineList.querySelector('[data-key-id="' + story.id + '"]');
    if (!story.key_event) {
      if (existing) existing.remove();
      timeline.hidden = !timelineList.children.length;
      return;
    }
    var li = document.createElement("li");
    li.dataset.keyId = story.id;
    li.dataset.published = story.published_at;
    var link = document.createElement("a");
    link.href = story.url + "#entry-" + story.id;
    link.textContent = timeText(story.published_at) + " " + story.title;
    li.appendChild(link);
    if (existing) { existing.replaceWith(li); } else {
      var mine = new Date(story.published_at).getTime();
      var after = null;
      timelineList.querySelectorAll("li").forEach(function (other) {
        if (!after && new Date(other.dataset.published).getTime() < mine) after = other;
      });
      timelineList.insertBefore(li, after);
    }
    timeline.hidden = false;
  }

  function pin(story, html, pinned) {
    if (pinned) {
      if (pinnedId && String(pinnedId) !== String(story.id)) {
        var previous = pinnedBox.querySelector("article");
        if (previous) { previous.remove(); placeInList(previous); }
      }
      shown(story.id).forEach(function (old) { old.remove(); });
      var item = parse(html);
      pinnedBox.querySelectorAll("article").forEach(function (old) { old.remove(); });
      pinnedBox.appendChild(item);
      localise(item);
      pinnedBox.hidden = false;
      pinnedId = story.id;
    } else if (String(pinnedId) === String(story.id)) {
      var old = pinnedBox.querySelector("article");
      if (old) old.remove();
      pinnedBox.hidden = true;
      pinnedId = null;
      var back = parse(html);
      if (placeInList(back)) localise(back);
    }
  }

  function handle(kind, payload) {
    var story = payload.story;
    if (!story.visible) { removeEntry(story.id); return; }
    if (story.kind === "live") {
      var summary = page.querySelector("[data-live-summary]");
      if (summary && typeof story.summary === "string") {
        summary.textContent = "";
        story.summary.split("\n").forEach(function (line) {
          if (!line.trim()) return;
          var p = document.createElement("p");
          p.textContent = line;
          summary.appendChild(p);
        });
      }
      if (story.ended_at) {
        var status = page.querySelector("[data-live-status]");
        if (status) status.textContent = say("coverage_ended", { time: timeText(story.ended_at) });
      }
      return;
    }
    if (story.kind !== "entry" || !payload.html_entry) return;
    if (kind === "entry_pinned") { pin(story, payload.html_entry, payload.data.pinned); }
    else if (!redraw(story, payload.html_entry) && kind === "published") {
      var item = parse(payload.html_entry);
      item.classList.add("live-entry--new");
      if (placeInList(item)) {
        localise(item);
        keepPlace(item);
        announce(say("new_entry", { title: story.title }));
      }
    }
    markKey(story);
  }

  var streamUrl = page.dataset.coverageStream;
  if (streamUrl && window.EventSource) {
    var after = page.dataset.liveAfter;
    var source = new EventSource(streamUrl + (after ? "&after=" + encodeURIComponent(after) : ""));
    ["published", "updated", "corrected", "unpublished", "key_event", "entry_pinned"].forEach(
      function (kind) {
        source.addEventListener(kind, function (event) {
          try { handle(kind, JSON.parse(event.data)); } catch (error) { /* a bad event: skip */ }
        });
      }
    );
    source.addEventListener("reset", function () { window.location.reload(); });
    source.addEventListener("open", function () { page.dataset.liveConnected = "true"; });
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey) return;
    var key = event.target.closest("[data-key-events] a[href]");
    if (key) {
      var id = key.hash.replace("#", "");
      var target = document.getElementById(id);
      if (target) {
        event.preventDefault();
        history.pushState(null, "", "#" + id);
        target.setAttribute("tabindex", "-1");
        target.scrollIntoView({ block: "start" });
        target.focus({ preventScroll: true });
      }
      return;
    }
    var more = event.target.closest("[data-live-more] a[data-live-fragment]");
    if (!more) return;
    event.preventDefault();
    var holder = more.closest("[data-live-more]");
    fetch(more.dataset.liveFragment, { headers: { Accept: "text/html" } })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        var first = null;
        template.content.querySelectorAll("article").forEach(function (item) {
          if (shown(item.dataset.entryId).length) return;
          list.appendChild(item);
          if (!first) first = item;
        });
        localise(list);
        var next = template.content.querySelector("[data-live-more]");
        if (next) { holder.replaceWith(next); } else { holder.remove(); }
        if (first) { first.setAttribute("tabindex", "-1"); first.focus({ preventScroll: true }); }
      })
      .catch(function () { window.location.href = more.href; });
  });
})();
