// Progressive enhancement only: without JavaScript every finding is in the page and every link works.
(function () {
  "use strict";
  var form = document.querySelector("form.filters");
  var cards = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("details.group"));

  function openTarget() {
    // A link into a collapsed group, article or quote list opens it, so the target is on screen.
    var id;
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) { return; }
    var target = id && document.getElementById(id);
    if (!target) { return; }
    for (var el = target; el; el = el.parentElement) {
      if (el.tagName === "DETAILS") { el.open = true; }
      if (el.hidden && el.classList.contains("finding")) { el.hidden = false; }
    }
    target.scrollIntoView();
  }

  function apply() {
    var want = {
      kind: form.elements.kind.value,
      status: form.elements.status.value,
      source: form.elements.source.value
    };
    var shown = 0;
    cards.forEach(function (card) {
      var ok = (!want.kind || card.dataset.kind === want.kind) &&
               (!want.status || card.dataset.status === want.status) &&
               (!want.source || (" " + card.dataset.sources + " ").indexOf(" " + want.source + " ") !== -1);
      card.hidden = !ok;
      if (ok) { shown += 1; }
    });
    var filtering = want.kind || want.status || want.source;
    groups.forEach(function (group) {
      // A filter shows what it found: groups with a match open, groups without one step aside.
      var any = group.querySelector("article.finding:not([hidden])") !== null;
      group.hidden = !any;
      if (filtering && any) { group.open = true; }
    });
    form.querySelector(".shown").textContent = "Showing " + shown + " of " + cards.length + " findings.";
  }

  if (form) {
    form.hidden = false;
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    apply();
  }
  // A printed report is complete: every folded group and quote list opens.
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
  });
  window.addEventListener("hashchange", openTarget);
  openTarget();
})();
