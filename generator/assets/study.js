// The language switch leads to the same page in the other language (see the theme
// override partials/alternate.html). Anchors (#q-..., section ids) are the same in every
// language, so carry the one the reader is looking at across the switch.
document.addEventListener("click", function (event) {
  var link = event.target instanceof Element && event.target.closest("a.md-select__link[hreflang]");
  if (link && window.location.hash) {
    link.href = link.href.split("#")[0] + window.location.hash;
  }
}, true);
