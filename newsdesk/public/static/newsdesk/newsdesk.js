/* Newsdesk reader pages. Everything works without this file; with it:
   - Show More appends the next items in place, keeping scroll position and moving focus to the
     first new item, so keyboard and screen-reader users continue where they were;
   - times are shown in the reader's own time zone (the server renders the newsroom's). */
(function () {
  "use strict";

  var dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
  var timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "short" });

  function localiseTimes(root) {
    root.querySelectorAll("time[data-local-time]").forEach(function (el) {
      var when = new Date(el.getAttribute("datetime"));
      if (isNaN(when.getTime())) return; // keep the server's text rather than an empty label
      var text = el.dataset.localTime === "time" ? timeFormat.format(when) : dateTimeFormat.format(when);
      if (text) { el.textContent = text; el.title = when.toString(); }
    });
  }

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
        var first = null;
        items.forEach(function (item) {
          item.classList.add("feed-item--new");
          list.appendChild(item);
          if (!first) first = item;
        });
        localiseTimes(list);
        if (nextMore) { holder.replaceWith(nextMore); } else { holder.remove(); }
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
    if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
    if (showMore(link)) event.preventDefault();
  });

  document.addEventListener("DOMContentLoaded", function () {
    localiseTimes(document);
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    document.querySelectorAll("[data-tz-label]").forEach(function (el) {
      if (zone) el.textContent = "your time zone (" + zone + ")";
    });
  });

  window.Newsdesk = { localiseTimes: localiseTimes };
})();
