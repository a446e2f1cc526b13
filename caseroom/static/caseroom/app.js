// Caseroom client: live refresh over a WebSocket with a polling fallback, and small
// conveniences. No inline scripts anywhere: this file and htmx are all that runs.
(function () {
  "use strict";

  document.documentElement.classList.add("js");
  var POLL_MS = 3000;
  var MAX_BACKOFF_MS = 30000;

  // A part htmx has just swapped in listens for refreshes only once htmx has settled it
  // (defaultSettleDelay later). A refresh in between would pass it by, and a part that
  // changed without a new event count (the exercise paused: the status line) would then
  // stay as it was until the next nudge: such a refresh waits for the settling.
  var swappedAt = -Infinity;
  function swapped() {
    swappedAt = window.performance.now();
  }
  document.addEventListener("htmx:afterSwap", swapped);
  document.addEventListener("htmx:oobAfterSwap", swapped);
  function refresh() {
    if (!window.htmx) {
      return;
    }
    var settling = swappedAt + (window.htmx.config.defaultSettleDelay || 0) + 5 -
      window.performance.now();
    if (settling > 0) {
      window.setTimeout(refresh, settling);
      return;
    }
    window.htmx.trigger(document.body, "caseroom:refresh");
  }

  // The newest event count announced over the socket. A nudge that arrives while a part is
  // still loading is dropped by htmx (one request per element), and that part can come back
  // older than the team: every part carries data-seq, so after each swap we look for one
  // that is behind and ask again. Parts that are current answer 204 and stay as they are.
  var latestSeq = 0;
  var catchUp = null;
  function behind() {
    // Only pages that hear one sequence: a team's own page and a workshop theme's board
    // (the theme's version); the exercise console hears every team, whose counts differ.
    var url = document.body.getAttribute("data-live-url") || "";
    if (url.indexOf("/ws/team/") !== 0 && url.indexOf("/ws/workshop/theme/") !== 0) {
      return false;
    }
    var parts = document.querySelectorAll("[data-seq]");
    for (var i = 0; i < parts.length; i += 1) {
      if (parseInt(parts[i].getAttribute("data-seq"), 10) < latestSeq) {
        return true;
      }
    }
    return false;
  }
  function catchUpIfBehind() {
    if (catchUp === null && behind()) {
      catchUp = window.setTimeout(function () {
        catchUp = null;
        refresh();
      }, 100);
    }
  }
  document.addEventListener("htmx:afterSettle", catchUpIfBehind);
  function announced(event) {
    var data = null;
    try {
      data = JSON.parse(event.data);
      if (typeof data.seq === "number" && data.seq > latestSeq) {
        latestSeq = data.seq;
      }
    } catch (error) {
      // Not a nudge we understand: refresh anyway.
    }
    if (!data || !applyPushedBoard(data)) {
      refresh();
    }
  }

  // A workshop theme's board comes in the message itself (the same for every phone at one
  // version, in this phone's language): a room posting at once would otherwise ask the server
  // for it a few hundred times. What is personal is filled in here: this page's CSRF token
  // in the vote forms, and no vote form once this phone has no vote left. Answers false
  // when the message cannot be used, and the part is then fetched as for any nudge.
  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }
  function applyPushedBoard(data) {
    var holder = document.querySelector("[data-board-shared]");
    var part = holder && holder.closest("[data-seq]");
    if (!part || typeof data.html !== "string" || typeof data.seq !== "number") {
      return false;
    }
    var shown = parseInt(part.getAttribute("data-seq"), 10);
    if (!isNaN(shown) && data.seq <= shown) {
      return true; // already showing this version or a newer one
    }
    if (part.getAttribute("data-voting") !== (data.voting ? "1" : "0")) {
      return false; // the notice of votes left changes with it: the server renders that
    }
    if (busy(part)) {
      deferred = true; // caught up once they leave the part, as a held-back refresh is
      return true;
    }
    var template = document.createElement("template");
    template.innerHTML = data.html;
    var token = csrfToken();
    template.content.querySelectorAll('input[name="csrfmiddlewaretoken"]').forEach(function (input) {
      input.value = token;
    });
    if (part.getAttribute("data-votes-left") === "0") {
      template.content.querySelectorAll("[data-vote]").forEach(function (form) {
        form.remove();
      });
    }
    holder.replaceChildren(template.content);
    part.setAttribute("data-seq", String(data.seq));
    // htmx read the part's URL when it processed the part: process it again with the new
    // version, so the next fallback fetch is answered 204 if nothing changed since.
    var link = new URL(part.getAttribute("hx-get"), window.location.href);
    link.searchParams.set("v", String(data.seq));
    part.setAttribute("hx-get", link.pathname + link.search);
    if (window.htmx) {
      window.htmx.process(part);
    }
    return true;
  }

  // Someone typing or choosing in a part must not lose it when the part is refreshed; nor
  // may a part whose form is being sent be replaced: the nudge of one's own command often
  // arrives before its answer, which would then be swapped into the replaced element.
  function busy(element) {
    if (element.querySelector(".htmx-request") !== null) {
      return true;
    }
    var active = document.activeElement;
    if (active && active !== document.body && element.contains(active) &&
        /^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) && active.type !== "hidden") {
      return true;
    }
    return element.querySelector("[data-dirty]") !== null ||
      element.querySelector("details[open].refuse, details[open].team-tools, details[open].confirm") !== null;
  }

  document.addEventListener("input", function (event) {
    var field = event.target;
    if (field && field.form && field.type !== "hidden") {
      field.setAttribute("data-dirty", "");
    }
  });
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field && field.form && field.type !== "hidden") {
      field.setAttribute("data-dirty", "");
    }
  });

  var deferred = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (trigger && trigger.type === "caseroom:refresh" && busy(detail.elt)) {
      event.preventDefault();
      deferred = true;
    }
  });
  // A refresh sent before someone opened a part's tools (a team card's menu) or started
  // typing in it answers afterwards: its swap would close what they opened. Drop that
  // swap and catch up once they leave the part, as with a request held back above.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var detail = event.detail || {};
    var trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    var target = detail.target;
    if (trigger && trigger.type === "caseroom:refresh" && target && busy(target)) {
      detail.shouldSwap = false;
      deferred = true;
    }
  });
  // A participant's page asks for all its changed parts in one request: each part's own
  // refresh is stopped here and gathered into it (a page has seven parts and every action
  // nudges every page of the team). Parts being typed in were already held back above.
  var gathered = [];
  var asking = false;
  var askAgain = false;
  var scheduled = false;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var url = document.body.getAttribute("data-changes-url");
    var detail = event.detail || {};
    var trigger = detail.requestConfig && detail.requestConfig.triggeringEvent;
    if (!url || event.defaultPrevented || !trigger || trigger.type !== "caseroom:refresh") {
      return;
    }
    event.preventDefault();
    if (gathered.indexOf(detail.elt) < 0) {
      gathered.push(detail.elt);
    }
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(askForChanges, 0);
    }
  });
  function partOf(element) {
    var link = new URL(element.getAttribute("hx-get"), window.location.href);
    var name = link.pathname.replace(/\/$/, "").split("/").pop();
    return name + ":" + (link.searchParams.get("channel") || "") + ":" +
      (link.searchParams.get("v") || "");
  }
  function askForChanges() {
    scheduled = false;
    if (asking) {
      askAgain = true; // asked again when the answer is in, with the parts as they are then
      return;
    }
    var parts = gathered.filter(function (element) { return document.body.contains(element); });
    gathered = [];
    if (!parts.length) {
      return;
    }
    var query = parts.map(function (element) {
      return "p=" + encodeURIComponent(partOf(element));
    }).join("&");
    asking = true;
    var url = document.body.getAttribute("data-changes-url") + "?" + query;
    var request = window.htmx.ajax("GET", url, { source: document.body, swap: "none" });
    request.then(function () {
      asking = false;
      if (askAgain) {
        askAgain = false;
        refresh();
      }
    }, function () {
      asking = false;
    });
  }
  // Parts that did not change are current with the count the server answered with.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail && event.detail.xhr;
    var path = event.detail && event.detail.pathInfo && event.detail.pathInfo.requestPath;
    if (!xhr || !path || path.indexOf("/play/changes/") < 0) {
      return;
    }
    var seq = parseInt(xhr.getResponseHeader("X-Caseroom-Seq") || "", 10);
    if (isNaN(seq)) {
      return;
    }
    document.querySelectorAll("[data-seq]").forEach(function (part) {
      if (parseInt(part.getAttribute("data-seq"), 10) < seq && !busy(part)) {
        part.setAttribute("data-seq", String(seq));
      }
    });
    catchUpIfBehind();
  });

  // Once the person leaves the form, catch up with what was deferred.
  document.addEventListener("focusout", function () {
    if (deferred) {
      window.setTimeout(function () {
        if (deferred) {
          deferred = false;
          refresh();
        }
      }, 1500);
    }
  });
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form && form.querySelectorAll) {
      form.querySelectorAll("[data-dirty]").forEach(function (f) { f.removeAttribute("data-dirty"); });
    }
  });

  function live() {
    var body = document.body;
    if (!body.hasAttribute("data-live")) {
      return;
    }
    var path = body.getAttribute("data-live-url");
    var socket = null;
    var attempts = 0;
    var pollTimer = null;

    function poll(on) {
      if (on && pollTimer === null) {
        pollTimer = window.setInterval(refresh, POLL_MS);
      } else if (!on && pollTimer !== null) {
        window.clearInterval(pollTimer);
        pollTimer = null;
      }
    }

    function connect() {
      if (!path || !("WebSocket" in window)) {
        poll(true);
        return;
      }
      var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
      try {
        socket = new WebSocket(scheme + window.location.host + path);
      } catch (error) {
        poll(true);
        return;
      }
      poll(true);
      socket.addEventListener("open", function () {
        // Catch up with whatever happened before the socket joined the group: while we were
        // away, and also between rendering this page and this first open (a nudge sent then
        // reached nobody). The parts carry their versions, so an unchanged page costs a 204.
        refresh();
        attempts = 0;
        poll(false);
      });
      socket.addEventListener("message", announced);
      socket.addEventListener("close", function () {
        socket = null;
        poll(true);
        attempts += 1;
        var delay = Math.min(MAX_BACKOFF_MS, 1000 * Math.pow(2, Math.min(attempts, 5)));
        window.setTimeout(connect, delay * (0.75 + Math.random() * 0.5));
      });
    }

    connect();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", live);
  } else {
    live();
  }

  // The facilitator's time box counts down on every screen. The server says how many
  // seconds were left when it rendered the element; counting from there on this device's
  // own monotonic clock keeps phones whose clocks are wrong in step with the room.
  var seenAt = typeof WeakMap === "function" ? new WeakMap() : null;
  function clockText(seconds) {
    var h = Math.floor(seconds / 3600);
    var m = Math.floor((seconds % 3600) / 60);
    var s = seconds % 60;
    var mm = h ? (m < 10 ? "0" : "") + m : String(m);
    return (h ? h + ":" : "") + mm + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var clocks = document.querySelectorAll("time.countdown[data-countdown]");
    var now = window.performance.now();
    for (var i = 0; i < clocks.length; i += 1) {
      var element = clocks[i];
      if (element.hasAttribute("data-paused") || !seenAt) {
        continue;
      }
      if (!seenAt.has(element)) {
        seenAt.set(element, now);
      }
      var total = parseInt(element.getAttribute("data-countdown"), 10) || 0;
      var left = Math.max(0, total - Math.floor((now - seenAt.get(element)) / 1000));
      var text = left > 0 ? clockText(left) : element.getAttribute("data-over");
      if (element.textContent !== text) {
        element.textContent = text;
      }
      var box = element.closest(".timebox, .timebox-now");
      if (box) {
        box.classList.toggle("over", left === 0);
      }
    }
  }
  window.setInterval(tick, 1000);
})();
