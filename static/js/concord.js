/* Concord's small enhancements; the site works without them.
   - details[data-open-wide]: open on wide screens (the browse filters), folded on phones.
   - form.filters: empty filters are not sent.
   - [data-autosubmit]: a select that submits its form on change (language switcher).
   - [data-autocomplete]: suggestions from /autocomplete/<source>/ in a <datalist>;
     with data-multiple the input holds a comma-separated list and the last item is completed.
   - [data-preview-for]: renders the Markdown of a textarea through the preview endpoint. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  if (window.matchMedia("(min-width: 48rem)").matches) {
    document.querySelectorAll("details[data-open-wide]").forEach(function (details) { details.open = true; });
  }

  // Leave empty filters out of the address, so shared links stay short.
  document.querySelectorAll("form.filters").forEach(function (form) {
    form.addEventListener("submit", function () {
      form.querySelectorAll("input, select").forEach(function (field) {
        if (field.name && !field.value && !field.multiple) { field.disabled = true; }
      });
    });
  });
  // Coming back to the page from history must find the form usable again.
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form.filters [disabled]").forEach(function (field) { field.disabled = false; });
  });

  document.querySelectorAll("select[data-autosubmit]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });

  function splitList(value) {
    var parts = value.split(/[,，]/);
    var last = parts.pop();
    return { head: parts.map(function (p) { return p.trim(); }).filter(Boolean), last: last.trim() };
  }

  document.querySelectorAll("input[data-autocomplete]").forEach(function (input, index) {
    var list = document.createElement("datalist");
    list.id = "autocomplete-" + index;
    input.after(list);
    input.setAttribute("list", list.id);
    var multiple = input.dataset.multiple === "true";
    var timer = null;
    var lastQuery = null;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var parts = multiple ? splitList(input.value) : { head: [], last: input.value.trim() };
        if (parts.last === lastQuery) { return; }
        lastQuery = parts.last;
        var url = "/autocomplete/" + encodeURIComponent(input.dataset.autocomplete) + "/?q=" + encodeURIComponent(parts.last);
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            list.replaceChildren();
            var prefix = parts.head.length ? parts.head.join(", ") + ", " : "";
            data.results.forEach(function (item) {
              var option = document.createElement("option");
              option.value = prefix + item.value;
              option.label = item.label;
              option.textContent = item.label;
              list.appendChild(option);
            });
          })
          .catch(function () { list.replaceChildren(); });
      }, 150);
    });
  });

  document.querySelectorAll("[data-preview-for]").forEach(function (button) {
    var source = document.getElementById(button.dataset.previewFor);
    var target = document.getElementById(button.dataset.previewTarget);
    if (!source || !target) { return; }
    button.addEventListener("click", function () {
      var body = new FormData();
      body.append("body", source.value);
      fetch(button.dataset.previewUrl, {
        method: "POST",
        body: body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken() }
      })
        .then(function (response) {
          // A 400 carries the reason (the text is too long) as escaped HTML; show it too.
          return response.ok || response.status === 400 ? response.text() : "";
        })
        .then(function (html) {
          // The endpoint returns HTML already cleaned by the server (Markdown, then nh3).
          target.innerHTML = html;
          target.hidden = false;
        });
    });
  });
})();
