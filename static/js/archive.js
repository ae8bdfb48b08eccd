// Small behaviours without inline script, so a strict CSP holds.
document.addEventListener("change", function (event) {
  if (event.target.matches("select[data-autosubmit]")) {
    event.target.form.submit();
  }
});
document.addEventListener("click", function (event) {
  var toggle = event.target.closest("[data-check-all]");
  if (!toggle) { return; }
  var boxes = document.querySelectorAll('input[name="' + toggle.dataset.checkAll + '"]');
  boxes.forEach(function (box) { box.checked = toggle.checked; });
});
