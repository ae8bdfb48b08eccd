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
// Each POST form carries a token made when the page (or an htmx fragment)
// loads; the server acts on a token once, so a double click does not
// file, approve or hand over twice (accounts.middleware).
function newToken() {
  return (window.crypto && crypto.randomUUID) ? crypto.randomUUID()
    : String(Date.now()) + Math.random().toString(16).slice(2);
}
function addOnceTokens(root) {
  root.querySelectorAll('form[method="post"], form[method="POST"]').forEach(function (form) {
    if (form.querySelector('input[name="_once"]')) { return; }
    var input = document.createElement("input");
    input.type = "hidden";
    input.name = "_once";
    input.value = newToken();
    form.appendChild(input);
  });
}
document.addEventListener("DOMContentLoaded", function () { addOnceTokens(document); });
document.addEventListener("htmx:load", function (event) { addOnceTokens(event.target); });
// A form that stays on the page after an htmx answer may be sent again.
document.addEventListener("htmx:afterRequest", function (event) {
  var form = event.detail.elt.closest && event.detail.elt.closest("form");
  var input = form && form.querySelector('input[name="_once"]');
  if (input) { input.value = newToken(); }
});
// The file reader (archives:file-read): a viewing window that ends closes
// the pages in the browser too; the server refuses them from then on.
document.addEventListener("DOMContentLoaded", function () {
  var reader = document.getElementById("reader");
  if (!reader || !reader.dataset.closesAt) { return; }
  function close() {
    reader.querySelectorAll("img, audio").forEach(function (el) {
      el.removeAttribute("src");
      if (el.pause) { el.pause(); }
    });
    var notice = document.createElement("div");
    notice.className = "alert alert-warning";
    notice.setAttribute("data-testid", "reader-closed");
    notice.textContent = reader.dataset.closedText;
    reader.replaceChildren(notice);
  }
  var left = new Date(reader.dataset.closesAt).getTime() - Date.now();
  if (left <= 0) { close(); } else { setTimeout(close, Math.min(left, 2147483647)); }
});
// Pages of the reader are not saved with the mouse.
document.addEventListener("contextmenu", function (event) {
  if (event.target.closest && event.target.closest("#reader")) { event.preventDefault(); }
});
