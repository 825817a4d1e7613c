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
