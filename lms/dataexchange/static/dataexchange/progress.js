// Live progress of a background import: polls the job's JSON endpoint and reloads the page when
// the job stops running. Without JavaScript the page offers a plain "Refresh" link instead.
(function () {
  "use strict";
  var box = document.querySelector("[data-progress-url]");
  if (!box) {
    return;
  }
  var url = box.getAttribute("data-progress-url");
  var bar = box.querySelector("progress");
  var text = box.querySelector("[data-progress-text]");
  var status = document.querySelector("[data-progress-status]");

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (data) {
        bar.max = data.total || 1;
        bar.value = data.processed;
        bar.textContent = data.processed + " / " + data.total;
        if (text) {
          text.textContent = data.processed + " / " + data.total + " (" + data.percent + " %)";
        }
        if (status) {
          status.textContent = data.status_label;
        }
        if (data.running) {
          window.setTimeout(poll, 2000);
        } else {
          window.location.reload();
        }
      })
      .catch(function () {
        window.setTimeout(poll, 10000);
      });
  }

  window.setTimeout(poll, 1000);
})();
