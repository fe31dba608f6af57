/* Grading grid: Alt + arrow keys move to the same field of the neighbouring cell.
   Tab order stays natural (row by row); this only adds a shortcut. No inline script (CSP). */
(function () {
  "use strict";
  var grid = document.querySelector("[data-grading-grid]");
  if (!grid) { return; }
  var moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };

  function cellAt(row, col) {
    return grid.querySelector('td[data-row="' + row + '"][data-col="' + col + '"]');
  }

  grid.addEventListener("keydown", function (event) {
    var move = moves[event.key];
    if (!move || !event.altKey) { return; }
    var field = event.target;
    var cell = field.closest("td[data-row]");
    if (!cell) { return; }
    var kind = field.tagName.toLowerCase();
    var row = parseInt(cell.dataset.row, 10);
    var col = parseInt(cell.dataset.col, 10);
    var next = cellAt(row + move[0], col + move[1]);
    while (next) {
      var target = next.querySelector(kind) || next.querySelector("select, textarea, input");
      if (target) {
        event.preventDefault();
        target.focus();
        return;
      }
      row += move[0];
      col += move[1];
      next = cellAt(row, col);
    }
  });
})();
