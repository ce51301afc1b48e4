// Only on a page `factcheck serve` delivers: reload when the story changes, and send the forms.
(function () {
  "use strict";
  var meta = function (name) { var m = document.querySelector('meta[name="' + name + '"]'); return m ? m.content : ""; };
  var version = meta("factcheck-version");
  var KEY = "factcheck-scroll";

  function reload() {
    try { sessionStorage.setItem(KEY, String(window.scrollY)); } catch (e) { /* private mode */ }
    location.reload();
  }
  try {
    var y = sessionStorage.getItem(KEY);
    if (y !== null) { sessionStorage.removeItem(KEY); window.scrollTo(0, parseInt(y, 10) || 0); }
  } catch (e) { /* private mode */ }

  var live = document.querySelector(".fc-live");
  var events = new EventSource("/events");
  events.addEventListener("version", function (event) {
    if (event.data !== version) { reload(); }
  });
  events.addEventListener("checking", function () { if (live) { live.textContent = "re-checking…"; } });
  events.addEventListener("failed", function (event) { if (live) { live.textContent = event.data; } });
  events.onerror = function () { if (live) { live.textContent = "not connected to factcheck serve"; } };
  events.onopen = function () { if (live) { live.textContent = "live: the page follows sources/ and claims/"; } };

  Array.prototype.forEach.call(document.querySelectorAll("form.fc-post"), function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var message = form.querySelector(".fc-msg");
      var button = form.querySelector("button");
      button.disabled = true;
      if (message) { message.textContent = "saving…"; }
      fetch(form.getAttribute("action"), { method: "POST", body: new FormData(form), credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          if (answer.ok) {
            if (answer.anchor) { location.hash = answer.anchor; }
            if (String(answer.version) !== version) { reload(); } else if (message) { message.textContent = answer.message || "done"; }
          } else if (message) { message.textContent = answer.error; }
          button.disabled = false;
        })
        .catch(function () { if (message) { message.textContent = "no answer from factcheck serve"; } button.disabled = false; });
    });
  });
})();
