// One save per create form also after "back" (decision 0022): pages are not cached
// (Cache-Control: no-store), so going back renders the form anew with a new one-time token
// while the browser restores what was typed. The token of a sent form is kept in its
// history entry and put back, so sending the restored form again saves nothing twice.
(function () {
  "use strict";
  var KEY = "bruecke-submission";
  var forms = document.querySelectorAll("form");
  var state = window.history.state || {};
  var kept = state[KEY] || {};

  function formKey(form, index) {
    return (form.getAttribute("action") || window.location.pathname) + "#" + index;
  }

  Array.prototype.forEach.call(forms, function (form, index) {
    var token = form.querySelector("input[type=hidden][name=submission]");
    if (!token) {
      return;
    }
    var key = formKey(form, index);
    if (kept[key]) {
      token.value = kept[key];
    }
    form.addEventListener("submit", function () {
      var current = window.history.state || {};
      var sent = Object.assign({}, current[KEY] || {});
      sent[key] = token.value;
      var next = Object.assign({}, current);
      next[KEY] = sent;
      window.history.replaceState(next, "");
    });
  });
})();
