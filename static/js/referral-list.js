/* The referral list, kept in this browser (localStorage) and in the list's address, never on
   the server. On the results, "Add to my list" boxes replace the plain "Referral sheet" links
   and a bar links to /list?ids=…; on the list, the browser's copy follows the address, and
   Print prints the sheet. Without this script every link still works. */
(function () {
  "use strict";
  var KEY = "treatment-directory:list";
  var PLACE_KEY = "treatment-directory:list-place";
  var MAX = 20;
  var storage;
  try {
    storage = window.localStorage;
    storage.setItem(KEY + ":test", "1");
    storage.removeItem(KEY + ":test");
  } catch (error) {
    return; // no storage (private mode, blocked): the plain links stay
  }

  function stored() {
    try {
      var ids = JSON.parse(storage.getItem(KEY) || "[]");
      return Array.isArray(ids) ? ids.filter(function (id) {
        return typeof id === "string" && /^[0-9a-z]{1,16}$/.test(id);
      }).slice(0, MAX) : [];
    } catch (error) {
      return [];
    }
  }

  function store(ids, place) {
    storage.setItem(KEY, JSON.stringify(ids.slice(0, MAX)));
    if (place !== undefined) { storage.setItem(PLACE_KEY, place); }
  }

  function listAddress(base, ids, place) {
    var query = [];
    if (ids.length) { query.push("ids=" + ids.join(",")); }
    if (place) { query.push(place); }
    if (!query.length) { return base; }
    return base + (base.indexOf("?") >= 0 ? "&" : "?") + query.join("&");
  }

  // The results page: tick places into the list.
  var bar = document.querySelector(".list-bar");
  if (bar) {
    var status = document.querySelector(".list-status");
    var link = bar.querySelector("a");
    var count = bar.querySelector(".list-count");
    var place = bar.getAttribute("data-place") || "";
    var refresh = function () {
      var ids = stored();
      count.textContent = String(ids.length);
      link.setAttribute("href", listAddress(bar.getAttribute("data-list-url"), ids, place));
      bar.hidden = ids.length === 0;
    };
    var rows = document.querySelectorAll(".list-tick-row");
    for (var i = 0; i < rows.length; i++) {
      var box = rows[i].querySelector("input[type=checkbox]");
      rows[i].querySelector(".list-link").hidden = true;
      rows[i].querySelector(".list-tick").hidden = false;
      box.checked = stored().indexOf(box.value) >= 0;
      box.addEventListener("change", function (event) {
        var target = event.target;
        var ids = stored().filter(function (id) { return id !== target.value; });
        if (target.checked) {
          if (ids.length >= MAX) { target.checked = false; return; }
          ids.push(target.value);
        }
        store(ids, place);
        refresh();
        status.textContent = status.getAttribute(target.checked ? "data-added" : "data-removed");
        var same = document.querySelectorAll(".list-tick input[value='" + target.value + "']");
        for (var j = 0; j < same.length; j++) { same[j].checked = target.checked; }
      });
    }
    refresh();
    window.addEventListener("storage", function () { refresh(); });
  }

  // The list page: the browser keeps what the address says; an address without ids opens
  // the list kept in this browser.
  var list = document.querySelector(".referral-list");
  if (list) {
    var here = new URLSearchParams(window.location.search);
    if (here.has("ids")) {
      var ids = (list.getAttribute("data-ids") || "").split(",").filter(Boolean);
      store(ids, list.getAttribute("data-place") || "");
    } else if (stored().length) {
      window.location.replace(listAddress(list.getAttribute("data-list-url"), stored(),
        storage.getItem(PLACE_KEY) || ""));
      return;
    }
    var print = list.querySelector(".print-list");
    if (print) {
      print.hidden = false;
      print.addEventListener("click", function () { window.print(); });
    }
  }
})();
