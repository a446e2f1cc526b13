// The participant's play page, on top of app.js: focus stays where the person was when a
// part of the page is swapped, one live region that is never replaced reads what is new,
// phones show one part at a time behind a bottom bar, and unread things raise a badge on
// their part's tab and a count in the document's title.
(function () {
  "use strict";

  var PANELS = ["scene", "docs", "chat", "feed"];
  var phone = window.matchMedia("(max-width: 640px)");
  var unread = { scene: 0, docs: 0, chat: 0, feed: 0 };
  var inViewport = { scene: true, docs: true, chat: true, feed: true };
  var seen = {};
  var active = "scene";
  var baseTitle = document.title;

  // ------------------------------------------------------------------ focus across swaps

  // The element that had focus, and the part it was in: a swap that removes it (the part
  // is replaced whole) would leave focus on <body>, 23 to 30 Tabs away from where it was.
  var lastFocused = null;
  var lastFocusedId = "";
  var lastPart = "";
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (!target || target === document.body) {
      return;
    }
    lastFocused = target;
    lastFocusedId = target.id || "";
    var part = target.closest ? target.closest("#scene, #docs, #feed, #status, .message-form") : null;
    lastPart = part ? part.id : "";
  });
  // A click on plain text moves focus to <body> on purpose: nothing to bring back then.
  document.addEventListener("pointerdown", function (event) {
    if (!event.target.closest || !event.target.closest("a, button, input, select, textarea, summary, [tabindex]")) {
      lastFocused = null;
    }
  });

  function canFocus(element) {
    return element && !element.disabled && element.getClientRects().length > 0;
  }

  function focusLost() {
    var current = document.activeElement;
    return !current || current === document.body || !document.body.contains(current);
  }

  var FALLBACK = {
    scene: ["scene-result", "scene-error", "scene-title"],
    docs: ["docs-title"],
    feed: ["feed-title"],
    status: ["state-banner"]
  };

  // After the person's own command, the scene's status line says what happened: it gets
  // focus when the button pressed is gone, else it is read out while focus stays put.
  function restoreFocus(command) {
    var result = document.getElementById("scene-result");
    if (lastFocused && !document.body.contains(lastFocused) && focusLost()) {
      var same = lastFocusedId ? document.getElementById(lastFocusedId) : null;
      var form = document.getElementById(lastPart);
      var wanted = form && form.getAttribute("data-focus");
      var order = [];
      if (wanted && !(same && same.tagName === "TEXTAREA")) {
        order.push(document.getElementById(wanted));
      }
      order.push(same);
      (FALLBACK[lastPart] || []).forEach(function (id) { order.push(document.getElementById(id)); });
      for (var i = 0; i < order.length; i += 1) {
        if (canFocus(order[i])) {
          order[i].focus();
          break;
        }
      }
    }
    if (command && result && document.activeElement !== result) {
      say([result.textContent]);
    }
  }

  // Opening a confirm step puts focus on its button: Enter, then Enter again.
  document.addEventListener("toggle", function (event) {
    var details = event.target;
    if (details && details.matches && details.matches("details.confirm") && details.open) {
      var button = details.querySelector("button[type=submit]");
      if (canFocus(button)) {
        button.focus();
      }
    }
  }, true);

  // ------------------------------------------------------------------ what is new

  var announcer = null;
  var pending = null;
  function say(lines) {
    announcer = announcer || document.getElementById("announcer");
    if (!announcer || !lines.length) {
      return;
    }
    // Emptied first: the same words twice in a row are still read.
    announcer.textContent = "";
    window.clearTimeout(pending);
    pending = window.setTimeout(function () {
      announcer.textContent = lines.slice(0, 3).join(". ");
    }, 60);
  }

  function panelOf(element) {
    var panel = element.closest("[data-panel]");
    return panel ? panel.getAttribute("data-panel") : "";
  }

  function looking() {
    return document.visibilityState === "visible" && document.hasFocus();
  }

  function inView(panel) {
    if (!looking()) {
      return false;
    }
    return document.body.classList.contains("tabbed") ? panel === active : inViewport[panel];
  }

  function markSeen(initial) {
    var lines = [];
    document.querySelectorAll("[data-announce-id]").forEach(function (element) {
      var id = element.getAttribute("data-announce-id");
      if (seen[id]) {
        return;
      }
      seen[id] = true;
      if (initial || element.hasAttribute("data-mine")) {
        return;
      }
      var words = element.getAttribute("data-announce");
      if (words) {
        lines.push(words);
      }
      var panel = panelOf(element);
      if (panel && !inView(panel)) {
        unread[panel] += 1;
      }
    });
    say(lines);
    showUnread();
  }

  function clearSeen() {
    PANELS.forEach(function (panel) {
      if (inView(panel)) {
        unread[panel] = 0;
      }
    });
    showUnread();
  }

  function showUnread() {
    var total = 0;
    PANELS.forEach(function (panel) {
      total += unread[panel];
      var badge = document.querySelector("[data-tab='" + panel + "'] .badge");
      if (badge) {
        badge.hidden = unread[panel] === 0;
        badge.querySelector(".badge-count").textContent = String(unread[panel]);
      }
    });
    var title = (total ? "(" + total + ") " : "") + baseTitle;
    if (document.title !== title) {
      document.title = title;
    }
  }

  // ------------------------------------------------------------------ tabs on phones

  function showPanel(panel) {
    active = panel;
    PANELS.forEach(function (name) {
      var element = document.querySelector("[data-panel='" + name + "']");
      if (element) {
        element.classList.toggle("active", name === panel);
      }
      var tab = document.querySelector("[data-tab='" + name + "']");
      if (tab) {
        if (name === panel && document.body.classList.contains("tabbed")) {
          tab.setAttribute("aria-current", "true");
        } else {
          tab.removeAttribute("aria-current");
        }
      }
    });
    clearSeen();
  }

  function layout() {
    document.body.classList.toggle("tabbed", phone.matches);
    showPanel(active);
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest ? event.target.closest("[data-tab]") : null;
    if (!tab) {
      return;
    }
    var panel = tab.getAttribute("data-tab");
    unread[panel] = 0; // chosen: seen, whatever the window's focus
    if (document.body.classList.contains("tabbed")) {
      event.preventDefault();
      showPanel(panel);
      window.scrollTo(0, 0);
      var heading = document.querySelector("[data-panel='" + panel + "'] h2[tabindex]");
      if (heading) {
        heading.focus({ preventScroll: true });
      }
    }
    showUnread();
  });

  // ------------------------------------------------------------------ wiring

  // The chat forms are not parts (refreshing them would lose what is being typed): when
  // the status part says the exercise has ended, they close here, as the server has.
  function closeChatIfEnded() {
    var ended = document.querySelector("#status.state-ended") !== null;
    document.querySelectorAll(".message-form fieldset.bare").forEach(function (fields) {
      fields.disabled = ended;
    });
  }

  var commandSwap = false;
  var scheduled = false;
  function afterSwaps() {
    scheduled = false;
    var command = commandSwap;
    commandSwap = false;
    closeChatIfEnded();
    markSeen(false);
    restoreFocus(command);
  }
  function swapped(event) {
    var detail = event.detail || {};
    var source = detail.requestConfig && detail.requestConfig.elt;
    if (source && source.closest && source.closest("#scene") && source.tagName === "FORM") {
      commandSwap = true;
    }
    if (!scheduled) {
      scheduled = true;
      window.setTimeout(afterSwaps, 0);
    }
  }
  document.addEventListener("htmx:afterSettle", swapped);
  document.addEventListener("htmx:oobAfterSwap", swapped);

  function start() {
    if (!document.querySelector(".play-tabs")) {
      return;
    }
    PANELS.forEach(function (panel) {
      var badge = document.querySelector("[data-tab='" + panel + "'] .badge");
      if (badge && !badge.querySelector(".badge-count")) {
        badge.innerHTML = "";
        var count = document.createElement("span");
        count.className = "badge-count";
        var label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = " " + (badge.getAttribute("data-new") || "");
        badge.appendChild(count);
        badge.appendChild(label);
      }
    });
    var fromHash = (window.location.hash || "").replace("#panel-", "");
    if (PANELS.indexOf(fromHash) >= 0) {
      active = fromHash;
    }
    if ("IntersectionObserver" in window) {
      var observer = new IntersectionObserver(function (entries) {
        entries.forEach(function (entry) {
          inViewport[entry.target.getAttribute("data-panel")] = entry.isIntersecting;
        });
        clearSeen();
      });
      document.querySelectorAll("[data-panel]").forEach(function (panel) {
        observer.observe(panel);
      });
    }
    if (phone.addEventListener) {
      phone.addEventListener("change", layout);
    }
    window.addEventListener("focus", clearSeen);
    document.addEventListener("visibilitychange", clearSeen);
    layout();
    markSeen(true);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
