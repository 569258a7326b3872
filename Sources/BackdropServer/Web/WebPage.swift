/// The page at `/`: one self-contained HTML file (no CDN, no external asset), so it works offline.
/// The key is asked for once and kept in the tab's sessionStorage; every call carries it as a
/// bearer token. Images are processed one by one through the same `/v1/...` routes any client uses.
enum WebPage {
    /// Inline script and style only; nothing may load from elsewhere.
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src blob: data:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"

    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Backdrop studio</title>
<style>
  :root { --ink: #1d1d1f; --muted: #6e6e73; --line: #d2d2d7; --accent: #0a6cff; --bad: #c5221f; --ok: #137333; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: #f5f5f7; }
  header { padding: 16px 24px; background: #fff; border-bottom: 1px solid var(--line); display: flex; gap: 16px; align-items: center; flex-wrap: wrap; }
  header h1 { font-size: 18px; margin: 0 12px 0 0; }
  header small { color: var(--muted); }
  main { padding: 24px; max-width: 1100px; margin: 0 auto; }
  label { font-size: 13px; color: var(--muted); display: flex; flex-direction: column; gap: 4px; }
  select, input[type=text], input[type=password] { font: inherit; padding: 6px 8px; border: 1px solid var(--line); border-radius: 6px; background: #fff; }
  button { font: inherit; padding: 7px 14px; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
  button.secondary { background: #fff; color: var(--accent); }
  .controls { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 16px; }
  #drop { border: 2px dashed var(--line); border-radius: 12px; padding: 36px; text-align: center; background: #fff; color: var(--muted); }
  #drop.over { border-color: var(--accent); color: var(--accent); }
  .card { background: #fff; border: 1px solid var(--line); border-radius: 12px; padding: 16px; margin-top: 16px; display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 16px; }
  .card h2 { font-size: 15px; margin: 0 0 8px; word-break: break-all; }
  .compare { position: relative; overflow: hidden; border-radius: 8px; background: repeating-conic-gradient(#eee 0% 25%, #fff 0% 50%) 50% / 20px 20px; }
  .compare img { display: block; width: 100%; height: auto; }
  /* The result's own checkerboard, so a transparent cut-out never shows the original beneath it. */
  .compare .after { position: absolute; inset: 0; clip-path: inset(0 0 0 50%); background: repeating-conic-gradient(#eee 0% 25%, #fff 0% 50%) 50% / 20px 20px; }
  .compare .after img { width: 100%; height: 100%; object-fit: contain; }
  .compare input[type=range] { position: absolute; left: 0; right: 0; bottom: 8px; width: calc(100% - 16px); margin: 0 8px; }
  .tag { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #eef; margin: 2px 4px 2px 0; font-size: 13px; }
  .tag.bad { background: #fde7e7; color: var(--bad); }
  .tag.ok { background: #e6f4ea; color: var(--ok); }
  .error { color: var(--bad); }
  pre { white-space: pre-wrap; word-break: break-word; font-size: 12px; background: #f5f5f7; padding: 8px; border-radius: 6px; max-height: 320px; overflow: auto; }
  .hidden { display: none; }
</style>
</head>
<body>
<header>
  <h1>Backdrop studio</h1>
  <small>Runs on this machine. Uploads stay in memory for the request; nothing is kept.</small>
  <span style="flex:1"></span>
  <label>API key <input id="key" type="password" size="30" placeholder="bd_…" autocomplete="off"></label>
  <button id="saveKey" class="secondary">Use key</button>
  <button id="forgetKey" class="secondary hidden">Forget key</button>
</header>
<main>
  <div class="controls">
    <label>Operation
      <select id="operation">
        <option value="remove-bg">Remove background</option>
        <option value="studio">Studio shot</option>
        <option value="scrub">Scrub metadata</option>
        <option value="redact">Redact personal data</option>
        <option value="mockup">Mockup</option>
        <option value="inspect">Inspect metadata</option>
        <option value="scan">Scan for personal data</option>
        <option value="check">Check marketplace rules</option>
      </select>
    </label>
    <label id="presetBox">Preset
      <select id="preset">
        <option>amazon</option><option>walmart</option><option>ebay</option><option>shopify</option>
        <option>etsy</option><option>google</option><option>instagram</option>
      </select>
    </label>
    <label id="templateBox" class="hidden">Template <input id="template" type="text" placeholder="backdrop template list" size="18"></label>
    <label id="gateBox">Privacy gate
      <select id="gate"><option value="warn">warn</option><option value="redact">redact</option><option value="block">block</option><option value="off">off</option></select>
    </label>
  </div>
  <div id="drop">Drop photos here, or <button id="pick" class="secondary">choose files</button>
    <input id="files" type="file" accept="image/*" multiple class="hidden"></div>
  <p id="status" class="error"></p>
  <section id="results"></section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
const store = window.sessionStorage;
const imageOps = new Set(["remove-bg", "studio", "scrub", "redact", "mockup"]);
const gated = new Set(["remove-bg", "studio", "mockup"]);

function showKeyState() {
  const has = !!store.getItem("backdrop-key");
  $("key").value = "";
  $("key").placeholder = has ? "key in use for this tab" : "bd_…";
  $("forgetKey").classList.toggle("hidden", !has);
}
$("saveKey").onclick = () => { if ($("key").value.trim()) { store.setItem("backdrop-key", $("key").value.trim()); } showKeyState(); };
$("forgetKey").onclick = () => { store.removeItem("backdrop-key"); showKeyState(); };
$("operation").onchange = () => {
  const op = $("operation").value;
  $("presetBox").classList.toggle("hidden", !(op === "studio" || op === "check"));
  $("templateBox").classList.toggle("hidden", op !== "mockup");
  $("gateBox").classList.toggle("hidden", !gated.has(op));
};
$("pick").onclick = (event) => { event.preventDefault(); $("files").click(); };
$("files").onchange = () => {
  const files = Array.from($("files").files);
  $("files").value = "";
  processAll(files);
};
const drop = $("drop");
drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
drop.addEventListener("dragleave", () => drop.classList.remove("over"));
drop.addEventListener("drop", (event) => { event.preventDefault(); drop.classList.remove("over"); processAll(event.dataTransfer.files); });

async function processAll(files) {
  $("status").textContent = "";
  if (!store.getItem("backdrop-key")) { $("status").textContent = "Enter your API key first (backdrop keys create --name NAME)."; return; }
  for (const file of Array.from(files)) { await processOne(file); }
}

function element(tag, attributes, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

async function processOne(file) {
  const op = $("operation").value;
  const query = new URLSearchParams({ name: file.name });
  if (op === "studio" || op === "check") query.set("preset", $("preset").value);
  if (op === "mockup") query.set("template", $("template").value);
  if (gated.has(op)) query.set("privacy-gate", $("gate").value);
  const card = element("article", { class: "card" });
  const left = element("div"); const right = element("div");
  card.append(left, right);
  right.append(element("h2", {}, file.name + " — " + op));
  const state = element("p", { class: "state" }, "working…");
  right.append(state);
  $("results").prepend(card);
  const before = URL.createObjectURL(file);
  let response;
  try {
    response = await fetch("/v1/" + op + "?" + query.toString(), {
      method: "POST", body: file,
      headers: { "Authorization": "Bearer " + store.getItem("backdrop-key"), "Content-Type": "application/octet-stream" },
    });
  } catch (error) { state.textContent = "could not reach the server"; state.className = "error"; return; }
  if (!response.ok) {
    let message = response.status + " " + response.statusText;
    try { message += ": " + (await response.json()).error; } catch (_) {}
    if (response.status === 401) message += " — check the key";
    state.textContent = message; state.className = "error";
    left.append(element("img", { src: before, alt: "original", style: "max-width:100%" }));
    return;
  }
  state.textContent = "done";
  let report = {};
  try { report = JSON.parse(response.headers.get("X-Backdrop-Report") || "{}"); } catch (_) {}
  if (imageOps.has(op)) {
    const blob = await response.blob();
    const after = URL.createObjectURL(blob);
    const compare = element("div", { class: "compare" });
    const base = element("img", { src: before, alt: "before" });
    const overlay = element("div", { class: "after" });
    overlay.append(element("img", { src: after, alt: "after", class: "result" }));
    const slider = element("input", { type: "range", min: "0", max: "100", value: "50", "aria-label": "before and after" });
    slider.oninput = () => { overlay.style.clipPath = "inset(0 0 0 " + slider.value + "%)"; };
    compare.append(base, overlay, slider);
    left.append(compare);
    const disposition = response.headers.get("Content-Disposition") || "";
    const match = disposition.match(/filename="([^"]+)"/);
    const link = element("a", { href: after, download: match ? match[1] : "result", class: "download" }, "Download result");
    right.append(link);
  } else {
    left.append(element("img", { src: before, alt: "original", style: "max-width:100%" }));
    const text = await response.text();
    let pretty = text;
    try { pretty = JSON.stringify(JSON.parse(text), null, 2); } catch (_) {}
    right.append(element("pre", { class: "json" }, pretty));
  }
  right.append(privacyReport(report, op));
}

function privacyReport(report, op) {
  const box = element("div", { class: "privacy" });
  box.append(element("h2", {}, "Privacy report"));
  const metadata = Object.entries(report.metadata || {});
  const line1 = element("p");
  if (metadata.length === 0) { line1.append(element("span", { class: "tag ok" }, "no metadata found")); }
  else {
    line1.append(document.createTextNode(op === "inspect" ? "Metadata found: " : "Metadata found and removed: "));
    for (const [category, count] of metadata) line1.append(element("span", { class: "tag bad" }, category.replace("_", " ") + " × " + count));
  }
  const findings = Object.entries(report.findings || {});
  const line2 = element("p");
  if (findings.length === 0) { line2.append(element("span", { class: "tag ok" }, "no personal data found in the pixels")); }
  else {
    line2.append(document.createTextNode(report.covered ? "Personal data found and covered: " : "Personal data found (not covered): "));
    for (const [kind, count] of findings) line2.append(element("span", { class: "tag bad" }, kind.replace("_", " ") + " × " + count));
  }
  box.append(line1, line2);
  return box;
}
showKeyState();
$("operation").onchange();
</script>
</body>
</html>
"""#
}
