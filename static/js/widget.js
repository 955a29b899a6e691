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
    "detox_for", "support", "operator", "open_now", "walk_in", "require"];
  var MESSAGE = "treatment-directory:height";
  var TOP = "treatment-directory:top";
  var TITLES = { en: "Treatment search", es: "Búsqueda de tratamiento" };
  // Shown instead of the frame when it does not answer (an origin not registered for the key,
  // a disabled key, the directory offline): nobody is left with a blank box.
  var GRACE_MS = 4000;
  var FALLBACK = {
    en: { search: "Search for treatment on the Treatment Directory",
          help: "Need help now?", lifeline: "988 Suicide & Crisis Lifeline: call or text 988",
          helpline: "SAMHSA National Helpline (free, 24/7): 1-800-662-4357" },
    es: { search: "Buscar tratamiento en el Directorio de Tratamiento",
          help: "¿Necesita ayuda ahora?",
          lifeline: "988 Línea de Prevención del Suicidio y Crisis: llame o envíe un texto al 988",
          helpline: "Línea Nacional de Ayuda de SAMHSA (gratis, 24/7): 1-800-662-4357" }
  };
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
    frame.setAttribute("allow", "geolocation");  // only the directory's own frame, on a tap
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
    var answered = false;
    var timer = null;
    function giveUpSoon(delay) {
      if (answered || timer) { return; }
      timer = window.setTimeout(function () {
        if (!answered) { showFallback(frame, data, directory); }
      }, delay);
    }
    // A refused or failed frame still fires "load" (with the browser's error page inside).
    frame.addEventListener("load", function () { giveUpSoon(GRACE_MS); });
    frame.addEventListener("error", function () { giveUpSoon(0); });
    window.addEventListener("message", function (event) {
      if (event.origin !== directory || event.source !== frame.contentWindow) { return; }
      var message = event.data;
      if (!message) { return; }
      if (message.type === TOP) {
        // A new page of results: bring the widget's top into view, not the host's footer.
        if (frame.getBoundingClientRect().top < 0) { frame.scrollIntoView({ block: "start" }); }
        return;
      }
      if (message.type !== MESSAGE || typeof message.height !== "number") { return; }
      answered = true;
      var height = Math.max(120, Math.min(Math.ceil(message.height), 20000));
      frame.style.height = height + "px";
    });
  }

  function line(tag, text, href) {
    var element = document.createElement(tag);
    if (href) {
      var link = document.createElement("a");
      link.href = href;
      link.textContent = text;
      element.appendChild(link);
    } else {
      element.textContent = text;
    }
    return element;
  }

  function showFallback(frame, data, directory) {
    var words = FALLBACK[data.lang === "es" ? "es" : "en"];
    var search = new URL(data.location ? "/search" : "/", directory);
    if (data.location) { search.searchParams.set("location", data.location); }
    if (data.lang) { search.searchParams.set("lang", data.lang); }
    var box = document.createElement("div");
    box.className = "treatment-directory-fallback";
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", frame.title);
    box.style.border = "1px solid #c9d0d8";
    box.style.padding = "1rem";
    box.appendChild(line("p", words.search, search.href));
    box.appendChild(line("p", words.help));
    var lines = document.createElement("ul");
    lines.appendChild(line("li", words.lifeline, "tel:988"));
    lines.appendChild(line("li", words.helpline, "tel:+18006624357"));
    box.appendChild(lines);
    frame.parentNode.insertBefore(box, frame);
    frame.style.display = "none";
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
