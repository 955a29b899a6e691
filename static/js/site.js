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
