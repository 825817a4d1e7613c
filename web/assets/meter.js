// Speed and time left of a transfer, from the bytes sent over the last few seconds (so a pause or a
// faster stretch shows soon, and one slow moment does not).
const WINDOW_MS = 8000;

// `grow(bytes)`: more to send, joined while it goes (a film chosen while the others are being sent).
export function meter(total, startedWith = 0) {
  const samples = [[performance.now(), startedWith]];
  const measure = (done) => {
    const now = performance.now();
    samples.push([now, done]);
    while (samples.length > 2 && now - samples[0][0] > WINDOW_MS) samples.shift();
    const [since, from] = samples[0];
    const seconds = (now - since) / 1000;
    const speed = seconds > 0.5 && done > from ? (done - from) / seconds : null;
    return { done, total, speed, left: speed ? (total - done) / speed : null };
  };
  measure.grow = (bytes) => {
    total += bytes;
  };
  return measure;
}
