// The practitioner's page: talks only to this service (/v1/check, /v1/annotate, /v1/fix).
// Offsets in answers count characters (code points); JavaScript strings count UTF-16
// units, so texts are handled as arrays of code points here.
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const form = $("check-form"), textBox = $("text"), fileInput = $("file"), doctype = $("doctype");
  const status = $("status"), problem = $("problem"), results = $("results");
  let lastFile = null;

  function say(message) { status.textContent = message; }
  function fail(message) { problem.textContent = message; problem.hidden = false; say(""); }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function headers() {
    const key = $("key");
    return key && key.value ? { "X-API-Key": key.value } : {};
  }

  function options() { return JSON.stringify({ profile: doctype.value }); }

  async function answer(response) {
    if (response.ok) return response;
    let message = "The check did not work (" + response.status + ").";
    try { message = (await response.json()).error || message; } catch (e) { /* not JSON */ }
    throw new Error(message);
  }

  async function check() {
    problem.hidden = true;
    say("Checking…");
    let response;
    if (lastFile) {
      const body = new FormData();
      body.append("file", lastFile);
      body.append("options", options());
      body.append("with_text", "true");
      response = await fetch("/v1/check", { method: "POST", body: body, headers: headers() });
    } else {
      if (!textBox.value.trim()) { fail("Paste some text or choose a Word document first."); return; }
      response = await fetch("/v1/check", {
        method: "POST",
        headers: Object.assign({ "Content-Type": "application/json" }, headers()),
        body: JSON.stringify({ text: textBox.value, profile: doctype.value, with_text: true }),
      });
    }
    const report = await (await answer(response)).json();
    show(report.files[0]);
  }

  function show(file) {
    const findings = file.findings.slice().sort((a, b) => a.start - b.start);
    const chars = Array.from(file.text || "");
    const marked = $("marked"), list = $("findings");
    marked.textContent = "";
    list.textContent = "";
    let at = 0;
    findings.forEach((f, i) => {
      if (f.start < at) return; // overlapping: listed, not marked twice
      marked.append(chars.slice(at, f.start).join(""));
      const mark = document.createElement("mark");
      mark.className = f.severity;
      const link = document.createElement("a");
      link.href = "#finding-" + i;
      link.textContent = chars.slice(f.start, f.end).join("");
      link.addEventListener("click", (e) => { e.preventDefault(); $("finding-" + i).focus(); });
      mark.append(link);
      marked.append(mark);
      at = f.end;
    });
    marked.append(chars.slice(at).join(""));
    findings.forEach((f, i) => list.append(item(f, i, chars)));

    $("summary").textContent = findings.length
      ? plural(findings.length, "thing", "things") + " to look at in " + plural(file.words, "word", "words") + "."
      : "Nothing to change in " + plural(file.words, "word", "words") + ". Well done.";
    stats(file.stats || {});
    $("downloads").hidden = !lastFile;
    results.hidden = false;
    say("Checked: " + plural(findings.length, "thing", "things") + " to look at.");
  }

  function item(f, i, chars) {
    const li = document.createElement("li");
    li.id = "finding-" + i;
    li.tabIndex = -1;
    const words = document.createElement("p");
    const strong = document.createElement("span");
    strong.className = "words";
    strong.textContent = "“" + chars.slice(f.start, f.end).join("") + "”";
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = " (line " + f.line + ")";
    words.append(strong, where, document.createElement("br"), f.message);
    li.append(words);
    if (f.advice) {
      const advice = document.createElement("p");
      advice.className = "advice";
      advice.textContent = "What to do: " + f.advice;
      li.append(advice);
    }
    if (f.suggestions.length) {
      const p = document.createElement("p");
      if (lastFile) {
        p.textContent = "You could write: " + f.suggestions.join("; ");
      } else {
        p.append("You could write: ");
        f.suggestions.forEach((s) => {
          const use = document.createElement("button");
          use.type = "button";
          use.className = "use";
          use.textContent = s;
          use.setAttribute("aria-label", "Use “" + s + "” instead of “" + chars.slice(f.start, f.end).join("") + "”");
          use.addEventListener("click", () => accept(f, s, chars));
          p.append(use);
        });
      }
      li.append(p);
    }
    return li;
  }

  function stats(st) {
    const dl = $("stats");
    dl.textContent = "";
    const add = (term, value) => {
      const dt = document.createElement("dt"), dd = document.createElement("dd");
      dt.textContent = term;
      dd.textContent = value;
      dl.append(dt, dd);
    };
    if (typeof st.grade === "number") {
      const age = Math.max(5, Math.round(st.grade + 5));
      add("Reading age", "about " + age + " years (a reader of this age or older can follow it)");
    }
    if (typeof st.strengths === "number") {
      add("What is going well", plural(st.strengths, "sentence", "sentences") + " about strengths");
      add("Blaming or labelling", plural(st.deficit || 0, "place", "places"));
    }
  }

  async function accept(f, suggestion, chars) {
    const before = chars.slice(f.start, f.end).join("");
    textBox.value = chars.slice(0, f.start).join("") + suggestion + chars.slice(f.end).join("");
    try {
      await check();
      say("Changed “" + before + "” to “" + suggestion + "” and checked again. " + status.textContent);
      $("results-title").focus();
    } catch (e) { fail(e.message); }
  }

  async function download(kind) {
    problem.hidden = true;
    say("Preparing your document…");
    const body = new FormData();
    body.append("file", lastFile);
    body.append("options", options());
    try {
      const response = await answer(await fetch("/v1/" + kind, { method: "POST", body: body, headers: headers() }));
      const blob = await response.blob();
      const disposition = response.headers.get("Content-Disposition") || "";
      const name = decodeURIComponent((disposition.match(/filename\*=UTF-8''(.+)$/) || [])[1] || "document.docx");
      const link = document.createElement("a");
      link.href = URL.createObjectURL(blob);
      link.download = name;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 10000);
      say("Downloaded " + name + ".");
    } catch (e) { fail(e.message); }
  }

  function useFile(file) {
    if (!file) return;
    if (!/\.docx$/i.test(file.name)) { fail("Choose a Word document ending in .docx."); return; }
    lastFile = file;
    $("clear-file").hidden = false;
    say("Ready to check " + file.name + ".");
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    check().then(() => $("results-title").focus()).catch((err) => fail(err.message));
  });
  fileInput.addEventListener("change", () => useFile(fileInput.files[0]));
  $("clear-file").addEventListener("click", () => {
    lastFile = null;
    fileInput.value = "";
    $("clear-file").hidden = true;
    $("downloads").hidden = true;
    say("The document was removed. Paste your text instead.");
    textBox.focus();
  });
  $("get-annotated").addEventListener("click", () => download("annotate"));
  $("get-fixed").addEventListener("click", () => download("fix"));
  const drop = $("drop");
  drop.addEventListener("dragover", (e) => { e.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (e) => {
    e.preventDefault();
    drop.classList.remove("over");
    if (e.dataTransfer.files.length) useFile(e.dataTransfer.files[0]);
  });
})();
