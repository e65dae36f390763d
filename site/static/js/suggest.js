/*
 * Suggestions as you type on the search page: a progressive enhancement.
 * Without this script the page works the same; the server already offers "您是不是要找" links.
 * It fills a native <datalist> from GET /api/v1/search/suggest?q=&township= (characters or
 * pinyin prefixes), so the browser's own, keyboard-accessible list shows them.
 */
(function () {
  "use strict";

  var input = document.querySelector("input[data-suggest-url]");
  if (!input || !window.fetch || !("URLSearchParams" in window)) {
    return;
  }
  var url = input.getAttribute("data-suggest-url");
  var list = document.createElement("datalist");
  list.id = input.getAttribute("data-suggest-list") || "search-suggest-list";
  input.parentNode.appendChild(list);
  input.setAttribute("list", list.id);

  var township = document.getElementById("search-township");
  var timer = null;
  var controller = null;
  var last = "";

  function show(suggestions) {
    list.textContent = "";
    suggestions.forEach(function (suggestion) {
      var option = document.createElement("option");
      option.value = suggestion.text;
      list.appendChild(option);
    });
  }

  function fetchSuggestions() {
    var text = input.value.trim().slice(0, 50);
    if (!text || text === last) {
      if (!text) {
        show([]);
      }
      return;
    }
    last = text;
    if (controller) {
      controller.abort();
    }
    controller = "AbortController" in window ? new AbortController() : null;
    var params = new URLSearchParams({ q: text });
    if (township && township.value) {
      params.set("township", township.value);
    }
    fetch(url + "?" + params.toString(), {
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        show((data && data.suggestions) || []);
      })
      .catch(function () {
        /* offline or aborted: the form still works */
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(fetchSuggestions, 200);
  });
})();
