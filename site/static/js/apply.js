/* Online applications: small enhancements; every page works without them.
 * - the error summary takes the focus, so screen readers read it first;
 * - the village list shows only the chosen township's villages;
 * - a submit button is disabled once clicked (the server refuses a second submit anyway). */
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();

  var township = document.querySelector("select[name$='-township']");
  var village = document.querySelector("select[name$='-village']");
  if (township && village) {
    var groups = Array.prototype.slice.call(village.querySelectorAll("optgroup"));
    var names = {};
    Array.prototype.forEach.call(township.options, function (o) { names[o.value] = o.text; });
    var filter = function () {
      var name = names[township.value];
      groups.forEach(function (g) {
        var show = !township.value || g.label === name;
        g.hidden = !show;
        g.disabled = !show;
      });
      var selected = village.options[village.selectedIndex];
      if (selected && selected.parentNode.disabled) village.value = "";
    };
    township.addEventListener("change", filter);
    filter();
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-prevent-double-click]"), function (b) {
    b.form.addEventListener("submit", function () {
      window.setTimeout(function () { b.disabled = true; }, 0);
    });
  });
})();
