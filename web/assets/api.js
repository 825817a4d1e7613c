// The API, as the pages call it. Public routes need no key; keyed routes send the user's key in
// `x-api-key` (never in a cookie). Every error becomes an ApiError carrying the API's own message.
import { config } from "../config.js";

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function apiUrl(path) {
  return `${config.apiUrl}${path}`;
}

export async function request(method, path, { key, body, contentType = "application/json" } = {}) {
  const headers = {};
  if (key) headers["x-api-key"] = key;
  let payload;
  if (body !== undefined) {
    headers["content-type"] = contentType;
    payload = typeof body === "string" ? body : JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(apiUrl(path), { method, headers, body: payload });
  } catch {
    throw new ApiError(0, "network", "The API could not be reached. Check the connection and try again.");
  }
  const data = await response.json().catch(() => ({}));
  if (!response.ok) {
    throw new ApiError(response.status, data.error || "http_" + response.status, describe(response.status, data));
  }
  return data;
}

function describe(status, data) {
  if (status === 401) return "A key is needed: type your key above.";
  if (status === 403 && !data.message) return "This key is not allowed to do that.";
  return data.message || `The API answered ${status}.`;
}

export const publicGet = (path) => request("GET", path);

// What a visitor reads when a public page cannot load what it asked for: never the API's own words
// (they are for programs). Here rather than in a module of its own: one file less for a slow phone.
export function visitorMessage(error, what = "these films") {
  if (error instanceof ApiError && error.status === 410) return `Sorry, ${what} is no longer available.`;
  if (isNotFound(error)) return `We could not find ${what}: the link may be old or mistyped.`;
  if (error instanceof ApiError && error.status === 0) {
    return `We could not load ${what} just now. Check your connection and try again.`;
  }
  return `Something went wrong on our side while loading ${what}. Please try again in a moment.`;
}

// A link that is wrong stays wrong: trying again only helps when the connection or the API failed.
export const isNotFound = (error) =>
  error instanceof ApiError && (error.status === 400 || error.status === 404 || error.status === 410);
