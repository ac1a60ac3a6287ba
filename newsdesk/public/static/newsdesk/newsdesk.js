/* Newsdesk reader pages. Everything works without this file; with it:
   - times are written in the reader's own time zone, in the newsroom's format (public/times.py:
     "27 November 2026, 21:40", or "9:40 PM" with a 12-hour clock), and the two nearest days
     are called "Today" and "Yesterday" (the server never writes those words: its pages are
     cached, and only the reader's clock knows what today is);
   - feed lists are grouped under a heading per day of the reader's zone, again at midnight;
   - Show More appends the next items in place, keeping scroll position and moving focus to the
     first new item, so keyboard and screen-reader users continue where they were;
   - the page's own list keeps its place: after Show More the address says what is loaded
     (`?through=`, history.replaceState), and the item at the top of the screen is remembered
     in the history entry, so Back (or a reload) draws the same items and scrolls to it.
   The words it writes ("Today", month names, "3 new updates" for live.js) are the page's
   language's, from the JSON block #reader-words (public/reader_words.py), English without it. */
(function () {
  "use strict";

  var ENGLISH = {
    today: "Today", yesterday: "Yesterday", am: "AM", pm: "PM",
    months: ["January", "February", "March", "April", "May", "June", "July", "August",
      "September", "October", "November", "December"],
    new_updates: { forms: ["%(count)s new update", "%(count)s new updates"], table: "10" },
    show_new_updates: {
      forms: ["Show %(count)s new update", "Show %(count)s new updates"], table: "10",
    },
    your_time_zone: "your time zone (%(zone)s)",
    coverage_ended: "Ended: coverage ended at %(time)s",
    new_entry: "New entry: %(title)s",
  };
  var words = ENGLISH;
  var wordsBlock = document.getElementById("reader-words");
  if (wordsBlock) {
    try { words = JSON.parse(wordsBlock.textContent); } catch (error) { words = ENGLISH; }
  }

  /* "%(name)s" in a translated text, filled in. */
  function format(text, values) {
    return text.replace(/%\((\w+)\)s/g, function (all, name) {
      return name in values ? values[name] : all;
    });
  }

  /* The words for a count: the table says which plural form each number takes (gettext's own
     choice, computed on the server for 0–199; a larger number takes that of 100 + n % 100). */
  function plural(entry, n) {
    var index = n < entry.table.length ? entry.table.charAt(n) : entry.table.charAt(100 + n % 100);
    var form = entry.forms[Number(index)] || entry.forms[entry.forms.length - 1];
    return format(form, { count: n });
  }
  function monthName(when) { return words.months[when.getMonth()]; }

  function two(n) { return (n < 10 ? "0" : "") + n; }

  function dayKey(when) {
    return when.getFullYear() + "-" + two(when.getMonth() + 1) + "-" + two(when.getDate());
  }

  function dateText(when) {
    return when.getDate() + " " + monthName(when) + " " + when.getFullYear();
  }

  function dayText(when) {
    var today = new Date();
    if (dayKey(when) === dayKey(today)) return words.today;
    var yesterday = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1);
    if (dayKey(when) === dayKey(yesterday)) return words.yesterday;
    return dateText(when);
  }

  function clockText(when, twelve) {
    var minutes = two(when.getMinutes());
    if (!twelve) return two(when.getHours()) + ":" + minutes;
    var hours = when.getHours() % 12 || 12;
    return hours + ":" + minutes + " " + (when.getHours() < 12 ? words.am : words.pm);
  }

  function localiseTimes(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return; // keep the server's text rather than an empty label
      var twelve = el.dataset.clock === "12";
      var clock = clockText(when, twelve);
      var style = el.dataset.localTime;
      if (style === "update") {
        var since = new Date(el.dataset.since);
        style = !isNaN(since.getTime()) && dayKey(since) === dayKey(when) ? "time" : "datetime";
      }
      if (style === "item") {
        var day = document.createElement("span");
        day.className = "time__day";
        day.textContent = dayText(when) + ", ";
        el.replaceChildren(day, clock);
      } else {
        el.textContent = style === "time" ? clock : dayText(when) + ", " + clock;
      }
      el.title = dateText(when) + ", " + clock;
    });
  }

  /* One heading before the first item of each day (the reader's day), in every feed list of
     `root`; the server's headings (the newsroom's days) are replaced. */
  function arrangeDays(root) {
    var lists = root.matches && root.matches("[data-feed-list]")
      ? [root] : root.querySelectorAll("[data-feed-list]");
    Array.prototype.forEach.call(lists, function (list) {
      var level = list.closest("[data-live-compact]") ? "h3" : "h2";
      list.querySelectorAll(":scope > [data-feed-day]").forEach(function (h) { h.remove(); });
      var last = null;
      Array.prototype.slice.call(list.children).forEach(function (item) {
        if (item.tagName !== "ARTICLE") return;
        var time = item.querySelector(".feed-item__meta time[datetime]");
        var when = time && new Date(time.getAttribute("datetime"));
        if (!when || isNaN(when.getTime())) return;
        var key = dayKey(when);
        if (key === last) return;
        last = key;
        var heading = document.createElement(level);
        heading.className = "feed-day";
        heading.dataset.feedDay = key;
        var label = document.createElement("time");
        label.setAttribute("datetime", key);
        label.textContent = dayText(when);
        heading.appendChild(label);
        list.insertBefore(heading, item);
      });
    });
  }

  function refresh(root) {
    arrangeDays(root);
    localiseTimes(root);
  }

  /* "Today" becomes "Yesterday" at the reader's midnight, with the page open. */
  function atMidnight() {
    var now = new Date();
    var next = new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, 0, 0, 1);
    setTimeout(function () { refresh(document); atMidnight(); }, next - now);
  }

  // ── the reader's place ──────────────────────────────────────────────────────────────────

  function keptList() { return document.querySelector("[data-feed-list][data-keep-place]"); }

  /* The address of what the kept list shows: its first page (`before`, none on the first page)
     through its last item. */
  function rememberLoaded(list) {
    var url = new URL(window.location.href);
    url.searchParams.delete("before");
    url.searchParams.delete("through");
    if (list.dataset.listStart) url.searchParams.set("before", list.dataset.listStart);
    if (list.dataset.listEnd) url.searchParams.set("through", list.dataset.listEnd);
    history.replaceState(history.state, "", url.pathname + url.search + url.hash);
  }

  /* The item at the top of the screen and how far below the top it stands. */
  function savePlace() {
    if (!keptList()) return;
    var items = document.querySelectorAll("main article[data-story-id]");
    var place = { y: window.scrollY };
    for (var i = 0; i < items.length; i++) {
      var box = items[i].getBoundingClientRect();
      if (box.bottom > 0) { place.id = items[i].dataset.storyId; place.top = box.top; break; }
    }
    var state = Object.assign({}, history.state || {}, { newsdeskPlace: place });
    try { history.replaceState(state, ""); } catch (e) { /* too many calls: keep the last */ }
  }

  function restorePlace() {
    var place = history.state && history.state.newsdeskPlace;
    if (!place) return;
    var item = place.id && document.querySelector('main article[data-story-id="' + place.id + '"]');
    var y = item ? item.getBoundingClientRect().top + window.scrollY - place.top : place.y;
    window.scrollTo(0, Math.max(0, y));
  }

  var saveTimer = null;
  function savePlaceSoon() {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(savePlace, 200);
  }

  // ── Show More ───────────────────────────────────────────────────────────────────────────

  function showMore(link) {
    var url = link.dataset.fragment;
    var holder = link.closest("[data-show-more]");
    var list = holder && holder.previousElementSibling;
    if (!url || !list || !list.matches("[data-feed-list]")) return false;
    link.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.text();
      })
      .then(function (html) {
        var template = document.createElement("template");
        template.innerHTML = html;
        var items = template.content.querySelectorAll("article");
        var nextMore = template.content.querySelector("[data-show-more]");
        var end = template.content.querySelector("[data-list-end]");
        var first = null;
        items.forEach(function (item) {
          if (list.querySelector(':scope > article[data-story-id="' + item.dataset.storyId + '"]')) {
            return; // already shown (it arrived live, or moved out of the pinned ones)
          }
          item.classList.add("feed-item--new");
          list.appendChild(item);
          if (!first) first = item;
        });
        refresh(list);
        if (nextMore) { holder.replaceWith(nextMore); } else { holder.remove(); }
        if (end && list.hasAttribute("data-keep-place")) {
          list.dataset.listEnd = end.dataset.listEnd;
          rememberLoaded(list);
        }
        if (first) {
          var headline = first.querySelector(".feed-item__headline a");
          (headline || first).focus({ preventScroll: true });
        }
      })
      .catch(function () {
        // Fall back to the plain link: the next page loads as a whole page.
        window.location.href = link.href;
      });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest("[data-show-more] a[data-fragment]");
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) {
      if (event.target.closest("a[href]")) savePlace(); // leaving: remember where we were
      return;
    }
    if (showMore(link)) event.preventDefault();
  }, true);

  if (keptList() && "scrollRestoration" in history) {
    // Ours to restore, by item rather than by pixels: stories published meanwhile, and day
    // headings in the reader's zone, move everything below them.
    history.scrollRestoration = "manual";
  }

  document.addEventListener("DOMContentLoaded", function () {
    refresh(document);
    atMidnight();
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("[data-tz-label]").forEach(function (el) {
      if (zone) el.textContent = format(words.your_time_zone, { zone: zone });
    });
    if (keptList()) {
      restorePlace();
      window.addEventListener("scroll", savePlaceSoon, { passive: true });
      window.addEventListener("pagehide", savePlace);
    }
  });

  window.Newsdesk = {
    localiseTimes: localiseTimes, arrangeDays: arrangeDays, refresh: refresh,
    rememberLoaded: rememberLoaded, words: words, plural: plural, format: format,
  };
})();
