// Klantstem's public survey pages load no WebAssembly: they are complete server-rendered HTML
// whose form posts work without JavaScript. This script adds what needs the browser:
// - the follow-up question changes with the score chosen (texts in data-* on its label);
// - a one-click score from an e-mail is recorded as soon as the page runs (a POST, so mail
//   scanners that merely fetch links record nothing);
// - answers are sent without a page reload: the same form post the browser would make, whose
//   answer (the thank-you page, or the form with its errors) replaces the page's <main>.
(function () {
  "use strict";

  function followupFor(label, score) {
    var d = label.dataset;
    var text = score <= 6 ? d.detractor : score <= 8 ? d.passive : d.promoter;
    return text || d.default || label.textContent;
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== "score") return;
    var label = document.querySelector('label[data-testid="followup"]');
    if (label) label.textContent = followupFor(label, Number(input.value));
  });

  function showPage(html, url) {
    var page = new DOMParser().parseFromString(html, "text/html");
    var main = page.querySelector("main");
    var current = document.querySelector("main");
    if (!main || !current) {
      window.location.assign(url);
      return;
    }
    current.replaceWith(document.adoptNode(main));
    document.title = page.title;
    window.history.pushState(null, "", url);
    // Screen readers and keyboards continue at the errors, or at the new page's heading.
    var focus = main.querySelector(".error-summary li a, .error-summary p, h1");
    if (focus) {
      if (!focus.hasAttribute("tabindex")) focus.setAttribute("tabindex", "-1");
      focus.focus();
    }
    enhance();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("survey-form")) return;
    event.preventDefault();
    var button = form.querySelector('button[type="submit"]');
    if (button) button.disabled = true;
    fetch(form.action, {
      method: "POST",
      body: new URLSearchParams(new FormData(form)),
      headers: { Accept: "text/html" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.text().then(function (html) {
          showPage(html, response.url);
        });
      })
      // Without a connection the browser's own post says what went wrong.
      .catch(function () {
        form.submit();
      });
  });

  // Back and forward move between pages this script showed: load them properly.
  window.addEventListener("popstate", function () {
    window.location.reload();
  });

  function recordPresetScore() {
    var form = document.querySelector("form.survey-form[data-preset-score]");
    if (!form || form.dataset.recorded) return;
    form.dataset.recorded = "1";
    var body = new URLSearchParams();
    ["slug", "token", "ch", "tp", "lang"].forEach(function (name) {
      var field = form.elements.namedItem(name);
      if (field && "value" in field) body.set(name, field.value);
    });
    body.set("score", form.dataset.presetScore);
    body.set("stage", "score");
    fetch(form.action, { method: "POST", body: body, credentials: "same-origin" }).then(
      function (response) {
        var notice = document.querySelector('[data-testid="score-recorded"]');
        if (response.ok && notice) notice.hidden = false;
      }
    );
  }

  function enhance() {
    recordPresetScore();
    // The page is interactive now (the same marker the hydrated pages set).
    document.body.setAttribute("data-hydrated", "true");
  }

  enhance();
})();
