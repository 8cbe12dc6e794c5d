/* While a record's edit form is open (the site's and the admin's), say so every
   data-presence-every seconds, and show the answer in the notice: who else is editing.
   The notice is rendered and escaped by the server's template. */
(function () {
  "use strict";
  var notice = document.querySelector("[data-presence-url]");
  var token = document.querySelector("input[name=csrfmiddlewaretoken]");
  if (!notice || !token) { return; }
  var every = Math.max(5, parseInt(notice.dataset.presenceEvery, 10) || 60) * 1000;
  setInterval(function () {
    fetch(notice.dataset.presenceUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": token.value }
    })
      .then(function (response) {
        // Signed out, or no longer allowed to edit: leave the notice as it was.
        return response.ok && !response.redirected ? response.text() : null;
      })
      .then(function (html) {
        if (html === null) { return; }
        notice.innerHTML = html;
        notice.hidden = !html.trim();
      })
      .catch(function () {});
  }, every);
})();
