// Progressive enhancement: without JavaScript every finding stays visible.
(function () {
  var form = document.querySelector(".filters");
  if (!form) { return; }
  form.hidden = false;
  function apply() {
    var want = {};
    form.querySelectorAll("select").forEach(function (s) { want[s.dataset.filter] = s.value; });
    document.querySelectorAll(".finding").forEach(function (card) {
      var ok = (!want.kind || card.dataset.kind === want.kind) &&
               (!want.status || card.dataset.status === want.status) &&
               (!want.source || (" " + card.dataset.sources).indexOf(" " + want.source + " ") !== -1);
      card.hidden = !ok;
    });
  }
  form.addEventListener("change", apply);
  if (location.hash.indexOf("#source-") === 0) {
    var d = document.querySelector(location.hash);
    if (d) { d.open = true; }
  }
})();
