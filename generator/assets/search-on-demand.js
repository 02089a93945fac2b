/* Search on demand: the theme's search index is downloaded when the reader first opens the
   search box, not on every page load (on a large study it outweighs the page itself).
   The theme requests search/search_index.json as soon as a page starts; this script, loaded
   before the theme's, holds that one request back until the search field first gets focus
   (a click, a tap on the phone's search button, or the theme's keyboard shortcuts), or the
   page was opened from a search result, then sends it. Nothing else is touched: every other request goes out as usual. */
(function () {
  "use strict";
  var INDEX = /(^|\/)search\/search_index\.json([?#]|$)/;
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  var held = [];
  var wanted = false;

  function release() {
    if (wanted) return;
    wanted = true;
    held.splice(0).forEach(function (go) { go(); });
  }

  XMLHttpRequest.prototype.open = function (method, url) {
    this.studySearchIndex = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.studySearchIndex || wanted) return send.apply(request, args);
    held.push(function () { send.apply(request, args); });
  };

  // Arriving from a search result (?h=...): the theme highlights the words, which needs
  // the index's settings, so the reader is still searching.
  if (/[?&]h=/.test(window.location.search)) release();

  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("[data-md-component=search-query]")) release();
  }, true);
  document.addEventListener("change", function (event) {
    if (event.target && event.target.id === "__search" && event.target.checked) release();
  }, true);
})();
