// Import upload with a progress bar: the form still works without this script (plain POST).
(function () {
  "use strict";
  var form = document.querySelector("form[data-upload]");
  if (!form || !window.FormData) return;
  var box = form.querySelector(".progress"), bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text"), alertBox = form.querySelector(".upload-errors");
  var button = form.querySelector("button");

  function mb(bytes) {
    return (bytes / 1048576).toLocaleString(document.documentElement.lang, { maximumFractionDigits: 1 }) + " MB";
  }

  function fail(messages) {
    box.hidden = true;
    button.disabled = false;
    alertBox.textContent = "";
    messages.forEach(function (m) { var p = document.createElement("p"); p.textContent = m; alertBox.appendChild(p); });
    alertBox.hidden = false;
    alertBox.focus();
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action || window.location.href);
    xhr.setRequestHeader("X-Requested-With", "XMLHttpRequest");
    xhr.upload.addEventListener("progress", function (e) {
      if (!e.lengthComputable) return;
      bar.value = Math.round((e.loaded / e.total) * 100);
      text.textContent = bar.value + "% · " + mb(e.loaded) + " " + form.dataset.of + " " + mb(e.total);
    });
    xhr.upload.addEventListener("load", function () {
      bar.removeAttribute("value"); // indeterminate while the server reads the file
      text.textContent = form.dataset.checking;
    });
    xhr.addEventListener("load", function () {
      var reply = null;
      try { reply = JSON.parse(xhr.responseText); } catch (ignored) { /* an error page */ }
      if (reply && reply.redirect) { window.location.assign(reply.redirect); return; }
      var errors = reply && reply.errors ? Object.values(reply.errors).flat() : [form.dataset.failed];
      fail(errors);
    });
    xhr.addEventListener("error", function () { fail([form.dataset.failed]); });
    alertBox.hidden = true;
    box.hidden = false;
    bar.value = 0;
    button.disabled = true;
    xhr.send(new FormData(form));
  });
})();
