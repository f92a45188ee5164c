// The statement editor's small behaviours: live counts and speaking time, and the guards
// that keep typed text safe (retry, a local copy of unsaved text, a warning before leaving).
// Counting mirrors debateprep/lib/speech.py so live and saved figures agree.
(function () {
  "use strict";

  const RETRY_MS = 5000;
  const SWAPPED_ERRORS = [409, 422, 423]; // the server's own message is shown for these

  // debateprep/lib/speech.py's WORD and CHARACTER, character for character: words are runs of
  // non-space with a letter or a digit; in Chinese each character counts, and any other run
  // with a letter or a digit as one. tests/browser/test_languages.py holds the two to agreeing.
  const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}";
  const WORD = /(?<![^\p{White_Space}])(?=[^\p{White_Space}]*?[\p{L}\p{N}])[^\p{White_Space}]+/gu;
  const CHARACTER = new RegExp(
    "[" + CJK + "]" +
      "|(?<![^\\p{White_Space}" + CJK + "])" +
      "(?=[^\\p{White_Space}" + CJK + "]*?(?![" + CJK + "])[\\p{L}\\p{N}])" +
      "[^\\p{White_Space}" + CJK + "]+",
    "gu"
  );

  // A text's length in a unit: "words", or "characters" for Chinese.
  function countUnits(text, unit) {
    return (text.match(unit === "characters" ? CHARACTER : WORD) || []).length;
  }

  // For tests, which hold it to the server's count.
  window.debatePrep = Object.freeze({ countUnits: countUnits });

  function clock(seconds) {
    return Math.floor(seconds / 60) + ":" + String(seconds % 60).padStart(2, "0");
  }

  function speakingSeconds(units, perMinute) {
    return units ? Math.ceil((units * 60) / perMinute) : 0;
  }

  // The statement's language: its unit, its rate, its lang and dir (statement.html#language).
  function language() {
    const holder = document.getElementById("statement-language");
    return holder ? holder.dataset : null;
  }

  // The page's texts, in the reader's language (templates/includes/editor_text.html), with
  // their %(name)s placeholders filled in.
  let texts = null;
  function say(key, values) {
    if (texts === null) {
      texts = JSON.parse(document.getElementById("interface-text").textContent);
    }
    return texts[key].replace(/%\((\w+)\)s/g, function (_match, name) {
      return String((values || {})[name]);
    });
  }

  function unitLabel(count, settings) {
    return count === 1 ? settings.unitOne : settings.unitOther;
  }

  function autosaveForm(element) {
    return element && element.closest ? element.closest("form[data-autosave]") : null;
  }

  function answerBox(form) {
    return form.querySelector("textarea[data-answer-text]");
  }

  // Per person: on a shared computer, one person's unsaved text must not come back, or be
  // saved under their name, when someone else logs in.
  function storagePrefix() {
    return "debateprep:unsaved:" + document.body.dataset.user + ":";
  }

  function storageKey(form) {
    return storagePrefix() + form.getAttribute("action");
  }

  function csrfCookie() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : null;
  }

  function refreshCounts(form) {
    const bar = document.querySelector("[data-statement]");
    const settings = language();
    const box = answerBox(form);
    if (!bar || !settings || !box) return;
    const rate = Number(settings.rate);
    const units = countUnits(box.value, settings.unit);
    form.querySelector("[data-word-count]").textContent = units;
    form.querySelector("[data-unit-label]").textContent = unitLabel(units, settings);
    form.querySelector("[data-speaking-time]").textContent = clock(speakingSeconds(units, rate));

    let total = 0;
    document.querySelectorAll("textarea[data-answer-text]").forEach(function (each) {
      total += countUnits(each.value, settings.unit);
    });
    const seconds = speakingSeconds(total, rate);
    const totals = document.getElementById("statement-totals");
    totals.querySelector("[data-total-words]").textContent = total.toLocaleString(document.documentElement.lang);
    totals.querySelector("[data-unit-label]").textContent = unitLabel(total, settings);
    totals.querySelector("[data-total-time]").textContent = clock(seconds);
    totals.classList.toggle("over-limit", seconds > Number(bar.dataset.limit));
  }

  // In the answer's live region, so that a screen reader says it too; the next save's reply
  // replaces it.
  function setNote(form, text) {
    const note = document.createElement("span");
    note.className = "note";
    note.textContent = text;
    form.querySelector("[data-save-state]").replaceChildren(note);
  }

  function keepLocally(form) {
    const box = answerBox(form);
    const version = form.querySelector("input[name=version]").value;
    try {
      localStorage.setItem(storageKey(form), JSON.stringify({ text: box.value, version: version }));
    } catch (error) {
      // Storage full or disabled: the server copy and the unload warning still protect the text.
    }
  }

  // Text typed but not saved when the tab closed or crashed comes back, with the version it
  // was based on, so a save made elsewhere meanwhile shows as a conflict instead of being lost.
  function restoreUnsaved(form) {
    const box = answerBox(form);
    let kept = null;
    try {
      kept = JSON.parse(localStorage.getItem(storageKey(form)));
    } catch (error) {
      return;
    }
    if (!kept) return;
    if (!box) {
      // Read-only now (made final meanwhile): the text waits here until it can be saved.
      setNote(form, say("keptInBrowser"));
      return;
    }
    if (kept.text === box.value) {
      localStorage.removeItem(storageKey(form));
      return;
    }
    box.value = kept.text;
    form.querySelector("input[name=version]").value = kept.version;
    form.classList.add("dirty");
    refreshCounts(form);
    setNote(form, say("restored"));
    htmx.trigger(form, "submit");
  }

  document.addEventListener("input", function (event) {
    const form = autosaveForm(event.target);
    if (!form || !event.target.matches("textarea[data-answer-text]")) return;
    form.dataset.edits = String(Number(form.dataset.edits || 0) + 1);
    form.classList.add("dirty");
    keepLocally(form);
    refreshCounts(form);
  });

  document.addEventListener("htmx:configRequest", function (event) {
    // Logging in again in another tab rotates the CSRF token; the cookie has the current one.
    // Django reads the form's own token before the header, so both must carry the new one.
    const token = csrfCookie();
    if (!token) return;
    event.detail.headers["X-CSRFToken"] = token;
    if (event.detail.formData && event.detail.formData.has("csrfmiddlewaretoken")) {
      event.detail.formData.set("csrfmiddlewaretoken", token);
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    const form = autosaveForm(event.detail.elt);
    if (form) form.dataset.sentEdits = form.dataset.edits || "0";
    // A restore, or an accepted suggestion, replaces the answer's box: text typed there and
    // not yet saved would go.
    const answer = event.detail.elt.closest && event.detail.elt.closest("article.answer");
    const replacing = event.detail.elt.matches && event.detail.elt.matches("form[data-restore], form[data-accept]");
    const box = answer && answer.querySelector("form[data-autosave]");
    if (replacing && box && box.classList.contains("dirty")) {
      event.preventDefault();
      setNote(box, say("notDone"));
    }
    // Nobody is shown as here while their tab is hidden; the page asks again once it is seen.
    if (event.detail.elt.matches && event.detail.elt.matches("form[data-pulse]") && document.hidden) {
      event.preventDefault();
    }
  });

  document.addEventListener("click", function (event) {
    const close = event.target.closest ? event.target.closest("[data-close-history], [data-close-review]") : null;
    if (!close) return;
    const history = close.matches("[data-close-history]");
    const panel = close.closest(history ? ".history-panel" : ".review-panel");
    const link = panel.closest("article.answer").querySelector(history ? "a.history-link" : "a.review-link");
    panel.replaceChildren();
    if (link) link.focus();
  });

  // Presence: the page says which answer its user is in, and that they are typing, when it
  // next asks who is here; the first keystrokes after a pause make it ask at once, so that
  // colleagues see someone typing before their texts can conflict.
  const TYPING_NOTICE_MS = 3000;
  const ANSWER_BOX = "textarea[data-answer-text], textarea[data-answer-readonly]";
  let lastTypingNotice = 0;

  function pulseForm() {
    return document.querySelector("form[data-pulse]");
  }

  document.addEventListener("focusin", function (event) {
    const pulse = pulseForm();
    const answer = event.target.closest && event.target.closest("article.answer");
    if (pulse && answer) pulse.elements.slot.value = answer.id.replace(/^answer-/, "");
  });

  document.addEventListener("input", function (event) {
    const pulse = pulseForm();
    if (!pulse || !event.target.matches("textarea[data-answer-text]")) return;
    pulse.elements.typing.value = "on";
    if (Date.now() - lastTypingNotice > TYPING_NOTICE_MS) {
      lastTypingNotice = Date.now();
      htmx.trigger(pulse, "pulse");
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const pulse = pulseForm();
    if (pulse && event.detail.elt === pulse && event.detail.successful) pulse.elements.typing.value = "";
  });

  document.addEventListener("visibilitychange", function () {
    const pulse = pulseForm();
    if (pulse && !document.hidden) htmx.trigger(pulse, "pulse");
  });

  // A comment or suggestion about a passage: what is selected in the answer's box is quoted
  // with it, and a suggestion then replaces that passage alone.
  function quoteSelection(answer) {
    const box = answer.querySelector(ANSWER_BOX);
    if (!box) return;
    const start = box.selectionStart;
    const end = box.selectionEnd;
    const passage = end > start ? box.value.slice(start, end) : "";
    answer.querySelectorAll("form[data-quotes]").forEach(function (form) {
      // Once its author has typed in it, a comment or suggestion keeps what it is about.
      if (form.dataset.touched) return;
      const preview = form.querySelector("[data-quote-preview]");
      form.elements.quote.value = passage;
      if (form.elements.start) form.elements.start.value = passage ? String(start) : "";
      preview.hidden = !passage;
      preview.textContent = passage ? say("aboutPassage", { passage: passage }) : "";
      const whole = form.querySelector("[data-whole-label]");
      if (whole) {
        whole.textContent = passage
          ? say("replacePassage")
          : say("suggestWhole");
        form.elements.text.value = passage || box.value;
      }
    });
  }

  ["select", "mouseup", "keyup"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (!event.target.matches || !event.target.matches(ANSWER_BOX)) return;
      quoteSelection(event.target.closest("article.answer"));
    });
  });

  document.addEventListener("input", function (event) {
    const form = event.target.closest && event.target.closest("form[data-quotes]");
    if (form) form.dataset.touched = "1";
  });

  // Once a comment or suggestion is posted, the passage it quoted is no longer selected: the
  // next one is about the whole answer unless a passage is selected again.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("form[data-quotes]") || !event.detail.successful) return;
    // The form itself was swapped out by now; the panel it was in is the request's target.
    const answer = event.detail.target.closest("article.answer");
    const box = answer && answer.querySelector(ANSWER_BOX);
    if (!box) return;
    box.setSelectionRange(box.selectionEnd, box.selectionEnd);
    quoteSelection(answer);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const form = autosaveForm(event.detail.target) || autosaveForm(event.detail.elt);
    // A refused save leaves the server's figures for the saved text; the box holds more.
    if (form) refreshCounts(form);
    // A history opened in place takes the focus, so that keyboard and screen reader users
    // land on it rather than stay on the link.
    const panel = event.detail.target.matches && event.detail.target.matches(".history-panel, .review-panel")
      ? event.detail.target.querySelector(".history, .review")
      : null;
    if (panel) panel.focus();
    // A review panel drawn anew quotes what is still selected in the answer.
    if (panel && panel.matches(".review")) quoteSelection(panel.closest("article.answer"));
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    const form = autosaveForm(event.detail.elt);
    if (!form) return;
    const status = event.detail.xhr ? event.detail.xhr.status : 0;
    if (status === 200) {
      if (form.dataset.sentEdits === (form.dataset.edits || "0")) {
        form.classList.remove("dirty");
        localStorage.removeItem(storageKey(form));
      }
    } else if (status === 401) {
      setNote(form, say("sessionEnded"));
    } else if (status === 0 || status >= 500) {
      setNote(form, say("offline"));
      window.setTimeout(function () { htmx.trigger(form, "submit"); }, RETRY_MS);
    } else if (!SWAPPED_ERRORS.includes(status)) {
      setNote(form, say("failed", { status: status }));
    }
  });

  document.addEventListener("htmx:load", function (event) {
    // A whole answer swapped in resolves a conflict or restores a version: the box now holds
    // the saved text.
    const answer = event.detail.elt;
    const form = answer.matches && answer.matches("article.answer")
      ? answer.querySelector("form[data-autosave]")
      : null;
    if (form) localStorage.removeItem(storageKey(form));
  });

  // The button that was pressed (a conflict's choice, a restore, an accepted suggestion) goes
  // with what the reply replaced, and the focus would fall to the page's start: it goes back
  // to the answer's box instead, where the person was writing.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (document.activeElement && document.activeElement !== document.body) return;
    const from = event.detail.requestConfig && event.detail.requestConfig.elt;
    const old = from && from.closest ? from.closest("article.answer") : null;
    const answer = old && document.getElementById(old.id);
    const box = answer && answer.querySelector(ANSWER_BOX);
    if (!box) return;
    box.focus();
    // A box drawn anew holds new text: the caret goes to its end. The same box keeps its own.
    if (answer !== old) box.setSelectionRange(box.value.length, box.value.length);
  });

  // The statement's language changed: every box takes its lang and dir, and what the boxes
  // hold now (typed text not saved yet included) is counted again in its unit. The button
  // pressed went with the form it was in: the focus goes back to the choice of language.
  document.addEventListener("htmx:load", function (event) {
    const holder = event.detail.elt;
    if (!holder.matches || !holder.matches("#statement-language")) return;
    document.querySelectorAll(ANSWER_BOX).forEach(function (box) {
      box.lang = holder.dataset.language;
      box.dir = holder.dataset.dir;
    });
    document.querySelectorAll("form[data-autosave]").forEach(refreshCounts);
    const choice = holder.querySelector("select");
    if (choice && (!document.activeElement || document.activeElement === document.body)) {
      choice.focus();
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-autosave]").forEach(restoreUnsaved);
  });

  document.addEventListener("click", function (event) {
    const button = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });

  document.addEventListener("submit", function (event) {
    // Logging out leaves nothing of the person's drafts in this browser, unless some of it is
    // still unsaved on this page: that stays for them alone (the warning below says so).
    if (!event.target.matches("form[data-logout]") || unsavedHere()) return;
    Object.keys(localStorage)
      .filter(function (key) { return key.startsWith(storagePrefix()); })
      .forEach(function (key) { localStorage.removeItem(key); });
  });

  function unsavedHere() {
    return document.querySelector("form[data-autosave].dirty, .conflict") !== null;
  }

  window.addEventListener("beforeunload", function (event) {
    if (unsavedHere()) {
      event.preventDefault();
    }
  });
})();
