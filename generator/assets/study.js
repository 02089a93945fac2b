// The language switch leads to the same page in the other language (see the theme
// override partials/alternate.html). Anchors (#q-..., section ids) are the same in every
// language, so carry the one the reader is looking at across the switch.
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
}, true);

// A link to a quote (#q-...) whose quote is not on this page: a long results page is split
// into parts, and a quote may have moved since the link was made. quote-pages.json (beside
// every page) says where each quote is; it is fetched only in this case.
(function () {
  var id = decodeURIComponent(window.location.hash.slice(1));
  if (!/^q-[a-z0-9-]+$/.test(id) || document.getElementById(id)) return;
  fetch(new URL("quote-pages.json", window.location.href).href)
    .then(function (response) { return response.ok ? response.json() : {}; })
    .then(function (pages) {
      var page = pages[id];
      var here = window.location.pathname.split("/").pop() || "index.html";
      if (typeof page === "string" && page !== here) {
        window.location.replace(new URL(page + "#" + id, window.location.href).href);
      }
    })
    .catch(function () {});
})();

// "Cite this quote": the citation is readable without JavaScript (a <details> element); where
// JavaScript runs, a relative address becomes the page's full one and a button copies it.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll(".quote__url[data-href]").forEach(function (span) {
    span.textContent = new URL(span.getAttribute("data-href"), window.location.href).href;
  });
  if (!navigator.clipboard) return;
  document.querySelectorAll(".quote__copy").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var text = button.parentElement.querySelector(".quote__citation").textContent;
      navigator.clipboard.writeText(text.replace(/\s+/g, " ").trim()).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
});
