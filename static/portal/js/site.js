// 大字版 (large-text mode for older readers): a toggle remembered in this browser.
(function () {
  var root = document.documentElement;
  var KEY = "large-text";
  function apply(on) {
    root.classList.toggle("large-text", on);
    document.querySelectorAll("[data-large-text-toggle]").forEach(function (button) {
      button.setAttribute("aria-pressed", on ? "true" : "false");
      button.textContent = on ? "标准字号" : "大字版";
    });
  }
  var stored = false;
  try { stored = localStorage.getItem(KEY) === "1"; } catch (e) {}
  root.classList.toggle("large-text", stored);
  document.addEventListener("DOMContentLoaded", function () {
    apply(stored);
    document.querySelectorAll("[data-large-text-toggle]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var on = !root.classList.contains("large-text");
        try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) {}
        apply(on);
      });
    });
  });
})();

// A print button (the application receipt): no inline onclick, the Content-Security-Policy allows none.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
});
