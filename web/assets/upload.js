// The field office's upload page: metadata as POST /uploads checks it, the file to storage with
// progress (large files in parts that survive a dropped connection), then the film's status until
// it is READY or REJECTED (with the reason).
import { request, publicGet } from "./api.js";
import { el, say } from "./dom.js";
import { keyField } from "./keys.js";
import { PARTS_FROM_BYTES, remember, sendInParts, unfinished } from "./parts.js";
import { postFile } from "./transfer.js";

const form = document.getElementById("upload-form");
const status = document.getElementById("upload-status");
const progress = document.getElementById("progress");
const submit = form.querySelector("button[type=submit]");
const another = document.getElementById("another");
const POLL_MS = 2000;
const POLL_LIMIT_MS = 15 * 60 * 1000;
const FINAL = new Set(["READY", "REJECTED", "FAILED", "EXPIRED", "DELETED"]);
const CONTENT_TYPES = { mp4: "video/mp4", m4v: "video/mp4", mov: "video/quicktime", "3gp": "video/3gpp",
  mkv: "video/x-matroska", webm: "video/webm", avi: "video/x-msvideo" };
const STATUS_WORDS = {
  AWAITING_UPLOAD: "Waiting for the file…",
  UPLOADED: "The file arrived; checking it…",
  VALIDATING: "Checking the film…",
  TRANSCODING: "The film is fine; preparing it for the web…",
  READY: "READY: the film is ready. An editor will review it before it is published.",
  FAILED: "FAILED: processing failed; the team has been told and will retry it.",
  EXPIRED: "EXPIRED: the upload link expired before the file arrived. Upload again.",
};

const currentKey = keyField(document.getElementById("key-form"), "omjr.fieldOfficeKey", () => {});

async function loadTopics() {
  const box = document.getElementById("topics");
  try {
    const { items } = await publicGet("/topics");
    box.append(...items.map(({ topic }) => el("label", { class: "check" },
      el("input", { type: "checkbox", name: "topics", value: topic }), ` ${topic}`)));
  } catch (error) {
    box.append(el("p", { class: "error" }, `Topics could not be loaded: ${error.message}`));
  }
}

function metadata(file) {
  const data = new FormData(form);
  const text = (name) => (data.get(name) || "").trim();
  const extension = file.name.split(".").pop().toLowerCase();
  const body = {
    title: text("title"),
    country: text("country").toUpperCase(),
    topics: data.getAll("topics"),
    author: { first_name: text("first_name"), age: Number(text("age")) },
    filename: file.name,
    size_bytes: file.size,
    content_type: CONTENT_TYPES[extension] || file.type || "application/octet-stream",
  };
  for (const name of ["language", "workshop", "description"]) if (text(name)) body[name] = text(name);
  // Asked per film: the facilitator knows which child must not be recognised.
  const faces = data.get("protect_faces") === "on";
  const voice = data.get("protect_voice") === "on";
  if (faces || voice) body.protect_identity = { faces, voice };
  return body;
}

function explain(film) {
  if (film.status === "REJECTED") return `REJECTED: ${film.reason || "the film does not meet the rules."}`;
  const words = STATUS_WORDS[film.status] || film.status;
  return film.status === "FAILED" && film.reason ? `${words} (${film.reason})` : words;
}

async function follow(videoId) {
  const deadline = Date.now() + POLL_LIMIT_MS;
  while (Date.now() < deadline) {
    const film = await request("GET", `/uploads/${encodeURIComponent(videoId)}`, { key: currentKey() });
    const kind = film.status === "READY" ? "success" : FINAL.has(film.status) ? "error" : "info";
    say(status, explain(film), kind);
    status.dataset.status = film.status;
    if (FINAL.has(film.status)) {
      another.hidden = false;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  say(status, "Still processing after 15 minutes. Check the list of uploads later.", "error");
}

function showProgress(before = "") {
  let announced = 0;
  return (share) => {
    progress.value = share;
    const percent = Math.floor(share * 100);
    if (percent >= announced + 25 || percent === 100) {
      announced = percent;
      say(status, `${before}Sending the file: ${percent}%`);
    }
  };
}

// A file cut off in an earlier try (a dropped connection, a closed tab) goes on from the parts that
// arrived; its details were sent then, so the form need not be filled again.
async function resume(file, earlier) {
  const before = `Continuing: ${earlier.arrived.length} of ${earlier.parts_total} parts were sent before. `;
  say(status, before);
  await sendInParts(earlier.video_id, file, earlier, currentKey(), showProgress(before));
  return earlier.video_id;
}

// A new film: large files in parts, others in one presigned POST. Returns the film's id.
async function start(file) {
  const key = currentKey();
  say(status, "Asking for an upload link…");
  const multipart = file.size >= PARTS_FROM_BYTES;
  const created = await request("POST", "/uploads", { key, body: { ...metadata(file), multipart } });
  if (!multipart) {
    await postFile(created.upload, file, showProgress());
    return created.video_id;
  }
  await remember(file, created.video_id);
  const parts = await request("GET", `/uploads/${encodeURIComponent(created.video_id)}/parts`, { key });
  await sendInParts(created.video_id, file, parts, key, showProgress());
  return created.video_id;
}

function formIsValid() {
  const topicBoxes = form.querySelectorAll("input[name=topics]");
  topicBoxes[0]?.setCustomValidity(form.querySelector("input[name=topics]:checked") ? "" : "Choose at least one topic.");
  return form.reportValidity();
}

async function upload(event) {
  event.preventDefault();
  const file = form.elements.file.files[0];
  if (!file) {
    form.reportValidity();
    return;
  }
  if (!currentKey()) {
    say(status, "Type your office's key first (above).", "error");
    document.getElementById("key").focus();
    return;
  }
  submit.disabled = true;
  another.hidden = true;
  delete status.dataset.status;
  progress.value = 0;
  try {
    const earlier = await unfinished(file, currentKey());
    if (!earlier && !formIsValid()) return;
    const videoId = earlier?.sent ? earlier.video_id : earlier ? await resume(file, earlier) : await start(file);
    progress.value = 1;
    say(status, "The file was sent. Checking it…");
    await follow(videoId);
  } catch (error) {
    say(status, error.message, "error");
  } finally {
    submit.disabled = false;
  }
}

form.addEventListener("submit", upload);
// The next film of the workshop: an empty form (the key stays), the focus on its first field.
another.addEventListener("click", () => {
  form.reset();
  progress.value = 0;
  delete status.dataset.status;
  say(status, "Nothing sent yet.");
  another.hidden = true;
  form.querySelector("input, select, textarea").focus();
});
form.addEventListener("change", (event) => {
  if (event.target.name === "topics") form.querySelector("input[name=topics]")?.setCustomValidity("");
});
loadTopics();
