// Live word counts, speaking time and "never lose text" guards for the statement editor.
// Counting mirrors debateprep/lib/speech.py so live and saved figures agree.
(function () {
  "use strict";

  const RETRY_MS = 5000;

  function countWords(text) {
    const words = text.match(/\S+/g);
    return words ? words.length : 0;
  }

  function clock(seconds) {
    const minutes = Math.floor(seconds / 60);
    const rest = seconds % 60;
    return minutes + ":" + String(rest).padStart(2, "0");
  }

  function speakingSeconds(words, wpm) {
    return words ? Math.ceil((words * 60) / wpm) : 0;
  }

  function statementBar() {
    return document.querySelector("[data-statement]");
  }

  function refreshCounts(form) {
    const bar = statementBar();
    if (!bar) return;
    const wpm = Number(bar.dataset.wpm);
    const limit = Number(bar.dataset.limit);
    const status = form.querySelector(".answer-status");
    const words = countWords(form.querySelector("textarea[data-answer-text]").value);
    status.querySelector("[data-word-count]").textContent = words;
    status.querySelector("[data-speaking-time]").textContent = clock(speakingSeconds(words, wpm));

    let total = 0;
    document.querySelectorAll("textarea[data-answer-text]").forEach(function (box) {
      total += countWords(box.value);
    });
    const seconds = speakingSeconds(total, wpm);
    const totals = document.getElementById("statement-totals");
    totals.querySelector("[data-total-words]").textContent = total;
    totals.querySelector("[data-total-time]").textContent = clock(seconds);
    totals.classList.toggle("over-limit", seconds > limit);
  }

  function setNote(form, text) {
    const status = form.querySelector(".answer-status");
    let note = status.querySelector(".note");
    if (!note) {
      note = document.createElement("span");
      note.className = "note";
      status.prepend(note);
    }
    note.textContent = text;
  }

  document.addEventListener("input", function (event) {
    const form = event.target.closest("form[data-autosave]");
    if (!form || !event.target.matches("textarea[data-answer-text]")) return;
    form.dataset.edits = String(Number(form.dataset.edits || 0) + 1);
    form.classList.add("dirty");
    refreshCounts(form);
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = event.detail.elt;
    if (form.matches && form.matches("form[data-autosave]")) {
      form.dataset.sentEdits = form.dataset.edits || "0";
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-autosave]")) return;
    const xhr = event.detail.xhr;
    if (xhr && xhr.status === 200 && form.dataset.sentEdits === (form.dataset.edits || "0")) {
      form.classList.remove("dirty");
    } else if (!xhr || xhr.status === 0 || xhr.status >= 500) {
      setNote(form, "Not saved: the server could not be reached. Your text is kept here; trying again…");
      window.setTimeout(function () { htmx.trigger(form, "submit"); }, RETRY_MS);
    }
  });

  window.addEventListener("beforeunload", function (event) {
    if (document.querySelector("form[data-autosave].dirty, .conflict")) {
      event.preventDefault();
    }
  });
})();
