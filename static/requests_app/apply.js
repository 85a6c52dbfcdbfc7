// Show the fields that apply: identity documents for people, credit code for organisations; the
// carrier form for a disclosure application, what is wrong and the correct record for a correction
// request. Without JavaScript every field stays visible and the server says which ones are needed.
(function () {
  function chosen(name, fallback) {
    var radio = document.querySelector("input[name=" + name + "]:checked");
    return radio ? radio.value : fallback;
  }
  document.addEventListener("DOMContentLoaded", function () {
    function update() {
      var applicant = chosen("applicant_kind", "person");
      var kind = chosen("kind", "disclosure");
      document.querySelectorAll("[data-group]").forEach(function (field) {
        field.hidden = field.dataset.group !== applicant;
      });
      document.querySelectorAll("[data-kind]").forEach(function (element) {
        element.hidden = element.dataset.kind !== kind;
      });
    }
    document.querySelectorAll("input[name=applicant_kind], input[name=kind]").forEach(function (radio) {
      radio.addEventListener("change", update);
    });
    update();
  });
})();
