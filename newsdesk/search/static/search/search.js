/* Search as you type. The form works without this file (a plain GET); with it, results follow
   the words and filters as they change: the page's own URL is fetched, its results section
   replaces ours, and the address follows (history.replaceState), so Back and reload agree. */
(function () {
  "use strict";
  var form = document.querySelector("[data-search-form]");
  var results = document.querySelector("[data-search-results]");
  var status = document.querySelector("[data-search-status]");
  if (!form || !results || !window.fetch || !window.DOMParser) return;
  var timer = null, controller = null, last = null;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, key) { if (value) params.append(key, value); });
    return params.toString();
  }

  function update() {
    var qs = query();
    if (qs === last) return;
    last = qs;
    if (controller) controller.abort();
    controller = new AbortController();
    var url = form.action + (qs ? "?" + qs : "");
    results.setAttribute("aria-busy", "true");
    fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin", signal: controller.signal })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-search-results]");
        if (!fresh) return;
        results.innerHTML = fresh.innerHTML;
        results.removeAttribute("aria-busy");
        // The count is said once by the live region that stays; the one inside was replaced.
        var count = results.querySelector(".search-count");
        if (status) status.textContent = count ? count.textContent : "";
        history.replaceState(history.state, "", url);
      })
      .catch(function (error) { if (error.name !== "AbortError") results.removeAttribute("aria-busy"); });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 200);
  }

  last = query();
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
})();
