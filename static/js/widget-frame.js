/* Inside the widget's iframe: tell the embedding page how tall the content is, so it can
   size the iframe. Only a number is sent, and only to the partner origin the directory
   checked against the partner's allowed list (data-parent-origin), never to "*". */
(function () {
  "use strict";
  var parentOrigin = document.documentElement.getAttribute("data-parent-origin");
  if (!parentOrigin || window.parent === window) { return; }
  var last = 0;
  function report() {
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height === last) { return; }
    last = height;
    window.parent.postMessage({ type: "treatment-directory:height", height: height }, parentOrigin);
  }
  // After a search or a new page of results, ask the host to show the widget's top.
  if (/[?&](sent|page)=/.test(window.location.search)) {
    window.parent.postMessage({ type: "treatment-directory:top" }, parentOrigin);
  }
  if (window.ResizeObserver) { new ResizeObserver(report).observe(document.documentElement); }
  document.addEventListener("toggle", report, true);
  window.addEventListener("load", report);
  report();
})();
