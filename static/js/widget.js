/* Treatment Directory widget. Paste:
     <script src="https://DIRECTORY/widget.js" data-partner="KEY" async></script>
   Optional: data-location, data-radius, data-care-level="outpatient,iop", data-therapy,
   data-medication, data-payment, data-service-type, data-co-occurring, data-telehealth,
   data-age-group, data-gender, data-population, data-language, data-require,
   data-lang="es", data-target="element-id", data-title.
   It adds one iframe (after its own script tag, or inside data-target) and sizes it to the
   search inside; it reads and changes nothing else on the page. No dependencies. */
(function () {
  "use strict";
  var PRESETS = ["location", "radius", "service_type", "care_level", "therapy", "medication",
    "co_occurring", "payment", "age_group", "gender", "population", "language", "telehealth",
    "require"];
  var MESSAGE = "treatment-directory:height";
  var TITLES = { en: "Treatment search", es: "Búsqueda de tratamiento" };
  var MOUNTED = "__treatmentDirectoryWidget";

  function isOurs(script) {
    return !!script && !script[MOUNTED] && !!script.getAttribute("data-partner") &&
      /\/widget\.js(?:[?#]|$)/.test(script.src || "");
  }

  function datasetName(name) {
    return name.replace(/_([a-z])/g, function (all, letter) { return letter.toUpperCase(); });
  }

  function widgetUrl(data, directory) {
    var url = new URL("/widget", directory);
    url.searchParams.set("partner", data.partner);
    PRESETS.forEach(function (name) {
      var value = data[datasetName(name)];
      if (value) { url.searchParams.set(name, value); }
    });
    if (data.lang) { url.searchParams.set("lang", data.lang); }
    url.searchParams.set("origin", window.location.origin);
    return url.href;
  }

  function mount(script) {
    script[MOUNTED] = true;
    var data = script.dataset;
    var directory = new URL(script.src, document.baseURI).origin;
    var frame = document.createElement("iframe");
    frame.src = widgetUrl(data, directory);
    frame.title = data.title || TITLES[data.lang === "es" ? "es" : "en"];
    frame.setAttribute("loading", "lazy");
    frame.setAttribute("referrerpolicy", "no-referrer");
    frame.style.width = "100%";
    frame.style.minWidth = "280px";
    frame.style.height = "520px";
    frame.style.border = "0";
    frame.style.display = "block";
    var target = data.target ? document.getElementById(data.target) : null;
    if (target) {
      target.appendChild(frame);
    } else {
      script.parentNode.insertBefore(frame, script.nextSibling);
    }
    window.addEventListener("message", function (event) {
      if (event.origin !== directory || event.source !== frame.contentWindow) { return; }
      var message = event.data;
      if (!message || message.type !== MESSAGE || typeof message.height !== "number") { return; }
      var height = Math.max(120, Math.min(Math.ceil(message.height), 20000));
      frame.style.height = height + "px";
    });
  }

  if (isOurs(document.currentScript)) {
    mount(document.currentScript);
    return;
  }
  // Older browsers (or a script run some other way): find every snippet not yet mounted.
  var scripts = document.getElementsByTagName("script");
  for (var i = 0; i < scripts.length; i++) {
    if (isOurs(scripts[i])) { mount(scripts[i]); }
  }
})();
