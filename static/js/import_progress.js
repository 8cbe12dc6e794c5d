/* While an import runs in the background, ask its job (the API's /api/v1/imports/{id}/)
   every two seconds how far it has got, move the progress bar, and show the report (the
   page itself) once it is done. Without this script the page's Refresh link does the same. */
(function () {
  "use strict";
  var section = document.querySelector("[data-job-url]");
  if (!section) { return; }
  var bar = section.querySelector("progress");
  var processed = section.querySelector("[data-job-processed]");
  function poll() {
    fetch(section.dataset.jobUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (job === null) { return; }
        if (job.state === "done" || job.state === "failed") {
          window.location.reload();
          return;
        }
        bar.max = job.total;
        bar.value = job.processed;
        bar.textContent = job.processed + " / " + job.total;
        processed.textContent = job.processed;
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
