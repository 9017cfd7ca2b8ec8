// Klantstem's idea pages load no WebAssembly: they are complete server-rendered HTML whose forms
// work without JavaScript (a post that finds similar ideas returns a confirmation step). This
// script offers the similar ideas while the title is typed, so people vote instead of posting a
// duplicate; once they have seen them and still post, no confirmation step follows.
(function () {
  "use strict";

  var title = document.getElementById("idea-title");
  var box = document.getElementById("similar-live");
  if (!title || !box) return;
  var form = title.form;
  var confirmed = form && form.querySelector('input[name="confirmed"]');
  var timer = null;
  var last = "";

  function show(list) {
    box.textContent = "";
    if (!list.length) {
      box.hidden = true;
      return;
    }
    var heading = document.createElement("p");
    heading.className = "similar-heading";
    heading.textContent = box.dataset.heading;
    box.appendChild(heading);
    var ul = document.createElement("ul");
    list.forEach(function (idea) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = "/ideas/" + encodeURIComponent(idea.board_slug) + "/" + idea.id;
      a.textContent = idea.title;
      li.appendChild(a);
      li.appendChild(document.createTextNode(" (" + idea.votes + " " + box.dataset.votes + ")"));
      ul.appendChild(li);
    });
    box.appendChild(ul);
    box.hidden = false;
    if (confirmed) confirmed.value = "1";
  }

  function lookup() {
    var text = title.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 3) {
      show([]);
      return;
    }
    fetch("/api/ideas/similar?title=" + encodeURIComponent(text), {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (r) {
        return r.ok ? r.json() : [];
      })
      .then(function (list) {
        if (title.value.trim() === text) show(list);
      })
      .catch(function () {});
  }

  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 250);
  });
})();
