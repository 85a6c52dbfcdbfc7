// Show the applicant fields that apply: identity documents for people, credit code for organisations.
// Without JavaScript every field stays visible and the server says which ones are needed.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var radios = document.querySelectorAll("input[name=applicant_kind]");
    function update() {
      var chosen = document.querySelector("input[name=applicant_kind]:checked");
      var kind = chosen ? chosen.value : "person";
      document.querySelectorAll("[data-group]").forEach(function (field) {
        field.hidden = field.dataset.group !== kind;
      });
    }
    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  });
})();
