/* Long multi-selects as searchable comboboxes (the browse page's countries, stakeholders and
   tags): type to narrow the list, arrows to move, Enter to choose or drop, Escape to close,
   Backspace in an empty box drops the last choice. The <select multiple data-combobox> stays
   in the form, hidden, and holds the choices; without JavaScript it is shown as it is.
   Words come from the select's data-combobox-* attributes, in the reader's language. */
(function () {
  "use strict";
  var SHOWN = 50;

  function normal(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function enhance(select, index) {
    var words = select.dataset;
    var label = document.querySelector("label[for='" + select.id + "']");
    var box = document.createElement("div");
    box.className = "combobox";
    var chips = document.createElement("ul");
    chips.className = "combobox__chips";
    chips.setAttribute("aria-label", words.comboboxChosen || "");
    var input = document.createElement("input");
    input.type = "text";
    input.id = select.id + "-search";
    input.className = "combobox__input";
    input.autocomplete = "off";
    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    var list = document.createElement("ul");
    list.className = "combobox__list";
    list.id = select.id + "-options";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-multiselectable", "true");
    list.hidden = true;
    input.setAttribute("aria-controls", list.id);
    if (select.getAttribute("aria-describedby")) {
      input.setAttribute("aria-describedby", select.getAttribute("aria-describedby"));
    }
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    if (label) { label.htmlFor = input.id; }
    box.appendChild(chips);
    box.appendChild(input);
    box.appendChild(list);
    box.appendChild(status);
    select.hidden = true;
    select.parentNode.insertBefore(box, select);

    var options = Array.prototype.slice.call(select.options);
    var matches = [];
    var active = -1;

    function drawChips() {
      chips.textContent = "";
      options.forEach(function (option) {
        if (!option.selected) { return; }
        var item = document.createElement("li");
        var button = document.createElement("button");
        button.type = "button";
        button.className = "combobox__chip";
        button.textContent = option.text + " \u00d7";
        button.setAttribute("aria-label", (words.comboboxRemove || "Remove") + " " + option.text);
        button.addEventListener("click", function () {
          toggle(option);
          input.focus();
        });
        item.appendChild(button);
        chips.appendChild(item);
      });
    }

    function drawList() {
      var wanted = normal(input.value.trim());
      matches = options.filter(function (option) {
        return !wanted || normal(option.text).indexOf(wanted) !== -1;
      }).slice(0, SHOWN);
      list.textContent = "";
      matches.forEach(function (option, position) {
        var item = document.createElement("li");
        item.id = select.id + "-option-" + index + "-" + position;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", option.selected ? "true" : "false");
        item.className = "combobox__option" + (position === active ? " combobox__option--active" : "");
        item.textContent = option.text;
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          toggle(option);
        });
        list.appendChild(item);
      });
      if (!matches.length) {
        var none = document.createElement("li");
        none.className = "combobox__none";
        none.textContent = words.comboboxNone || "";
        list.appendChild(none);
      }
      if (active >= 0 && matches[active]) {
        input.setAttribute("aria-activedescendant", select.id + "-option-" + index + "-" + active);
        list.children[active].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      drawList();
    }

    function close() {
      list.hidden = true;
      active = -1;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
    }

    function toggle(option) {
      option.selected = !option.selected;
      status.textContent = option.text + ": " + (option.selected ? words.comboboxAdded : words.comboboxDropped);
      drawChips();
      if (!list.hidden) { drawList(); }
    }

    input.addEventListener("input", function () {
      active = 0;
      open();
      if (!matches.length) { active = -1; }
    });
    input.addEventListener("focus", open);
    input.addEventListener("blur", close);
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        if (list.hidden) { open(); }
        var step = event.key === "ArrowDown" ? 1 : -1;
        active = Math.max(0, Math.min(matches.length - 1, active + step));
        drawList();
      } else if (event.key === "Enter") {
        if (!list.hidden && matches[active]) {
          event.preventDefault();
          toggle(matches[active]);
          input.value = "";
          drawList();
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          input.value = "";
          close();
        }
      } else if (event.key === "Backspace" && !input.value) {
        var chosen = options.filter(function (option) { return option.selected; });
        if (chosen.length) { toggle(chosen[chosen.length - 1]); }
      }
    });
    drawChips();
  }

  document.querySelectorAll("select[multiple][data-combobox]").forEach(enhance);
})();
