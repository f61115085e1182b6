// The chat widget: Rasa's socket.io events, rendered with DOM nodes only.
// Nothing here ever assigns innerHTML, so neither the person's words nor the
// assistant's can inject markup. The conversation is kept in sessionStorage:
// it survives a reload, and is gone when the tab closes (a shared computer
// keeps nothing about someone's health worries). Only if the person ticks
// "Remember me on this device" is the conversation's random id kept in
// localStorage, so a diary and a check-in find them at their next visit;
// "forget me" or unticking removes it.
(function () {
  "use strict";

  var STORE_KEY = "bfs-assistant-chat";
  var REMEMBER_KEY = "bfs-assistant-remembered-id";
  var MAX_KEPT = 300;            // messages kept for a reload
  var TYPING_TIMEOUT_MS = 20000; // stop showing "typing" if no reply comes
  var SAFE_PROTOCOLS = ["http:", "https:", "mailto:", "tel:"];

  var el = {
    chat: document.getElementById("chat"),
    launcher: document.getElementById("chat-launcher"),
    close: document.getElementById("chat-close"),
    reset: document.getElementById("chat-reset"),
    log: document.getElementById("chat-log"),
    status: document.getElementById("chat-status"),
    typing: document.getElementById("chat-typing"),
    form: document.getElementById("chat-form"),
    input: document.getElementById("chat-input"),
    remember: document.getElementById("chat-remember"),
  };

  var state = load();
  var socket = null;
  var confirmed = false;   // the server has confirmed our session id
  var outbox = [];         // messages typed before the session was confirmed
  var typingTimer = null;

  function load() {
    try {
      var saved = JSON.parse(sessionStorage.getItem(STORE_KEY));
      if (saved && Array.isArray(saved.messages)) return saved;
    } catch (e) { /* unreadable: start afresh */ }
    return { sessionId: null, messages: [], open: false };
  }

  function rememberedId() {
    try { return localStorage.getItem(REMEMBER_KEY); } catch (e) { return null; }
  }

  // Keeps (or drops) the conversation's id on this device, as the person chose.
  function setRemembered(on) {
    try {
      if (on && state.sessionId) localStorage.setItem(REMEMBER_KEY, state.sessionId);
      if (!on) localStorage.removeItem(REMEMBER_KEY);
    } catch (e) { /* storage off: nothing is kept */ }
    el.remember.checked = !!on;
  }

  function save() {
    state.messages = state.messages.slice(-MAX_KEPT);
    try { sessionStorage.setItem(STORE_KEY, JSON.stringify(state)); } catch (e) { /* storage full or off */ }
  }

  // ---- rendering -------------------------------------------------------

  function safeHref(url) {
    try {
      var parsed = new URL(url, window.location.href);
      return SAFE_PROTOCOLS.indexOf(parsed.protocol) >= 0 ? parsed.href : null;
    } catch (e) { return null; }
  }

  function link(label, href) {
    var a = document.createElement("a");
    a.href = href;
    a.textContent = label;
    if (/^https?:/.test(href)) {
      a.target = "_blank";
      a.rel = "noopener noreferrer";
      var hint = document.createElement("span");
      hint.className = "visually-hidden";
      hint.textContent = " (opens in a new tab)";
      a.appendChild(hint);
    }
    return a;
  }

  // A small, safe subset of Markdown: **bold**, [label](url) and bare links.
  var INLINE = /\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)|(https?:\/\/[^\s<>()]+[^\s<>().,;:!?'"])/g;

  function appendInline(parent, line) {
    var last = 0, match;
    INLINE.lastIndex = 0;
    while ((match = INLINE.exec(line)) !== null) {
      parent.appendChild(document.createTextNode(line.slice(last, match.index)));
      if (match[1] !== undefined) {
        var strong = document.createElement("strong");
        strong.textContent = match[1];
        parent.appendChild(strong);
      } else {
        var label = match[2] !== undefined ? match[2] : match[4];
        var href = safeHref(match[2] !== undefined ? match[3] : match[4]);
        parent.appendChild(href ? link(label, href) : document.createTextNode(match[0]));
      }
      last = INLINE.lastIndex;
    }
    parent.appendChild(document.createTextNode(line.slice(last)));
  }

  function richText(text) {
    var fragment = document.createDocumentFragment();
    String(text).split("\n").forEach(function (line, i) {
      if (i > 0) fragment.appendChild(document.createElement("br"));
      appendInline(fragment, line);
    });
    return fragment;
  }

  function renderMessage(message) {
    var item = document.createElement("li");
    item.className = "msg msg-" + message.from;
    var who = document.createElement("span");
    who.className = "visually-hidden";
    who.textContent = message.from === "user" ? "You: " : "Assistant: ";
    var bubble = document.createElement("div");
    bubble.className = "bubble";
    bubble.appendChild(who);
    if (message.from === "user") {
      bubble.appendChild(document.createTextNode(message.text));  // never parsed
    } else {
      bubble.appendChild(richText(message.text || ""));
    }
    if (message.image) {
      var img = document.createElement("img");
      img.className = "chart";
      img.src = message.image;
      img.alt = "Chart of your twitch diary; the message above describes it in words.";
      img.title = "Tap to enlarge";
      img.tabIndex = 0;
      img.setAttribute("role", "button");
      img.setAttribute("aria-pressed", "false");
      img.addEventListener("click", function () { enlarge(img); });
      img.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); enlarge(img); }
      });
      bubble.appendChild(img);
    }
    if (message.file) bubble.appendChild(downloadLink(message.file));
    item.appendChild(bubble);

    if (message.buttons && message.buttons.length && !message.answered) {
      var group = document.createElement("div");
      group.className = "choices";
      group.setAttribute("role", "group");
      group.setAttribute("aria-label", "Choose an answer");
      message.buttons.forEach(function (choice) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "choice";
        button.textContent = choice.title;
        button.addEventListener("click", function () {
          send(choice.payload, choice.title);
        });
        group.appendChild(button);
      });
      item.appendChild(group);
    }
    return item;
  }

  // The chart is small in the chat: a tap shows it over the page, another tap or Escape closes it.
  function enlarge(img, on) {
    var large = on === undefined ? !img.classList.contains("chart-large") : on;
    img.classList.toggle("chart-large", large);
    img.setAttribute("aria-pressed", large ? "true" : "false");
  }

  // A file the assistant sent, offered as a download: carried in the message (base64),
  // or a report waiting on this site under a one-time link for this conversation.
  function downloadLink(file) {
    if (file.path) return reportLink(file);
    var bytes;
    try {
      bytes = Uint8Array.from(atob(file.data_base64), function (c) { return c.charCodeAt(0); });
    } catch (e) {
      return document.createTextNode("(the file could not be read)");
    }
    var a = document.createElement("a");
    // Always a download, never a page of this site: the type is not taken from the message.
    a.href = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    a.download = file.name;
    a.className = "download";
    a.textContent = "Download " + file.name;
    return a;
  }

  // The link works once: after the click it says so, and asking again makes a new report.
  function reportLink(file) {
    if (file.used) {
      var note = document.createElement("span");
      note.className = "download used";
      note.textContent = file.name + " downloaded. The link works once; ask for the report again for a new one.";
      return note;
    }
    var a = document.createElement("a");
    a.href = file.path + "?conversation=" + encodeURIComponent(state.sessionId || "");
    a.download = file.name;
    a.className = "download";
    a.textContent = file.mime_type === "application/pdf"
      ? "Download the report (PDF, " + file.name + ")"
      : "Download the FHIR file for a clinic's systems (" + file.name + ")";
    a.addEventListener("click", function () {
      file.used = true;
      save();
      setTimeout(function () { if (a.parentNode) a.parentNode.replaceChild(reportLink(file), a); }, 1000);
    });
    return a;
  }

  // Only a report link on this site is followed (the path; the host is the page's own).
  function reportPath(url) {
    var path;
    try { path = new URL(url, window.location.href).pathname; } catch (e) { return null; }
    return /^\/reports\/[A-Za-z0-9_-]{20,}$/.test(path) ? path : null;
  }

  function renderAll() {
    el.log.textContent = "";
    state.messages.forEach(function (message) { el.log.appendChild(renderMessage(message)); });
    scrollToEnd();
  }

  function scrollToEnd() {
    el.log.scrollTop = el.log.scrollHeight;
  }

  function setStatus(text) {
    el.status.textContent = text;
    el.status.hidden = !text;
  }

  function showTyping(on) {
    clearTimeout(typingTimer);
    el.typing.hidden = !on;
    if (on) typingTimer = setTimeout(function () { el.typing.hidden = true; }, TYPING_TIMEOUT_MS);
  }

  // ---- conversation ----------------------------------------------------

  function addMessage(message) {
    state.messages.push(message);
    save();
    el.log.appendChild(renderMessage(message));
    scrollToEnd();
  }

  // Choices belong to the question they answer: once anything is sent they go.
  function retireChoices() {
    var changed = false;
    state.messages.forEach(function (message) {
      if (message.buttons && message.buttons.length && !message.answered) {
        message.answered = true;
        changed = true;
      }
    });
    if (changed) renderAll();
  }

  function emit(text) {
    socket.emit("user_uttered", { message: text, session_id: state.sessionId });
    showTyping(true);
  }

  function send(text, shownAs) {
    text = String(text).trim();
    if (!text) return;
    retireChoices();
    addMessage({ from: "user", text: shownAs || text });
    if (confirmed && socket.connected) emit(text); else outbox.push(text);
  }

  function receive(data) {
    if (!data || typeof data !== "object") return;
    showTyping(false);
    if (data.conversation_deleted === true) {
      // "Forget me" was carried out on the server: keep only its confirmation here,
      // and nothing on this device.
      setRemembered(false);
      state.messages = state.messages.slice(-1);
      save();
      renderAll();
      return;
    }
    var message = { from: "bot", text: typeof data.text === "string" ? data.text : "" };
    var choices = data.quick_replies || data.buttons;
    if (Array.isArray(choices)) {
      message.buttons = choices
        .filter(function (c) { return c && typeof c.title === "string" && typeof c.payload === "string"; })
        .map(function (c) { return { title: c.title, payload: c.payload }; });
    }
    var attachment = data.attachment;
    if (attachment && attachment.payload && typeof attachment.payload.src === "string") {
      var src = attachment.payload.src;
      // Only images the assistant drew (data URLs) are shown; any other address is a link, never loaded.
      if (/^data:image\/png;base64,[A-Za-z0-9+\/=]+$/.test(src)) message.image = src;
      else if (!message.text) message.text = src;
    }
    var file = data.file;
    if (file && typeof file.name === "string" && typeof file.data_base64 === "string") {
      message.file = { name: file.name, mime_type: String(file.mime_type || ""), data_base64: file.data_base64 };
    } else if (file && typeof file.name === "string" && typeof file.url === "string" && reportPath(file.url)) {
      message.file = { name: file.name, mime_type: String(file.mime_type || ""), path: reportPath(file.url) };
    }
    if (message.text || message.image || message.file || (message.buttons && message.buttons.length)) {
      addMessage(message);
    }
  }

  function connect(config) {
    setStatus("Connecting…");
    socket = window.io(config.socketUrl, { path: config.socketPath });
    socket.on("connect", function () {
      confirmed = false;
      socket.emit("session_request", { session_id: state.sessionId });
    });
    socket.on("session_confirm", function (sessionId) {
      var isNew = sessionId !== state.sessionId;
      state.sessionId = sessionId;
      confirmed = true;
      setStatus("");
      if (state.messages.length === 0) {
        save();
        // A remembered visitor is asked a check-in that is due (or welcomed back);
        // anyone else gets the greeting.
        emit(!isNew || returning ? "/check_in" : "/greet");
        returning = false;
      }
      if (el.remember.checked) setRemembered(true);
      save();
      while (outbox.length) emit(outbox.shift());
    });
    socket.on("bot_uttered", receive);
    socket.on("disconnect", function () {
      confirmed = false;
      setStatus("Connection lost. Reconnecting…");
    });
    socket.on("connect_error", function () {
      setStatus("Can't reach the assistant right now. Retrying…");
    });
  }

  // A visitor this device remembers, opening a new tab: their conversation goes on.
  var returning = false;
  if (!state.sessionId && rememberedId()) {
    state.sessionId = rememberedId();
    returning = true;
  }

  var started = null;
  function start() {
    if (started) return started;
    started = fetch("/config.json")
      .then(function (r) { return r.json(); })
      .then(connect)
      .catch(function () {
        started = null;
        setStatus("The chat could not start. Please reload the page.");
      });
    return started;
  }

  // ---- opening, closing, typing ----------------------------------------

  function open() {
    el.chat.hidden = false;
    el.launcher.setAttribute("aria-expanded", "true");
    el.launcher.hidden = true;
    state.open = true;
    save();
    start();
    scrollToEnd();
    el.input.focus();
  }

  function close() {
    el.chat.hidden = true;
    el.launcher.hidden = false;
    el.launcher.setAttribute("aria-expanded", "false");
    state.open = false;
    save();
    el.launcher.focus();
  }

  function reset() {
    setRemembered(false);
    state = { sessionId: null, messages: [], open: true };
    save();
    renderAll();
    outbox = [];
    if (socket && socket.connected) {
      confirmed = false;
      socket.emit("session_request", { session_id: null });
    }
    el.input.focus();
  }

  function autoGrow() {
    el.input.style.height = "auto";
    el.input.style.height = Math.min(el.input.scrollHeight, 140) + "px";
  }

  document.querySelectorAll("[data-open-chat]").forEach(function (button) {
    button.addEventListener("click", open);
  });
  el.close.addEventListener("click", close);
  el.reset.addEventListener("click", reset);
  el.chat.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var large = el.log.querySelector("img.chart-large");
    if (large) enlarge(large, false); else close();
  });
  el.form.addEventListener("submit", function (event) {
    event.preventDefault();
    send(el.input.value);
    el.input.value = "";
    autoGrow();
  });
  el.input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      el.form.requestSubmit();
    }
  });
  el.input.addEventListener("input", autoGrow);
  el.remember.addEventListener("change", function () { setRemembered(el.remember.checked); });
  el.remember.checked = !!rememberedId();

  renderAll();
  setStatus("");
  if (state.open) open();
})();
