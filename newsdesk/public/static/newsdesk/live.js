/* The live News Feed. Without this file the page works as before (reload to see news).
   With it, the first list marked [data-live-stream] listens to /live/stream:
   - new items wait behind an "N new updates" button (announced politely to screen readers,
     counted in the page title) so nothing jumps under the reader's eyes;
   - updated items re-render in place ("(Updated: …)"), unpublished ones disappear;
   - a "reset" (missed too much while away) reloads the list;
   - when the stream cannot connect (a proxy blocks it) it polls /live/poll every 30 s. */
(function () {
  "use strict";

  var KINDS = ["published", "updated", "corrected", "unpublished", "pinned"];
  var POLL_MS = 30000;

  function parseItem(html) {
    var template = document.createElement("template");
    template.innerHTML = html;
    return template.content.querySelector("article");
  }

  function setUp(section) {
    var list = section.querySelector("[data-feed-list]");
    if (!list || !window.EventSource && !window.fetch) return;
    var compact = section.hasAttribute("data-live-compact");
    var lastId = section.dataset.liveAfter || "";
    var pending = new Map(); // story id -> payload, in arrival order
    var baseTitle = document.title;

    var bar = document.createElement("div");
    bar.className = "live-bar";
    bar.hidden = true;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "live-bar__button";
    bar.appendChild(button);
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    section.insertBefore(status, list);
    section.insertBefore(bar, list);

    function htmlOf(payload) { return compact ? payload.html_compact : payload.html; }

    function refreshCount() {
      var n = pending.size;
      var label = n === 1 ? "1 new update" : n + " new updates";
      bar.hidden = n === 0;
      button.textContent = n ? "Show " + label : "";
      status.textContent = n ? label : "";
      document.title = n ? "(" + n + ") " + baseTitle : baseTitle;
    }

    function replaceEverywhere(storyId, payload) {
      var found = false;
      document.querySelectorAll('article[data-story-id="' + storyId + '"]').forEach(function (el) {
        found = true;
        if (!payload) { el.remove(); return; }
        var small = el.classList.contains("feed-item--compact");
        var fresh = parseItem(small ? payload.html_compact : payload.html);
        if (fresh) {
          el.replaceWith(fresh);
          if (window.Newsdesk) window.Newsdesk.localiseTimes(fresh.parentNode || document);
        }
      });
      return found;
    }

    function handle(kind, payload) {
      if (!payload || !payload.story) return;
      var id = String(payload.story.id);
      if (kind === "unpublished" || !payload.story.visible) {
        pending.delete(id);
        replaceEverywhere(id, null);
      } else if (pending.has(id)) {
        pending.set(id, payload);
      } else if (!replaceEverywhere(id, payload) && kind === "published") {
        pending.set(id, payload);
      }
      refreshCount();
    }

    button.addEventListener("click", function () {
      var first = null;
      pending.forEach(function (payload) {
        var item = parseItem(htmlOf(payload));
        if (!item) return;
        item.classList.add("feed-item--new");
        list.insertBefore(item, list.firstElementChild);
        first = item;
      });
      pending.clear();
      refreshCount();
      if (window.Newsdesk) window.Newsdesk.localiseTimes(list);
      if (first) {
        var link = first.querySelector(".feed-item__headline a");
        (link || first).focus();
      }
    });

    function reloadList() {
      var url = "/more/?" + new URLSearchParams(
        Object.assign({}, compact ? { compact: "1" } : {},
          section.dataset.liveStream.indexOf("topic=") >= 0
            ? { topic: new URL(section.dataset.liveStream, location.href).searchParams.get("topic") }
            : {})).toString();
      fetch(url, { credentials: "same-origin" }).then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) return;
          var template = document.createElement("template");
          template.innerHTML = html;
          list.replaceChildren.apply(list, template.content.querySelectorAll("article"));
          var oldMore = section.querySelector("[data-show-more]");
          var newMore = template.content.querySelector("[data-show-more]");
          if (oldMore && newMore) oldMore.replaceWith(newMore);
          pending.clear();
          refreshCount();
          if (window.Newsdesk) window.Newsdesk.localiseTimes(list);
        });
    }

    var pollTimer = null;
    var etag = null;
    function poll() {
      var url = section.dataset.livePoll;
      url += (url.indexOf("?") >= 0 ? "&" : "?") + "after=" + encodeURIComponent(lastId);
      var headers = etag ? { "If-None-Match": etag } : {};
      fetch(url, { headers: headers, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (response.status === 304 || !response.ok) return null;
          etag = response.headers.get("ETag");
          return response.json();
        })
        .then(function (body) {
          if (!body) return;
          if (body.reset) { reloadList(); }
          else { body.events.forEach(function (p) { handle(p.event, p); }); }
          lastId = String(body.last_id);
        })
        .catch(function () { /* try again at the next tick */ });
    }
    function startPolling() {
      if (pollTimer) return;
      section.dataset.liveMode = "polling";
      poll();
      pollTimer = setInterval(poll, POLL_MS);
    }

    if (!window.EventSource) { startPolling(); return; }
    var url = section.dataset.liveStream;
    if (lastId) url += (url.indexOf("?") >= 0 ? "&" : "?") + "after=" + encodeURIComponent(lastId);
    var source = new EventSource(url);
    var opened = false;
    var failures = 0;
    source.addEventListener("open", function () {
      opened = true;
      failures = 0;
      section.dataset.liveMode = "stream";
    });
    source.addEventListener("error", function () {
      failures += 1;
      // The browser retries by itself; give up on streaming only if it never worked.
      if (source.readyState === EventSource.CLOSED || (!opened && failures >= 3)) {
        source.close();
        startPolling();
      }
    });
    KINDS.forEach(function (kind) {
      source.addEventListener(kind, function (event) {
        if (event.lastEventId) lastId = event.lastEventId;
        try { handle(kind, JSON.parse(event.data)); } catch (e) { /* ignore a malformed event */ }
      });
    });
    source.addEventListener("reset", function (event) {
      if (event.lastEventId) lastId = event.lastEventId;
      reloadList();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var section = document.querySelector("[data-live-stream]");
    if (section) setUp(section);
  });
})();
