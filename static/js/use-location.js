/* "Use my location": progressive enhancement of the search form. The browser's position is
   rounded to two decimals (about 1 km) before it is put in the form, and it goes only to this
   directory, with the search; nothing is sent anywhere else, nothing is stored. */
(function () {
  "use strict";
  if (!navigator.geolocation) { return; }
  var boxes = document.querySelectorAll(".use-location");
  function hidden(form, name) {
    var input = form.querySelector("input[type=hidden][name=" + name + "]");
    if (!input) {
      input = document.createElement("input");
      input.type = "hidden";
      input.name = name;
      form.appendChild(input);
    }
    return input;
  }
  function enhance(box) {
    var form = box.closest("form");
    var button = box.querySelector("button");
    var status = box.querySelector(".use-location-status");
    box.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = box.getAttribute("data-locating");
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        hidden(form, "lat").value = position.coords.latitude.toFixed(2);
        hidden(form, "lon").value = position.coords.longitude.toFixed(2);
        form.querySelector("input[name=location]").value = "";
        form.submit();
      }, function () {
        status.textContent = box.getAttribute("data-failed");
        button.disabled = false;
        form.querySelector("input[name=location]").focus();
      }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 600000 });
    });
  }
  for (var i = 0; i < boxes.length; i++) { enhance(boxes[i]); }
})();
