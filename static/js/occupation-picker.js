// The occupation field's search (OccupationField): the results come from the server by
// htmx; a click on one puts its code into the field. Without JavaScript the user types the
// code and finds it on the search page. Loaded once however many fields a page has.
(function () {
  "use strict";
  if (window.brueckeOccupationPicker) {
    return;
  }
  window.brueckeOccupationPicker = true;

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-occupation-code]");
    if (!button) {
      return;
    }
    var input = document.getElementById(button.getAttribute("data-occupation-target"));
    if (!input) {
      return;
    }
    input.value = button.getAttribute("data-occupation-code");
    var results = button.closest(".occupation-picker__results");
    if (results) {
      var note = document.createElement("p");
      note.className = "kern-hint";
      note.textContent = (input.getAttribute("data-picked-text") || "") + " " + button.textContent.trim();
      results.replaceChildren(note);
    }
    input.focus();
  });

  // Enter in the search box searches; it does not send the form around it.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches(".occupation-picker__search")) {
      event.preventDefault();
    }
  });
})();
