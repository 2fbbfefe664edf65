// chorus web UI: the little script there is. The order menu applies at once. Everything
// works without it (article chips are links rendered on the server).
(function () {
  var order = document.querySelector("select[name=order]");
  if (order && order.form) {
    order.addEventListener("change", function () { order.form.submit(); });
  }
})();
