/* @username completion in the comment textareas (textarea[data-mentions], the value being the
   address of the suggestions: {"results": [{"value", "label"}]}). Typing @ and the first
   letters of a name opens a listbox under the textarea; arrows move, Enter or Tab picks,
   Escape closes, a click picks. The forms work the same without it. */
(function () {
  "use strict";

  // The @word the caret is in: @ at the start or after a character that cannot be in a name.
  var TYPED = /(^|[^\w@.+-])@([\w.+-]*)$/;
  var counter = 0;

  function typedMention(textarea) {
    var before = textarea.value.slice(0, textarea.selectionStart);
    var match = TYPED.exec(before);
    if (!match || !match[2]) { return null; }
    return { start: before.length - match[2].length, prefix: match[2] };
  }

  function attach(textarea) {
    counter += 1;
    var listId = "mentions-" + counter;
    var wrapper = document.createElement("div");
    wrapper.className = "mentions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mentions__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", textarea.dataset.mentionsLabel || "@");
    list.hidden = true;
    textarea.after(wrapper);
    wrapper.appendChild(list);
    textarea.setAttribute("aria-autocomplete", "list");
    textarea.setAttribute("aria-controls", listId);
    textarea.setAttribute("aria-expanded", "false");

    var options = [];
    var active = -1;
    var typed = null;
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.replaceChildren();
      options = [];
      active = -1;
      textarea.setAttribute("aria-expanded", "false");
      textarea.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      options.forEach(function (option, i) { option.setAttribute("aria-selected", i === index ? "true" : "false"); });
      if (index >= 0) {
        textarea.setAttribute("aria-activedescendant", options[index].id);
        options[index].scrollIntoView({ block: "nearest" });
      } else {
        textarea.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      if (!typed || index < 0 || index >= options.length) { return; }
      var name = options[index].dataset.value;
      var value = textarea.value;
      var end = typed.start + typed.prefix.length;
      var inserted = name + " ";
      textarea.value = value.slice(0, typed.start) + inserted + value.slice(end);
      var caret = typed.start + inserted.length;
      textarea.setSelectionRange(caret, caret);
      close();
      textarea.focus();
    }

    function show(results) {
      list.replaceChildren();
      options = results.map(function (item, i) {
        var option = document.createElement("li");
        option.id = listId + "-" + i;
        option.className = "mentions__option";
        option.setAttribute("role", "option");
        option.dataset.value = item.value;
        option.textContent = "@" + item.label;
        // mousedown, not click: the textarea must not lose its caret first.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(option);
        return option;
      });
      if (!options.length) { close(); return; }
      list.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      highlight(0);
    }

    function lookUp() {
      typed = typedMention(textarea);
      if (!typed) { close(); return; }
      asked += 1;
      var question = asked;
      var url = textarea.dataset.mentions + "?q=" + encodeURIComponent(typed.prefix);
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (question === asked) { show(data.results || []); } })
        .catch(close);
    }

    textarea.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(lookUp, 120);
    });
    textarea.addEventListener("keydown", function (event) {
      if (list.hidden) { return; }
      if (event.key === "ArrowDown") {
        event.preventDefault();
        highlight((active + 1) % options.length);
      } else if (event.key === "ArrowUp") {
        event.preventDefault();
        highlight((active - 1 + options.length) % options.length);
      } else if (event.key === "Enter" || event.key === "Tab") {
        if (active >= 0) {
          event.preventDefault();
          pick(active);
        }
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    textarea.addEventListener("blur", function () { setTimeout(close, 100); });
  }

  document.querySelectorAll("textarea[data-mentions]").forEach(attach);
})();
