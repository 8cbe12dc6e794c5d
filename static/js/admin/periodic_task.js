"use strict";
// The periodic-task form shows a crontab schedule in words under the crontab field.
(function () {
  const $ = django.jQuery;
  const script = document.getElementById("periodic-task-overrides");
  const readableCrontabs = JSON.parse(document.getElementById("readable-crontabs").textContent);
  const originalHelp = script.dataset.crontabHelp || "";

  function showTranslation(text) {
    const help = $(".field-crontab .help");
    help.text(originalHelp);
    if (text) {
      help.append(document.createElement("br"), document.createTextNode("Translation: " + text));
    }
  }

  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    showTranslation(readableCrontabs[$("#id_crontab").val()]);
  });
})();
