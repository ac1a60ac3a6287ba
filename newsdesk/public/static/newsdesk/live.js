/* The live News Feed. Without this file the page works as before (reload to see news).
   With it, the first list marked [data-live-stream] listens to /live/stream:
   - new items wait behind an "N new updates" button so nothing jumps under the reader's eyes.
     On the page's own feed the button is a bar fixed at the top of the window, in view wherever
     the reader is; it is the first thing in <main> for the keyboard, announced politely to screen
     readers and counted in the page title; pressing it puts the items in, scrolls to the newest
     and moves focus to it. In a sidebar (a story page's) it stays above the sidebar's list;
   - updated items re-render in place ("(Updated: …)"), unpublished ones disappear;
   - a story pinned or unpinned moves into or out of the pinned section of the News Feed;
   - day headings follow (newsdesk.js): an item arriving after midnight comes under "Today";
   - a "reset" (missed too much while away) reloads the list and the pinned stories;
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

  function refreshTimes(root) {
    if (window.Newsdesk) window.Newsdesk.refresh(root);
  }

  /* Newest first by (published time, id), as the server orders lists. */
  function newerThan(a, b) {
    if (a.when !== b.when) return a.when > b.when;
    return a.id > b.id;
  }

  function positionOf(article) {
    var time = article.querySelector(".feed-item__meta time[datetime]");
    return {
      when: time ? new Date(time.getAttribute("datetime")).getTime() : 0,
      id: Number(article.dataset.storyId),
    };
  }

  /* Put `item` among the articles of `container` by time; false when it belongs after the last
     one and `open` says more older items exist that are not loaded (it will come with them). */
  function insertInOrder(container, item, open) {
    var mine = positionOf(item);
    var articles = container.querySelectorAll(":scope > article");
    for (var i = 0; i < articles.length; i++) {
      if (newerThan(mine, positionOf(articles[i]))) {
        var before = articles[i].previousElementSibling;
        var anchor = before && before.matches("[data-feed-day]") ? before : articles[i];
        container.insertBefore(item, anchor);
        return true;
      }
    }
    if (open) return false;
    container.appendChild(item);
    return true;
  }

  function setUp(section) {
    var list = section.querySelector("[data-feed-list]");
    if (!list || !window.EventSource && !window.fetch) return;
    var compact = section.hasAttribute("data-live-compact");
    var pinnedList = compact ? null : document.querySelector("[data-pinned-list]");
    var lastId = section.dataset.liveAfter || "";
    var pending = new Map(); // story id -> payload, in arrival order
    var baseTitle = document.title;

    var bar = document.createElement("div");
    bar.className = compact ? "live-bar live-bar--inline" : "live-bar";
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
    var main = document.getElementById("main");
    if (!compact && main) {
      main.insertBefore(bar, main.firstChild);
    } else {
      section.insertBefore(bar, list);
    }

    function htmlOf(payload) { return compact ? payload.html_compact : payload.html; }

    function refreshCount() {
      var n = pending.size;
      var nd = window.Newsdesk;
      var label = nd ? nd.plural(nd.words.new_updates, n) : n + " new updates";
      bar.hidden = n === 0;
      button.textContent = n ? (nd ? nd.plural(nd.words.show_new_updates, n) : "Show " + label) : "";
      status.textContent = n ? label : "";
      document.title = n ? "(" + n + ") " + baseTitle : baseTitle;
    }

    function replaceEverywhere(storyId, payload) {
      var found = false;
      document.querySelectorAll('article[data-story-id="' + storyId + '"]').forEach(function (el) {
        found = true;
        var parent = el.parentNode;
        if (!payload) { el.remove(); refreshTimes(parent); return; }
        var small = el.classList.contains("feed-item--compact");
        var fresh = parseItem(small ? payload.html_compact : payload.html);
        if (fresh) {
          el.replaceWith(fresh);
          refreshTimes(parent);
        }
      });
      return found;
    }

    /* On the News Feed, a story's place follows `pinned`: true when it was moved. */
    function movePinned(id, payload) {
      if (!pinnedList) return false;
      var selector = 'article[data-story-id="' + id + '"]';
      var inPinned = pinnedList.querySelector(selector);
      if (payload.story.pinned === Boolean(inPinned)) return false;
      var item = parseItem(payload.html);
      if (!item) return false;
      if (payload.story.pinned) {
        pending.delete(id);
        list.querySelectorAll(selector).forEach(function (el) { el.remove(); });
        insertInOrder(pinnedList, item, false);
        pinnedList.hidden = false;
      } else {
        inPinned.remove();
        pinnedList.hidden = !pinnedList.querySelector("article");
        var more = section.querySelector("[data-show-more] a[data-fragment]");
        insertInOrder(list, item, Boolean(more));
      }
      refreshTimes(document);
      return true;
    }

    function handle(kind, payload) {
      if (!payload || !payload.story) return;
      var id = String(payload.story.id);
      if (kind === "unpublished" || !payload.story.visible) {
        pending.delete(id);
        replaceEverywhere(id, null);
      } else if (movePinned(id, payload)) {
        // moved into or out of the pinned ones
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
      refreshTimes(list);
      if (first) {
        var heading = first.previousElementSibling;
        var top = heading && heading.matches("[data-feed-day]") ? heading : first;
        top.scrollIntoView({ block: "start" });
        var link = first.querySelector(".feed-item__headline a");
        (link || first).focus({ preventScroll: true });
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
          var end = template.content.querySelector("[data-list-end]");
          if (end && list.hasAttribute("data-keep-place") && window.Newsdesk) {
            list.dataset.listEnd = end.dataset.listEnd;
            window.Newsdesk.rememberLoaded(list);
          }
          pending.clear();
          refreshCount();
          refreshTimes(list);
        });
      if (pinnedList) reloadPinned();
    }

    /* After a reset the pinned stories may have changed too: take them from the page afresh. */
    function reloadPinned() {
      fetch(location.pathname, { credentials: "same-origin", cache: "no-store" })
        .then(function (r) { return r.ok ? r.text() : ""; })
        .then(function (html) {
          if (!html) return;
          var fresh = new DOMParser().parseFromString(html, "text/html")
            .querySelector("[data-pinned-list]");
          if (!fresh) return;
          pinnedList.querySelectorAll("article").forEach(function (el) { el.remove(); });
          fresh.querySelectorAll("article").forEach(function (el) {
            pinnedList.appendChild(document.importNode(el, true));
          });
          pinnedList.hidden = !pinnedList.querySelector("article");
          refreshTimes(pinnedList);
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
