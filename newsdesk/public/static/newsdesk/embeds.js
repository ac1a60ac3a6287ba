/* Embeds: the platform's player or post is loaded only when the reader asks for it.
   Pages carry no third-party script, frame or image (public/_embed_card.html); this shows each
   card's button and, on a click, puts the platform's frame in its place. Listening on the
   document also serves cards that arrive later (Show More, the live feed). The frame's origin
   is allowed by the Content-Security-Policy's frame-src (config/settings.py). */
(function () {
  "use strict";

  function reveal(root) {
    var boxes = (root || document).querySelectorAll("[data-embed-player][hidden]");
    for (var i = 0; i < boxes.length; i++) boxes[i].hidden = false;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".embed__load");
    if (!button) return;
    var box = button.closest("[data-embed-player]");
    var frame = document.createElement("iframe");
    frame.src = box.getAttribute("data-embed-player");
    frame.title = box.getAttribute("data-embed-title") || "Embedded post";
    frame.className = "embed__frame";
    frame.setAttribute("allow", "autoplay; encrypted-media; fullscreen; picture-in-picture");
    frame.setAttribute("allowfullscreen", "");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    box.replaceChildren(frame);
    frame.focus();
  });

  reveal(document);
  new MutationObserver(function () { reveal(document); })
    .observe(document.documentElement, { childList: true, subtree: true });
})();
