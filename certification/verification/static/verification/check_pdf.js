// "Check my PDF file": computes the SHA-256 of a chosen file in the browser (the file is never
// uploaded) and compares it with the fingerprint of the genuine PDF shown on the page.
(function () {
  "use strict";
  var box = document.querySelector(".verify-pdf-check");
  if (!box || !window.crypto || !window.crypto.subtle || !window.FileReader) {
    return; // without these the fingerprint stays shown as text
  }
  box.hidden = false;
  var input = box.querySelector("input[type=file]");
  var result = box.querySelector(".verify-pdf-result");
  var expected = (box.getAttribute("data-expected") || "").toLowerCase();

  function hex(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) { return ("0" + b.toString(16)).slice(-2); })
      .join("");
  }

  input.addEventListener("change", function () {
    var file = input.files && input.files[0];
    result.textContent = "";
    result.className = "verify-pdf-result";
    if (!file) { return; }
    file.arrayBuffer()
      .then(function (data) { return window.crypto.subtle.digest("SHA-256", data); })
      .then(function (digest) {
        var ok = hex(digest) === expected;
        result.textContent = result.getAttribute(ok ? "data-match" : "data-mismatch");
        result.className = "verify-pdf-result " + (ok ? "message message-success" : "message message-error");
      })
      .catch(function () {
        result.textContent = result.getAttribute("data-error");
        result.className = "verify-pdf-result message message-error";
      });
  });
})();
