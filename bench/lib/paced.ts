// Open-loop load at an even rate: request i is due at start + i × (1000 / rps) and is sent then,
// whether or not earlier ones have answered. Its latency counts from when it was due, so a server
// that falls behind shows it in the percentiles instead of slowing the sender down (no
// coordinated omission). "200 rps" is then one request every 5 ms, not a burst of 200 at the top
// of each second, which is how autocannon's overallRate paces its connections.

export interface PacedResult {
  latencies: number[];
  sent: number;
  failed: number;
  elapsedSeconds: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** `send(i)` performs request i and answers whether it succeeded; failures are counted, not timed. */
export async function pacedLoad(rps: number, seconds: number, send: (index: number) => Promise<boolean>): Promise<PacedResult> {
  const interval = 1000 / rps;
  const total = Math.round(rps * seconds);
  const latencies: number[] = [];
  const inFlight = new Set<Promise<void>>();
  let failed = 0;
  const started = performance.now();
  for (let i = 0; i < total; i++) {
    const due = started + i * interval;
    const wait = due - performance.now();
    if (wait > 0) await sleep(wait);
    const request = send(i).then(
      (ok) => { if (ok) latencies.push(performance.now() - due); else failed += 1; },
      () => { failed += 1; },
    );
    const tracked = request.finally(() => inFlight.delete(tracked));
    inFlight.add(tracked);
  }
  await Promise.all(inFlight);
  return { latencies, sent: total, failed, elapsedSeconds: (performance.now() - started) / 1000 };
}
