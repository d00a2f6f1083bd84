// The browsable page's raw-data form (DRF's ajax-form): sends the textarea's JSON with the method of
// the button pressed, as the page's own caller (its sign-in cookie goes with a same-origin request),
// with If-Match naming the object as the page showed it. On success it shows the object written (or,
// after DELETE, the list); on refusal it shows the status and Perigee's answer under the form.
"use strict";
(function () {
  var form = document.getElementById("raw-data");
  if (!form) return;
  var result = document.getElementById("raw-result");

  function show(text) {
    result.textContent = text;
    result.hidden = false;
  }

  function send(method) {
    if (method === "DELETE" && !window.confirm("Delete this object? This cannot be undone.")) return;
    var headers = { Accept: "application/json" };
    var init = { method: method, headers: headers, credentials: "same-origin", redirect: "error" };
    if (method !== "POST" && form.dataset.ifMatch) headers["If-Match"] = form.dataset.ifMatch;
    if (method !== "DELETE") {
      headers["Content-Type"] = document.getElementById("raw-media-type").value;
      init.body = document.getElementById("raw-content").value;
    }
    fetch(form.dataset.target, init)
      .then(function (response) {
        if (response.ok) {
          if (method === "DELETE") {
            window.location.assign(form.dataset.listPage);
          } else if (method === "POST" && response.headers.get("Location")) {
            window.location.assign(response.headers.get("Location") + "?format=api");
          } else {
            window.location.reload();
          }
          return;
        }
        return response.text().then(function (body) {
          var text = body;
          try { text = JSON.stringify(JSON.parse(body), null, 4); } catch (notJSON) { /* shown as sent */ }
          show("HTTP " + response.status + " " + response.statusText + "\n\n" + text);
        });
      })
      .catch(function (error) { show("The request could not be sent: " + error); });
  }

  document.querySelectorAll("[data-method]").forEach(function (button) {
    button.addEventListener("click", function () { send(button.dataset.method); });
  });
})();
