/* Progressive enhancement only: every page works before and without this script. */
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
  // "Directions" opens the phone's own maps app: geo: on Android, Apple Maps on iPhone and
  // iPad; elsewhere the web maps link stays. Nothing is fetched until the person taps.
  var agent = navigator.userAgent || "";
  var attribute = /Android/.test(agent) ? "data-geo" :
    /iPhone|iPad|iPod/.test(agent) ? "data-apple" : null;
  if (attribute) {
    var links = document.querySelectorAll("a.directions[" + attribute + "]");
    for (var i = 0; i < links.length; i++) {
      links[i].setAttribute("href", links[i].getAttribute(attribute));
    }
  }
})();

/* "Copy link" on the results: the short address of this search, to paste into a message.
   The address bar shows the same short address, without the form's empty fields. */
(function () {
  "use strict";
  var input = document.getElementById("share-link");
  if (!input) { return; }
  if (window.history && history.replaceState) {
    var short = new URL(input.value, window.location.href);
    history.replaceState(history.state, "", short.pathname + short.search);
  }
  var button = document.querySelector(".copy-link");
  var status = document.querySelector(".copy-status");
  if (!button || !navigator.clipboard) { return; }
  button.hidden = false;
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(input.value).then(function () {
      status.textContent = button.getAttribute("data-copied");
    }, function () {
      input.focus();
      input.select();
    });
  });
  input.addEventListener("focus", function () { input.select(); });
})();
