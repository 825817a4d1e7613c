// A film in parts (S3 multipart upload): each part to a URL signed just before it is sent, retried
// with backoff, so that a dropped connection costs one part, not the film. The browser remembers
// which film a file became (localStorage), so choosing the same file again after the tab was closed
// or the connection died continues from the parts that arrived, and a file already sent is never
// sent twice.
import { request } from "./api.js";
import { putPart } from "./transfer.js";

const ATTEMPTS = 4;
const BACKOFF_MS = 2000;
// A file is known by a digest of its name, size and date: a file name can be a child's full name,
// and a workshop's laptop is shared, so the name itself is not kept.
export async function fileDigest(file) {
  const text = new TextEncoder().encode(`${file.name}|${file.size}|${file.lastModified}`);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", text));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}
const memoryKey = async (file) => `omjr.upload.${await fileDigest(file)}`;

export const remember = async (file, videoId) => localStorage.setItem(await memoryKey(file), videoId);
export const forget = async (file) => localStorage.removeItem(await memoryKey(file));

// What became of the film this file became in an earlier try: null when there was none or it must
// start anew (gone, expired, a one-piece POST); {sent: true} when its file already arrived; or the
// parts status to continue from. A dropped connection or a server error is thrown, and the memory
// kept: it is what the next try continues from.
export async function unfinished(file, key) {
  const videoId = localStorage.getItem(await memoryKey(file));
  if (!videoId) return null;
  const path = `/uploads/${encodeURIComponent(videoId)}`;
  try {
    return await request("GET", `${path}/parts`, { key });
  } catch (error) {
    if (error.status === 409 && error.code === "upload_complete") {
      const film = await request("GET", path, { key }).catch((failure) => {
        if (failure.status === 404) return { status: "EXPIRED" };
        throw failure;
      });
      if (film.status !== "EXPIRED") return { sent: true, video_id: videoId };
    } else if (error.status !== 404 && error.status !== 409) {
      throw error;
    }
    await forget(file);
    return null;
  }
}

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function sendPart(videoId, file, number, plan, key, onBytes) {
  const start = (number - 1) * plan.part_size;
  const blob = file.slice(start, Math.min(start + plan.part_size, file.size));
  for (let attempt = 1; ; attempt += 1) {
    try {
      const { parts } = await request("POST", `/uploads/${encodeURIComponent(videoId)}/parts`,
        { key, body: { part_numbers: [number] } });
      await putPart(parts[0].url, blob, onBytes);
      return blob.size;
    } catch (error) {
      const retryable = error.status === 0 || error.status >= 500;
      if (!retryable || attempt === ATTEMPTS) throw error;
      await pause(BACKOFF_MS * 2 ** (attempt - 1));
    }
  }
}

// Sends the parts that have not arrived, then has the API put the film together. The memory of the
// file is kept: choosing it again finds it sent. `onBytes(done)` hears how many bytes arrived.
export async function sendInParts(videoId, file, status, key, onBytes) {
  let done = status.arrived.reduce((sum, part) => sum + part.size_bytes, 0);
  onBytes(done);
  for (const number of status.missing) {
    done += await sendPart(videoId, file, number, status, key, (loaded) => onBytes(done + loaded));
  }
  onBytes(file.size);
  await request("POST", `/uploads/${encodeURIComponent(videoId)}/complete`, { key, body: {} });
}
