// A transfer that sends nothing for this long has stalled: it is stopped, and retried or reported.
const STALL_MS = 60 * 1000;

function stopWhenStalled(xhr) {
  let timer;
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => xhr.abort(), STALL_MS);
  };
  xhr.upload.addEventListener("progress", arm);
  xhr.addEventListener("loadend", () => clearTimeout(timer));
  arm();
}

// Sends a file to its presigned POST: every field first, the file last, as multipart/form-data.
// XMLHttpRequest rather than fetch because only it reports upload progress.
export function postFile(upload, file, onProgress) {
  const form = new FormData();
  for (const [name, value] of Object.entries(upload.fields)) form.append(name, value);
  form.append("file", file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", upload.url);
    stopWhenStalled(xhr);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(new Error(`The storage refused the file (HTTP ${xhr.status}). Ask for a new upload and try again.`));
    });
    xhr.addEventListener("error", () => reject(new Error("The file could not be sent. Check the connection and try again.")));
    xhr.addEventListener("abort", () => reject(new Error("The connection stalled: nothing was sent for a minute. Check it and try again.")));
    xhr.send(form);
  });
}

// Sends one part of a film (a slice of the file) to its presigned PUT URL.
export function putPart(url, blob, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    stopWhenStalled(xhr);
    xhr.upload.addEventListener("progress", (event) => onProgress(event.loaded));
    xhr.addEventListener("load", () => {
      if (xhr.status >= 200 && xhr.status < 300) resolve();
      else reject(Object.assign(new Error(`The storage refused a part (HTTP ${xhr.status}).`), { status: xhr.status }));
    });
    xhr.addEventListener("error", () => reject(Object.assign(new Error("A part could not be sent."), { status: 0 })));
    xhr.addEventListener("abort", () => reject(Object.assign(new Error("A part stalled."), { status: 0 })));
    xhr.send(blob);
  });
}
