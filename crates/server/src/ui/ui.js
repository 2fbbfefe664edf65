// chorus web UI: the little script there is. Article chips of the report become links to
// the article pages; the order menu applies at once. Everything works without it.
(function () {
  document.querySelectorAll("span.chip").forEach(function (chip) {
    var a = document.createElement("a");
    a.className = chip.className;
    a.title = chip.title;
    a.textContent = chip.textContent;
    a.href = "/articles/" + encodeURIComponent(chip.textContent);
    chip.replaceWith(a);
  });
  var order = document.querySelector("select[name=order]");
  if (order && order.form) {
    order.addEventListener("change", function () { order.form.submit(); });
  }
})();
