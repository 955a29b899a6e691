/* Progressive enhancement only: every page works before and without this script. */
(function () {
  "use strict";
  // Move focus to the error summary so screen readers announce what to fix.
  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }
})();
