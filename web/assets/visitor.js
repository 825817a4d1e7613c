// What a visitor reads when something goes wrong: never the API's own words (they are for programs).
import { ApiError } from "./api.js";

export function visitorMessage(error, what = "these films") {
  if (error instanceof ApiError && error.status === 0) {
    return `We could not load ${what} just now. Check your connection and try again.`;
  }
  if (error instanceof ApiError && (error.status === 400 || error.status === 404)) {
    return `We could not find ${what}: the link may be old or mistyped.`;
  }
  return `Something went wrong on our side while loading ${what}. Please try again in a moment.`;
}
