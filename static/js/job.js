// A background job's progress card (templates/includes/job_progress.html), shared by report and
// export jobs: poll the card's data-status-url, move the bar, and when the job is done show its
// button. A job done within data-follow-seconds of the page opening is followed at once (the
// download starts, or the draft opens): the person asked for a file a moment ago and should not
// have to ask twice. A slower job only shows the button: a download starting by itself minutes
// later, perhaps in another tab, would surprise.
(function () {
  "use strict";
  var POLL_MS = 800;

  function follow(card, url) {
    function go() {
      card.querySelector("[data-follow-status]").textContent = card.dataset.followNote || "";
      window.location.assign(url);
    }
    // Once the page has loaded: a download started while it loads cancels the loading, and the
    // page would never finish (its button included).
    if (document.readyState === "complete") go();
    else window.addEventListener("load", go, {once: true});
  }

  function button(card, url) {
    var a = document.createElement("a");
    a.className = "btn btn-primary btn-phone-block";
    a.href = url;
    a.dataset.download = "";
    var icon = document.createElement("i");
    icon.className = "bi bi-" + (card.dataset.icon || "download");
    a.append(icon, " " + (card.dataset.label || ""));
    return a;
  }

  function show(card, data) {
    var bar = card.querySelector("[data-bar]");
    var missing = card.querySelector("[data-worker-missing]");
    bar.style.width = data.progress + "%";
    bar.textContent = data.progress + "%";
    bar.parentElement.setAttribute("aria-valuenow", data.progress);
    card.querySelector("[data-step]").textContent = data.step || "";
    // No worker has taken the job: say so, and keep polling in case one starts.
    missing.hidden = !data.worker_missing;
    if (data.worker_missing) missing.textContent = data.message || data.step || "";
    if (!data.finished) return;
    bar.classList.remove("progress-bar-striped", "progress-bar-animated");
    var result = card.querySelector("[data-result]");
    if (data.url) {
      result.replaceChildren(button(card, data.url));
    } else {
      bar.classList.add("bg-danger");
      var div = document.createElement("div");
      div.className = "alert alert-danger mb-0";
      div.textContent = data.error || "";
      result.replaceChildren(div);
    }
  }

  function watch(card) {
    if (card.dataset.jobWatched) return;  // the include may appear, and load this file, twice
    card.dataset.jobWatched = "1";
    var within = Number(card.dataset.followSeconds || 0);
    if (card.hasAttribute("data-finished")) {
      // Finished before the page was rendered: follow only if that was a moment ago (both times
      // are the server's, in seconds), i.e. the job ran eagerly for the request that led here.
      var link = card.querySelector("[data-download]");
      var ago = Number(card.dataset.renderedAt) - Number(card.dataset.finishedAt);
      if (link && card.dataset.finishedAt && ago <= within) follow(card, link.href);
      return;
    }
    async function poll() {
      try {
        var response = await fetch(card.dataset.statusUrl, {headers: {"Accept": "application/json"}});
        var data = await response.json();
        show(card, data);
        if (data.finished) {
          // performance.now() counts from the page's navigation: "within 3 s of the page opening".
          if (data.url && performance.now() <= within * 1000) follow(card, data.url);
          return;
        }
      } catch (e) { /* a dropped request: try again */ }
      setTimeout(poll, POLL_MS);
    }
    poll();
  }

  function start() {
    document.querySelectorAll("[data-job][data-status-url]").forEach(watch);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
