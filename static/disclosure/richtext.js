// The rich-text body: edit in a contenteditable area (pasting from Word keeps its structure), switch to
// the HTML source when needed, and always send the HTML in the textarea. The server sanitises it.
(function () {
  function setUp(box) {
    var area = box.querySelector(".richtext-area");
    var source = box.querySelector("textarea");
    var showingSource = false;
    function syncToSource() { if (!showingSource) { source.value = area.innerHTML; } }
    area.addEventListener("input", syncToSource);
    box.querySelectorAll("[data-command]").forEach(function (button) {
      button.addEventListener("click", function () {
        area.focus();
        document.execCommand(button.dataset.command, false, button.dataset.value || null);
        syncToSource();
      });
    });
    box.querySelector("[data-source-toggle]").addEventListener("click", function () {
      showingSource = !showingSource;
      if (showingSource) { source.value = area.innerHTML; } else { area.innerHTML = source.value; }
      source.hidden = !showingSource;
      area.hidden = showingSource;
    });
    var form = box.closest("form");
    if (form) { form.addEventListener("submit", function () { if (!showingSource) { source.value = area.innerHTML; } }); }
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-richtext]").forEach(setUp);
  });
})();
