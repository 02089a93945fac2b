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

// Material opens the phone drawer and the search with <label>s, which a keyboard cannot reach;
// the header override adds named buttons in their place (partials/header.html). A button
// presses the hidden toggle, aria-expanded follows its state; a drawer opened from the
// keyboard takes the focus, and Escape closes it.
(function () {
  function buttonFor(toggle) {
    return document.querySelector("button[data-study-toggle='" + toggle.id + "']");
  }
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element && event.target.closest("button[data-study-toggle]");
    var toggle = button && document.getElementById(button.getAttribute("data-study-toggle"));
    if (!toggle) return;
    toggle.click();
    var query = document.querySelector("input.md-search__input");
    if (toggle.id === "__search" && toggle.checked && query) query.focus();
    if (toggle.id === "__drawer" && toggle.checked && event.detail === 0) {  // from the keyboard
      var first = document.querySelector(".md-sidebar--primary a[href]");
      if (first) first.focus({preventScroll: true});
    }
  });
  document.addEventListener("keydown", function (event) {
    var drawer = document.getElementById("__drawer");
    if (event.key === "Escape" && drawer && drawer.checked) {
      drawer.click();
      var button = buttonFor(drawer);
      if (button) button.focus();
    }
  });
  ["__drawer", "__search"].forEach(function (id) {
    var toggle = document.getElementById(id);
    if (!toggle) return;
    toggle.addEventListener("change", function () {
      var button = buttonFor(toggle);
      if (button) button.setAttribute("aria-expanded", toggle.checked ? "true" : "false");
    });
  });
})();

// A wide table scrolls sideways inside Material's wrapper: a keyboard user must be able to
// focus the wrapper to scroll it, and a screen reader hears what it holds (the heading above).
(function () {
  function label(wrap) {
    for (var node = wrap; node && !node.matches(".md-content"); node = node.parentElement) {
      for (var before = node.previousElementSibling; before; before = before.previousElementSibling) {
        if (/^H[1-6]$/.test(before.tagName) && before.id) return before.id;
      }
    }
    return null;
  }
  function mark() {
    document.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.hasAttribute("tabindex")) return;
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("role", "region");
      var heading = label(wrap);
      if (heading) wrap.setAttribute("aria-labelledby", heading);
    });
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(mark);
  } else {
    document.addEventListener("DOMContentLoaded", mark);
  }
})();

// At start-up Material fetches sitemap.xml once for every <link rel="alternate"> in the head
// (three per page here), to redirect the links of its own language selector. This site's
// switch already names the same page in the other language, so hide the links from Material
// while it starts, then put them back for anyone else reading the page.
(function () {
  var links = Array.prototype.slice.call(document.querySelectorAll("link[rel='alternate'][hreflang]"));
  links.forEach(function (link) { link.rel = "study-alternate"; });
  document.addEventListener("DOMContentLoaded", function () {
    setTimeout(function () {
      links.forEach(function (link) { link.rel = "alternate"; });
    }, 0);
  });
})();

// On paper the original stays beside each quote, also where the reader folded it away.
window.addEventListener("beforeprint", function () {
  document.querySelectorAll("details.quote__original:not([open])").forEach(function (details) {
    details.setAttribute("open", "");
    details.setAttribute("data-study-print-opened", "");
  });
});
window.addEventListener("afterprint", function () {
  document.querySelectorAll("details[data-study-print-opened]").forEach(function (details) {
    details.removeAttribute("open");
    details.removeAttribute("data-study-print-opened");
  });
});
